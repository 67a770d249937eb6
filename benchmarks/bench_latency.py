"""Benchmark: retrieval and answer latency (p50/p95), model load, index build and memory.

Prints numbers; asserts nothing (targets are checked by reading them, not by timed tests).
Usage: .venv/bin/python benchmarks/bench_latency.py [--rebuild] [--modes bm25,dense,hybrid] [--repeat 1]
"""

from __future__ import annotations

import argparse
import json
import resource
import statistics
import time
from pathlib import Path

from assistant.pipeline import Assistant
from assistant.settings import Settings
from assistant.vi import tokens

REPO = Path(__file__).resolve().parents[1]


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


def questions() -> list[str]:
    out = []
    for path in sorted((REPO / "eval").glob("*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                out.append(json.loads(line)["question"])
    return out or ["Mục tiêu tỷ trọng kinh tế số của Đồng Nai đến năm 2025?"]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rebuild", action="store_true", help="time a full index build first")
    parser.add_argument("--modes", default="bm25,hybrid")
    parser.add_argument("--repeat", type=int, default=1)
    args = parser.parse_args()
    settings = Settings(home=REPO)  # the repository's corpus and index, wherever it is run from
    if args.rebuild:
        from assistant.indexing.embeddings import create_embedder
        from assistant.indexing.build import build_index

        t = time.perf_counter()
        embedder = create_embedder(settings)
        load_s = time.perf_counter() - t
        t = time.perf_counter()
        bundle = build_index(settings, embedder)
        print(f"model load: {load_s:.2f} s; index build: {time.perf_counter() - t:.2f} s for {len(bundle.chunks)} chunks")
    t = time.perf_counter()
    assistant = Assistant.open(settings)
    print(f"open (index load + model load): {time.perf_counter() - t:.2f} s")
    qs = questions() * args.repeat
    for question in qs[:5]:  # warm-up: first calls pay for lazy imports and caches
        assistant.ask(question)
    for mode in args.modes.split(","):
        retrieve, ask = [], []
        # Each loop starts with the tokeniser's memo emptied, so no question is timed after it was already
        # read (a search before the same question's answer, or the previous mode, would flatter it).
        tokens.clear_caches()
        for question in qs:
            t = time.perf_counter()
            assistant.ask(question, mode=mode)
            ask.append((time.perf_counter() - t) * 1000)
        tokens.clear_caches()
        for question in qs:
            t = time.perf_counter()
            assistant.search(question, mode=mode)
            retrieve.append((time.perf_counter() - t) * 1000)
        print(f"{mode:7s} n={len(qs)}  retrieve p50 {statistics.median(retrieve):6.1f} ms  p95 {percentile(retrieve, 0.95):6.1f} ms"
              f"  |  ask p50 {statistics.median(ask):6.1f} ms  p95 {percentile(ask, 0.95):6.1f} ms")
    rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak RSS: {rss_mb:.0f} MB")


if __name__ == "__main__":
    main()
