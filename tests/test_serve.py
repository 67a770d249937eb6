"""`assistant serve --workers N` runs N server processes sharing one port, each answering the API."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import httpx

from assistant.indexing.build import build_index
from assistant.settings import Settings

from servers import free_port, stop_process, wait_until_responds

ROOT = Path(__file__).resolve().parents[1]


def _spawned_children(pid: int) -> list[int]:
    """Worker processes uvicorn started (multiprocessing spawn), not its resource tracker."""
    children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    return [int(c) for c in children
            if b"spawn_main" in Path(f"/proc/{c}/cmdline").read_bytes()]


def test_serve_with_two_workers_answers_from_two_processes(tmp_path, corpus_copy, fake_embedder):
    settings = Settings(corpus_dir=corpus_copy, index_dir=tmp_path / "index", embedding_model="test-hashing",
                        feedback_db=tmp_path / "feedback.sqlite3")
    build_index(settings, fake_embedder)  # current index: serve loads it, and the fake model is never needed
    port = free_port()
    command = [sys.executable, "-c", "from assistant.cli import main; main()", "--corpus", str(corpus_copy),
               "--index-dir", str(settings.index_dir), "--model", "test-hashing",
               "serve", "--port", str(port), "--workers", "2"]
    process = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        wait_until_responds(f"http://127.0.0.1:{port}/healthz", 60, process)
        assert len(_spawned_children(process.pid)) == 2
        for _ in range(4):  # several requests, whichever worker takes each
            found = httpx.get(f"http://127.0.0.1:{port}/api/search", params={"q": "mục tiêu kinh tế số Đồng Nai"}, timeout=10)
            assert found.status_code == 200
            assert found.json()["contexts"][0]["doc_id"] == "dong-nai-kh-198-2022"
        health = httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=10).json()
        assert health["model"] == "test-hashing" and health["documents"] == 5
    finally:
        stop_process(process)
