"""Cut a parsed plan into chunks that each cite one clause: never across a section, split at sentences.

A chunk's text is the document's own words in order (wrapped lines re-joined, bullet markers and
"a)" labels kept), so any verbatim sentence, bullet or table cell of the plan is found whole inside
some chunk. Context lives in `heading_path` and `label`, not in the text; table rows are the one
exception: their text names each cell's column so a row reads as "Chủ trì: …. Thời gian: …".
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from assistant.ingest.references import annotate_references
from assistant.ingest.lines import LineIndex, is_separator, join_lines, Line
from assistant.vi.normalize import squash
from assistant.records import Block, Chunk, ParsedDocument, Section
from assistant.ingest.structure import HEADER_HEADING, SIGNATURE_HEADING
from assistant.vi.sentences import is_sentence_start

CHUNKER_VERSION = "structure-2"
PREAMBLE_HEADING = "Căn cứ ban hành"
INTRO_HEADING = "Phần mở đầu"
_NO_GROUP = ("root", "appendix", "header", "signature")


@dataclass
class _Piece:
    start: int
    end: int
    path: list[str]
    label: str
    kind: str = "text"
    text: str | None = None
    extra: dict = field(default_factory=dict)


def _pack(lengths: list[int], max_chars: int) -> list[list[int]]:
    """Group consecutive items into pieces of at most max_chars (soft), of roughly equal size."""
    total = sum(lengths) + max(len(lengths) - 1, 0)
    if total <= max_chars:
        return [list(range(len(lengths)))]
    target = total / math.ceil(total / max_chars)
    groups: list[list[int]] = []
    current: list[int] = []
    size = 0
    for k, n in enumerate(lengths):
        if current and (size + 1 + n > max_chars or size >= target * 0.95):
            groups.append(current)
            current, size = [], 0
        current.append(k)
        size += n + (1 if size else 0)
    if current:
        groups.append(current)
    return groups


def _cuts(joined: str, level: int) -> list[int]:
    """Positions where a new piece may start: after sentences (0), clauses (1), commas (2), words (3)."""
    enders = {0: ".!?…", 1: ";:", 2: ","}.get(level)
    out = []
    for p in range(2, len(joined)):
        if joined[p - 1] != " ":
            continue
        prev = joined[p - 2]
        if prev in "”\"’)" and p >= 3:
            prev = joined[p - 3]
        if enders is None:
            out.append(p)
        elif prev in enders and (level > 0 or is_sentence_start(joined, p)):
            out.append(p)
    return out


def _segments(joined: str, lo: int, hi: int, max_chars: int, level: int = 0) -> list[tuple[int, int]]:
    """[lo, hi) of `joined` cut into pieces of at most max_chars, preferring the coarsest boundaries."""
    if hi - lo <= max_chars or level > 3:
        return [(lo, hi)]
    cuts = [p for p in _cuts(joined, level) if lo < p < hi]
    if not cuts:
        return _segments(joined, lo, hi, max_chars, level + 1)
    bounds = [lo, *cuts, hi + 1]
    parts: list[tuple[int, int]] = []
    for a, b in zip(bounds, bounds[1:]):
        parts.extend(_segments(joined, a, b - 1, max_chars, level + 1))
    groups = _pack([b - a for a, b in parts], max_chars)
    return [(parts[g[0]][0], parts[g[-1]][1]) for g in groups]


class _Chunker:
    """Walks the section tree and emits spans; text is rendered from the source so it stays verbatim."""

    def __init__(self, doc: ParsedDocument, max_chars: int) -> None:
        self.doc = doc
        self.max = max_chars
        self.index = LineIndex(doc.text)
        self.short = doc.meta.short_label or doc.doc_id
        self.unit_starts: set[int] = set()
        self._collect_starts(doc.root)
        self.pieces: list[_Piece] = []

    def _collect_starts(self, section: Section) -> None:
        self.unit_starts.add(section.start)
        self.unit_starts.update(b.start for b in section.blocks)
        for child in section.children:
            self._collect_starts(child)

    def render(self, start: int, end: int) -> str:
        """Source text of [start, end): separator lines dropped, wraps joined, one line per block."""
        out: list[str] = []
        for line in self.index.overlapping(start, end):
            s, e = max(line.start, start), min(line.end, end)
            seg = squash(self.doc.text[s:e])
            if not seg or (s == line.start and is_separator(seg)):
                continue
            if out:
                out.append("\n" if s == line.start and s in self.unit_starts else " ")
            out.append(seg)
        return "".join(out)

    # --- labels -----------------------------------------------------------------------------------
    def label(self, path: tuple[Section, ...], row: str = "") -> str:
        """"<short label>, mục II.1.a" (decimals absorb their parent); in an article "Điều 2, khoản 1, điểm a"."""
        prefix: list[str] = []
        numbers: list[str] = []
        in_article = False
        for section in path:
            if section.kind == "header":
                return f"{self.short}, phần đầu văn bản"
            if section.kind == "signature":
                return f"{self.short}, phần ký ban hành"
            if section.kind == "appendix":
                prefix, numbers = ["Phụ lục" + (f" {section.number}" if section.number else "")], []
            elif section.kind in ("chuong", "dieu"):
                prefix.append(section.number)
                numbers, in_article = [], section.kind == "dieu"
            elif section.kind == "khoan":
                prefix.append(f"khoản {section.number}")
            elif section.kind == "muc":  # "Điều 1, mục 2.1.a": a scheme's own numbering inside the article
                numbers, in_article = [section.number], False
            elif in_article and section.kind in ("arabic", "letter"):
                prefix.append(("khoản " if section.kind == "arabic" else "điểm ") + section.number)  # legal style
            elif section.number:
                if numbers and section.number.startswith(numbers[-1] + "."):
                    numbers[-1] = section.number
                else:
                    numbers.append(section.number)
        if row:
            numbers.append(row)
        parts = prefix + ([f"mục {'.'.join(numbers)}"] if numbers else [])
        return f"{self.short}, {', '.join(parts) or 'phần mở đầu'}"

    # --- walking ----------------------------------------------------------------------------------
    def run(self) -> list[_Piece]:
        """All pieces of the document, preamble first, in document order."""
        root = self.doc.root
        intro = [PREAMBLE_HEADING if any(b.text.startswith("Căn cứ") for b in root.blocks) else INTRO_HEADING]
        self._own(root, (), intro)
        for child in root.children:
            self._section(child, (child,))
        return sorted(self.pieces, key=lambda p: (p.start, p.end))

    def _section(self, section: Section, path: tuple[Section, ...]) -> None:
        names = [s.heading for s in path]
        if section.kind in ("header", "signature"):
            kind = section.kind
            heading = HEADER_HEADING if kind == "header" else SIGNATURE_HEADING
            extra = {"section_kind": kind, "meta": _meta_line(self.doc)}
            self._emit(section.start, section.end, [heading], self.label(path), kind, extra=extra)
            return
        if self._groupable(section):
            self._emit(section.start, section.end, names, self.label(path),
                       extra={"section_kind": section.kind, "grouped": len(section.children)})
            return
        self._own(section, path, names)
        for block in section.blocks:
            if block.kind == "table_row":
                self._row(block, path, names)
        for child in section.children:
            self._section(child, (*path, child))

    def _groupable(self, section: Section) -> bool:
        """A heading whose children are only a few short lettered items becomes one chunk under its label."""
        if not section.children or section.kind in _NO_GROUP or section.kind == "group" and not section.number \
                or any(b.kind == "table_row" for b in section.blocks):
            return False  # a table's rows are chunks of their own
        for child in section.children:
            if child.kind != "letter" or child.children or any(b.kind == "table_row" for b in child.blocks):
                return False
            if len(self.render(child.start, child.end)) > self.max // 2:
                return False
        return len(self.render(section.start, section.end)) <= self.max

    def _own(self, section: Section, path: tuple[Section, ...], names: list[str]) -> None:
        """The section's heading and its own paragraphs/bullets, in runs not interrupted by a child."""
        blocks = sorted((b for b in section.blocks if b.kind != "table_row"), key=lambda b: b.start)
        # a run of blocks ends at a child section, and at a table (its rows are chunks of their own)
        child_starts = [c.start for c in section.children] + [b.start for b in section.blocks if b.kind == "table_row"]
        runs: list[list[Block]] = []
        for block in blocks:
            if runs and not any(runs[-1][-1].end <= c < block.start for c in child_starts):
                runs[-1].append(block)
            else:
                runs.append([block])
        heading_only = not section.blocks and not section.children and section.kind != "root"
        if heading_only:
            self._emit(section.start, section.end, names, self.label(path), extra={"section_kind": section.kind})
            return
        for n, run in enumerate(runs):
            spans = [(b.start, b.end) for b in run]
            first_child = min(child_starts, default=section.end + 1)
            if n == 0 and section.kind != "root" and run[0].start < first_child:
                spans[0] = (section.start, spans[0][1])  # the heading line opens the first piece
            self._pack_spans(spans, path, names, section.kind)

    def _pack_spans(self, spans: list[tuple[int, int]], path: tuple[Section, ...], names: list[str],
                    section_kind: str) -> None:
        units: list[tuple[int, int]] = []
        for start, end in spans:
            if len(self.render(start, end)) <= self.max:
                units.append((start, end))
            else:
                units.extend(self._split_span(start, end))
        groups = _pack([len(self.render(s, e)) for s, e in units], self.max)
        for k, group in enumerate(groups):
            extra = {"section_kind": section_kind}
            if len(groups) > 1:
                extra.update(part=k + 1, parts=len(groups))
            self._emit(units[group[0]][0], units[group[-1]][1], names, self.label(path), extra=extra)

    def _split_span(self, start: int, end: int) -> list[tuple[int, int]]:
        """Cut one long block at sentence (then clause, comma, word) boundaries."""
        lines = []
        for line in self.index.overlapping(start, end):
            s, e = max(line.start, start), min(line.end, end)
            if not is_separator(self.doc.text[s:e].strip()):
                lines.append(Line(s, e, self.doc.text[s:e]))
        joined, offsets = join_lines(lines)
        return [(offsets[a], offsets[b - 1] + 1) for a, b in _segments(joined, 0, len(joined), self.max) if b > a]

    def _row(self, block: Block, path: tuple[Section, ...], names: list[str]) -> None:
        cells = dict(block.cells or {})
        row = next(iter(cells.values()), "") if cells else ""
        extra = {"cells": cells, "row": row, "groups": [s.heading for s in path if s.kind == "group"],
                 "columns": list(cells)}
        if block.caption:
            extra["caption"] = block.caption
        self._emit(block.start, block.end, names, self.label(path, row), "table_row", block.text, extra)

    def _emit(self, start: int, end: int, names: list[str], label: str, kind: str = "text",
              text: str | None = None, extra: dict | None = None) -> None:
        self.pieces.append(_Piece(start, end, list(names), label, kind, text, extra or {}))


def _meta_line(doc: ParsedDocument) -> str:
    """One line of facts about the plan for the answerer (kept out of the chunk text)."""
    m = doc.meta
    parts = [f"{m.doc_type} số {m.number}" if m.number else m.doc_type, f"ngày {m.date}" if m.date else "",
             f"cơ quan ban hành: {m.issuer}" if m.issuer else "",
             f"người ký: {m.signer} ({m.signer_title})" if m.signer else "", f"trích yếu: {m.title}" if m.title else ""]
    return "; ".join(p for p in parts if p)


def chunk_document(doc: ParsedDocument, max_chars: int = 900) -> list[Chunk]:
    """Chunks in document order, ids f"{doc_id}#{i:04d}", each with its heading path, label and span."""
    chunker = _Chunker(doc, max_chars)
    out: list[Chunk] = []
    for piece in chunker.run():
        text = piece.text if piece.text is not None else chunker.render(piece.start, piece.end)
        if not text.strip():
            continue
        out.append(Chunk(chunk_id=f"{doc.doc_id}#{len(out):04d}", doc_id=doc.doc_id, text=text,
                         heading_path=piece.path, label=piece.label, start=piece.start, end=piece.end,
                         kind=piece.kind, extra=piece.extra))
    annotate_references(out)
    return out
