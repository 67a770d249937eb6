"""Map a quote (re-joined, whitespace-normalised) back to its exact span in the document text."""

from __future__ import annotations

import re


def locate_quote(doc_text: str, quote: str, start: int = 0, end: int | None = None) -> tuple[int, int]:
    """Offsets of `quote` in doc_text[start:end], tolerating any whitespace between words; (-1, -1) if absent."""
    words = quote.split()
    if not words:
        return -1, -1
    pattern = re.compile(r"\s+".join(re.escape(w) for w in words))
    match = pattern.search(doc_text, start, len(doc_text) if end is None else end)
    if match is None and (start or end is not None):
        match = pattern.search(doc_text)
    return (match.start(), match.end()) if match else (-1, -1)
