"""Cross-references inside a plan: "triển khai các nội dung tại mục 5.5" names a section by number.

A clause that only points to a section ("Ngân hàng Nhà nước chủ trì các nội dung mục 5.5") says
nothing of its topic in its own words; the section's title ("Thanh toán số") does. Chunking records
those titles on the chunk (`extra["refers"]`) so BM25 finds the clause by its topic, and the answer
stage reads the same outline to judge it.
"""

from __future__ import annotations

import re

from assistant.records import Chunk
from assistant.vi.normalize import folded

TCTH = "to chuc thuc hien"  # folded heading of the "who does what" section
_XREF_RE = re.compile(
    r"\bm(?:ục|uc)\s+((?:\d+(?:\.\d+)*)(?:\s*(?:,|và|va|;)\s*(?:m(?:ục|uc)\s+)?\d+(?:\.\d+)*)*)", re.I)


def section_numbers(text: str) -> frozenset[str]:
    """Section numbers a text refers to: "mục 1, mục 2, mục 3" -> {"1", "2", "3"}."""
    return frozenset(n for m in _XREF_RE.finditer(text) for n in re.findall(r"\d+(?:\.\d+)*", m.group(1)))


_TASKS = ("nhiem vu", "giai phap")  # folded words of the part whose sections duties point to


def outline(chunks: list[Chunk]) -> dict[str, dict[str, str]]:
    """Per plan, section number -> heading title ("5.2" -> "Y tế"), outside "TỔ CHỨC THỰC HIỆN"
    (whose numbered headings are agencies, not topics). A number used in two parts ("2. Mục tiêu cụ
    thể" under MỤC TIÊU, "2. Hạ tầng số" under NHIỆM VỤ) means the task: duties point at tasks."""
    out: dict[str, dict[str, str]] = {}
    in_tasks: set[tuple[str, str]] = set()
    for chunk in chunks:
        tasks = False
        for heading in chunk.heading_path:
            if TCTH in folded(heading):
                break
            tasks = tasks or any(word in folded(heading) for word in _TASKS)
            m = re.match(r"((?:\d+\.)*\d+)\.?\s+(.+)", heading)
            if not m:
                continue
            key = (chunk.doc_id, m.group(1))
            sections = out.setdefault(chunk.doc_id, {})
            if m.group(1) not in sections or (tasks and key not in in_tasks):
                sections[m.group(1)] = m.group(2)
                if tasks:
                    in_tasks.add(key)
    return out


def referenced_titles(text: str, sections: dict[str, str]) -> str:
    """Titles of the sections a clause refers to ("mục 1, mục 2, mục 3 của Kế hoạch")."""
    return " ".join(sections[n] for n in sorted(section_numbers(text)) if n in sections)


def annotate_references(chunks: list[Chunk]) -> None:
    """Record on each chunk of one plan the titles of the sections its text refers to by number."""
    sections = outline(chunks)
    for chunk in chunks:
        titles = referenced_titles(chunk.text, sections.get(chunk.doc_id, {}))
        if titles:
            chunk.extra["refers"] = titles
