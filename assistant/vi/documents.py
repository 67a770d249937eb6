"""Document numbers and kinds: "198/KH-UBND", "kế hoạch số 198", "QĐ 1728" — one vocabulary.

`DOC_KINDS` is the one list of issuing-document kinds (kế hoạch, quyết định, …) with their folded
abbreviation and how the abbreviation is displayed; every module that reads document kinds uses it.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass

from assistant.vi.normalize import FOLD_CHARS, SPACE_RE, fold_token, normalize

# Kinds of administrative documents, as (name, abbreviation as written in numbers): the one vocabulary
# for parsing headers ("KẾ HOẠCH"), labels ("KH 198/KH-UBND"), numbers ("198/KH") and questions.
DOCUMENT_KINDS = (
    ("Kế hoạch", "KH"), ("Quyết định", "QĐ"), ("Nghị quyết", "NQ"), ("Nghị định", "NĐ"), ("Chỉ thị", "CT"),
    ("Chương trình", "CTr"), ("Công văn", "CV"), ("Tờ trình", "TTr"), ("Thông báo", "TB"), ("Báo cáo", "BC"),
    ("Hướng dẫn", "HD"), ("Đề án", "ĐA"), ("Thông tư", "TT"), ("Quy chế", "QC"), ("Quy định", "QĐ"),
    ("Phương án", "PA"), ("Chiến lược", "CL"), ("Văn bản", "VB"),
)
# Kinds whose abbreviation identifies them in a document number ("198/KH-UBND"), folded: (word, abbreviation).
_NUMBERED = ("Kế hoạch", "Quyết định", "Nghị quyết", "Nghị định", "Chỉ thị", "Chương trình", "Công văn", "Tờ trình",
             "Thông báo", "Báo cáo", "Hướng dẫn", "Đề án", "Thông tư")
DOC_KINDS = tuple((fold_token(normalize(name)), fold_token(normalize(abbr)), abbr)
                  for name, abbr in DOCUMENT_KINDS if name in _NUMBERED)
DOC_KIND_DISPLAY = {abbr: shown for _, abbr, shown in DOC_KINDS}
# Folded kind names, for regexes over folded questions: "ke hoach|quyet dinh|…".
KIND_WORDS_PATTERN = "|".join(fold_token(normalize(name)) for name, _ in DOCUMENT_KINDS)
_KINDS = "|".join(abbr for _, abbr, _ in DOC_KINDS)
_KIND_WORDS = {word: abbr for word, abbr, _ in DOC_KINDS}
_KIND_ABBREVIATIONS = ("kh", "qd", "nq", "nd", "ct", "cv", "ttr", "tb")  # typed alone before a number

def _loose(folded: str) -> str:
    """Regex matching a folded word however it is accented: "ke" -> "k[eèéẻẽẹêềếểễệ]"."""
    return "".join(_LOOSE_CLASS.get(c, re.escape(c)) for c in folded).replace(r"\ ", r"\s+")


_LOOSE_CLASS = {
    base: "[" + base + "".join(sorted(c for c, b in FOLD_CHARS.items() if b == base)) + "]"
    for base in "adeiouy"
}
# "198/kh-ubnd", "52-nq/tw", "164/ttr- stttt": number, "/" or "-", kind.
_FULL_DOCNO_RE = re.compile(
    r"(?<![\w./])(\d+)\s?[/-]\s?(" + "|".join(map(_loose, _KINDS.split("|"))) + r")(?![^\W\d_])((?:\s?[/-]\s?[^\W\d_]+)*)"
)
# "kế hoạch 198", "kế hoạch số 198", "kh 780", "quyết định số 1728" (not "... 198/kh-ubnd").
_WORD_DOCNO_RE = re.compile(
    r"(?<!\w)("
    + "|".join(_loose(w) for w in sorted([*_KIND_WORDS, *_KIND_ABBREVIATIONS], key=len, reverse=True))
    + r")\s+(" + _loose("so") + r"\s+)?(\d+)(?![\d.,%]|\s?[/-]\s?[^\W\d_])"
)


@dataclass(frozen=True)
class DocNumber:
    """A document number found in text, e.g. "198/KH-UBND" or "kế hoạch số 198"."""

    number: str  # "198"
    kind: str  # folded kind: "kh", "qd", "nq", ...
    start: int  # span in the normalised text
    end: int
    full: bool  # written as a number ("198/KH-UBND") rather than "kế hoạch 198"

    @property
    def key(self) -> str:
        """"198/kh": equal for "198/KH-UBND", "Kế hoạch số 198" and "KH 198"."""
        return f"{self.number}/{self.kind}"


def find_doc_numbers(normalized: str) -> list[DocNumber]:
    """Document numbers in a `normalize`d string, in order.

    A bare year after a kind word ("kế hoạch 2024") is a year, not a number, unless it follows
    "số" ("kế hoạch số 2024").
    """
    found = [
        DocNumber(m.group(1), fold_token(m.group(2)), m.start(), m.end(), True)
        for m in _FULL_DOCNO_RE.finditer(normalized)
    ]
    full_starts = [d.start for d in found]  # in order and disjoint (finditer): bisect, not scan
    for m in _WORD_DOCNO_RE.finditer(normalized):
        kind_word, has_so, number = SPACE_RE.sub(" ", fold_token(m.group(1))), m.group(2), m.group(3)
        if not has_so and len(number) == 4 and 1945 <= int(number) <= 2100:
            continue
        i = bisect_right(full_starts, m.start()) - 1
        if i >= 0 and m.start() < found[i].end:
            continue
        found.append(DocNumber(number, _KIND_WORDS.get(kind_word, kind_word), m.start(), m.end(), False))
    found.sort(key=lambda d: d.start)
    return found


def doc_number_keys(text: str) -> list[str]:
    """Keys ("198/kh") of the document numbers in text, to compare with metadata."""
    return list(dict.fromkeys(d.key for d in find_doc_numbers(normalize(text))))
