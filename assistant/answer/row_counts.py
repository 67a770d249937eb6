"""How many rows of a plan's task table: "Sở KH&CN chủ trì bao nhiêu nhiệm vụ trong phụ lục?", "nhóm y tế
có bao nhiêu nhiệm vụ?", "sở nào chủ trì nhiều nhiệm vụ nhất?".

No clause states such numbers: they are counted off the rows of the plan's task tables (rows with a
lead-agency column, "Chủ trì" / "Cơ quan chủ trì"), filtered by the lead agency the question names and
by the table group it names ("nhóm y tế" -> "V. Y tế"). The answer gives the count and the tasks, and
cites the rows it counted.
"""

from __future__ import annotations

import re

from assistant import tuning
from assistant.answer.compose import LIST_LIMIT, cell_parts, column_value, enumeration, finish, item_head, make_citation
from assistant.answer.duties import owners_of, syllables
from assistant.answer.shortening import ANSWER_LIMIT
from assistant.ingest.lines import strip_list_marker
from assistant.records import Chunk, Hit
from assistant.vi.normalize import folded

# "bao nhiêu nhiệm vụ", "mấy dự án", "bao nhiêu dòng nhiệm vụ": a count of a table's rows
_COUNT_RE = re.compile(r"\b(?:bao nhieu|may)\s+(?:dong\s+)?(nhiem vu|du an|de an|giai phap|cong viec|noi dung|dong)\b")
_NOUNS = {"nhiem vu": "nhiệm vụ", "du an": "dự án", "de an": "đề án", "giai phap": "giải pháp",
          "cong viec": "công việc", "noi dung": "nội dung", "dong": "dòng"}
_LEAD_COLUMNS = ("chu tri", "co quan thuc hien", "don vi thuc hien", "chu dau tu")
# "nhóm y tế", "phần các ngành", "lĩnh vực giáo dục", "mảng an toàn thông tin": the group asked about
_GROUP_ASKED_RE = re.compile(r"\b(?:nhom|phan|linh vuc|mang)\s+(?!tram\b)")
CITED_ROWS = 3  # a citation per counted row would bury the answer: the first few (presentation, not tuned)
_SOLE_RE = re.compile(r"\b(?:duy nhat|mot minh|rieng minh|doc lap)\b")
_MOST_RE = re.compile(r"\bnhieu (?:nhiem vu |du an |viec )?nhat\b")
# words of a group title that name no field: "Phát triển hạ tầng" is found by "hạ tầng"
_GENERIC_PHRASES = ("kinh te so", "xa hoi so", "phat trien", "xay dung", "bao dam", "dam bao", "tang cuong",
                    "nang cao", "thuc hien", "trien khai", "linh vuc", "nhiem vu", "giai phap", "trong tam")
_GENERIC_WORDS = frozenset("so va cac cua trong ve cho tai nhom".split())


# "Sở X chủ trì những nhiệm vụ nào trong phụ lục": the rows themselves, asked of the table
_LISTED_RE = re.compile(r"\b(?:nhung|cac)\s+(nhiem vu|du an|de an|giai phap|cong viec|noi dung)\s+(?:nao|gi)\b")
_TABLE_RE = re.compile(r"\b(?:phu luc|bang|danh muc)\b")


def counts_rows(question: str) -> bool:
    """The question asks how many tasks (projects, rows …) there are, or which ones a table lists."""
    return _counted(question) is not None or _listed(question) is not None


def _listed(question: str) -> re.Match[str] | None:
    q = folded(question)
    return _LISTED_RE.search(q) if _TABLE_RE.search(q) else None


def _counted(question: str) -> re.Match[str] | None:
    """The "bao nhiêu <noun>" of a row count; "bao nhieu dong" typed bare is money (đồng), not rows (dòng)."""
    m = _COUNT_RE.search(folded(question))
    if m and m.group(1) == "dong" and "dòng" not in question.lower():
        return None
    return m


def _lead(row: Chunk) -> str:
    """The row's lead-agency cell ("Chủ trì", "Cơ quan chủ trì", "Chủ đầu tư"): only task tables have one."""
    return column_value(row.extra["cells"], *_LEAD_COLUMNS)


def _task(row: Chunk) -> str:
    return cell_parts(row.extra["cells"])[0]


def _group_words(title: str) -> list[str]:
    """The words that tell a group from its siblings: "II. Phát triển kinh tế số, xã hội số trong y tế" -> y, te."""
    title = re.sub(r"^\s*(?:[A-ZĐ]|[IVXL]+|\d+(?:\.\d+)*)[.)]\s*", "", title)  # its number: "A.", "IV.", "2.1."
    text = f" {' '.join(re.findall(r'[a-z]+', folded(title)))} "
    for phrase in _GENERIC_PHRASES:
        text = text.replace(f" {phrase} ", " ")
    return [w for w in text.split() if w not in _GENERIC_WORDS]


class RowCounter:
    """Per plan, the rows of its task tables (tables with a lead-agency column)."""

    def __init__(self, chunks: list[Chunk]) -> None:
        self.rows: dict[str, list[Chunk]] = {}
        for chunk in chunks:
            if chunk.kind == "table_row" and chunk.extra.get("cells") and _lead(chunk):
                self.rows.setdefault(chunk.doc_id, []).append(chunk)

    def reply(self, bundle, question: str, hits: list[Hit], limit: int) -> tuple[str, list] | None:
        """The count and the rows counted, with citations; None when the question filters no table."""
        q = folded(question)
        m = _counted(question) or _listed(question)
        if not m or not hits:
            return None
        listing = _listed(question) is not None  # "những nhiệm vụ nào": the rows asked for, not only their number
        rows = self.rows.get(hits[0].chunk.doc_id, [])
        if len(rows) < 2:
            return None
        said = f" {syllables(question)} "
        group, rows_in = self._group(q, said, rows)
        agency, chosen = self._agency(said, rows_in)
        if agency is None and _MOST_RE.search(q):
            agency, chosen = self._busiest(rows_in, departments=bool(re.search(r"\bso nao\b", q)))
        if agency is None and group is None and (listing or not _TABLE_RE.search(q)):
            return None  # no table asked about: a clause may state the number; a list needs its agency or group
        if agency is not None and _SOLE_RE.search(q):  # "là đơn vị chủ trì duy nhất": no co-lead
            owner = syllables(agency).strip()
            chosen = [r for r in chosen if all(o.startswith(owner) or owner.startswith(o) for o in owners_of(_lead(r))[1])]
        if not chosen:
            return None
        noun = _NOUNS[m.group(1)]
        intro = f"{len(chosen)} {noun}"
        if group is not None:
            intro += f" thuộc nhóm “{strip_list_marker(group).strip()}”"
        if agency is not None:
            intro += f" do {agency} chủ trì"
        room = LIST_LIMIT if listing and limit >= ANSWER_LIMIT else limit  # a count needs no long list
        text = enumeration(f"{intro}: {'; '.join(item_head(_task(r)) for r in chosen)}.", room)
        cited = chosen[:CITED_ROWS]
        return finish(text), [make_citation(bundle, Hit(r, hits[0].score), _task(r)) for r in cited]

    @staticmethod
    def _group(q: str, said: str, rows: list[Chunk]) -> tuple[str | None, list[Chunk]]:
        """The table group the question names ("nhóm y tế"), and its rows; (None, all rows) if none."""
        asked = [m.end() for m in _GROUP_ASKED_RE.finditer(q)]
        if not asked:
            return None, rows
        best: tuple[tuple[float, int, float, int], str] | None = None
        for title in sorted({g for r in rows for g in r.extra.get("groups", [])}):
            words = _group_words(title)
            if not words:
                continue
            share = sum(f" {w} " in said for w in words) / len(words)
            # "nhóm hạ tầng trong phần nền tảng": the words right after the first "nhóm" name the group itself
            after, first = max((sum(w in q[at:].split()[: len(words) + 2] for w in words) / len(words), -i)
                               for i, at in enumerate(asked))
            depth = max(r.extra.get("groups", []).index(title) for r in rows if title in r.extra.get("groups", []))
            key = (after, first, share, depth)
            if share >= tuning.value("row_group_share") and (best is None or key > best[0]):
                best = (key, title)
        if best is None:
            return None, rows
        return best[1], [r for r in rows if best[1] in r.extra.get("groups", [])]

    @staticmethod
    def _agency(said: str, rows: list[Chunk]) -> tuple[str | None, list[Chunk]]:
        """The lead agency the question names (as the table writes it), and the rows it leads."""
        named: tuple[int, str, str] | None = None  # (length of the name, its syllables, as written)
        for row in rows:
            written, owners = owners_of(_lead(row))
            for owner in owners:
                if f" {owner} " in said and (named is None or len(owner) > named[0]):
                    named = (len(owner), owner, written.split(",")[0].strip())
        if named is None:
            return None, rows
        owner = named[1]
        led = [r for r in rows if owner in owners_of(_lead(r))[1]]
        written = next((n for r in led for n in [_lead(r)] if syllables(n).strip() == owner), named[2])
        return written, led

    @staticmethod
    def _busiest(rows: list[Chunk], *, departments: bool) -> tuple[str | None, list[Chunk]]:
        """"Sở nào chủ trì nhiều nhiệm vụ nhất": the single agency leading the most rows alone."""
        led: dict[str, list[Chunk]] = {}
        for row in rows:
            _, owners = owners_of(_lead(row))
            if len(owners) == 1 and (not departments or owners[0].startswith("so ")):
                led.setdefault(_lead(row).strip(), []).append(row)
        if not led:
            return None, rows
        ranked = sorted(led.items(), key=lambda kv: -len(kv[1]))
        if len(ranked) > 1 and len(ranked[1][1]) == len(ranked[0][1]):
            return None, rows  # a tie: no one agency leads the most
        return ranked[0]
