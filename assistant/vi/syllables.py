"""Syllables of Vietnamese text, with both spellings (as written and folded), offsets and phrase breaks."""

from __future__ import annotations

import re
from typing import NamedTuple

from assistant.vi.normalize import fold_token, normalize


# A number (with decimal/thousand separators, optionally a percent), or a run of letters/digits.
_TOKEN_RE = re.compile(r"\d+(?:[.,]\d+)*%|\d+(?:[.,]\d+)+|[^\W_]+")
_PERCENT_RE = re.compile(r"(\d)\s*(?:%|phần trăm(?!\w)|phan tram(?!\w))")
_DECIMAL_COMMA_RE = re.compile(r"(?<=\d),(?=\d{1,3}(?!\d))")
DIGIT_RE = re.compile(r"\d")
# Punctuation that ends a phrase: no bigram spans it. "." and "&" glued between letters or digits
# ("tp.hcm", "tt&tt", "2.002") join; "-" and "/" ("Bà Rịa - Vũng Tàu", "198/kh-ubnd") never break.
_BREAK_CHARS = ".&,;:!?()[]{}\"'|•·*<>=+…"
_BREAK_RE = re.compile("[" + re.escape(_BREAK_CHARS) + "]")
_TIGHT_GAPS = frozenset(".&")
_TOKEN_OR_BREAK_RE = re.compile(
    _TOKEN_RE.pattern
    + r"|(?<![^\W_])[.&]|[.&](?![^\W_])|["
    + re.escape(_BREAK_CHARS.replace(".", "").replace("&", ""))
    + "]"
)
_BREAK_TOKENS = frozenset(_BREAK_CHARS)


class Scan(NamedTuple):
    """Syllables of a normalised string, as parallel lists."""

    text: str  # the normalised string the spans point into
    acc: list[str]  # syllables as written (lower-case, with diacritics)
    fol: list[str]  # the same syllables diacritic-folded
    spans: list[tuple[int, int]]
    breaks: list[bool]  # True when punctuation separates the syllable from the previous one


def prepare(text: str) -> str:
    """Normalise for tokenising: "20 %"/"20 phần trăm" -> "20%", decimal comma -> point."""
    text = normalize(text)
    if DIGIT_RE.search(text):
        text = _PERCENT_RE.sub(r"\1%", text)
        text = _DECIMAL_COMMA_RE.sub(".", text)
    return text


def scan(text: str, *, prepared: bool = False) -> Scan:
    """Split text into syllables, keeping both spellings, offsets and phrase breaks.

    Args:
        text: raw text, or an already `normalize`d string when `prepared` is true (offsets then
            point into it; no percent/decimal rewriting is done).
    """
    s = text if prepared else prepare(text)
    cuts = [p for p in (m.start() for m in _BREAK_RE.finditer(s)) if not _is_tight(s, p)]
    acc: list[str] = []
    fol: list[str] = []
    spans: list[tuple[int, int]] = []
    breaks: list[bool] = []
    fold = fold_token
    last, c, ncuts = 0, 0, len(cuts)
    for m in _TOKEN_RE.finditer(s):
        start, end = m.span()
        brk = False
        while c < ncuts and cuts[c] < start:
            brk = brk or cuts[c] >= last
            c += 1
        token = m.group()
        acc.append(token)
        fol.append(fold(token))
        spans.append((start, end))
        breaks.append(brk)
        last = end
    if breaks:
        breaks[0] = True
    return Scan(s, acc, fol, spans, breaks)


def _is_tight(s: str, p: int) -> bool:
    """"." or "&" glued between letters ("tp.hcm", "tt&tt") joins rather than breaks."""
    return s[p] in _TIGHT_GAPS and 0 < p < len(s) - 1 and s[p - 1].isalnum() and s[p + 1].isalnum()


_FOLDED: dict[str, str] = {}

def syllable_stream(s: str) -> tuple[list[str], list[str], list[bool]]:
    """`scan` without offsets, for the BM25 hot path: one regex pass over syllables and breaks."""
    acc: list[str] = []
    breaks: list[bool] = []
    brk = True
    for token in _TOKEN_OR_BREAK_RE.findall(s):
        if token in _BREAK_TOKENS:
            brk = True
            continue
        acc.append(token)
        breaks.append(brk)
        brk = False
    get = _FOLDED.get
    fol = [get(t) or fold_token(t) for t in acc]
    return acc, fol, breaks


def syllables(text: str) -> list[str]:
    """Normalised syllable tokens, punctuation dropped, one-letter syllables and numbers kept.

    "Tỷ lệ 20 % ở y tế; KH số 198/KH-UBND" -> ["tỷ", "lệ", "20%", "ở", "y", "tế", "kh", "số",
    "198", "kh", "ubnd"]: "20%" equals "20 %" and "20 phần trăm"; a document number splits into
    its parts so that a query "198" or "kh 198" meets it.
    """
    return scan(text).acc
