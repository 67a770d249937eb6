"""`assistant serve --workers N`: N worker processes on one port, supervised (assistant/api/supervisor.py).

Each test starts a real server on loopback with the fake embedder's index, bounded in time, and
stops it (the `finally` kills whatever is left).
"""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
from pathlib import Path

import httpx
import pytest

from assistant.indexing.build import build_index
from assistant.settings import Settings

from servers import alive, descendants, free_port, stop_process, wait_until, wait_until_responds

ROOT = Path(__file__).resolve().parents[1]
QUESTION = "mục tiêu kinh tế số Đồng Nai"

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc; SO_REUSEPORT spreading is Linux's")


def _workers(pid: int) -> list[int]:
    """The supervisor's worker processes (multiprocessing spawn), not its resource tracker."""
    children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    return [int(c) for c in children if b"spawn_main" in Path(f"/proc/{c}/cmdline").read_bytes()]


@pytest.fixture
def start_server(tmp_path, corpus_copy, fake_embedder):
    """start_server(workers, port=None) → (process, port); every server started is stopped after the test."""
    settings = Settings(corpus_dir=corpus_copy, index_dir=tmp_path / "index", embedding_model="test-hashing",
                        feedback_db=tmp_path / "feedback.sqlite3")
    build_index(settings, fake_embedder)  # current index: serve loads it, and the fake model is never needed
    started: list[subprocess.Popen] = []

    def start(workers: int, port: int | None = None) -> tuple[subprocess.Popen, int]:
        port = port or free_port()
        command = [sys.executable, "-c", "from assistant.cli import main; main()", "--corpus", str(corpus_copy),
                   "--index-dir", str(settings.index_dir), "--model", "test-hashing",
                   "serve", "--port", str(port), "--workers", str(workers)]
        env = {**os.environ, "ASSISTANT_FEEDBACK_DB": str(settings.feedback_db), "ASSISTANT_RATE_LIMIT_PER_MINUTE": "0"}
        process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        started.append(process)
        return process, port

    yield start
    for process in started:
        left = descendants(process.pid)
        stop_process(process)
        for pid in left:  # never leave a worker behind, even when the test failed half-way
            if alive(pid):
                os.kill(pid, signal.SIGKILL)


def _worker_of_fresh_connection(port: int) -> tuple[str, int]:
    """(X-Worker, status) of one search on a new connection: SO_REUSEPORT picks a worker per connection."""
    response = httpx.get(f"http://127.0.0.1:{port}/api/search", params={"q": QUESTION}, timeout=10)
    assert response.json()["contexts"][0]["doc_id"] == "dong-nai-kh-198-2022"
    return response.headers["x-worker"], response.status_code


def test_two_workers_both_answer_and_sigterm_stops_every_process(start_server):
    process, port = start_server(2)
    wait_until_responds(f"http://127.0.0.1:{port}/healthz", 60, process)
    workers = _workers(process.pid)
    assert len(workers) == 2
    everything = descendants(process.pid)

    seen: dict[str, int] = {}
    for _ in range(64):  # the kernel hashes each new connection to one worker: both show up within a few
        worker, status = _worker_of_fresh_connection(port)
        assert status == 200
        seen[worker] = seen.get(worker, 0) + 1
        if len(seen) == 2:
            break
    assert sorted(seen) == ["0", "1"]

    pids = set()
    for _ in range(64):  # /metrics names the process that served it
        text = httpx.get(f"http://127.0.0.1:{port}/metrics", timeout=10).text
        pids |= {int(p) for p in re.findall(r'assistant_worker_info\{pid="(\d+)",worker="\d"\} 1\.0', text)}
        if len(pids) == 2:
            break
    assert pids == set(workers)

    process.send_signal(signal.SIGTERM)
    assert process.wait(timeout=40) == 0
    wait_until(lambda: not any(alive(p) for p in everything), 10, "every worker exiting")


def test_a_worker_that_dies_is_replaced(start_server):
    process, port = start_server(2)
    wait_until_responds(f"http://127.0.0.1:{port}/healthz", 60, process)
    first, second = _workers(process.pid)
    os.kill(first, signal.SIGKILL)
    replacements: set[int] = set()

    def replaced() -> bool:  # read /proc once per poll: a look between two reads may see a worker mid-spawn
        workers = set(_workers(process.pid))
        replacements.update(workers - {first, second})
        return len(workers) == 2 and first not in workers

    wait_until(replaced, 30, "a new worker replacing the killed one")
    wait_until(lambda: any(_serves(port, pid) for pid in set(_workers(process.pid)) & replacements), 60,
               "the new worker answering")
    assert second in _workers(process.pid)  # the other one was left alone


def _serves(port: int, pid: int) -> bool:
    """Whether a request on a fresh connection was just answered by `pid` (per /metrics)."""
    try:
        text = httpx.get(f"http://127.0.0.1:{port}/metrics", timeout=5).text
    except httpx.HTTPError:
        return False
    return f'pid="{pid}"' in text


def test_workers_do_not_outlive_a_killed_supervisor(start_server):
    process, port = start_server(2)
    wait_until_responds(f"http://127.0.0.1:{port}/healthz", 60, process)
    workers = _workers(process.pid)
    process.kill()  # no chance to clean up: the workers' parent-death signal stops them
    process.wait(timeout=10)
    wait_until(lambda: not any(alive(p) for p in workers), 30, "the orphaned workers exiting")


def test_a_port_in_use_is_a_clear_error(start_server):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        process, _ = start_server(2, port=taken.getsockname()[1])
        _, err = process.communicate(timeout=60)
    assert process.returncode != 0
    assert "Không mở được cổng" in err.decode()
    assert "Traceback" not in err.decode()


def test_one_worker_serves_in_process_without_the_supervisor(start_server):
    process, port = start_server(1)
    wait_until_responds(f"http://127.0.0.1:{port}/healthz", 60, process)
    assert _workers(process.pid) == []
    response = httpx.get(f"http://127.0.0.1:{port}/api/search", params={"q": QUESTION}, timeout=10)
    assert response.status_code == 200 and "x-worker" not in response.headers
    process.send_signal(signal.SIGTERM)
    assert process.wait(timeout=30) in (0, -signal.SIGTERM)  # uvicorn re-raises the signal it shut down on


def test_worker_sockets_share_the_port_and_send_without_nagle_delay():
    """Two workers' sockets bind one port; accepted connections get TCP_NODELAY (else ~40 ms per response)."""
    import asyncio
    from concurrent.futures import ThreadPoolExecutor

    from assistant.api.supervisor import reuseport_socket

    port = free_port()
    first, second = reuseport_socket("127.0.0.1", port), reuseport_socket("127.0.0.1", port)

    async def accepted_nodelay() -> int:
        seen: asyncio.Future[int] = asyncio.get_running_loop().create_future()

        def on_connect(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
            seen.set_result(writer.get_extra_info("socket").getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY))
            writer.close()

        server = await asyncio.start_server(on_connect, sock=first)
        _, writer = await asyncio.open_connection("127.0.0.1", port)
        try:
            return await asyncio.wait_for(seen, 5)
        finally:
            writer.close()
            server.close()

    try:  # in a thread of its own: an earlier test (Playwright) may leave an event loop running in this one
        with ThreadPoolExecutor(1) as thread:
            assert thread.submit(lambda: asyncio.run(accepted_nodelay())).result(timeout=10) == 1
    finally:
        first.close()
        second.close()
