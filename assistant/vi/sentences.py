"""Where Vietnamese administrative text breaks into sentences: one splitter, one abbreviation list.

A full stop ends a sentence when the next word starts with a capital or a digit and the word before
it is no abbreviation: "TP. Hồ Chí Minh", "KT. CHỦ TỊCH", "ThS. Nguyễn …", "v.v. và" do not break.
"""

from __future__ import annotations

import re

# Abbreviations that end in a full stop mid-sentence (lower-case, without the final stop).
ABBREVIATIONS = frozenset({"tp", "kt", "tm", "tl", "tuq", "ts", "ths", "pgs", "gs", "st", "v.v", "q", "tr", "ng", "đ"})
_OPENERS = "“\"(-–+ "
_STOP_RE = re.compile(r"[.!?]\s+(?=[A-ZĐÀ-Ỹ0-9“\"(])")
_UNIT_RE = re.compile(r"(?<=[.;:!?])\s+(?=[A-ZÀ-Ỹa-zà-ỹĐđ0-9\-+“\"(])|\n+")


def is_abbreviation(word: str) -> bool:
    """A word written before a full stop that does not end the sentence ("TP", "KT", "ThS", "v.v")."""
    bare = word.rstrip(".").lstrip("“\"(")
    if not bare:
        return True
    if bare.isdigit():
        return False  # "… Điều 2. Quyết định này …", "… năm 2025. Tiếp theo …"
    return bare.lower() in ABBREVIATIONS or (bare.isupper() and bare.isalpha() and len(bare) <= 3)


def is_sentence_start(text: str, p: int) -> bool:
    """Whether a sentence starts at `p` (just after ". "): next word capitalised, previous no abbreviation."""
    nxt = text[p:p + 2].lstrip(_OPENERS)
    if not nxt or not (nxt[0].isupper() or nxt[0].isdigit()):
        return False
    before = text[:p - 1].split()
    return bool(before) and not is_abbreviation(before[-1])


def split_sentences(line: str) -> list[str]:
    """Sentences of one line (verbatim), split after . ! ? where a sentence really starts."""
    out, start = [], 0
    for m in _STOP_RE.finditer(line):
        if m.group()[0] == "." and is_abbreviation(line[start : m.start()].split()[-1] if line[start : m.start()].split() else ""):
            continue
        out.append(line[start : m.start() + 1])
        start = m.end()
    out.append(line[start:])
    return [s.strip() for s in out if len(s.strip()) > 3]


def quotable_pieces(text: str) -> list[str]:
    """Sentences, clauses after ";" or ":", and lines: the smallest pieces of a passage worth quoting."""
    return [u.strip(" -+\t") for u in _UNIT_RE.split(text) if len(u.strip(" -+\t")) > 8]
