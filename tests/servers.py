"""Helpers for tests that start real servers on loopback: a free port, waiting, stopping."""

from __future__ import annotations

import socket
import subprocess
import time
from pathlib import Path

import httpx

from assistant.api.supervisor import descendants  # noqa: F401  (tests import it from here)


def free_port() -> int:
    """A TCP port free on 127.0.0.1 right now (servers bind loopback only)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_until_responds(url: str, timeout_s: float, process: subprocess.Popen | None = None) -> None:
    """Poll `url` until it answers 200; raise RuntimeError early if the server process died, TimeoutError after the deadline."""
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if process is not None and process.poll() is not None:
            raise RuntimeError(f"server exited with code {process.returncode} before answering {url}")
        try:
            if httpx.get(url, timeout=2.0).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.25)
    raise TimeoutError(f"{url} did not answer within {timeout_s:.0f}s")


def stop_process(process: subprocess.Popen, grace_s: float = 10.0) -> None:
    """Terminate a server, killing it if it does not stop within the grace period."""
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=grace_s)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def alive(pid: int) -> bool:
    """True while `pid` runs (a zombie, exited but not yet reaped by whoever adopted it, counts as gone)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat.rsplit(")", 1)[1].split()[0] != "Z"


def wait_until(condition, timeout_s: float, what: str) -> None:
    """Poll `condition()` until true; fail saying `what` did not happen within the bound."""
    deadline = time.monotonic() + timeout_s
    while not condition():
        if time.monotonic() > deadline:
            raise TimeoutError(f"{what} did not happen within {timeout_s:.0f}s")
        time.sleep(0.1)
