"""Rebuild task tables (TT | Nhiệm vụ | Chủ trì | Thời gian) that text extraction flattened to one cell per line.

Two flattenings occur: cells ended by `|` lines (wrapped cells span several lines, empty cells are
consecutive `|`), and bare cells one per line with no separator at all. Either way the rows come back
with their group rows (A / I ...) so each task can be cited with its agency and period.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from assistant.ingest.lines import Line, ends_terminal, is_caps, roman_value, starts_lower
from assistant.vi.normalize import squash

_HEADER_START = re.compile(r"S?TT\.?", re.IGNORECASE)
_TOKEN = re.compile(r"(?P<tok>[A-Z]|[IVX]{1,6}|\d{1,3}(?:\.\d{1,2}){0,2})\.?")
_TIME_COLUMN = re.compile(r"thời gian|tiến độ|thời hạn|năm", re.IGNORECASE)
_TIME = re.compile(r"(?:(?:quý|tháng)\s+[\dIVX]+\s*/\s*)?(?:năm\s+)?\d{4}(?:\s*[-–]\s*\d{4})?|hằng năm|hàng năm"
                   r"|thường xuyên|liên tục", re.IGNORECASE)
_MAX_HEADER_CELL = 40
_MAX_COLUMNS = 10


@dataclass
class TableRow:
    """A group row (A / I: a title spanning the table) or a task row (numbered, one cell per column)."""

    kind: str  # "group" | "row"
    number: str  # "A", "I", "2" (without the trailing dot); "" for an unnumbered group
    level: int  # groups: 1 for letters/unnumbered, 2 for Roman numerals; rows: 3
    cells: dict[str, str]  # column name -> cell text (groups: first two columns)
    start: int
    end: int
    title: str = ""  # groups only
    source: str = ""  # the row's own line, for tables written one row per line ("| 1 | … | 60 |")


@dataclass
class Table:
    """A rebuilt table: its column names, rows in order, and where it starts and ends."""

    columns: list[str]
    rows: list[TableRow]
    start: int  # offset of the header's first cell
    header_end: int  # offset just past the header's last cell
    end: int
    end_index: int  # index of the first line after the table
    piped: bool = False
    header: str = ""  # the header's own line, for tables written one row per line


def _token(text: str) -> str | None:
    m = _TOKEN.fullmatch(text.strip())
    return m.group("tok") if m else None


def _group_level(token: str) -> int | None:
    """1 for a letter group (A, B), 2 for a Roman group (I, II), None for a task number."""
    if token[0].isdigit():
        return None
    return 2 if roman_value(token) else 1


def is_table_start(line: Line) -> bool:
    """A table is recognised by its first header cell, TT/STT: alone on its line, or the first of
    the "|"-separated cells of a row written on one line ("| STT | Chỉ tiêu | Đơn vị | 2025 |")."""
    if _HEADER_START.fullmatch(line.text):
        return True
    cells = inline_cells(line.text)
    return len(cells) >= 2 and bool(_HEADER_START.fullmatch(cells[0]))


def parse_table(lines: list[Line], i: int) -> Table | None:
    """Parse the table whose header starts at lines[i]; None when what follows is not a table."""
    if not is_table_start(lines[i]):
        return None
    if len(inline_cells(lines[i].text)) >= 2:
        return _parse_inline(lines, i)
    if i + 1 < len(lines) and lines[i + 1].text == "|":
        return _parse_piped(lines, i)
    return _parse_plain(lines, i)


# --- one row per line, cells separated by "|" ----------------------------------------------------

def inline_cells(text: str) -> list[str]:
    """The cells of a row written on one line: "| 1 | Tỷ lệ … | % | 60 |" or "1 | Tỷ lệ … | %"."""
    if text.count("|") < 2 and not (text.count("|") == 1 and not text.strip().startswith("|")):
        return []
    cells = [squash(c) for c in text.split("|")]
    if text.lstrip().startswith("|"):
        cells = cells[1:]
    if text.rstrip().endswith("|"):
        cells = cells[:-1]
    return cells if len(cells) >= 2 else []


def _parse_inline(lines: list[Line], i: int) -> Table | None:
    """A header row, then one row per line until a line that is not a row; a row whose first cell is
    a letter or Roman numeral and whose other cells after the second are empty is a group row."""
    columns = inline_cells(lines[i].text)
    if not 2 <= len(columns) <= _MAX_COLUMNS or any(not c or len(c) > _MAX_HEADER_CELL for c in columns):
        return None
    rows: list[TableRow] = []
    j = i + 1
    while j < len(lines):
        cells = inline_cells(lines[j].text)
        if not cells or set(cells[0]) <= set("-: "):  # not a row; or a Markdown rule "|---|---|"
            if cells:
                j += 1
                continue
            break
        cells = (cells + [""] * len(columns))[:len(columns)]
        token = _token(cells[0])
        line = lines[j]
        level = _group_level(token) if token else None
        if level is not None and not any(cells[2:]):
            rows.append(TableRow("group", token, level, dict(zip(columns[:2], cells[:2])), line.start, line.end, cells[1]))
        elif token:
            rows.append(TableRow("row", token, 3, {c: v for c, v in zip(columns, cells)}, line.start, line.end,
                                 source=line.text))
        else:
            break
        j += 1
    if not any(r.kind == "row" for r in rows):
        return None
    end = rows[-1].end
    return Table(columns, rows, lines[i].start, lines[i].end, end, j, piped=True, header=lines[i].text)


def row_text(row: TableRow, columns: list[str]) -> str:
    """A row as text that keeps each cell verbatim: "Tên nhiệm vụ: …. Chủ trì: …. Thời gian: …."."""
    parts = []
    for column in columns[1:]:
        value = row.cells.get(column, "")
        if value:
            parts.append(f"{column}: {value}" + ("" if ends_terminal(value) else "."))
    return " ".join(parts)


# --- cells ended by "|" lines -------------------------------------------------------------------

def _piped_cells(lines: list[Line], i: int) -> list[tuple[list[Line], int]]:
    """Cells from lines[i:], each with the index just past its closing `|`."""
    cells: list[tuple[list[Line], int]] = []
    current: list[Line] = []
    j = i
    while j < len(lines):
        if lines[j].text == "|":
            cells.append((current, j + 1))
            current = []
        else:
            current.append(lines[j])
        j += 1
    if current:
        cells.append((current, j))
    return cells


def _cell_text(cell: list[Line]) -> str:
    return squash(" ".join(line.text for line in cell))


def _parse_piped(lines: list[Line], i: int) -> Table | None:
    """Header cells until the first row token, then rows of exactly as many cells."""
    cells = _piped_cells(lines, i)
    k = 0
    columns: list[str] = []
    while k < len(cells) and len(columns) <= _MAX_COLUMNS:
        text = _cell_text(cells[k][0])
        if columns and _token(text):
            break
        if not text or len(text) > _MAX_HEADER_CELL:
            return None
        columns.append(text)
        k += 1
    if not 2 <= len(columns) <= _MAX_COLUMNS or k >= len(cells):
        return None
    header_end = cells[k - 1][0][-1].end
    rows: list[TableRow] = []
    end_index, end = cells[k - 1][1], header_end
    n = len(columns)
    while k + n <= len(cells):
        group = cells[k:k + n]
        token = _token(_cell_text(group[0][0]))
        if not token or not group[0][0]:
            break
        texts = [_cell_text(c[0]) for c in group]
        used = [line for c in group for line in c[0]]
        level = _group_level(token)
        start, stop = used[0].start, used[-1].end
        if level is not None:
            rows.append(TableRow("group", token, level, dict(zip(columns[:2], texts[:2])), start, stop, texts[1]))
        else:
            rows.append(TableRow("row", token, 3, dict(zip(columns, texts)), start, stop))
        end_index, end = group[-1][1], stop
        k += n
    if not any(r.kind == "row" for r in rows):
        return None
    return Table(columns, rows, lines[i].start, header_end, end, end_index, piped=True)


# --- bare cells, one per line -------------------------------------------------------------------

def _is_plain_group_title(text: str) -> bool:
    """An unnumbered group row: an all-capitals title of a few words."""
    return is_caps(text, 6) and len(text.split()) >= 2 and not ends_terminal(text) and not _token(text)


def _parse_plain(lines: list[Line], i: int) -> Table | None:
    """Header lines until the first row token, then group rows (token + title) and numbered rows."""
    columns = [lines[i].text]
    j = i + 1
    while j < len(lines) and not _token(lines[j].text):
        text = lines[j].text
        if len(text) > _MAX_HEADER_CELL or ends_terminal(text) or len(columns) > _MAX_COLUMNS:
            return None
        columns.append(squash(text))
        j += 1
    if len(columns) < 3 or j >= len(lines):
        return None
    header_end = lines[j - 1].end
    n = len(columns)
    rows: list[TableRow] = []
    end_index, end = j, header_end
    while j < len(lines):
        text = lines[j].text
        token = _token(text)
        if token is None:
            if not _is_plain_group_title(text):
                break
            rows.append(TableRow("group", "", 1, {columns[1]: squash(text)}, lines[j].start, lines[j].end,
                                 squash(text)))
            j += 1
        elif _group_level(token) is not None:
            if j + 1 >= len(lines) or _token(lines[j + 1].text):
                break
            stop = j + 2
            while stop < len(lines) and starts_lower(lines[stop].text):  # a wrapped group title
                stop += 1
            title = squash(" ".join(line.text for line in lines[j + 1:stop]))
            rows.append(TableRow("group", token, _group_level(token) or 1, {columns[0]: token, columns[1]: title},
                                 lines[j].start, lines[stop - 1].end, title))
            j = stop
        else:
            stop = _plain_row_end(lines, j, n, _next_numbers(token), bool(_TIME_COLUMN.search(columns[-1])))
            cell_lines = lines[j + 1:stop]
            if not cell_lines:
                break
            texts = [token] + _plain_cells(cell_lines, n - 1)
            rows.append(TableRow("row", token, 3, dict(zip(columns, texts)), lines[j].start, cell_lines[-1].end))
            j = stop
        end_index, end = j, rows[-1].end
    if not any(r.kind == "row" for r in rows):
        return None
    return Table(columns, rows, lines[i].start, header_end, end, end_index)


def _next_numbers(token: str) -> set[str]:
    """Row numbers that may follow `token`: "2" after "1"; "1.2", "1.1.1" or "2" after "1.1"."""
    parts = token.split(".")
    out = {".".join(parts[:-1] + [str(int(parts[-1]) + 1)]), token + ".1"}
    for k in range(1, len(parts)):
        out.add(".".join(parts[:k - 1] + [str(int(parts[k - 1]) + 1)]))
    return out


def _plain_row_end(lines: list[Line], j: int, n: int, next_numbers: set[str], time_last: bool) -> int:
    """Index just past the row numbered on lines[j]: bare cells do not show where a wrapped cell ends."""
    # The next row's number (or a group row) bounds the row; the last row ends at its period cell, or
    # keeps n-1 cells plus lower-case continuation lines.
    limit = min(len(lines), j + 20 * n)
    for k in range(j + 1, limit):
        text = lines[k].text
        token = _token(text)
        if token in next_numbers or (token is not None and _group_level(token) is not None
                                    and k + 1 < len(lines) and not _token(lines[k + 1].text)):
            return k
        if k - j >= n and _is_plain_group_title(text):
            return k
    if time_last:  # the last row: its final cell is the period, wherever its task cell wrapped
        for k in range(j + n - 1, limit):
            if _TIME.fullmatch(lines[k].text):
                return k + 1
    stop = min(len(lines), j + n)
    while stop < len(lines) and starts_lower(lines[stop].text):
        stop += 1
    return stop


def _plain_cells(cell_lines: list[Line], count: int) -> list[str]:
    """Lines to `count` cells: lower-case lines continue the previous cell; surplus lines join the first."""
    cells: list[str] = []
    for line in cell_lines:
        if cells and starts_lower(line.text):
            cells[-1] += " " + line.text
        else:
            cells.append(line.text)
    while len(cells) > count:
        cells[0:2] = [cells[0] + " " + cells[1]]
    cells += [""] * (count - len(cells))
    return [squash(c) for c in cells]


# "Bảng 1. Một số chỉ số hiện trạng đến hết năm 2025", "Biểu số 02: …", "Phụ biểu 3 - …"
_CAPTION_RE = re.compile(r"^\s*(?:Bảng|Biểu|Phụ biểu)\s+(?:số\s+)?\d+[a-z]?\s*[.:\-–]\s*\S", re.IGNORECASE)


def is_caption(text: str) -> bool:
    """A table's caption line: what its rows state, often as of when."""
    return bool(_CAPTION_RE.match(text))


def caption_above(lines: list[Line], i: int) -> str:
    """The caption line right above the table starting at line `i`, or ""."""
    j = i - 1
    while j >= 0 and not lines[j].text.strip():
        j -= 1
    return lines[j].text.strip() if j >= 0 and is_caption(lines[j].text) else ""
