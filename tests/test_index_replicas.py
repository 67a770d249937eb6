"""Two real servers share one index folder; a rebuild publishes a new version while clients hit both:
no request fails, and both end up answering from the new version without a restart."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path

import httpx
import pytest

from assistant.indexing.build import current_version, publish_new_version
from assistant.settings import Settings

from corpus_docs import CORPUS, ROOT
from servers import free_port, stop_process, wait_until_responds

FIRST_PLANS = ["hai-duong-kh-780-2022", "ba-ria-vung-tau-kh-cds-2024"]
ADDED_PLAN = "dong-nai-kh-198-2022"
QUESTION = "Mục tiêu tỷ trọng kinh tế số của Đồng Nai đến năm 2025?"
CLI = [sys.executable, "-c", "from assistant.cli import main; main()"]


def _copy_plan(doc_id: str, corpus: Path) -> None:
    for path in CORPUS.glob(f"{doc_id}.*"):
        shutil.copy(path, corpus / path.name)


def _env(home: Path, model: str | None) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("ASSISTANT_")}
    env.update(ASSISTANT_HOME=str(home), ASSISTANT_RATE_LIMIT_PER_MINUTE="0", ASSISTANT_INDEX_WATCH_INTERVAL_S="0.3")
    if model:
        env["ASSISTANT_EMBEDDING_MODEL"] = model
    return env


class Clients:
    """One thread per server asking, searching and checking health in a loop; every failure is kept."""

    def __init__(self, urls: list[str]) -> None:
        self.urls = urls
        self.failures: list[str] = []
        self.requests = {url: 0 for url in urls}
        self._stop = threading.Event()
        self._threads = [threading.Thread(target=self._loop, args=(url,), daemon=True) for url in urls]

    def _loop(self, url: str) -> None:
        with httpx.Client(base_url=url, timeout=20) as client:
            while not self._stop.is_set():
                for method, path, kwargs in [("POST", "/api/ask", {"json": {"question": QUESTION}}),
                                             ("GET", "/api/search", {"params": {"q": "hạ tầng số", "k": 5}}),
                                             ("GET", "/healthz", {})]:
                    try:
                        r = client.request(method, path, **kwargs)
                        if r.status_code != 200:
                            self.failures.append(f"{url}{path}: {r.status_code} {r.text[:200]}")
                    except httpx.HTTPError as exc:
                        self.failures.append(f"{url}{path}: {exc!r}")
                    self.requests[url] += 1

    def __enter__(self) -> "Clients":
        for thread in self._threads:
            thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        for thread in self._threads:
            thread.join(30)


def _run_cli_index(home: Path, model: str | None) -> None:
    done = subprocess.run([*CLI, "index"], cwd=ROOT, env=_env(home, model), capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr[-2000:]


@pytest.mark.parametrize("builder", ["library", pytest.param("cli", marks=pytest.mark.slow)])
def test_two_servers_switch_to_a_new_version_without_a_failed_request(tmp_path, fake_embedder, builder):
    home = tmp_path / "home"
    (home / "corpus").mkdir(parents=True)
    for doc_id in FIRST_PLANS:
        _copy_plan(doc_id, home / "corpus")
    # "library": the fake embedder in this process (what an admin's background rebuild calls);
    # "cli": `assistant index` in a subprocess with the shipped model.
    model = "test-hashing" if builder == "library" else None
    settings = Settings(home=home, embedding_model=model or Settings().embedding_model)

    def rebuild() -> str:
        if builder == "library":
            return publish_new_version(settings, lambda: fake_embedder)
        _run_cli_index(home, model)
        return current_version(settings.index_dir)

    first = rebuild()
    ports = [free_port(), free_port()]
    logs = [(tmp_path / f"server-{port}.log").open("w") for port in ports]
    servers = [subprocess.Popen([*CLI, "serve", "--host", "127.0.0.1", "--port", str(port)], cwd=ROOT,
                                env=_env(home, model), stdout=log, stderr=subprocess.STDOUT)
               for port, log in zip(ports, logs)]
    urls = [f"http://127.0.0.1:{port}" for port in ports]
    try:
        for url, server in zip(urls, servers):
            wait_until_responds(f"{url}/healthz", 60, server)
        assert [httpx.get(f"{url}/healthz").json()["version"] for url in urls] == [first, first]
        with Clients(urls) as clients:
            time.sleep(1)
            _copy_plan(ADDED_PLAN, home / "corpus")
            second = rebuild()
            assert second != first
            deadline = time.monotonic() + 30
            while time.monotonic() < deadline:
                if all(httpx.get(f"{url}/healthz").json()["version"] == second for url in urls):
                    break
                time.sleep(0.2)
            time.sleep(1)  # keep the clients going on the new version too
        assert clients.failures == []
        assert all(n > 10 for n in clients.requests.values()), clients.requests
        for url in urls:
            assert httpx.get(f"{url}/healthz").json()["version"] == second
            assert ADDED_PLAN in {d["doc_id"] for d in httpx.get(f"{url}/api/documents").json()["documents"]}
            answer = httpx.post(f"{url}/api/ask", json={"question": QUESTION}, timeout=20).json()
            assert answer["citations"][0]["doc_id"] == ADDED_PLAN
    finally:
        for server, log in zip(servers, logs):
            stop_process(server)
            log.close()
