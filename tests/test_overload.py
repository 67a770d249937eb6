"""Pins assistant.api.overload: a bounded number of answers at once, a short queue, 503 beyond it.

The burst test runs the real app under uvicorn on loopback with a bound of one answer and a queue of
one, and fires a bounded burst of concurrent clients at it: the overflow is refused at once with 503,
Retry-After and the error shape, nothing else fails, and every admitted request gets its answer.
"""

from __future__ import annotations

import asyncio
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest
from prometheus_client.parser import text_string_to_metric_families

from assistant.api.overload import AnswerSlots
from servers import free_port, stop_process, wait_until_responds

ROOT = Path(__file__).resolve().parents[1]
CONTRACT_KEYS = {"question", "answer", "refused", "citations", "contexts", "timings_ms"}
QUESTIONS = ["Mục tiêu tỷ trọng kinh tế số của Đồng Nai đến năm 2025?", "Ai chủ trì triển khai hạ tầng số ở Hải Dương?",
             "So sánh mục tiêu kinh tế số của Đồng Nai và Hải Dương", "Phú Yên đặt mục tiêu gì cho dịch vụ công trực tuyến?"]
CLIENTS, PER_CLIENT = 40, 6  # 240 requests: 40 clients at once, each sending its next as soon as one returns


# --------------------------------------------------------------------------- the slots themselves

def test_slots_admit_up_to_the_limit_queue_the_next_and_refuse_the_rest_at_once():
    async def scenario():
        slots = AnswerSlots(limit=1, queue=1)
        assert await slots.acquire(5)  # takes the slot
        queued = asyncio.create_task(slots.acquire(5))
        await asyncio.sleep(0)
        assert slots.waiting == 1
        assert await slots.acquire(5) is False  # queue full: refused without waiting
        slots.release()  # the slot passes to the queued request, not to a newcomer
        assert await queued is True
        assert (slots.active, slots.waiting) == (1, 0)
        slots.release()
        assert slots.active == 0

    asyncio.run(scenario())


def test_a_queued_request_gives_up_after_the_timeout_and_leaves_no_trace():
    async def scenario():
        slots = AnswerSlots(limit=1, queue=2)
        assert await slots.acquire(5)
        assert await slots.acquire(0.01) is False
        assert slots.waiting == 0
        slots.release()
        assert slots.active == 0

    asyncio.run(scenario())


def test_a_cancelled_waiter_does_not_keep_a_slot_or_a_queue_place():
    async def scenario():
        slots = AnswerSlots(limit=1, queue=1)
        assert await slots.acquire(5)
        waiter = asyncio.create_task(slots.acquire(5))
        await asyncio.sleep(0)
        waiter.cancel()  # the client went away while queued
        with pytest.raises(asyncio.CancelledError):
            await waiter
        assert slots.waiting == 0
        slots.release()
        assert slots.active == 0
        assert await slots.acquire(5)  # the slot is free for the next one

    asyncio.run(scenario())


# --------------------------------------------------------------------------- a real server under a burst

@pytest.fixture(scope="module")
def bounded_server(fast_settings, fast_assistant, tmp_path_factory):
    """uvicorn on loopback serving the fast index, one answer at a time, one in the queue, no rate limit."""
    folder = tmp_path_factory.mktemp("overload")
    port = free_port()
    env = {**os.environ, "ASSISTANT_INDEX_DIR": str(fast_settings.index_dir), "ASSISTANT_EMBEDDING_MODEL": "test-hashing",
           "ASSISTANT_CORPUS_DIR": str(fast_settings.corpus_dir), "ASSISTANT_FEEDBACK_DB": str(folder / "feedback.sqlite3"),
           "ASSISTANT_ANSWERER": "extractive", "ASSISTANT_RATE_LIMIT_PER_MINUTE": "0",
           "ASSISTANT_MAX_CONCURRENT": "1", "ASSISTANT_MAX_QUEUE": "1", "ASSISTANT_QUEUE_TIMEOUT_S": "60"}
    with open(folder / "server.log", "wb") as log:
        process = subprocess.Popen([sys.executable, "-m", "uvicorn", "tests.browser.server_app:create", "--factory",
                                    "--host", "127.0.0.1", "--port", str(port), "--log-level", "warning"],
                                   cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=log)
        url = f"http://127.0.0.1:{port}"
        try:
            wait_until_responds(url + "/readyz", 120, process)
            yield url
        finally:
            stop_process(process)


async def _burst(url: str) -> tuple[list[tuple[str, httpx.Response, float]], list[int]]:
    """CLIENTS concurrent clients sending answer requests (ask, stream, search in turn), and /healthz probes meanwhile."""
    limits = httpx.Limits(max_connections=CLIENTS + 10)
    async with httpx.AsyncClient(base_url=url, timeout=120, limits=limits) as client:
        async def one(i: int) -> tuple[str, httpx.Response, float]:
            question = QUESTIONS[i % len(QUESTIONS)]
            kind = ("ask", "stream", "search")[i % 3]
            started = time.perf_counter()
            if kind == "ask":
                response = await client.post("/api/ask", json={"question": question})
            elif kind == "stream":
                response = await client.post("/api/ask/stream", json={"question": question})
            else:
                response = await client.get("/api/search", params={"q": question})
            return kind, response, time.perf_counter() - started

        async def probes() -> list[int]:
            statuses = []
            for _ in range(5):
                await asyncio.sleep(0.05)
                statuses.append((await client.get("/healthz")).status_code)
            return statuses

        async def client_loop(c: int) -> list[tuple[str, httpx.Response, float]]:
            return [await one(c * PER_CLIENT + j) for j in range(PER_CLIENT)]

        per_client, health = await asyncio.gather(asyncio.gather(*(client_loop(c) for c in range(CLIENTS))), probes())
    return [r for results in per_client for r in results], health


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def test_a_burst_beyond_the_bound_gets_503_with_retry_after_and_admitted_requests_all_succeed(bounded_server):
    results, health = asyncio.run(_burst(bounded_server))
    statuses = [r.status_code for _, r, _ in results]
    admitted = [(kind, r, s) for kind, r, s in results if r.status_code == 200]
    refused = [(kind, r, s) for kind, r, s in results if r.status_code == 503]
    admitted_s = [s for _, _, s in admitted]
    refused_s = [s for _, _, s in refused]
    print(f"\n{CLIENTS} clients x {PER_CLIENT} requests, bound 1 + queue 1: {len(admitted)} admitted, {len(refused)} refused (503)")
    print(f"admitted latency p50 {statistics.median(admitted_s) * 1000:.0f} ms, p99 {_percentile(admitted_s, 0.99) * 1000:.0f} ms; "
          f"refused p50 {statistics.median(refused_s) * 1000:.0f} ms, p99 {_percentile(refused_s, 0.99) * 1000:.0f} ms")

    assert set(statuses) <= {200, 503}  # no other error, no 5xx but the documented 503
    assert refused and len(admitted) >= 2  # the bound held, and the slot and its queue place did work
    for _, response, _ in refused:
        assert int(response.headers["retry-after"]) >= 1
        body = response.json()
        assert set(body) == {"error"} and body["error"]["code"] == "overloaded"
        assert "thử lại sau" in body["error"]["message"]
    for kind, response, _ in admitted:
        if kind == "ask":
            assert CONTRACT_KEYS <= response.json().keys()
        elif kind == "stream":
            assert "event: answer" in response.text and "event: error" not in response.text
        else:
            assert response.json()["contexts"]
    assert health == [200] * 5  # the event loop stayed free: health is never queued behind answers
    assert _percentile(admitted_s, 0.99) < 60  # overload protection: admitted work is not left waiting

    metrics = httpx.get(bounded_server + "/metrics", timeout=30).text
    rejected = {s.name: s.value for f in text_string_to_metric_families(metrics) for s in f.samples}
    assert rejected["assistant_overload_rejections_total"] == len(refused)
    assert rejected["assistant_answer_work_in_progress"] == 0 and rejected["assistant_answer_work_queued"] == 0
