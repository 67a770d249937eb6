"""Physical lines with offsets, and the line-shape tests the parser, table and metadata readers share.

Plans arrive hard-wrapped, with table cells one per line and `|` separator lines; every later stage
needs the same answers to "where is this line, is it a heading marker, does the sentence go on".
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass

from assistant.vi.normalize import squash


@dataclass(frozen=True)
class Line:
    """A non-blank source line: `start`/`end` bound its stripped text inside the document."""

    start: int
    end: int
    text: str


def split_lines(text: str) -> list[Line]:
    """Non-blank lines with the offsets of their stripped text (blank lines carry no structure we trust)."""
    out: list[Line] = []
    pos = 0
    for raw in text.split("\n"):
        stripped = raw.strip()
        if stripped:
            lead = len(raw) - len(raw.lstrip())
            out.append(Line(pos + lead, pos + lead + len(stripped), stripped))
        pos += len(raw) + 1
    return out


def join_lines(lines: list[Line]) -> tuple[str, list[int]]:
    """Re-join wrapped lines with single spaces, plus the source offset of every joined character."""
    chars: list[str] = []
    offsets: list[int] = []
    for line in lines:
        if chars:
            chars.append(" ")
            offsets.append(line.start)
        prev_space = False
        for k, ch in enumerate(line.text):
            if ch.isspace():
                if prev_space:
                    continue
                ch, prev_space = " ", True
            else:
                prev_space = False
            chars.append(ch)
            offsets.append(line.start + k)
    return "".join(chars), offsets


class LineIndex:
    """Lines of a document with fast lookup of the lines overlapping a span."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.lines = split_lines(text)
        self._starts = [line.start for line in self.lines]

    def overlapping(self, start: int, end: int) -> list[Line]:
        """Lines that share at least one character with [start, end)."""
        # Bisect both ends: slicing from `first` to the end of the document made every call O(lines)
        # and chunking a multi-megabyte plan quadratic.
        first = max(bisect_right(self._starts, start) - 1, 0)
        last = bisect_left(self._starts, end, lo=first)
        return [line for line in self.lines[first:last] if line.end > start]


# --- line shape ---------------------------------------------------------------------------------

_SEPARATOR = re.compile(r"[|\s]*(?:[-_=–—~*.]{3,}[|\s]*)?")
_TERMINAL = ".;:!?…"
_CLOSERS = "”\"’')]»"
CONNECTORS = frozenset(
    "và của về cho với trong tại theo để từ đến những các là có được hoặc năm ngày tháng đối giữa "
    "trên qua bằng vào nhằm gồm như mà thì sự việc cùng do bởi nhưng hay một".split()
)


def is_separator(text: str) -> bool:
    """`|` cell separators and `-----` rules: layout, not content."""
    return bool(_SEPARATOR.fullmatch(text))


def has_lower(text: str) -> bool:
    """Any lower-case letter: all-caps lines are titles, mixed lines are prose."""
    return any(ch.islower() for ch in text)


def is_caps(text: str, min_letters: int = 2) -> bool:
    """All letters upper case (headings, titles, signature titles); digits and punctuation allowed."""
    letters = sum(ch.isalpha() for ch in text)
    return letters >= min_letters and not has_lower(text)


def starts_lower(text: str) -> bool:
    """A lower-case first letter: the surest sign that a line continues the previous one."""
    return bool(text) and text[0].islower()


def starts_upper(text: str) -> bool:
    """Upper-case first letter, allowing an opening quote or bracket before it."""
    stripped = text.lstrip("“\"'‘(«[")
    return bool(stripped) and stripped[0].isupper()


def ends_terminal(text: str) -> bool:
    """The line ends a sentence or clause (., ;, :, !, ?, …), possibly followed by a closing quote."""
    t = text.rstrip()
    if not t:
        return False
    if t[-1] in _TERMINAL:
        return True
    return t[-1] in _CLOSERS and len(t) > 1 and t[-2] in _TERMINAL


_BRACKET_SPAN = 6


def leaves_bracket_open(lines: list[Line]) -> bool:
    """More "(" than ")" so far: "(Đại học: 44 người; Thạc sĩ:" wraps onto "21 người); …" — the
    sentence goes on whatever the next line starts with. A stray "(" never swallows more than a
    few lines: past `_BRACKET_SPAN` lines the bracket is taken for a typo."""
    if len(lines) > _BRACKET_SPAN:
        return False
    text = " ".join(line.text for line in lines)
    return text.count("(") > text.count(")")


def ends_open(text: str) -> bool:
    """The line cannot end a heading: trailing comma, dash, bracket or a function word like "và"."""
    t = text.rstrip()
    if not t:
        return False
    if t[-1] in ",-–(/&+":
        return True
    last = t.split()[-1].lower()
    return last in CONNECTORS


# --- heading and bullet markers -----------------------------------------------------------------

LETTERS = "abcdđeghiklmnopqrstuvxy"  # Vietnamese list order: no f, j, w, z
BULLETS = "-–—+•*●▪○►"
_ROMAN = re.compile(r"(X{0,3})(IX|IV|V?I{0,3})")

MARKERS: list[tuple[str, re.Pattern[str]]] = [
    ("appendix", re.compile(r"(?P<m>(?:PHỤ LỤC|Phụ lục|Phụ Lục)(?:\s+(?:SỐ|số))?(?:\s+(?P<n>[IVX]{1,6}|\d{1,2}|[A-Z]))?)"
                            r"\s*[.:\-–]?\s*(?P<rest>.*)")),
    ("chuong", re.compile(r"(?P<m>(?P<w>CHƯƠNG|Chương|PHẦN|Phần)\s+(?P<n>[IVX]{1,6}|\d{1,2}|(?:THỨ|[Tt]hứ)\s+(?:"
                          r"NHẤT|HAI|BA|TƯ|BỐN|NĂM|SÁU|BẢY|TÁM|CHÍN|MƯỜI|nhất|hai|ba|tư|bốn|năm|sáu|bảy|tám|chín|mười))"
                          r"\b[.:]?)\s*(?P<rest>.*)")),  # "PHẦN THỨ NHẤT" (an ordinal in words) too
    ("dieu", re.compile(r"(?P<m>Điều\s+(?P<n>\d{1,3})\s*[.:]?)\s*(?P<rest>.*)")),
    # "Mục 2. Quan điểm và mục tiêu" inside an article or a scheme; "Khoản 1. Sở Công Thương" of an article
    ("muc", re.compile(r"(?P<m>(?:MỤC|Mục)\s+(?P<n>\d{1,2}|[IVX]{1,6})\s*[.:]?)\s*(?P<rest>.*)")),
    ("khoan", re.compile(r"(?P<m>(?:KHOẢN|Khoản)\s+(?P<n>\d{1,2})\s*[.:]?)\s*(?P<rest>.*)")),
    ("roman", re.compile(r"(?P<m>(?P<n>[IVX]{1,6})[./\-–])\s*(?P<rest>\S.*)")),
    ("group", re.compile(r"(?P<m>(?P<n>[A-ZĐ])[.\-–])\s+(?P<rest>\S.*)")),  # A. … D. Đ. E. (Party: "A- ")
    ("decimal", re.compile(r"(?P<m>(?P<n>\d{1,2}(?:\.\d{1,2}){1,3})\.?)\s+(?P<rest>\S.*)")),
    ("arabic", re.compile(r"(?P<m>(?P<n>\d{1,2})[.)/\-–])\s*(?P<rest>\S.*)")),
    ("letter", re.compile(r"(?P<m>(?P<n>[a-zđ])[)./\-–])\s*(?P<rest>\S.*)")),
    # "o" under "•" is the second-level bullet of word processors: a lone "o" before a capital
    ("bullet", re.compile(rf"(?P<m>[{BULLETS}]|\(\d{{1,2}}\)\.?|o(?=\s+[A-ZĐÀ-Ỹ]))\s*(?P<rest>[^-–—\s].*)")),
]
# The same markers read leniently, to strip them from a line of a chunk whatever follows:
# a bullet, "a)", "1.", "1.2.", "1.2 ", "II.".
# "- ", "a) ", "1. ", "1.2. ", "II. ", and the bracketed counters of inline enumerations: "(1). ", "(2) ",
# "3) ", "(b) ".
LIST_MARKER_RE = re.compile(rf"^\s*(?:[{BULLETS}]\s*|o\s+(?=[A-ZĐÀ-Ỹ])|[a-zđ]\)\s*|(?:\d+\.)+\d*\s+|[IVX]+\.\s+|"
                            rf"(?:Mục|MỤC|Khoản|KHOẢN)\s+(?:\d{{1,2}}|[IVX]{{1,6}})\.?\s+(?=[A-ZĐÀ-Ỹ])|"
                            rf"\(\d{{1,2}}\)\.?\s+|\d{{1,2}}\)\s+|\([a-zđ]\)\s+)")


def strip_list_marker(text: str) -> str:
    """The line without the bullet or number it starts with."""
    return LIST_MARKER_RE.sub("", text)


_MD_HEADING = re.compile(r"#{1,6}\s+")


@dataclass(frozen=True)
class Marker:
    """A line that opens a heading or a bullet: its kind, number as written and the text after it."""

    kind: str
    number: str
    marker: str  # the marker as written, e.g. "II.", "1.1.", "a)", "Điều 1.", "-"
    rest: str
    rest_offset: int  # index of `rest` inside the line text


def roman_value(numeral: str) -> int:
    """Value of a Roman numeral up to 39, 0 when it is not one."""
    m = _ROMAN.fullmatch(numeral)
    if not numeral or not m:
        return 0
    tens = len(m.group(1)) * 10
    units = {"": 0, "I": 1, "II": 2, "III": 3, "IV": 4, "V": 5, "VI": 6, "VII": 7, "VIII": 8, "IX": 9}
    return tens + units[m.group(2)]


def match_marker(text: str) -> Marker | None:
    """The heading/bullet marker a line starts with, judged on the line alone (context checks come later)."""
    hashes = _MD_HEADING.match(text)  # "## II. MỤC TIÊU" in Markdown plans
    if hashes:
        inner = match_marker(text[hashes.end():])
        if inner is None or inner.kind == "bullet":
            return None
        return Marker(inner.kind, inner.number, inner.marker, inner.rest, inner.rest_offset + hashes.end())
    for kind, pattern in MARKERS:
        m = pattern.fullmatch(text)
        if not m:
            continue
        rest = m.group("rest")
        number = m.groupdict().get("n") or ""
        if kind == "appendix":
            if has_lower(rest):
                continue  # "Phụ lục và các nội dung khác ..." is a sentence
        elif kind == "chuong":
            if rest and not (starts_upper(rest) or is_caps(rest)):
                continue  # "Chương 1 của Luật ..." is a sentence
            number = f"{m.group('w').capitalize()} {number}"
        elif kind == "dieu":
            if rest and not starts_upper(rest):
                continue
            number = f"Điều {number}"
        elif kind in ("muc", "khoan"):
            if (rest or kind == "khoan") and not starts_upper(rest):
                continue  # "Mục 2 của Kế hoạch …", "khoản 1 Điều 5" are references in a sentence
        elif kind == "roman":
            if not roman_value(number) or not starts_upper(rest):
                continue
        elif kind == "group":
            if roman_value(number) or not is_caps(rest):
                continue
        elif kind in ("decimal", "arabic", "letter"):
            if not starts_upper(rest):
                continue
        return Marker(kind, number, squash(m.group("m")), rest, m.start("rest"))
    return None
