"""Question analysis is linear in the question's length.

It used to cost length × years found (each year searched the whole text before it for its lead-in),
and length × matches in three other places. Two measures on a question-like text repeated to n and 8n
characters: the Python work done (trace events, deterministic), which must grow about 8×, and the CPU
time (median of five runs), which catches work inside C (regex searches, slicing) with a wide margin —
a quadratic cost grows ~64×, a linear one ~8×.
"""

from __future__ import annotations

import gc
import statistics
import sys
import time

from hypothesis import given, settings
from hypothesis import strategies as st

from assistant.retrieve.analysis import analyze

FRAGMENTS = ["Mục tiêu tỷ trọng kinh tế số", "của Đồng Nai", "đến năm 2025", "giai đoạn 2021-2030", "theo Kế hoạch 198/KH-UBND",
             "muc tieu cds cua brvt nam 2024", "Ai chủ trì", "nền tảng tích hợp, chia sẻ dữ liệu LGSP", "ở TP.HCM?",
             "quyết định số 1728", "tỷ lệ 80%", "việc đó thì sao?", "Sở TT&TT", "năm 2030 và 2045", "kh 780"]
SHORT, LONG = 2_000, 16_000


def repeated(text: str, length: int) -> str:
    return ((text + " ") * (length // (len(text) + 1) + 1))[:length]


def python_work(text: str) -> int:
    """Trace events (calls, lines) while analysing: the same count on every run of the same text."""
    events = 0

    def trace(frame, event, arg):
        nonlocal events
        events += 1
        return trace

    sys.settrace(trace)
    try:
        analyze(text)
    finally:
        sys.settrace(None)
    return events


def cpu_seconds(text: str, runs: int = 5) -> float:
    times = []
    for _ in range(runs):
        gc.disable()
        started = time.thread_time()
        analyze(text)
        times.append(time.thread_time() - started)
        gc.enable()
    return statistics.median(times)


@settings(max_examples=6, deadline=None, derandomize=True, database=None)
@given(st.lists(st.sampled_from(FRAGMENTS), min_size=2, max_size=6).map(" ".join))
def test_analysis_work_grows_linearly_with_question_length(question):
    short, long = repeated(question, SHORT), repeated(question, LONG)
    analyze(short), analyze(long)  # warm the caches (data files, folded tokens)
    work_ratio = python_work(long) / python_work(short)
    cpu_ratio = cpu_seconds(long) / max(cpu_seconds(short), 1e-6)
    print(f"{question[:40]!r}: 8x longer -> {work_ratio:.2f}x Python work, {cpu_ratio:.2f}x CPU time")
    assert work_ratio < 10  # linear: ~8
    assert cpu_ratio < 20  # linear: ~8; the old length x years cost: 45-50


def test_a_long_text_full_of_years_is_analysed_like_its_parts():
    text = repeated("kế hoạch 198/KH-UBND giai đoạn 2021-2025 đến năm 2030", 8_000)
    info = analyze(text)
    assert info.years == [2021, 2025, 2030]
    assert info.doc_numbers == ["198/KH-UBND"]
    assert len(info.year_spans) == text.count("2021")
