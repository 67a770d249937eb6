"""Turn the chosen unit(s) into a short answer and its citations, by what the question asks.

Quoted parts stay verbatim, so figures are never altered; only short connecting words
("chủ trì", "thời gian:") and a table's unit column beside its figures ("2025: 12%") are added.
Shortening a clause to the room is `shortening`'s.
"""

from __future__ import annotations

import re

from assistant.answer.units import (
    LIST_START_RE, Unit, assigns_lead, clauses, has_time, is_heading_line, tcth_agency, years_in,
)
from assistant.vi.normalize import folded, squash
from assistant.answer.scoring import LIST_ASKED, Profile, coverage
from assistant.answer.profile import named_words, quantity_kind
from assistant import tuning
from assistant.answer.continuation import part_at
from assistant.answer.quotes import locate_quote
from assistant.answer.shortening import ANSWER_LIMIT, clip, focused_list, shorten
from assistant.ingest.chunking import PREAMBLE_HEADING
from assistant.ingest.lines import strip_list_marker
from assistant.records import Citation, Hit
from assistant.vi.tokens import bm25_tokens

LIST_LIMIT = 700  # a list asked for whole may run longer (about five lines of the chat); session 5: 450 -> 700 brought 4 blind dev lists whole, 1000 nothing more


def make_citation(bundle, hit: Hit, quote: str) -> Citation:
    """A citation of `quote` (document words) in the hit's chunk, with its offsets when found."""
    chunk = hit.chunk
    doc = bundle.documents[chunk.doc_id]
    quote = squash(quote)
    start, end = locate_quote(doc.text, quote, chunk.start, chunk.end)
    chunk_id = part_at(chunk, start) if start >= 0 else chunk.chunk_id
    return Citation(doc_id=chunk.doc_id, title=doc.meta.title, section=chunk.section, label=chunk.label,
                    quote=quote, chunk_id=chunk_id, start=start, end=end)


def quote_of(unit: Unit) -> str:
    """What a citation quotes for a unit: its sentence, or a table row's task cell (verbatim)."""
    if unit.kind == "row":
        if not _is_task_row(unit):
            line = unit.chunk.text.splitlines()[-1]
            return line if "|" in line else unit.text  # a row typed on its own line: that line
        task = row_parts(unit)[0]
        if task:
            return task
    return unit.text


_UNIT_COLUMN_RE = re.compile(r"^(?:don vi(?: tinh)?|dvt)$")


def _is_task_row(unit: Unit) -> bool:
    """A row of a task table (who does what, when), not of an indicator table ("Chỉ tiêu | Đơn vị tính
    | 2025"), which may name who follows each indicator ("Cơ quan chủ trì theo dõi") too."""
    if any(_UNIT_COLUMN_RE.match(folded(k).strip(" .:")) for k in unit.cells) and not column_value(unit.cells, *_TASK_COLUMNS):
        return False
    return bool(column_value(unit.cells, *_TASK_COLUMNS, "chu tri", "thoi gian"))


def finish(text: str) -> str:
    """End an answer as a sentence: a quoted bullet's trailing ";" or "," becomes a full stop."""
    text = text.strip()
    if text.endswith((";", ",")):
        text = text[:-1].rstrip()
    return text if text.endswith((".", "!", "?", "…", ")", "”", "\"")) else text + "."


def column_value(cells: dict[str, str], *needles: str) -> str:
    """The first column named by the earliest needle that names one ("chủ trì" before "đơn vị"),
    never the unit column ("Đơn vị tính")."""
    for needle in needles:
        for name, value in cells.items():
            if needle in folded(name) and not _UNIT_COLUMN_RE.match(folded(name).strip(" .:")):
                return squash(value)
    return ""


_TASK_COLUMNS = ("nhiem vu", "ten", "giai phap", "noi dung", "hoat dong")


def row_parts(unit: Unit) -> tuple[str, str, str]:
    """(task, lead agency, period) of a table row."""
    return cell_parts(unit.cells)


def cell_parts(cells: dict[str, str]) -> tuple[str, str, str]:
    """(task, lead agency, period) of a table row's cells."""
    task = column_value(cells, *_TASK_COLUMNS)
    agency = column_value(cells, "chu tri", "co quan", "don vi")
    period = column_value(cells, "thoi gian", "thoi han", "tien do", "nam")
    if not task:
        task = next((squash(v) for k, v in cells.items() if squash(v) not in (agency, period)), "")
    return task, agency, period


def compose_row(unit: Unit, profile: Profile, limit: int = ANSWER_LIMIT) -> str:
    """A table row as an answer: who and when for "ai/đơn vị nào", when first for "khi nào",
    the task itself (the part the question is about) for anything else; and any other column the
    question names ("… kinh phí bao nhiêu?" -> "Kinh phí (triệu đồng): 48.500")."""
    text = _compose_row(unit, profile, limit)
    named = _named_columns(unit, profile)
    if not named or not _is_task_row(unit):
        return text
    tail = "; ".join(f"{column}: {squash(value)}" for column, value in named)
    if len(text) + len(tail) + 2 > limit:
        text = _compose_row(unit, profile, max(60, limit - len(tail) - 2))
    return f"{text.rstrip('.')}; {tail}."


_MONEY_ASKED_RE = re.compile(r"\b(?:kinh phi|du toan|bao nhieu tien|ton bao nhieu|chi phi|tong von|von bao nhieu)\b")


def _named_columns(unit: Unit, profile: Profile) -> list[tuple[str, str]]:
    """Columns besides task, agency and period whose header the question names: a two-word term of it,
    or all its words in another order ("Nguồn vốn" for "lấy vốn từ nguồn nào")."""
    task, agency, period = row_parts(unit)
    # the money column when money is asked, whatever else is ("ai chủ trì, … dự toán bao nhiêu")
    money = profile.wants == "number" and quantity_kind(profile) == "money" or bool(_MONEY_ASKED_RE.search(profile.folded))
    out = []
    for column, value in unit.cells.items():
        value = squash(value)
        if not value or value in (task, agency, period) or column.strip().upper().rstrip(".") in ("TT", "STT"):
            continue
        words = [t for t in bm25_tokens(column) if "_" not in t and not t.isdigit()]
        if any(t in profile.weights for t in bm25_tokens(column) if "_" in t) or \
                (len(words) >= 2 and all(t in profile.weights for t in words)) or \
                (money and re.search(r"\b(?:dong|kinh phi|von)\b", folded(column))):
            out.append((column, value))  # named, or the money column of "tốn bao nhiêu tiền"
    return out


_FIGURE_CELL_RE = re.compile(r"[≥≤<>]?\s*\d[\d.,]*")


def _with_unit(shown: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """An indicator row's figures with their unit ("Đơn vị: % … 2025: 12" -> "2025: 12%"), the unit
    column then said by every figure instead of once."""
    unit = next((v for k, v in shown if _UNIT_COLUMN_RE.match(folded(k).strip(" .:"))), "")
    if not unit or len(unit) > 15 or not any(_FIGURE_CELL_RE.fullmatch(v) for _, v in shown):
        return shown
    glue = "" if unit == "%" else " "
    return [(k, f"{v}{glue}{unit}" if _FIGURE_CELL_RE.fullmatch(v) else v) for k, v in shown
            if not _UNIT_COLUMN_RE.match(folded(k).strip(" .:"))]


def _compose_row(unit: Unit, profile: Profile, limit: int) -> str:
    wants = profile.wants
    if not _is_task_row(unit):
        # Not a task table (an indicator table: "Chỉ tiêu | Đơn vị | 2023 | 2025"): every cell by its column.
        shown = [(k, squash(v)) for k, v in unit.cells.items() if squash(v) and k.strip().upper().rstrip(".") not in ("TT", "STT")]
        return shorten("; ".join(f"{k}: {v}" for k, v in _with_unit(shown)), profile, limit) + "."
    task, agency, period = row_parts(unit)
    if wants == "time" and has_time(task):
        # The task names its own period ("… giai đoạn 2021-2030, tầm nhìn đến năm 2045"): lead with it.
        tail = f" (thời gian thực hiện: {period})" if period else ""
        return clip(task.rstrip("."), limit - len(tail)) + tail + "."
    if wants in ("list", "other", "yesno"):
        # The task is the content asked for; who and when follow in brackets.
        extra = "; ".join(p for p in (f"chủ trì: {clip(agency, 80)}" if agency else "",
                                      f"thời gian: {period}" if period else "") if p)
        tail = f" ({extra})" if extra else ""
        return shorten(task.rstrip("."), profile, limit - len(tail) - 1) + tail + "."
    room = 230 if wants == "time" else 150
    room = min(room, limit - len(agency) - len(period) - 40)
    if room < 30:
        return "; ".join(p for p in (f"{agency} chủ trì" if agency else "", f"thời gian: {period}" if period else "") if p) + "."
    task_part = f"nhiệm vụ “{clip(task.rstrip('.'), room)}”"
    if wants == "time":
        parts = [f"Thời gian: {period}" if period else "", f"chủ trì: {agency}" if agency else "", task_part]
    else:
        parts = [f"{agency} chủ trì" if agency else "", f"thời gian: {period}" if period else "", task_part]
    text = "; ".join(p for p in parts if p)
    return text[0].upper() + text[1:] + "."


def after_colon(text: str, profile: Profile, *, copula: bool = False) -> str:
    """For "X như: A, B" (and with `copula`, "X gồm A, B", "X là A; B") where X is what the
    question asks about: "A, B". The first such list wins."""
    whole = coverage(frozenset(bm25_tokens(text)), profile)
    starts = sorted(LIST_START_RE.finditer(text), key=lambda m: (not m.group().startswith(":"), m.start()))
    for m in starts:  # a colon first: "gồm 03 chỉ số: (1) …; (2) …" lists after the colon
        if not copula and not m.group().startswith(":"):
            continue
        starts = [text.rfind(sep, 0, m.start()) for sep in ("; ", "(", ". ", ": ")]
        if starts[1] >= 0 and text.find(")", starts[1], m.start()) >= 0:
            starts[1] = -1  # "3 cấp (tỉnh, huyện, xã) đến …:" — a bracket closed before the list opens
        head_start = max(starts) + 1
        head = text[head_start : m.start()]
        opened = head_start > 0 and text[head_start - 1] == "("
        end = text.find(")", m.end()) if opened else -1
        tail = text[m.end() : end if end > 0 else len(text)].strip()
        nested = tail.find(": ")
        if nested > 0:  # "…; (3) … tại địa chỉ: https://…": the list ends before the next colon
            cut = max(tail.rfind("; ", 0, nested), tail.rfind(", ", 0, nested))
            tail = tail[:cut] if cut > 0 else tail
        needed = 1 if m.group().startswith(":") else 2
        if len(re.findall(r"[;,]", tail)) < needed or len(tail) < 15:
            continue
        if coverage(frozenset(bm25_tokens(head)), profile) >= 0.5 * whole:
            return tail
    return ""


def item_head(text: str) -> str:
    """One item of an enumeration, cut to its head when it runs long ("Các ngành, lĩnh vực khác: gồm
    các ngành tài chính, ngân hàng, … : tập trung phát triển …"), so a long item does not crowd out the
    items after it or bury the list."""
    text = text.rstrip(".;")
    limit = int(tuning.value("list_item_chars"))
    if len(text) <= limit:
        return text
    cut = max(text.rfind("; ", 0, limit), text.rfind(", ", 0, limit))
    return (text[:cut] if cut >= limit // 2 else clip(text, limit).rstrip("…")).rstrip(" ,;:") + "…"


def enumeration(text: str, limit: int) -> str:
    """A list cut to whole items within the limit."""
    if len(text) <= limit:
        return text
    cut = max(text.rfind("; ", 0, limit - 1), text.rfind(", ", 0, limit - 1))
    if cut < limit // 2:
        return clip(text, limit)
    return text[:cut].rstrip(" ,;") + "…"


def list_items(best: Unit, units: list[Unit]) -> list[Unit]:
    """A list intro ("… gồm:") with the bullets that follow it in the same chunk, bounded."""
    same = [u for u in units if u.chunk.chunk_id == best.chunk.chunk_id and u.kind == "sentence"]
    # a lead is its whole line; `enumeration` bounds the items by length
    return [u for u in same if u.line > best.line and u.lead.endswith(best.text)]


def _preamble(best: Unit, units: list[Unit]) -> tuple[str, list[Unit]]:
    """The documents a plan is based on, asked for as a list: every "Căn cứ …" line of its preamble."""
    items = [u for u in units if u.hit is best.hit and u.kind == "sentence"]
    if sum(len(clauses(u.text)) for u in items) < 2:  # its lines end in ";", so they read as one sentence
        return "", []
    return " ".join(u.text for u in items), items


def _under_heading(best: Unit, same: list[Unit], profile: Profile) -> tuple[str, list[Unit]]:
    """The bullets of a numbered heading that opens them ("1. Tổng kinh phí … là 286,4 tỷ đồng, trong
    đó:", or a title without a colon: "c) Nền tảng trí tuệ nhân tạo"), each with its next sentence or
    wrapped line ("- Nguồn …: / 105,2 tỷ đồng.") — when the heading covers the question at least as well
    as the bullet and no year of the bullet's is asked. An agency's heading in "TỔ CHỨC THỰC HIỆN" opens
    its duties only with a colon (its duties are listed by `duties`, one asked duty stays alone)."""
    heading = best.chunk.text.split("\n", 1)[0].strip()  # as written, with its colon
    if set(profile.years) & years_in(best.text) or (not heading.endswith(":") and tcth_agency(best.chunk)) or \
            not is_heading_line(heading, best.chunk) or \
            coverage(named_words(frozenset(bm25_tokens(heading))), profile) < coverage(named_words(best.tokens), profile):
        return "", []
    groups: list[list[Unit]] = []
    for u in same:
        if u.lead and not (groups and u.lead.endswith(groups[-1][-1].text)):
            continue  # an item of a nested list
        if u.marked and (not groups or groups[-1][-1].line != u.line):
            groups.append([u])
        elif groups:
            groups[-1].append(u)
    if len(groups) < 2:
        return "", []
    joined = "; ".join(" ".join(u.text for u in g).rstrip(".;") for g in groups)
    return f"{strip_list_marker(heading).rstrip(':')}: {joined}.", [u for g in groups for u in g]


def whole_list(best: Unit, units: list[Unit], profile: Profile) -> tuple[str, list[Unit]]:
    """The list a unit belongs to, asked for whole: its intro ("… gồm các yêu cầu:") and every item
    under it — when the question is about the list (its intro covers the question at least as well
    as the item does), not about one item of it. ("", []) otherwise."""
    head = best.lead
    same = [u for u in units if u.chunk.chunk_id == best.chunk.chunk_id and u.kind == "sentence"]
    if not head and best.marked:
        return _under_heading(best, same, profile)
    if coverage(named_words(frozenset(bm25_tokens(head))), profile) < coverage(named_words(best.tokens), profile):
        return "", []
    first_per_line: dict[int, Unit] = {}
    for u in same:
        if u.lead == head:
            first_per_line.setdefault(u.line, u)
    items = [first_per_line[k] for k in sorted(first_per_line)]
    if len(items) < 2:
        return "", []
    joined = "; ".join(item_head(u.text) for u in items)
    intro = [u for u in same if u.line < items[0].line and head.endswith(u.text)][-1:]  # its last sentence
    return f"{intro[0].text if intro else head} {joined}.", intro + items


def compose(best: Unit, units: list[Unit], profile: Profile, limit: int = ANSWER_LIMIT) -> tuple[str, list[Unit]]:
    """The answer text for the chosen unit (about `limit` characters at most), and the units it quotes."""
    wants = profile.wants
    if best.kind == "row":
        return compose_row(best, profile, limit), [best]
    if best.chunk.section == PREAMBLE_HEADING and (wants == "list" or profile.info.list_weight >= LIST_ASKED):
        text, used = _preamble(best, units)  # "căn cứ vào những văn bản nào": all of them
        if text:
            return enumeration(text, _list_limit(limit)), used
    if wants == "list" or profile.info.list_weight >= LIST_ASKED:
        # "tổng kinh phí bao nhiêu, chia ra từ những nguồn nào": a figure asked with all its parts
        text, used = whole_list(best, units, profile)
        if text:
            return enumeration(text, _list_limit(limit)), used
    if wants == "list" or profile.info.list_weight >= LIST_ASKED:
        parts = _sub_items(best, units)  # "- Hỗ trợ … cảm biến …" with its "+ Ưu tiên các vùng chè …"
        if parts:
            text = f"{best.text.rstrip('.;:')}: {'; '.join(item_head(u.text) for u in parts)}."
            return enumeration(text, _list_limit(limit)), [best, *parts]
    text = best.text
    used = [best]
    intro = [best]
    if wants == "list" and best.opens and not best.text.endswith(":"):
        # "… trên một số dữ liệu của tỉnh. Các nhiệm vụ cụ thể:" — the list is the line's, opened after it
        line = [u for u in units if u.chunk.chunk_id == best.chunk.chunk_id and u.line == best.line
                and u.kind == "sentence"]
        intro = line[line.index(best):] if best in line else [best]
    if intro[-1].text.endswith(":") or intro[-1].opens:
        items = list_items(intro[-1], units)
        if items:
            used = intro + items
            joined = "; ".join(item_head(u.text) for u in items)
            text = f"{' '.join(u.text for u in intro)} {joined}."
            return enumeration(text, _list_limit(limit)), used
    if wants == "agency" and best.kind == "sentence" and not assigns_lead(text) and not tcth_agency(best.chunk):
        # "c) Tham mưu ban hành chính sách … . Sở Kế hoạch và Đầu tư chủ trì …": the item's next
        # sentence says who leads the task the question found.
        follow = next((u for u in units if u.chunk.chunk_id == best.chunk.chunk_id and u.kind == "sentence"
                       and u.line == best.line and u.hit is best.hit and _after(u, best, units)
                       and assigns_lead(u.text)), None)
        if follow is not None:
            lead = shorten(follow.text, profile, max(limit // 2, limit - len(text) - 1))
            return f"{shorten(text, profile, max(60, limit - len(lead) - 1))} {lead}", [best, follow]
    if wants == "list" and best.marked:  # a list asked of one bullet: all its sentences, when they fit
        line = [u for u in units if u.chunk.chunk_id == best.chunk.chunk_id and u.line == best.line and u.kind == "sentence"]
        if len(line) > 1 and sum(len(u.text) + 1 for u in line) <= limit:
            text, used = " ".join(u.text for u in line), line
    prefix = ""
    if wants in ("agency", "list", "other", "yesno"):
        agency = tcth_agency(best.chunk)
        if agency and folded(agency) not in folded(text) and (wants == "agency" or not _named(agency, profile)):
            prefix = f"{agency}: "
    if wants in ("number", "compare") and not _own_years(text):
        # "Mục tiêu cơ bản đến năm 2030: …": the year a target is for, from its list intro or heading.
        context = best.lead or (best.chunk.heading_path[-1] if best.chunk.heading_path else "")
        context = re.sub(r"^\s*(?:[a-zđ]\)|(?:\d+\.)+\d*|[IVX]+\.)\s*", "", context).rstrip(" :")
        if context and _own_years(context) and (not profile.years or set(profile.years) & _own_years(context)):
            prefix = f"{clip(context, 80)}: "
    room = limit - len(prefix)
    if len(text) > room and wants in ("list", "other", "yesno"):
        items = after_colon(text, profile, copula=wants == "list")
        if items:
            return prefix + enumeration(items, _list_limit(room) if wants == "list" else room), used
    if wants == "list" and (part := focused_list(text, profile)):
        return prefix + shorten(part.rstrip(" .;"), profile, room) + ".", used
    if wants == "list" and len(clauses(text)) >= 3:  # "Căn cứ A; Căn cứ B; Căn cứ C": the items
        room = _list_limit(room)  # around the best one, as many as fit
    text = shorten(text, profile, room)
    return prefix + text, used


def _sub_items(best: Unit, units: list[Unit]) -> list[Unit]:
    """The "+" items hanging under the item `best` ends (units.units_of gives them it as their lead)."""
    if best.kind != "sentence" or not best.marked:
        return []
    line = [u for u in units if u.chunk.chunk_id == best.chunk.chunk_id and u.line == best.line and u.kind == "sentence"]
    if not line or line[-1] is not best:
        return []
    body = " ".join(u.text for u in line)
    first: dict[int, Unit] = {}
    for u in units:
        if u.chunk.chunk_id == best.chunk.chunk_id and u.kind == "sentence" and u.line > best.line and u.lead == body:
            first.setdefault(u.line, u)
    return [first[k] for k in sorted(first)]


def _after(unit: Unit, best: Unit, units: list[Unit]) -> bool:
    """`unit` comes after `best` in the chunk's order of units."""
    order = {id(u): i for i, u in enumerate(units)}
    return order.get(id(unit), -1) > order.get(id(best), -1)


def _list_limit(limit: int) -> int:
    """Room for a bare enumeration: longer than a sentence, unless the caller asked for less."""
    return LIST_LIMIT if limit >= ANSWER_LIMIT else limit


def _named(agency: str, profile: Profile) -> bool:
    """Whether the question already names this agency (possibly abbreviated: "Sở TT&TT")."""
    words = {t for t in bm25_tokens(agency) if "_" in t}
    return bool(words) and len(words & profile.weights.keys()) >= 0.6 * len(words)


def _own_years(text: str) -> set[int]:
    return {int(y) for y in re.findall(r"(?<!\d)(?:19|20)\d\d(?!\d)", text)}
