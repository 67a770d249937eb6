"""A starter question for a plan whose meta.json offers none, built from its metadata and outline.

The chat page suggests questions per plan; curated ones live in `corpus/<doc_id>.meta.json`
(`starter_questions`). A newly dropped-in plan gets one too, so the page never hides it: one of
its own targets asked for ("Kinh tế số chiếm bao nhiêu % GRDP ở Lâm Đồng năm 2024?") when a short
target with a percentage sits under its MỤC TIÊU / CHỈ TIÊU heading, else its objectives by topic,
place and target year ("Mục tiêu chuyển đổi số của Lâm Đồng năm 2024 là gì?"), else its signer,
which every header answers.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from assistant.ingest.metadata import TOPICS
from assistant.records import DocumentMeta, Section

_GOAL_HEADING = re.compile(r"\b(?:MỤC TIÊU|CHỈ TIÊU)\b")
_TARGET_YEAR = re.compile(r"\bđến năm (\d{4})\b", re.IGNORECASE)
_ANY_YEAR = re.compile(r"\bnăm (\d{4})\b", re.IGNORECASE)
_PERCENT = re.compile(r"\d+(?:[.,]\d+)?\s*%")


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
    year = target_year(meta, goals)
    figure = first_figure(goals)
    if figure:
        # "Kinh tế số chiếm 15% GRDP." -> "Kinh tế số chiếm bao nhiêu % GRDP ở Lâm Đồng năm 2024?": a
        # target the plan states, asked the way users ask, so the chip is answered, never refused.
        asked = _PERCENT.sub("bao nhiêu %", figure, count=1).rstrip(" .;,:")
        return " ".join(w for w in [asked[0].upper() + asked[1:], f"ở {place}", year] if w) + "?"
    words = ["Mục tiêu", topic(meta.title), f"của {place}", year, "là gì?"]
    return " ".join(w for w in words if w)


def first_figure(goals: Section, longest: int = 120) -> str:
    """The first short target under the objectives heading that states a percentage."""
    for section in [goals, *_sections(goals)]:
        for block in section.blocks:
            text = " ".join(block.text.split())
            if block.kind != "table_row" and len(text) <= longest and _PERCENT.search(text):
                return text
    return ""
