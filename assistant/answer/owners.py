"""Who leads a section: the plan's own cross-references from "TỔ CHỨC THỰC HIỆN".

Plans often state duties by pointing back at their own outline — "Sở Kế hoạch và Đầu tư: chủ trì
… triển khai các nội dung tại mục 4 của Kế hoạch" — so the clauses of mục 4 never name who leads
them. Asked "phát triển doanh nghiệp số do sở nào chủ trì?", the clause found is in mục 4; its
owner is the agency whose duties cite mục 4 (or a section containing it).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from assistant.answer.units import logical_lines, outline, section_numbers, tcth_agency
from assistant.ingest.lines import strip_list_marker
from assistant.records import Chunk
from assistant.vi.sentences import split_sentences

_NUMBER_RE = re.compile(r"((?:\d+\.)*\d+)\.?\s")


@dataclass(frozen=True)
class Owner:
    agency: str  # the heading it sits under in "TỔ CHỨC THỰC HIỆN"
    sentence: str  # the clause citing the section, verbatim
    chunk: Chunk


class SectionOwners:
    """Per plan, section number -> the agencies whose duties cite it."""

    def __init__(self, chunks: list[Chunk], sections: dict[str, dict[str, str]] | None = None) -> None:
        self._owners: dict[tuple[str, str], list[Owner]] = {}
        self._sections = outline(chunks) if sections is None else sections  # the section each cited number means
        for chunk in chunks:
            agency = tcth_agency(chunk)
            if not agency:
                continue
            for line, _ in logical_lines(chunk.text, chunk):
                for sentence in split_sentences(strip_list_marker(line).strip()):
                    for number in section_numbers(sentence):
                        self._owners.setdefault((chunk.doc_id, number), []).append(Owner(agency, sentence, chunk))

    def of(self, chunk: Chunk) -> Owner | None:
        """The agency citing the most specific numbered section `chunk` sits in ("5.5" before "5"),
        when exactly one agency cites it."""
        if tcth_agency(chunk):
            return None
        sections = self._sections.get(chunk.doc_id, {})
        # a numbered heading counts when it is the section the plan's "mục N" means (not "2. Mục tiêu
        # cụ thể" when duties cite "mục 2" of the tasks)
        numbers = [m.group(1) for h in chunk.heading_path if (m := _NUMBER_RE.match(h + " "))
                   and h[m.end() - 1:].strip() == sections.get(m.group(1), "").strip()]
        for number in reversed(numbers):
            owners = self._owners.get((chunk.doc_id, number), [])
            if len({o.agency for o in owners}) == 1:
                return owners[0]
        return None
