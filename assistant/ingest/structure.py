"""Parse a plan into its own outline — header, preamble, I./1./1.1./a)/Điều/Phụ lục, tables, signature.

Extraction leaves lines hard-wrapped (even headings after two words), numbering defects (a repeated
"11.", IV jumping to VI) and sentence lines that merely start like headings ("Chương trình quốc gia …",
"Phụ lục và …"). The parser re-joins lines into units by punctuation and case, accepts a marker only
when its context allows, and nests headings with a stack keyed by numbering style, so a repeated number
becomes a sibling, never a child. Every offset points into the loader's text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from assistant.ingest import metadata as meta_mod
from assistant.ingest import tables
from assistant.ingest.starters import derive_starter
from assistant.ingest.lines import (
    LETTERS, Line, Marker, ends_open, ends_terminal, leaves_bracket_open, is_caps, is_separator, join_lines,
    match_marker, roman_value, split_lines, starts_lower, starts_upper,
)
from assistant.vi.normalize import squash
from assistant.records import Block, ParsedDocument, Section

HEADER_HEADING = "Thông tin văn bản"
SIGNATURE_HEADING = "Nơi nhận và chữ ký"
_MAX_TITLE = 100
_MAX_INLINE_TITLE = 120
_OPENS_WITH_SHARE = re.compile(r"\d[\d.,]*\s*%\s+\w")  # "100% hồ sơ …": an item stating a share
# A numbered label whose title follows its colon: "Nhiệm vụ 1: …", "Giải pháp thứ hai: …", "Dự án 3: …".
_LABEL_RE = re.compile(r"(?:Nhiệm vụ|Giải pháp|Mục tiêu|Chương trình|Dự án|Đề án|Nội dung|Hoạt động|Chỉ tiêu|Nhóm)"
                       r" (?:\d+|[IVX]+|thứ (?:nhất|hai|ba|tư|năm|sáu|bảy|tám|chín|mười))", re.I)


@dataclass
class _Unit:
    """Consecutive lines that read as one heading, bullet, paragraph or all-caps title."""

    kind: str  # "heading" | "bullet" | "para" | "title"
    lines: list[Line]
    marker: Marker | None = None

    @property
    def last(self) -> str:
        return self.lines[-1].text

    @property
    def rest(self) -> str:
        """Text after the marker, re-joined."""
        text, _ = join_lines(self.lines)
        if self.marker is None:
            return text
        skip = len(squash(self.lines[0].text[:self.marker.rest_offset]))
        return text[skip:].strip()


def is_hard_wrapped(lines: list[Line]) -> bool:
    """True when lines were wrapped mid-sentence (many continue in lower case)."""
    if len(lines) < 10:
        return False
    wraps = sum(1 for a, b in zip(lines, lines[1:]) if starts_lower(b.text) and not ends_terminal(a.text))
    return wraps / len(lines) >= 0.08


def _full_width(lines: list[Line]) -> float:
    """Length from which a line counts as filled to the wrap width (3/4 of the 90th-percentile length)."""
    lengths = sorted(len(line.text) for line in lines)
    return 0.75 * lengths[int(0.9 * (len(lengths) - 1))] if lengths else 60.0


def _min_wrap(lines: list[Line]) -> int:
    """Shortest length at which this document wraps (10th percentile of lines that surely continue)."""
    wrapped = sorted(len(a.text) for a, b in zip(lines, lines[1:])
                     if starts_lower(b.text) and not ends_terminal(a.text))
    return wrapped[len(wrapped) // 10] if len(wrapped) >= 10 else 0


def _key(section: Section) -> str:
    """Numbering style that defines a heading level: 1.1 and 1.1.1 are different levels."""
    if section.kind == "decimal":
        return f"decimal{section.number.count('.')}"
    return section.kind


def _fits_after(prev: Section | None, kind: str, number: str) -> bool:
    """Whether `number` can follow `prev` in the same list (next, repeated, or one skipped)."""
    if prev is None:
        return number in ("1", "a", "I") or (kind == "decimal" and number.endswith(".1"))
    if kind == "letter":
        a, b = LETTERS.find(prev.number), LETTERS.find(number)
        return a >= 0 and 0 <= b - a <= 2
    if kind == "roman":
        a, b = roman_value(prev.number), roman_value(number)
    elif kind in ("arabic", "decimal"):
        a, b = int(prev.number.split(".")[-1]), int(number.split(".")[-1])
    else:
        return True
    return 0 <= b - a <= 2


class _Builder:
    """Line-by-line parser state: the open-heading stack, the section receiving blocks, the unit in progress."""

    def __init__(self, text: str, lines: list[Line], root: Section) -> None:
        self.text = text
        self.lines = lines
        self.root = root
        self.stack: list[Section] = [root]
        self.target: Section = root  # where paragraphs and bullets go
        self.unit: _Unit | None = None
        self.wrapped = is_hard_wrapped(lines)
        self.full_width = _full_width(lines)
        self.min_wrap = _min_wrap(lines)

    # --- units ------------------------------------------------------------------------------------
    def _open_text(self) -> bool:
        """The current paragraph/bullet has not ended its sentence."""
        return self.unit is not None and self.unit.kind in ("para", "bullet") and not ends_terminal(self.unit.last)

    def _next_text(self, i: int) -> str | None:
        return self.lines[i + 1].text if i + 1 < len(self.lines) else None

    def _heading_goes_on(self, i: int) -> bool:
        """Whether line i continues the current heading (or all-caps title) rather than starting the body."""
        unit, t = self.unit, self.lines[i].text
        assert unit is not None
        if unit.kind == "title" or not unit.rest or is_caps(unit.rest):
            return is_caps(t) or (not any(ch.isalpha() for ch in t) and not ends_terminal(unit.last))
        if ends_terminal(unit.last):
            return starts_lower(t)
        if starts_lower(t) or ends_open(unit.last):
            return True
        if not self.wrapped or len(unit.last) + 1 + len(t.split()[0]) <= self.min_wrap:
            return False  # the next word would have fitted on the heading's line: it was not wrapped
        if t[0].isdigit():
            return True
        # A short line that does not itself end a sentence and is followed by a new unit is the
        # heading's tail ("b) Hạ tầng" / "Internet vạn vật (IoT)"), not a one-line body paragraph.
        # A full-width next line means t's sentence runs on: t opens a body paragraph instead.
        nxt = self._next_text(i)
        new_unit = (nxt is None or is_separator(nxt) or match_marker(nxt) is not None
                    or (not starts_lower(nxt) and len(nxt) < self.full_width))
        return not ends_terminal(t) and len(t) <= 60 and len(unit.rest) + len(t) <= 200 and new_unit

    def _accept_marker(self, marker: Marker) -> bool:
        """Reject markers that are really wrapped sentence text."""
        if marker.kind == "bullet":
            # "giai đoạn 2022\n- 2025" is a wrapped range, but "- 100% hồ sơ …" under an intro line
            # without a colon is an item: a share opens a target, never the end of a range.
            return not (self._open_text() and not starts_upper(marker.rest) and not _OPENS_WITH_SHARE.match(marker.rest))
        if self._open_text() and marker.kind in ("roman", "arabic", "decimal", "letter", "group"):
            prev = next((s for s in reversed(self.stack) if _key(s) == _marker_key(marker)), None)
            return _fits_after(prev, marker.kind, marker.number)
        return True

    # --- main loop --------------------------------------------------------------------------------
    def run(self, begin: int, zones: dict[int, int]) -> None:
        """Walk the body lines once, cutting signatures and tables out and the rest into units."""
        i = begin
        while i < len(self.lines):
            line = self.lines[i]
            t = line.text
            if i in zones:
                self.flush()
                self._signature(self.lines[i:zones[i]])
                i = zones[i]
                continue
            if is_separator(t):
                self.flush()
                i += 1
                continue
            if tables.is_caption(t) and i + 1 < len(self.lines) and tables.is_table_start(self.lines[i + 1]) \
                    and tables.parse_table(self.lines, i + 1):
                self.flush()  # "Bảng 1. …": the table's caption (`_table` reads it), no text of the point above
                i += 1
                continue
            if tables.is_table_start(line) and (table := tables.parse_table(self.lines, i)):
                self.flush()
                self._table(table, tables.caption_above(self.lines, i))
                i = table.end_index
                continue
            marker = match_marker(t)
            if marker and self._accept_marker(marker):
                self.flush()
                self.unit = _Unit("bullet" if marker.kind == "bullet" else "heading", [line], marker)
            elif (self.unit is not None and self.unit.kind in ("heading", "title")
                  and self._heading_goes_on(i)):
                self.unit.lines.append(line)
            elif (len(self.stack) == 1 and is_caps(t, 4) and not t.endswith(":")
                  and (self.unit is None or ends_terminal(self.unit.last))):
                # an all-caps line outside any heading opens an attached document ("CHƯƠNG TRÌNH …")
                self.flush()
                self.unit = _Unit("title", [line])
            elif self.unit is not None and self.unit.kind in ("para", "bullet") and (
                    not ends_terminal(self.unit.last) or starts_lower(t) or leaves_bracket_open(self.unit.lines)):
                self.unit.lines.append(line)
            else:
                self.flush()
                self.unit = _Unit("para", [line])
            i += 1
        self.flush()

    def flush(self) -> None:
        """Turn the finished unit into a section or a block where it belongs."""
        unit, self.unit = self.unit, None
        if unit is None:
            return
        if unit.kind == "heading":
            self._heading(unit)
        elif unit.kind == "title":
            section = Section("group", "", unit.rest, unit.rest, unit.lines[0].start, unit.lines[-1].end)
            self.root.children.append(section)
            self.stack = [self.root]
            self.target = section
        else:
            kind = "bullet" if unit.kind == "bullet" else "paragraph"
            self.target.blocks.append(Block(kind, unit.rest, unit.lines[0].start, unit.lines[-1].end))

    # --- sections ---------------------------------------------------------------------------------
    def _heading(self, unit: _Unit) -> None:
        """A section from a heading unit; text sharing its lines (after ": " or a whole sentence) becomes a block."""
        marker = unit.marker
        assert marker is not None
        rest = unit.rest
        body_at: int | None = None  # source offset of body text that shares the heading's lines
        if is_caps(rest) or not rest:
            title = rest.rstrip(":").strip()
        else:
            joined, offsets = join_lines(unit.lines)
            rest_start = len(joined) - len(rest)
            colon = rest.find(": ")
            after = rest[colon + 2:]
            if 0 < colon and _LABEL_RE.fullmatch(rest[:colon]) and len(after) <= _MAX_INLINE_TITLE \
                    and not ends_terminal(after):
                title = rest.rstrip(":").strip()  # "3.1. Nhiệm vụ 1: Nâng cao nhận thức": the label and its title
            elif 0 < colon <= _MAX_INLINE_TITLE and starts_upper(after):
                title = rest[:colon]  # "1.4. Phát triển dữ liệu: Xác định …"
                body_at = offsets[rest_start + colon + 2]
            elif (ends_terminal(rest) and not rest.endswith(":")) or len(rest) > _MAX_INLINE_TITLE:
                title = _short_title(rest)  # an item that is a sentence: cite it by its opening words
                body_at = offsets[rest_start]
            else:
                title = rest.rstrip(":").strip()
        number = marker.number
        heading = squash(f"{marker.marker} {title}") if title else marker.marker
        section = Section(marker.kind, number, title, heading, unit.lines[0].start, unit.lines[-1].end)
        if body_at is not None:
            section.blocks.append(Block("paragraph", squash(self.text[body_at:unit.lines[-1].end]),
                                        body_at, unit.lines[-1].end))
        self._place(section)

    def _place(self, section: Section) -> None:
        """Nest by numbering style: same style as an open heading -> its sibling; new style -> a child."""
        if section.kind == "appendix":
            self.stack = [self.root]
        key = _key(section)
        for depth in range(len(self.stack) - 1, 0, -1):
            if _key(self.stack[depth]) == key:
                del self.stack[depth:]
                break
        self.stack[-1].children.append(section)
        self.stack.append(section)
        self.target = section

    def _signature(self, lines: list[Line]) -> None:
        content = [ln for ln in lines if not is_separator(ln.text)]
        section = Section("signature", "", SIGNATURE_HEADING, SIGNATURE_HEADING, content[0].start, content[-1].end)
        section.blocks = meta_mod.zone_blocks(lines)
        self.root.children.append(section)
        self.stack = [self.root]
        self.target = self.root

    def _table(self, table: tables.Table, caption: str = "") -> None:
        """The table's rows under the current section (grouped by its group rows); `caption` is the
        "Bảng 1. …" line above it, which says what (and as of when) every row states."""
        host = self.target
        if caption and host.kind == "letter" and host in self.stack:
            # "b) Tỉnh đã công bố 36 bộ dữ liệu mở. / Bảng 1. Một số chỉ số …": a captioned table is the
            # section's, not the point's written just above it
            host = next((s for s in reversed(self.stack[:self.stack.index(host)]) if s.kind != "letter"), host)
        host.blocks.append(Block("paragraph", " ".join(table.columns), table.start, table.header_end))
        top_level = min((row.level for row in table.rows if row.kind == "group"), default=1)
        outer: Section | None = None  # the current group of the table's top level (A, B … or I, II …)
        inner: Section | None = None  # the current group nested in it (I, II … under A)
        for row in table.rows:
            if row.kind == "group":
                heading = f"{row.number}. {row.title}" if row.number else row.title
                group = Section("group", row.number, row.title, heading, row.start, row.end)
                if row.level <= top_level or outer is None:
                    host.children.append(group)
                    outer, inner = group, None
                else:
                    outer.children.append(group)
                    inner = group
            else:
                owner = inner or outer or host
                # A row written on its own line keeps its words as written, under the header line, so
                # a quote of it is the document's; a flattened row is rebuilt as "Column: value".
                text = f"{table.header}\n{row.source}" if row.source else tables.row_text(row, table.columns)
                owner.blocks.append(Block("table_row", text, row.start, row.end, cells=dict(row.cells),
                                          caption=caption))


def _marker_key(marker: Marker) -> str:
    return f"decimal{marker.number.count('.')}" if marker.kind == "decimal" else marker.kind


def _short_title(text: str) -> str:
    """Opening words of an item that is a whole sentence, for heading paths."""
    text = text.rstrip(".;:/ ")
    if len(text) <= _MAX_TITLE:
        return text
    for sep in (": ", "; ", ". "):
        k = text.find(sep)
        if 20 <= k <= _MAX_TITLE:
            return text[:k]
    cut = text.rfind(" ", 0, _MAX_TITLE - 10)
    return text[:cut if cut > 0 else _MAX_TITLE].rstrip(",;") + "…"


def _subheading_title(section: Section) -> str | None:
    """Title of an unnumbered sub-heading opening the section ("Mục tiêu cơ bản đến năm 2025"), if any."""
    # Plans sometimes drop a marker: a short line with no closing punctuation, or one that reads like the
    # first of its lettered siblings ("… đến năm 2025:" before "b) … đến năm 2030"), over bullets.
    blocks = section.blocks
    if len(blocks) < 2 or blocks[0].kind != "paragraph" or blocks[1].kind != "bullet":
        return None
    first = blocks[0].text
    if len(first) > 80 or not starts_upper(first) or (section.children and section.children[0].start < blocks[1].start):
        return None
    if not ends_terminal(first):
        return first
    letters = [c for c in section.children if c.kind == "letter"]
    if first.endswith(":") and letters and letters[0].title.split()[:3] == first.split()[:3]:
        return first.rstrip(":").strip()
    return None


def _promote_subheadings(section: Section) -> None:
    """Turn unnumbered sub-headings into sections so their text ("… năm 2025") reaches heading paths."""
    for child in section.children:
        _promote_subheadings(child)
    if section.kind in ("root", "header", "signature", "group"):
        return
    title = _subheading_title(section)
    if title is None:
        return
    first_child = min((c.start for c in section.children), default=None)
    moved = [b for b in section.blocks if first_child is None or b.start < first_child]
    group = Section("group", "", title, title, moved[0].start, moved[-1].end, blocks=moved[1:])
    section.blocks = [b for b in section.blocks if b not in moved]
    section.children.insert(0, group)


def _finish(section: Section) -> int:
    """Extend each section's end over its blocks and children."""
    end = section.end
    for block in section.blocks:
        end = max(end, block.end)
    for child in section.children:
        end = max(end, _finish(child))
    section.end = end
    return end


def parse_document(doc_id: str, text: str, meta_override: dict | None = None) -> ParsedDocument:
    """The plan's outline with every heading, block and table row pointing into `text`."""
    meta = meta_mod.extract_metadata(doc_id, text)
    if meta_override:
        meta = meta_mod.apply_override(meta, meta_override)
    lines = split_lines(text)
    root = Section("root", "", meta.title, "", 0, len(text))
    h_end = meta_mod.header_end(lines)
    header = [ln for ln in lines[:h_end] if not is_separator(ln.text)]
    if header:
        section = Section("header", "", meta.title, HEADER_HEADING, header[0].start, header[-1].end)
        section.blocks = meta_mod.zone_blocks(lines[:h_end])
        root.children.append(section)
    zones = dict(meta_mod.signature_zones(lines, h_end))
    builder = _Builder(text, lines, root)
    builder.run(h_end, zones)
    _promote_subheadings(root)
    _finish(root)
    root.end = len(text)
    if not meta.starter_questions:
        meta.starter_questions = [derive_starter(meta, root)]
    return ParsedDocument(doc_id=doc_id, text=text, meta=meta, root=root)


def iter_sections(section: Section, path: tuple[Section, ...] = ()):
    """Depth-first (section, ancestors-including-itself) pairs below `section`, in document order."""
    for child in section.children:
        child_path = (*path, child)
        yield child, child_path
        yield from iter_sections(child, child_path)


from assistant.ingest.outline import format_outline  # noqa: E402  (re-exported for `assistant inspect`)

__all__ = ["parse_document", "format_outline", "iter_sections", "is_hard_wrapped"]
