"""A starter question for a plan whose meta.json offers none, built from its metadata and outline.

The chat page suggests questions per plan; curated ones live in `corpus/<doc_id>.meta.json`
(`starter_questions`). A newly dropped-in plan gets one too, so the page never hides it: asking
for the plan's objectives by topic, place and target year ("Mục tiêu chuyển đổi số của Lâm Đồng
năm 2024 là gì?") when the outline has a MỤC TIÊU / CHỈ TIÊU heading, else for its signer, which
every header answers.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from assistant.ingest.metadata import TOPICS
from assistant.records import DocumentMeta, Section

_GOAL_HEADING = re.compile(r"\b(?:MỤC TIÊU|CHỈ TIÊU)\b")
_TARGET_YEAR = re.compile(r"\bđến năm (\d{4})\b", re.IGNORECASE)
_ANY_YEAR = re.compile(r"\bnăm (\d{4})\b", re.IGNORECASE)


def _sections(section: Section) -> Iterator[Section]:
    for child in section.children:
        yield child
        yield from _sections(child)


def goal_section(root: Section) -> Section | None:
    """The first heading about objectives (MỤC TIÊU, CHỈ TIÊU), in reading order."""
    return next((s for s in _sections(root) if _GOAL_HEADING.search(s.heading.upper())), None)


def topic(title: str) -> str:
    """The plan's subject as it is named first in its title: "kinh tế số", "chuyển đổi số" or ""."""
    low = title.lower()
    found = [(low.find(phrase), phrase) for phrase, _ in TOPICS if phrase in low]
    return min(found)[1] if found else ""


def target_year(meta: DocumentMeta, goals: Section) -> str:
    """"đến năm 2025" or "năm 2024" from the title, else from the objective headings; "" if none says."""
    headings = [goals.heading, *(s.heading for s in _sections(goals))]
    for text in [meta.title, *headings]:
        if m := _TARGET_YEAR.search(text):
            return f"đến năm {m.group(1)}"
    for text in [meta.title, *headings]:
        if m := _ANY_YEAR.search(text):
            return f"năm {m.group(1)}"
    return ""


def derive_starter(meta: DocumentMeta, root: Section) -> str:
    """One question the assistant can answer from this plan alone (it names the plan's province)."""
    place = meta.province or meta.short_label or meta.doc_id
    goals = goal_section(root)
    if goals is None:
        return f"Ai ký ban hành {meta.short_label or meta.title or meta.doc_id}?"
    words = ["Mục tiêu", topic(meta.title), f"của {place}", target_year(meta, goals), "là gì?"]
    return " ".join(w for w in words if w)
