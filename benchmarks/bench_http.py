"""Load benchmark of the HTTP API on loopback: req/s and p50/p95/p99 for search, ask and the SSE stream.

Starts `assistant serve --workers N` itself (rate limit off, on a free 127.0.0.1 port), runs each
endpoint at each concurrency level `--runs` times for a bounded time, prints one line per run (with the
1-minute load average when it started and how the requests split over the worker processes, read from
the `X-Worker` response header) and a summary line with the median and the min–max spread, and stops
the server. Asserts nothing: targets are read off the output. Several runs, because on shared cores one
run can be lucky or unlucky by a factor of two; report the spread, not the best run.

The client is a minimal keep-alive HTTP/1.1 client on asyncio streams rather than httpx: it shares
the same 2 cores with the server, and httpx spends ~1 ms of CPU per request, which at a few hundred
requests a second would measure the client as much as the server.

Questions: by default every client cycles through all distinct development questions (eval/, eval/blind/;
never the holdout), so with the answer cache on (ASSISTANT_ANSWER_CACHE_SIZE) the first pass misses and
later passes hit; `--answer-cache 0` turns it off, which is what all-new traffic costs; `--repeat-question`
sends one question only, the cache's best case. Report the cache-off number beside any cache-on one.

Usage: python benchmarks/bench_http.py [--workers 2] [--clients 1,8,32,64] [--seconds 5] [--runs 3]
       [--endpoints search,ask,stream] [--index-dir DIR] [--model NAME] [--answer-cache N] [--repeat-question]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import socket
import statistics
import subprocess
import sys
import time
import urllib.parse
from collections import Counter
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
MAX_REQUESTS_PER_RUN = 20_000  # a second bound besides time, so no run can loop unbounded


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def questions() -> list[str]:
    """Every distinct development question (eval/*.jsonl and eval/blind/), in a fixed shuffled order."""
    import random

    paths = [*sorted((REPO / "eval").glob("*.jsonl")), *sorted((REPO / "eval" / "blind").rglob("*.jsonl"))]
    out = sorted({json.loads(line)["question"] for path in paths
                  for line in path.read_text(encoding="utf-8").splitlines() if line.strip()})
    random.Random(0).shuffle(out)
    return out


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))] if ordered else float("nan")


def build_request(endpoint: str, question: str, port: int) -> bytes:
    host = f"Host: 127.0.0.1:{port}\r\n"
    if endpoint == "search":
        target = "/api/search?" + urllib.parse.urlencode({"q": question})
        return f"GET {target} HTTP/1.1\r\n{host}\r\n".encode()
    path = "/api/ask" if endpoint == "ask" else "/api/ask/stream"
    body = json.dumps({"question": question}, ensure_ascii=False).encode()
    head = f"POST {path} HTTP/1.1\r\n{host}Content-Type: application/json\r\nContent-Length: {len(body)}\r\n\r\n"
    return head.encode() + body


async def exchange(reader: asyncio.StreamReader, writer: asyncio.StreamWriter,
                   raw: bytes) -> tuple[int, bytes, bool, str]:
    """Send one request, read the whole response: (status, body, server closes the connection, worker)."""
    writer.write(raw)
    await writer.drain()
    status = int((await reader.readline()).split()[1])
    headers: dict[str, str] = {}
    while (line := await reader.readline()) not in (b"\r\n", b""):
        name, _, value = line.decode("latin-1").partition(":")
        headers[name.strip().lower()] = value.strip()
    if "content-length" in headers:
        body = await reader.readexactly(int(headers["content-length"]))
    else:  # chunked: the SSE stream
        parts = []
        while True:
            size = int((await reader.readline()).split(b";")[0], 16)
            parts.append(await reader.readexactly(size + 2))
            if size == 0:
                break
        body = b"".join(parts)
    return status, body, headers.get("connection", "").lower() == "close", headers.get("x-worker", "?")


async def client(endpoint: str, port: int, qs: list[str], offset: int, deadline: float, budget: list[int],
                 latencies: list[float], errors: list[str], workers: Counter) -> None:
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    i = offset
    try:
        while time.perf_counter() < deadline and budget[0] > 0:
            budget[0] -= 1
            raw = build_request(endpoint, qs[i % len(qs)], port)
            i += 1
            started = time.perf_counter()
            try:
                status, body, closing, worker = await asyncio.wait_for(exchange(reader, writer, raw), timeout=30)
            except (OSError, asyncio.TimeoutError, asyncio.IncompleteReadError, ValueError, IndexError) as exc:
                errors.append(type(exc).__name__)
                writer.close()
                reader, writer = await asyncio.open_connection("127.0.0.1", port)
                continue
            latencies.append((time.perf_counter() - started) * 1000)
            workers[worker] += 1
            if status != 200:
                errors.append(str(status))
            elif endpoint == "stream" and b"event: answer" not in body:
                errors.append("stream without answer")
            if closing:
                writer.close()
                reader, writer = await asyncio.open_connection("127.0.0.1", port)
    finally:
        writer.close()


async def run(endpoint: str, port: int, clients: int, seconds: float, qs: list[str], server_pid: int | None = None) -> dict:
    latencies: list[float] = []
    errors: list[str] = []
    workers: Counter = Counter()
    budget = [MAX_REQUESTS_PER_RUN]
    load = os.getloadavg()[0]
    cpu_before = cpu_seconds(server_pid) if server_pid else 0.0
    started = time.perf_counter()
    deadline = started + seconds
    await asyncio.gather(*(client(endpoint, port, qs, c * 7, deadline, budget, latencies, errors, workers)
                           for c in range(clients)))
    elapsed = time.perf_counter() - started
    cpu = cpu_seconds(server_pid) - cpu_before if server_pid else float("nan")
    return {"cpu_ms": cpu * 1000 / max(1, len(latencies)), "endpoint": endpoint, "clients": clients, "requests": len(latencies), "rps": len(latencies) / elapsed,
            "p50": percentile(latencies, 0.50), "p95": percentile(latencies, 0.95), "p99": percentile(latencies, 0.99),
            "errors": len(errors), "error_kinds": sorted(set(errors)), "load": load,
            "by_worker": "/".join(str(n) for _, n in sorted(workers.items()))}


def run_line(r: dict) -> str:
    """One run: throughput, latency percentiles, errors, load average at its start, requests per worker."""
    return (f"{r['endpoint']:7s} clients={r['clients']:3d}  {r['rps']:7.1f} req/s  p50 {r['p50']:6.1f} ms  "
            f"p95 {r['p95']:6.1f} ms  p99 {r['p99']:6.1f} ms  n={r['requests']:6d}  errors={r['errors']}"
            + (f" {r['error_kinds']}" if r["errors"] else "") + f"  server CPU {r['cpu_ms']:.2f} ms/req  load {r['load']:.2f}  by worker {r['by_worker']}")


def summary_line(runs: list[dict]) -> str:
    """Median and min–max over the runs of one (endpoint, clients): the spread, so no lucky run stands alone."""
    def spread(key: str, fmt: str) -> str:
        values = [r[key] for r in runs]
        return f"{statistics.median(values):{fmt}} ({min(values):{fmt}}–{max(values):{fmt}})"

    r = runs[0]
    return (f"= {r['endpoint']:5s} clients={r['clients']:3d}  over {len(runs)} runs: req/s {spread('rps', '.0f')}  "
            f"p50 {spread('p50', '.0f')} ms  p99 {spread('p99', '.0f')} ms  errors {sum(x['errors'] for x in runs)}  "
            f"server CPU {spread('cpu_ms', '.2f')} ms/req  "
            f"load {spread('load', '.2f')}")


def server_pids(pid: int) -> list[int]:
    """The server process and every process below it (the workers)."""
    from assistant.api.supervisor import descendants

    return [pid, *descendants(pid)]


def cpu_seconds(pid: int) -> float:
    """CPU time (user + system) used so far by the server's processes: per request, it is what load
    from other jobs does not distort, unlike req/s on shared cores."""
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0.0
    for p in server_pids(pid):
        try:
            fields = Path(f"/proc/{p}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += (int(fields[11]) + int(fields[12])) / ticks  # utime, stime
    return total


def memory_mb(pid: int) -> tuple[float, float]:
    """(RSS, PSS) in MB of a process and its children: PSS counts shared (mapped) pages once overall."""
    rss = pss = 0.0
    for p in server_pids(pid):
        for line in Path(f"/proc/{p}/smaps_rollup").read_text().splitlines():
            if line.startswith("Rss:"):
                rss += int(line.split()[1]) / 1024
            elif line.startswith("Pss:"):
                pss += int(line.split()[1]) / 1024
    return rss, pss


def start_server(args, port: int) -> subprocess.Popen:
    # The per-client rate limit would refuse a load test from one address; a queue bound on answers
    # (where the app has one) is raised so every client's request waits rather than being refused.
    env = {**os.environ, "ASSISTANT_RATE_LIMIT_PER_MINUTE": "0", "ASSISTANT_MAX_QUEUE": "1024",
           "ASSISTANT_HOME": str(REPO)}
    if args.answer_cache is not None:
        env["ASSISTANT_ANSWER_CACHE_SIZE"] = str(args.answer_cache)
    command = [sys.executable, "-c", "from assistant.cli import main; main()"]
    if args.index_dir:
        command += ["--index-dir", args.index_dir]
    if args.corpus:
        command += ["--corpus", args.corpus]
    if args.model:
        command += ["--model", args.model]
    command += ["serve", "--port", str(port), "--workers", str(args.workers)]
    return subprocess.Popen(command, cwd=REPO, env=env, stdout=subprocess.DEVNULL)


async def wait_ready(port: int, process: subprocess.Popen, timeout_s: float) -> None:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"server exited with code {process.returncode}")
        try:
            reader, writer = await asyncio.open_connection("127.0.0.1", port)
            status, *_ = await exchange(reader, writer, f"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n\r\n".encode())
            writer.close()
            if status == 200:
                return
        except OSError:
            pass
        await asyncio.sleep(0.5)
    raise SystemExit(f"server did not answer within {timeout_s:.0f} s")


async def main_async(args) -> None:
    port = free_port()
    qs = questions()[:1] if args.repeat_question else questions()
    print(f"questions: {'one, repeated' if args.repeat_question else f'{len(qs)} distinct, cycled'}; answer cache: "
          f"{'default' if args.answer_cache is None else args.answer_cache}", flush=True)
    process = start_server(args, port)
    try:
        await wait_ready(port, process, args.startup_timeout)
        await run("ask", port, 4, 2.0, qs)  # warm-up: lazy imports and caches in every worker
        rss, pss = memory_mb(process.pid)
        print(f"server: {args.workers} worker(s), RSS {rss:.0f} MB summed over processes, PSS {pss:.0f} MB "
              f"(shared pages counted once)")
        for endpoint in args.endpoints.split(","):
            for clients in (int(c) for c in args.clients.split(",")):
                runs = []
                for _ in range(args.runs):
                    runs.append(await run(endpoint, port, clients, args.seconds, qs, process.pid))
                    print(run_line(runs[-1]), flush=True)
                print(summary_line(runs), flush=True)
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--clients", default="1,8,32,64")
    parser.add_argument("--seconds", type=float, default=5.0, help="duration of each (endpoint, clients) run")
    parser.add_argument("--runs", type=int, default=3, help="repetitions of each (endpoint, clients) run")
    parser.add_argument("--endpoints", default="search,ask,stream")
    parser.add_argument("--index-dir", default=None)
    parser.add_argument("--corpus", default=None)
    parser.add_argument("--model", default=None)
    parser.add_argument("--answer-cache", type=int, default=None, help="ASSISTANT_ANSWER_CACHE_SIZE of the server (0 = off)")
    parser.add_argument("--repeat-question", action="store_true", help="every request asks the same question")
    parser.add_argument("--startup-timeout", type=float, default=600.0, help="index build on first use included")
    asyncio.run(main_async(parser.parse_args()))


if __name__ == "__main__":
    main()
