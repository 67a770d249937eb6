"""Candidate answer units: the smallest pieces of a retrieved chunk worth quoting.

A unit is a sentence of a text chunk (hard wraps undone, list markers dropped), a table row with
its cells, or a plan's header/signature. Each carries what scoring needs: its tokens, its heading
path and list intro as context, the years it speaks about and the sections it points to.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from assistant.ingest.lines import LIST_MARKER_RE, strip_list_marker
from assistant.ingest.references import TCTH, heading_label, outline, referenced_titles, section_numbers  # noqa: F401  (re-exported)
from assistant.records import Chunk, Hit
from assistant.vi.agencies import AGENCY_HEADS, heads_pattern
from assistant.vi.sentences import split_sentences
from assistant.vi.normalize import folded, squash
from assistant.vi.tokens import bm25_tokens

_SPACE_RE = re.compile(r"\s+")
_YEAR_RE = re.compile(r"(?<![\d/.,-])(?:19[5-9]\d|20\d\d)(?![\d%])")
# "31/5/2023", "tháng 5 năm 2023", and a month or quarter alone: "tháng 3/2025", "quý IV/2026".
_DATE_YEAR_RE = re.compile(r"(?:\d{1,2}\s*/\s*\d{1,2}\s*/\s*|tháng\s+\d{1,2}\s+năm\s+|(?:tháng\s+\d{1,2}|quý\s+(?:[IV]{1,3}|\d))\s*/\s*)"
                           r"(20\d\d|19\d\d)", re.I)
_PERCENT_RE = re.compile(r"\d+(?:[.,]\d+)?\s*%")
_NUMBER_RE = re.compile(r"(?<![\w/.,-])\d+(?:[.,]\d+)*(?![\w/%-]|[.,]\d)")
_RATIO_RE = re.compile(r"(?<![\w/.])(\d+)/(\d+)(?![\w/])")
_DOCNO_RE = re.compile(r"\d+\s?[/-]\s?\d*\s?[/-]?[A-ZĐ]")
TIME_RE = re.compile(
    r"(?<![\d/])(?!24/7(?!\s*/))\d{1,2}\s*/\s*\d{1,2}(?:\s*/\s*\d{2,4})?|(?:19|20)\d\d\s*[-–]\s*(?:19|20)\d\d|quý\s+[IV\d]+|"
    r"\b(?:hàng|hằng)\s+(?:năm|quý|tháng|tuần)|định kỳ|trước ngày|ngày\s+\d{1,2}|tháng\s+\d{1,2}|"
    r"(?:năm|giai đoạn|đến|tới|trước|từ|sau)\s+(?:19|20)\d\d|kể từ ngày|"  # "Đến 2030, hoàn thiện …"
    r"\b(?:\d{1,2}|một|hai|ba|bốn|sáu|chín|mười hai)\s+(?:tháng|tuần|quý)\b|\b(?:một|1)\s+lần\b|"
    r"\b\d{1,3}\s+(?:giờ|ngày)(?:\s+làm việc)?\b",  # a time limit ("trong 01 giờ làm việc"); "24/7" is none
    re.I,
)
AGENCY_RE = re.compile(rf"\b(?:{heads_pattern(AGENCY_HEADS)}|[Cc]ác sở|[Cc]ác trường)\b")


@dataclass
class Unit:
    """One quotable piece of a retrieved chunk."""

    text: str  # verbatim document words, whitespace-normalised (table rows: the row's cells)
    hit: Hit
    rank: int  # retrieval rank of the chunk, 0-based
    kind: str  # "sentence" | "row" | "meta" | "title" (a header's own words)
    line: int = 0  # line of the chunk it sits on (sentences of one bullet share it)
    lead: str = ""  # the list intro ("… như sau:") the unit hangs under, if any
    marked: bool = False  # its line starts with a bullet or number: one item of a list
    opens: bool = False  # its line ends with ":" and items follow it in the chunk: it introduces a list
    tokens: frozenset[str] = frozenset()
    context: frozenset[str] = frozenset()  # heading path and lead tokens
    years: frozenset[int] = frozenset()  # target years the unit speaks about
    refs: frozenset[str] = frozenset()  # section numbers the unit refers to
    read_on: bool = False  # an item of the list, read on into the next chunk: quoted with its list only
    fields: tuple[str, ...] = ()  # the labelled lines that follow its item ("Cơ quan chủ trì: …")
    field: str = ""  # it is such a line itself: what it says of its item ("agency", "time", "other")
    score: float = 0.0
    support: float = 0.0

    @property
    def chunk(self) -> Chunk:
        return self.hit.chunk

    @property
    def cells(self) -> dict[str, str]:
        return dict(self.chunk.extra.get("cells") or {}) if self.kind == "row" else {}


# --------------------------------------------------------------------------- units


def clauses(text: str) -> list[str]:
    """The "; "-separated parts of a sentence (each verbatim)."""
    return [c.strip() for c in re.split(r";\s+", text) if c.strip()]


@functools.lru_cache(maxsize=8192)
def _tokens(text: str) -> frozenset[str]:
    return frozenset(bm25_tokens(text))


def years_in(text: str) -> set[int]:
    """Years a passage targets: "đến năm 2025", "2022-2025"; not the years of dates."""
    dates = {m.start(1) for m in _DATE_YEAR_RE.finditer(text)}
    return {int(m.group()) for m in _YEAR_RE.finditer(text) if m.start() not in dates}


@functools.lru_cache(maxsize=8192)
def dated_years(text: str) -> frozenset[int]:
    """Years of the dates a passage gives ("Đến ngày 31 tháng 5 năm 2023", "15/12/2025"): what it reports
    as of then, or a deadline; `years_in` leaves them out because they are not the years it targets."""
    return frozenset(int(m.group(1)) for m in _DATE_YEAR_RE.finditer(text))


def heading_titles(chunk: Chunk) -> list[str]:
    return [h for h in chunk.heading_path if h]


# "Điều 20. Trách nhiệm của Sở Du lịch": the agency is what follows.
_RESPONSIBILITY_OF_RE = re.compile(r"^(?:Trách nhiệm|TRÁCH NHIỆM|Nhiệm vụ|NHIỆM VỤ) (?:của|CỦA) (?=\S)")


def tcth_agency(chunk: Chunk) -> str:
    """The agency heading a clause sits under in "TỔ CHỨC THỰC HIỆN" ("Sở Kế hoạch và Đầu tư"), or ""."""
    path = chunk.heading_path
    for i, heading in enumerate(path[:-1] if len(path) > 1 else []):
        if TCTH in folded(heading):
            # The deepest heading under it that names an agency: "Phần III. TỔ CHỨC THỰC HIỆN > I. Trách
            # nhiệm của các cơ quan, đơn vị > 9. Văn phòng UBND tỉnh" is Văn phòng UBND tỉnh's.
            for below in reversed(path[i + 1:]):
                title = _RESPONSIBILITY_OF_RE.sub("", heading_label(strip_list_marker(below))[1]).rstrip(" :.")
                if not title.endswith("…") and len(title) <= 110 and AGENCY_RE.search(title) \
                        and not folded(title).startswith(("trach nhiem", "nhiem vu")):
                    return title
            return ""
    return ""


_ENDS_SENTENCE = (".", ":", "!", "?", ".)")


def subsections(chunks: list[Chunk]) -> dict[tuple[str, tuple[str, ...]], list[str]]:
    """Per section (plan, heading path), the titles of the sections right below it, in order: the
    items of an intro that ends "… sau đây:" when each item is a numbered section of its own."""
    out: dict[tuple[str, tuple[str, ...]], list[str]] = {}
    for chunk in chunks:
        path = tuple(chunk.heading_path)
        for depth in range(1, len(path)):  # every level: "Điều 1" > "1.", "2.", "3." though only 1.1 … hold text
            title = path[depth]
            first_line = chunk.text.split("\n", 1)[0].strip()
            if depth == len(path) - 1 and title.endswith("…") and first_line.startswith(title[:-1].rstrip()):
                title = first_line  # the heading as written, not its shortened label
            title = strip_list_marker(title).rstrip(" :.")
            siblings = out.setdefault((chunk.doc_id, path[:depth]), [])
            if title and title not in siblings:
                siblings.append(title)
    return out


def logical_lines(text: str, chunk: Chunk | None = None) -> list[tuple[str, bool]]:
    """Lines of a chunk with hard wraps undone: (line, starts with a list marker).

    A line continues the previous one unless it starts with a marker or the previous one ended
    a sentence; lines after a ";" continue an enumeration. The chunk's heading line is dropped.
    """
    out: list[list] = []
    raws = [squash(raw) for raw in text.split("\n")]
    raws = [r for r in raws if r]
    if len(raws) > 1 and chunk is not None and is_heading_line(raws[0], chunk):
        raws = raws[1:]  # a heading followed by its body: the body answers
    for line in raws:
        marked = bool(LIST_MARKER_RE.match(line))
        if out and not marked and not out[-1][0].endswith(_ENDS_SENTENCE):
            out[-1][0] += " " + line
        else:
            out.append([line, marked])
    return [(line, marked) for line, marked in out]


def is_heading_line(line: str, chunk: Chunk) -> bool:
    """Whether a chunk's first line is just its own heading ("3. Sở Kế hoạch và Đầu tư")."""
    if not chunk.heading_path or chunk.heading_path[-1].endswith("…"):
        return False
    strip = lambda t: folded(strip_list_marker(t)).rstrip(" :.")  # noqa: E731
    return strip(line) == strip(chunk.heading_path[-1])


_FIRST_LEVEL = ("-", "–", "•")  # bullets a "+" item may hang under
# A line that states one attribute of the item above it: who leads, who helps, by when, what comes out.
FIELD_LINE_RE = re.compile(
    r"^(?:(?:Cơ quan|Đơn vị)\s+(?:chủ trì|phối hợp|thực hiện)|Chủ trì|Phối hợp|Thời gian(?:\s+(?:hoàn thành|thực hiện))?|"
    r"Thời hạn(?:\s+hoàn thành)?|Tiến độ|Sản phẩm(?:\s+đầu ra)?)\s*:\s*\S", re.I)


def units_of(hit: Hit, rank: int, doc_years: set[int], sections: dict[str, str] | None = None) -> list[Unit]:
    """Split a retrieved chunk into quotable units."""
    chunk = hit.chunk
    head_text = " ".join(heading_titles(chunk))
    head_tokens = _tokens(head_text)
    # the years of the nearest heading that names any ("2.3. Định hướng đến năm 2030" under "2. MỤC TIÊU
    # GIAI ĐOẠN 2022-2025 …"): the deeper heading says which target a clause is for
    head_years = next((ys for ys in map(years_in, reversed(heading_titles(chunk))) if ys), set())
    if chunk.kind == "table_row" and chunk.extra.get("cells"):
        cells = {k: v for k, v in chunk.extra["cells"].items() if v and k.strip().upper().rstrip(".") not in ("TT", "STT")}
        body = " ".join(squash(v) for v in cells.values())
        # An indicator table's columns are its years ("Chỉ tiêu | Đơn vị | 2023 | 2025"); else its
        # caption's ("Bảng 1. Một số chỉ số hiện trạng đến hết năm 2025") or its heading's.
        caption = chunk.extra.get("caption", "")
        years = years_in(body) | years_in(" ".join(cells)) | (years_in(caption) or head_years) or doc_years
        columns = _tokens(" ".join(cells))  # "Kinh phí (tỷ đồng) | Ngân sách nhà nước": what its figures are
        return [Unit(body, hit, rank, "row", tokens=_tokens(body), context=head_tokens | columns | _tokens(caption),
                     years=frozenset(years))]
    if chunk.kind in ("header", "signature"):
        text = squash(chunk.extra.get("meta") or chunk.text)
        meta = Unit(text, hit, rank, "meta", tokens=_tokens(text + " " + chunk.text), context=head_tokens,
                    years=frozenset(doc_years))
        if chunk.kind == "signature":
            return [meta]
        title = squash(chunk.text)  # the header's own words (its title) can be quoted
        return [meta, Unit(title, hit, rank, "title", tokens=_tokens(title), context=head_tokens,
                           years=frozenset(years_in(title) or doc_years))]
    units: list[Unit] = []
    lead = ""
    parent = ""  # the last "-" item: a "+" item under it is one of its parts
    lines = logical_lines(chunk.text, chunk)
    item: list[Unit] = []  # the units of the last line that is not a field line
    for line_no, (line, marked) in enumerate(lines):
        body = strip_list_marker(line).strip()
        field = bool(FIELD_LINE_RE.match(body))
        for unit in item if field else []:
            unit.fields += (body,)
        titled = is_title_line(line, lines[line_no + 1][0] if line_no + 1 < len(lines) else "")
        opens = (body.endswith(":") or titled) and line_no + 1 < len(lines)
        own_lead = lead
        if line.startswith(("+", "o ")) and parent and not parent.endswith(":"):
            own_lead = parent  # "- Hỗ trợ … ứng dụng cảm biến …" / "+ Ưu tiên các vùng chè …"
        elif line.startswith(_FIRST_LEVEL):
            parent = body
        context = head_tokens | (_tokens(own_lead) if own_lead else frozenset())
        lead_years = years_in(own_lead) if own_lead else set()
        first = len(units)
        # a field line is about its item (or, right under a heading, the heading's task): "1.2. Số hóa
        # sổ hộ tịch" / "Thời gian hoàn thành: Quý II/2025" says when that is done
        subject = (" ".join(u.text for u in item) or (chunk.heading_path or [""])[-1]) if field else ""
        for sentence in split_sentences(body):
            own = years_in(sentence)
            years = own or lead_years or head_years or doc_years
            refs = referenced_titles(sentence, sections or {})
            units.append(Unit(sentence, hit, rank, "sentence", line=line_no, lead=own_lead, marked=marked, opens=opens,
                              tokens=_tokens(sentence) | _tokens(subject) if subject else _tokens(sentence),
                              context=context | _tokens(refs) if refs else context,
                              years=frozenset(years), refs=section_numbers(sentence),
                              field=field_kind(sentence) if field else ""))
        if not field:
            item = units[first:]
        if body.endswith(":") or titled:
            lead = body
    return units


_TITLE_MARKER_RE = re.compile(r"^\s*(?:[a-zđ]\)|(?:\d+\.)+\d*|\d{1,2}\)|\([a-zđ\d]{1,2}\)|[IVX]+\.)\s")


def is_title_line(line: str, next_line: str) -> bool:
    """A numbered or lettered line that is only a title ("a) Nền tảng bản đồ số dùng chung", no sentence
    ending) followed by bullets of another kind ("- Xây dựng …"): it opens the bullets under it as a list
    intro ending in ":" does, so they are its items."""
    body = strip_list_marker(line).strip()
    return bool(_TITLE_MARKER_RE.match(line)) and bool(body) and not body.endswith((".", ";", ":", "!", "?", ")")) \
        and len(body.split()) <= 15 and next_line.lstrip().startswith(_FIRST_LEVEL + ("+",))


# --------------------------------------------------------------------------- what a unit holds


def has_quantity(text: str) -> bool:
    """A figure that is not a year, a date or a document number: "20%", "143 cơ quan", "1829 tỷ đồng"."""
    if _PERCENT_RE.search(text):
        return True
    if any(int(m.group(2)) > 31 and int(m.group(1)) <= int(m.group(2)) for m in _RATIO_RE.finditer(text)):
        return True  # a rank or share: "30/63 địa phương"
    for m in _NUMBER_RE.finditer(text):
        value = m.group()
        if _YEAR_RE.fullmatch(value) and not re.match(r"\s*(?:tỷ|triệu|người|đơn vị|dịch vụ)", text[m.end():]):
            continue
        if _DOCNO_RE.match(text, m.start()):
            continue
        before = text[max(0, m.start() - 8) : m.start()].lower()
        if re.search(r"(?:mức độ|mục|số|điều|khoản|quý|ngày|tháng)\s*$", before):
            continue
        return True
    return False


# Where an enumeration starts: "… như: A, B", "… gồm A, B", "… là A, B".
LIST_START_RE = re.compile(r":\s+|\s(?:bao gồm|gồm có|gồm|là|như)\s+")


def enumerates(text: str) -> bool:
    """Holds a list of its own: "… gồm: A; B; C", "… gồm: rau, hoa, bò sữa, tôm hùm" (two ";", or three
    "," between short items, after the colon or "gồm"; commas between long phrases are a sentence's)."""
    m = LIST_START_RE.search(text)
    if m is None:
        return False
    tail = text[m.end():]
    if tail.count(";") >= 2:
        return True
    items = tail.split(",")
    return len(items) >= 4 and len(tail) / len(items) <= 30


def has_time(text: str) -> bool:
    """A date, period or frequency: "15/11", "2022 - 2025", "quý IV", "hàng năm"."""
    return bool(TIME_RE.search(text))


def has_agency(text: str) -> bool:
    """Names an agency or office holder: "Sở Y tế", "Chủ tịch UBND", "các trường"."""
    return bool(AGENCY_RE.search(text))


_LEAD_RE = re.compile(r"\b(?:chủ trì|chịu trách nhiệm|giao)\b", re.I)


def assigns_lead(text: str) -> bool:
    """Says who leads: an agency with "chủ trì", "giao", "chịu trách nhiệm" ("giao Sở Nội vụ chủ trì");
    a clause that only works with one ("phối hợp với Bộ Y tế") does not."""
    return has_agency(text) and bool(_LEAD_RE.search(text))


_AGENCY_FIELD_RE = re.compile(r"^(?:(?:Cơ quan|Đơn vị)\s+(?:chủ trì|phối hợp|thực hiện)|Chủ trì|Phối hợp)\b", re.I)


def field_kind(line: str) -> str:
    """What a labelled line says of its item: "agency" (who leads or helps), "time", or "other"."""
    if _AGENCY_FIELD_RE.match(line):
        return "agency"
    return "time" if has_time(line) else "other"


def asked_fields(unit: Unit, wants: str) -> list[str]:
    """The labelled lines of `unit`'s item that say what is asked and the item itself does not:
    "Cơ quan chủ trì: …" for who, "Thời gian hoàn thành: …" for when."""
    if wants == "agency" and not assigns_lead(unit.text):
        return [f for f in unit.fields if _AGENCY_FIELD_RE.match(f)]
    if wants == "time" and not has_time(unit.text):
        return [f for f in unit.fields if not _AGENCY_FIELD_RE.match(f) and has_time(f)]
    return []
