"""Getting a serving process ready before it takes traffic: one warm-up answer, then a frozen heap.

Warm-up: a fresh worker's first answers pay for lazy imports, the embedding model's first call and
empty tokenisation memos; measured, the first requests on a cold worker took up to ~1 s (p99 of a
4-client run) against ~3 ms warm. uvicorn runs the lifespan before it listens, so answering a couple
of questions there moves that cost off the first clients.

Frozen heap: the loaded index and model leave ~480k long-lived objects that Python's cyclic GC walks
on every full (generation-2) collection; measured on the shipped corpus, one such pause took 38 ms,
which stalls every request queued behind it and lands in p99. `gc.freeze()` after start-up moves
them out of the collector's sight (they are still freed by reference counting). A hot index switch
replaces most of them, so it unfreezes, collects the old version's cycles and freezes again.
"""

from __future__ import annotations

import gc
import logging
import time
from typing import Any

log = logging.getLogger(__name__)

# Questions whose answers go through retrieval (sparse and dense), the answerer and the refusal model.
WARM_UP_QUESTIONS = ("Mục tiêu phát triển kinh tế số đến năm 2025 là gì?", "kế hoạch chuyển đổi số")


def warm_up(assistant: Any) -> None:
    """Answer the warm-up questions once and discard the answers; a failure is logged, never fatal."""
    from assistant.records import answer_to_json

    started = time.perf_counter()
    try:
        for question in WARM_UP_QUESTIONS:
            answer_to_json(assistant.ask(question))
    except Exception:  # a server that cannot answer still starts: /readyz says so, not a crash
        log.exception("warm-up answer failed")
    log.info("warmed up in %.0f ms", (time.perf_counter() - started) * 1000)


def freeze_heap() -> None:
    """Collect what start-up left behind, then exempt every surviving object from cyclic collection."""
    gc.collect()
    gc.freeze()


def refreeze_heap() -> None:
    """After an index switch in a frozen process: let the old version's cycles be collected, freeze the rest."""
    if gc.get_freeze_count() == 0:  # not a serving process (tests, the CLI): leave the collector alone
        return
    gc.unfreeze()
    freeze_heap()


def prepare_for_traffic(assistant: Any) -> None:
    """Warm up, then freeze the heap: what a serving process does once, before it listens."""
    warm_up(assistant)
    freeze_heap()
