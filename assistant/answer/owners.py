"""Who leads a section: the plan's own cross-references from "TỔ CHỨC THỰC HIỆN".

Plans often state duties by pointing back at their own outline — "Sở Kế hoạch và Đầu tư: chủ trì
… triển khai các nội dung tại mục 4 của Kế hoạch" — so the clauses of mục 4 never name who leads
them. Asked "phát triển doanh nghiệp số do sở nào chủ trì?", the clause found is in mục 4; its
owner is the agency whose duties cite mục 4 (or a section containing it).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from assistant.answer.units import AGENCY_RE, TCTH, logical_lines, outline, section_numbers, tcth_agency
from assistant.ingest.lines import strip_list_marker
from assistant.ingest.references import heading_label, path_keys
from assistant.records import Chunk
from assistant.vi.normalize import folded
from assistant.vi.sentences import split_sentences

# "Sở Y tế chủ trì triển khai nhiệm vụ tại Điều 14": one agency's share of a clause listing several.
_PART_LEAD_RE = re.compile(r"^(.{3,90}?)\s+(?:chủ trì|chịu trách nhiệm)\b")


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
            if not any(TCTH in folded(h) for h in chunk.heading_path):
                continue
            agency = tcth_agency(chunk)
            for line, _ in logical_lines(chunk.text, chunk):
                for sentence in split_sentences(strip_list_marker(line).strip()):
                    for part in sentence.split(";") if ";" in sentence else [sentence]:
                        owner = _part_agency(part.strip()) or agency
                        if not owner:
                            continue
                        quote = part.strip() if owner != agency else sentence  # an agency's own share
                        for number in section_numbers(part):
                            self._owners.setdefault((chunk.doc_id, number), []).append(Owner(owner, quote, chunk))

    def of(self, chunk: Chunk) -> Owner | None:
        """The agency citing the most specific numbered section `chunk` sits in ("5.5" before "5"),
        when exactly one agency cites it."""
        if tcth_agency(chunk):
            return None
        sections = self._sections.get(chunk.doc_id, {})
        # a heading counts when it is the section the plan's reference means (not "2. Mục tiêu cụ
        # thể" when duties cite "mục 2" of the tasks)
        keys = [key for depth, key in path_keys(chunk.heading_path)
                if heading_label(chunk.heading_path[depth])[1].strip() == sections.get(key, "").strip()]
        for key in reversed(keys):
            owners = self._owners.get((chunk.doc_id, key), [])
            if len({o.agency for o in owners}) == 1:
                return owners[0]
        return None


def _part_agency(part: str) -> str:
    """The agency a part of a duty clause starts with when it leads that part ("Sở Y tế chủ trì …")."""
    m = _PART_LEAD_RE.match(part)
    return m.group(1) if m and AGENCY_RE.match(m.group(1)) else ""
