"""Duties of a named agency: "Sở X (tỉnh Y) có nhiệm vụ / trách nhiệm gì / được giao làm gì?".

The answer is what the plan's "TỔ CHỨC THỰC HIỆN" section lists under that agency's own heading
("VI. TỔ CHỨC THỰC HIỆN > 11. Sở Khoa học và Công nghệ" → its items a), b), …), not a table row
the agency happens to lead, and not a clause for "các cơ quan, đơn vị" in general. Agencies are
matched syllable by syllable on folded text with abbreviations spelled out, so "Sở KH&ĐT",
"Sở LĐTBXH" and "so khoa hoc va cong nghe" find their headings.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from assistant.answer.units import TCTH, Unit, clauses, logical_lines, section_numbers
from assistant.vi.sentences import split_sentences
from assistant.vi.normalize import folded
from assistant.answer.profile import content_text
from assistant.ingest.lines import strip_list_marker
from assistant.records import Chunk, Hit
from assistant.vi.agencies import AGENCY_HEADS, heads_pattern
from assistant.retrieve.analysis import QueryInfo
from assistant.vi.phrases import abbreviation_matcher
from assistant.vi.syllables import scan

# "có nhiệm vụ gì", "trách nhiệm gì", "được giao làm gì", "vai trò gì", "phụ trách những việc gì".
_DUTY_RE = re.compile(
    r"\b(?:nhiem vu|trach nhiem|vai tro|duoc giao|phan cong|cong viec|lam gi|lam nhung gi|lam (?:nhung )?viec|phu trach)\b"
    r".*\b(?:gi|nao|nhung viec|ra sao|the nao)\b|\b(?:nhiem vu|trach nhiem|vai tro) cua\b"
)
# "Cơ quan nào …", "ai …": asks who, not what an agency does.
_WHO_RE = re.compile(r"\b(?:co quan|don vi|so|nganh|ben|ai|to chuc) nao\b|(?:^|\s)ai(?:\s|$)|\bdo ai\b")
# Where a heading's list of agencies ends and what they do begins.
_VERBS_RE = re.compile(
    r"\s(?:phối hợp|chủ trì|chỉ đạo|xây dựng|tham mưu|thực hiện|triển khai|có trách nhiệm|tăng cường|"
    r"phát huy|là đầu mối|căn cứ|tổ chức thực hiện)\b|:")  # lower-case: "Ban Chỉ đạo" is a name
_HEADS = heads_pattern([*AGENCY_HEADS, "Các", "các"])
_SPLIT_RE = re.compile(rf",\s*(?=(?:{_HEADS})\b)|\s+và\s+(?=(?:{_HEADS})\b)")
_PLACE_TAIL_RE = re.compile(r"\s(?:tinh|thanh pho)$")
ITEMS = 6
# Words a duty question uses around the agency's name that say nothing about a topic.
_FRAME = frozenset("""
co nhiem vu trach duoc giao lam gi nhung viec vai tro phan cong phu cu the la cac gom bao nao
trong cua theo ve tai o cho voi va thi se phai chiu ke hoach chuong trinh quyet dinh de an van ban
tinh thanh pho chuyen doi so kinh te xa hoi phat trien nam giai doan den dinh huong muc tieu
""".split())
_PLAN_PARTS = ("to chuc thuc hien", "trien khai")
MAX_TOPIC = 2  # more topic syllables than this: the question asks about one duty, not the list


@dataclass
class Section:
    """One agency's subsection of "TỔ CHỨC THỰC HIỆN" in one plan."""

    doc_id: str
    title: str  # the heading as written, marker dropped: "Sở Khoa học và Công nghệ"
    owners: list[str]  # folded syllables of each agency it names: ["so khoa hoc va cong nghe"]
    chunks: list[Chunk]


def is_duty_question(question: str) -> bool:
    """Asks what an agency must do, not which agency does something."""
    q = folded(question)
    return bool(_DUTY_RE.search(q)) and not _WHO_RE.search(q)


def syllables(text: str) -> str:
    """Folded syllables with abbreviations spelled out: "Sở KH&ĐT" -> "so ke hoach va dau tu"."""
    sc = scan(text)
    out: list[str] = []
    i = 0
    found = {s: (e, x) for s, e, x in abbreviation_matcher(True).find(sc.acc, sc.fol)}
    while i < len(sc.fol):
        if i in found:
            end, expansion = found[i]
            out.extend(expansion.fol)
            i = end
        else:
            out.append(sc.fol[i])
            i += 1
    return " ".join(out)


def owners_of(title: str) -> tuple[str, list[str]]:
    """The agencies a subsection heading names before saying what they do: (as written, folded)."""
    head = strip_list_marker(title).rstrip(" .…")
    head = re.sub(r"^Đề nghị\s+", "", head)
    m = _VERBS_RE.search(head)
    if m:
        head = head[: m.start()]
    names = [syllables(part) for part in _SPLIT_RE.split(head) if part.strip()]
    out: list[str] = []
    for name in names:
        if len(name.split()) >= 2:
            out.append(name)
            short = _PLACE_TAIL_RE.sub("", name)
            if short != name and len(short.split()) >= 2:
                out.append(short)  # "Công an tỉnh" is asked as "Công an Đồng Nai"
    return head.strip(" ,:"), out


class DutyIndex:
    """Per plan, the agency subsections of "TỔ CHỨC THỰC HIỆN", in document order."""

    def __init__(self, chunks: list[Chunk]) -> None:
        self.sections: dict[str, list[Section]] = {}
        titles: dict[str, dict[str, set[str]]] = {}
        by_key: dict[tuple[str, str], Section] = {}
        for chunk in chunks:
            path = chunk.heading_path
            at = next((i for i, h in enumerate(path[:-1]) if TCTH in folded(h)), None)
            if at is None:
                for heading in path:
                    m = re.match(r"((?:\d+\.)*\d+)\.?\s+(.+)", heading)
                    if m and TCTH not in folded(heading):
                        titles.setdefault(chunk.doc_id, {}).setdefault(m.group(1), set()).add(m.group(2))
                continue
            # The first heading below it that names agencies: "1. Sở Thông tin và Truyền thông", or
            # under "I. Trách nhiệm của các cơ quan, đơn vị", "9. Văn phòng UBND tỉnh".
            named = next((h for h in path[at + 1:] if owners_of(h)[1] and not folded(h).lstrip("ivx0123456789. ")
                          .startswith(("trach nhiem", "nhiem vu"))), path[at + 1])
            key = (chunk.doc_id, named)
            if key in by_key:
                by_key[key].chunks.append(chunk)
                continue
            title, owners = owners_of(named)
            if owners:
                section = Section(chunk.doc_id, title, owners, [chunk])
                by_key[key] = section
                self.sections.setdefault(chunk.doc_id, []).append(section)
        # "mục 5.2" -> "Y tế", only where the plan numbers one section so ("1" is often ambiguous).
        self.outline = {doc: {n: next(iter(t)) for n, t in numbers.items() if len(t) == 1}
                        for doc, numbers in titles.items()}

    def find(self, question: str, doc_ids: list[str]) -> Section | None:
        """The subsection of the first plan (in `doc_ids` order) whose agency the question names first."""
        q = f" {syllables(question)} "
        for doc_id in doc_ids:
            best: tuple[int, int] | None = None
            found: Section | None = None
            for section in self.sections.get(doc_id, []):
                for owner in section.owners:
                    at = q.find(f" {owner} ")
                    if at >= 0 and (best is None or (at, -len(owner)) < best):
                        best, found = (at, -len(owner)), section
            if found is not None:
                return found
        return None


def topic_words(info: QueryInfo, section: Section) -> list[str]:
    """Syllables of the question beyond the agency, places, years and duty wording ("tuyên truyền")."""
    q = f" {syllables(content_text(info))} "
    for owner in sorted(section.owners, key=len, reverse=True):
        q = q.replace(f" {owner} ", " ")
    for part in _PLAN_PARTS:  # "ở phần tổ chức thực hiện", "kế hoạch triển khai …": where, not what
        q = q.replace(f" {part} ", " ")
    return [w for w in q.split() if w not in _FRAME and not any(c.isdigit() for c in w) and len(w) > 1]


def items(section: Section, hits: list[Hit]) -> list[Unit]:
    """The subsection's items (one unit per bullet or lettered clause), in document order."""
    by_id = {h.chunk.chunk_id: h for h in hits}
    out: list[Unit] = []
    for chunk in section.chunks:
        hit = by_id.get(chunk.chunk_id) or Hit(chunk, 0.0, {})
        for line_no, (line, _) in enumerate(logical_lines(chunk.text, chunk)):
            body = strip_list_marker(strip_list_marker(line)).strip()
            if folded(body).rstrip(" :.") == folded(section.title).rstrip(" :."):
                continue
            if body.startswith(section.title + ":"):
                body = body[len(section.title) + 1 :].strip()  # "5. Sở Ngoại vụ: Sở Ngoại vụ là đầu mối …"
            if len(body) > 8:
                out.append(Unit(body, hit, 0, "sentence", line=line_no))
    return out


def _item_text(text: str, room: int) -> str:
    """An item within `room` characters: whole, else its first sentence, else its first clauses."""
    if len(text) <= room:
        return text.rstrip(" .;")
    first = split_sentences(text)[0].rstrip(" .;")
    if len(first) <= room:
        return first
    parts = clauses(first)
    if len(parts) < 2:
        parts = [p for p in re.split(r"(?<=,)\s+", first) if p]
    out = parts[0]
    for part in parts[1:]:
        if len(out) + len(part) + 2 > room:
            break
        out += ("; " if not out.endswith(",") else " ") + part
    if len(out) > room:
        out = out[:room].rsplit(" ", 1)[0]
    return out.rstrip(" ,;") + "…"


def compose_duties(section: Section, units: list[Unit], limit: int,
                   outline: dict[str, str] | None = None, topic: list[str] | None = None) -> tuple[str, list[Unit]]:
    """"Agency: item; item; …" within `limit`, citing the units used; pointers like "mục 5.2" get
    the title of the section they point to."""
    if topic:  # the items about what the question adds come first
        units = sorted(units, key=lambda u: not any(f" {w} " in f" {syllables(u.text)} " for w in topic))
    units = units[:ITEMS]
    prefix = f"{section.title}: "
    room = limit - len(prefix)
    per_item = max(90, room // max(1, len(units)) - 2)
    texts: list[str] = []
    used: list[Unit] = []
    size = 0
    for unit in units:
        text = _item_text(unit.text, per_item if size or len(units) > 1 else room)
        refs = [n for n in sorted(section_numbers(text)) if outline and n in outline]
        if refs:
            text += " (" + "; ".join(f"mục {n}: {outline[n]}" for n in refs) + ")"
        if texts and size + len(text) + 2 > room:
            break
        texts.append(text)
        used.append(unit)
        size += len(text) + 2
    body = "; ".join(texts)
    if folded(body).startswith(folded(section.title)):
        prefix = ""  # "Sở Nội vụ chủ trì tham mưu, …": the clause names its agency itself
    return prefix + body, used
