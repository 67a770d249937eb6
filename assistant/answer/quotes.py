"""Map a quote (re-joined, whitespace-normalised) back to its exact span in the document text."""

from __future__ import annotations

import functools
import re


@functools.lru_cache(maxsize=4096)
def _pattern(quote: str) -> re.Pattern[str] | None:
    """The quote's words with any whitespace between them (compiled once: the same clauses are quoted
    again and again)."""
    words = quote.split()
    return re.compile(r"\s+".join(re.escape(w) for w in words)) if words else None


def locate_quote(doc_text: str, quote: str, start: int = 0, end: int | None = None) -> tuple[int, int]:
    """Offsets of `quote` in doc_text[start:end], tolerating any whitespace between words; (-1, -1) if absent."""
    pattern = _pattern(quote)
    if pattern is None:
        return -1, -1
    match = pattern.search(doc_text, start, len(doc_text) if end is None else end)
    if match is None and (start or end is not None):
        match = pattern.search(doc_text)
    return (match.start(), match.end()) if match else (-1, -1)
