"""A throwaway PostgreSQL cluster on 127.0.0.1 for tests: initdb into a temp folder, pg_ctl start/stop.

PostgreSQL refuses to run as root, so under root the cluster belongs to the `postgres` system user
(Debian's package creates it) and every command runs through `runuser`; otherwise it runs as the
current user. Binaries are Debian's (/usr/lib/postgresql/<version>/bin) or whatever is on PATH.
"""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

from servers import free_port


def find_bin_dir() -> Path | None:
    """The newest installed server's bin folder, or None when PostgreSQL is not installed."""
    candidates = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), key=lambda p: int(Path(p).parts[-3]))
    if candidates:
        return Path(candidates[-1]).parent
    found = shutil.which("initdb")
    return Path(found).resolve().parent if found else None


class PostgresCluster:
    """`PostgresCluster.start()` → `.url(dbname)`, `.create_database(name)`, `.stop()`."""

    def __init__(self, bin_dir: Path, data_root: Path, user: str | None, port: int) -> None:
        self.bin_dir, self.root, self.user, self.port = bin_dir, data_root, user, port

    @classmethod
    def unavailable_reason(cls) -> str | None:
        if find_bin_dir() is None:
            return "PostgreSQL is not installed (apt-get install postgresql, or scripts/setup.sh --test)"
        if os.geteuid() == 0:
            try:
                pwd.getpwnam("postgres")
            except KeyError:
                return "running as root and there is no 'postgres' system user to run the server as"
        return None

    def _run(self, *args: str, timeout: float = 120) -> subprocess.CompletedProcess:
        command = [str(self.bin_dir / args[0]), *args[1:]]
        if self.user:
            command = ["runuser", "-u", self.user, "--", *command]
        return subprocess.run(command, capture_output=True, text=True, timeout=timeout, cwd="/tmp")

    @classmethod
    def start(cls) -> "PostgresCluster":
        bin_dir = find_bin_dir()
        user = "postgres" if os.geteuid() == 0 else None
        root = Path(tempfile.mkdtemp(prefix="assistant-pg-"))
        if user:
            entry = pwd.getpwnam(user)
            os.chown(root, entry.pw_uid, entry.pw_gid)
        cluster = cls(bin_dir, root, user, free_port())
        data = root / "data"
        done = cluster._run("initdb", "-D", str(data), "-U", "postgres", "--auth=trust", "-E", "UTF8", "--no-locale",
                            "--no-sync")
        if done.returncode != 0:
            cluster.cleanup()
            raise RuntimeError(f"initdb failed: {done.stderr or done.stdout}")
        options = (f"-c listen_addresses=127.0.0.1 -p {cluster.port} -c unix_socket_directories={root} "
                   "-c fsync=off -c full_page_writes=off -c max_connections=60")
        done = cluster._run("pg_ctl", "-D", str(data), "-l", str(root / "server.log"), "-o", options, "-w", "-t", "60", "start")
        if done.returncode != 0:
            log = (root / "server.log").read_text(errors="replace") if (root / "server.log").exists() else ""
            cluster.cleanup()
            raise RuntimeError(f"pg_ctl start failed: {done.stderr or done.stdout}\n{log[-2000:]}")
        return cluster

    def url(self, dbname: str = "postgres") -> str:
        return f"postgresql://postgres@127.0.0.1:{self.port}/{dbname}"

    def create_database(self, name: str) -> str:
        """A fresh empty database; returns its URL."""
        import psycopg

        deadline = time.monotonic() + 30
        while True:
            try:
                with psycopg.connect(self.url(), autocommit=True, connect_timeout=5) as conn:
                    conn.execute(f'CREATE DATABASE "{name}"')
                return self.url(name)
            except psycopg.OperationalError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.2)

    def stop(self) -> None:
        self._run("pg_ctl", "-D", str(self.root / "data"), "-m", "fast", "-w", "-t", "30", "stop", timeout=60)
        self.cleanup()

    def cleanup(self) -> None:
        shutil.rmtree(self.root, ignore_errors=True)
