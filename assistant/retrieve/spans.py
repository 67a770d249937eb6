"""Character spans of a question: merged sets for fast membership, and cutting spans out of text."""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterable

Span = tuple[int, int]


def merge_spans(spans: Iterable[Span]) -> list[Span]:
    """The spans sorted, overlapping or touching ones joined."""
    merged: list[list[int]] = []
    for s, e in sorted(spans):
        if merged and s <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], e)
        else:
            merged.append([s, e])
    return [(s, e) for s, e in merged]


class SpanSet:
    """Character spans merged and sorted, so membership costs a bisection, not a scan of every span."""

    def __init__(self, spans: Iterable[Span]) -> None:
        merged = merge_spans(spans)
        self.starts = [s for s, _ in merged]
        self.ends = [e for _, e in merged]

    def __contains__(self, pos: int) -> bool:
        i = bisect_right(self.starts, pos) - 1
        return i >= 0 and pos < self.ends[i]


def cut_spans(text: str, edits: list[tuple[int, int, str]]) -> str:
    """`text` with each (start, end) span replaced; overlapping later edits are ignored."""
    edits = sorted(edits, key=lambda e: e[0])
    out, last = [], 0
    for start, end, replacement in edits:
        if start < last:
            continue
        out.append(text[last:start])
        out.append(replacement)
        last = end
    out.append(text[last:])
    return "".join(out)
