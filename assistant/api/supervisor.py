"""`assistant serve --workers N`: N uvicorn server processes, each accepting on its own SO_REUSEPORT socket.

Why not uvicorn's own `workers=N`: its workers share one listening socket, and a connection goes to
whichever worker's event loop calls accept() first. Keep-alive clients that connect together (a load
balancer's pool, a burst of browsers) then pile onto one worker while the other idles: /api/ask at 32
clients measured ~500 req/s when the connections split evenly and ~200 req/s when they did not, from
run to run. Here every worker binds its own socket to the same address with SO_REUSEPORT, and Linux
hashes each new connection to one of the listening sockets, so connections spread over the workers
whatever each is busy with.

The parent only supervises: it starts the workers (fresh interpreters, like uvicorn's), starts a new
one when one dies (backing off when they keep dying at once, and giving up after a few), and on
SIGTERM or SIGINT asks each worker to shut down gracefully (uvicorn finishes the requests in flight
and runs the app's lifespan shutdown), killing any that outlive the grace period. A worker also dies
with its parent (PR_SET_PDEATHSIG), so even a SIGKILLed supervisor leaves no orphan serving the port.
Each worker runs the whole app, index watcher and hot index switch included, and says which worker it
is in the `X-Worker` response header (`ASSISTANT_WORKER`, 0…N-1).
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import signal
import socket
import sys
import threading
import time
from dataclasses import dataclass
from multiprocessing.process import BaseProcess
from types import FrameType

from assistant.errors import AssistantError

log = logging.getLogger(__name__)

APP_FACTORY = "assistant.api.app:app_from_env"
WORKER_ENV = "ASSISTANT_WORKER"
GRACE_S = 30.0  # a worker still finishing answers after this long on shutdown is killed
POLL_S = 0.2  # how often the supervisor looks for dead workers
FAST_EXIT_S = 10.0  # a worker dying sooner than this after its start counts as a failed start
MAX_FAST_EXITS = 5  # failed starts in a row (per worker slot) before the supervisor gives up
_PR_SET_PDEATHSIG = 1


def reuseport_supported() -> bool:
    """SO_REUSEPORT spreads connections over sockets on Linux only (BSD and macOS give them all to one)."""
    return sys.platform.startswith("linux") and hasattr(socket, "SO_REUSEPORT")


def reuseport_socket(host: str, port: int) -> socket.socket:
    """A bound (not yet listening) TCP socket sharing `host:port` with the other workers' sockets."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    # proto given explicitly, as uvicorn does: asyncio sets TCP_NODELAY only on sockets whose proto is
    # IPPROTO_TCP, and without it Nagle + delayed ACK held each response ~40 ms (1 client: 20 req/s).
    sock = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
    sock.bind((host, port))
    sock.set_inheritable(False)
    return sock


def check_port_free(host: str, port: int) -> None:
    """Fail with a clear message when the address is taken, even by another server's SO_REUSEPORT group.

    A plain bind (without SO_REUSEPORT) fails against any listener, whereas our workers' binds would
    silently join another `assistant serve` already on the port and split its traffic.
    """
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError as exc:
            raise AssistantError(f"Không mở được cổng {host}:{port}: {exc.strerror or exc}. "
                                 "Hãy chọn cổng khác (--port) hoặc dừng máy chủ đang dùng cổng này.") from exc


def _die_with_parent() -> None:
    """Ask Linux to SIGTERM this process when the supervisor dies, however it dies."""
    if not sys.platform.startswith("linux"):
        return
    try:
        import ctypes

        ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGTERM)
    except (OSError, AttributeError):  # no libc prctl: the supervisor's own shutdown still stops workers
        return


def worker_main(index: int, host: str, port: int, parent_pid: int) -> None:
    """One worker process: its own socket, one uvicorn server running the app from `ASSISTANT_*` variables."""
    import uvicorn

    _die_with_parent()
    if os.getppid() != parent_pid:  # the supervisor died before prctl took effect
        return
    os.environ[WORKER_ENV] = str(index)
    sock = reuseport_socket(host, port)
    config = uvicorn.Config(APP_FACTORY, factory=True, host=host, port=port, log_level="warning")
    uvicorn.Server(config).run(sockets=[sock])


@dataclass
class _Slot:
    """One worker position (0…N-1) and the process currently filling it."""

    index: int
    process: BaseProcess | None = None
    started: float = 0.0
    fast_exits: int = 0
    restart_at: float = 0.0


class Supervisor:
    """Runs `workers` worker processes until SIGTERM/SIGINT (see the module docstring)."""

    def __init__(self, host: str, port: int, workers: int, grace_s: float = GRACE_S) -> None:
        self.host, self.port, self.grace_s = host, port, grace_s
        self.slots = [_Slot(i) for i in range(workers)]
        self._context = multiprocessing.get_context("spawn")  # never fork a parent that loaded torch
        self._stop = threading.Event()
        self.failed: str | None = None

    def _start(self, slot: _Slot) -> None:
        process = self._context.Process(target=worker_main, name=f"assistant-worker-{slot.index}",
                                        args=(slot.index, self.host, self.port, os.getpid()), daemon=False)
        process.start()
        slot.process, slot.started = process, time.monotonic()

    def _on_signal(self, signum: int, frame: FrameType | None) -> None:
        log.info("received %s: stopping the workers", signal.Signals(signum).name)
        self._stop.set()

    def _reap(self) -> None:
        """Restart dead workers; back off when one keeps dying at start, give up after MAX_FAST_EXITS."""
        now = time.monotonic()
        for slot in self.slots:
            process = slot.process
            if process is not None and not process.is_alive():
                process.join()
                lived = now - slot.started
                slot.fast_exits = slot.fast_exits + 1 if lived < FAST_EXIT_S else 0
                if slot.fast_exits >= MAX_FAST_EXITS:
                    self.failed = (f"worker {slot.index} exited {slot.fast_exits} times within {FAST_EXIT_S:.0f} s "
                                   f"of starting (last exit code {process.exitcode})")
                    self._stop.set()
                    return
                slot.process = None
                slot.restart_at = now + (min(10.0, 0.5 * 2 ** slot.fast_exits) if slot.fast_exits else 0.0)
                log.warning("worker %d (pid %s) exited with code %s after %.0f s; starting another",
                            slot.index, process.pid, process.exitcode, lived)
            if slot.process is None and now >= slot.restart_at:
                self._start(slot)

    def stop_all(self) -> None:
        """SIGTERM every worker (uvicorn's graceful shutdown), wait up to the grace period, kill the rest."""
        alive = [s.process for s in self.slots if s.process is not None and s.process.is_alive()]
        for process in alive:
            process.terminate()
        deadline = time.monotonic() + self.grace_s
        for process in alive:
            process.join(max(0.0, deadline - time.monotonic()))
            if process.is_alive():
                log.error("worker pid %s did not stop within %.0f s; killing it", process.pid, self.grace_s)
                process.kill()
                process.join()

    def run(self) -> int:
        """Serve until told to stop; the exit code: 0 after a signal, 1 when workers kept failing to start."""
        previous = {sig: signal.signal(sig, self._on_signal) for sig in (signal.SIGTERM, signal.SIGINT)}
        try:
            for slot in self.slots:
                self._start(slot)
            while not self._stop.wait(POLL_S):
                self._reap()
        finally:
            self.stop_all()
            for sig, handler in previous.items():
                signal.signal(sig, handler)
        if self.failed:
            log.error("stopping: %s", self.failed)
            return 1
        return 0


def serve_workers(host: str, port: int, workers: int) -> int:
    """Serve the app from `ASSISTANT_*` variables on `workers` processes; returns the exit code."""
    check_port_free(host, port)
    return Supervisor(host, port, workers).run()


def descendants(pid: int) -> list[int]:
    """Every process below `pid` (its workers, their children, ...), read from /proc (Linux): for tests
    and benchmarks that watch or measure a server's processes."""
    from pathlib import Path

    found: list[int] = []
    todo = [pid]
    while todo:
        parent = todo.pop()
        try:
            children = [int(c) for c in Path(f"/proc/{parent}/task/{parent}/children").read_text().split()]
        except OSError:
            continue
        found += children
        todo += children
    return found
