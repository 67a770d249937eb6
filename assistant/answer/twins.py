"""A task stated twice: once in the body, once as a row of the plan's annex table.

Plans often list a task in their "NHIỆM VỤ" prose without saying who leads it, and repeat it in an
annex ("Danh mục nhiệm vụ trọng tâm | Chủ trì | Thời gian"). Asked "nền tảng … do sở nào chủ trì?",
the clause found in the body names no one; its twin row does. A row is the clause's twin when it
holds most of the clause's head — the task's name, before the clause goes on to say what for or how
("Triển khai Nền tảng dữ liệu số nông nghiệp | trong đó …") — by IDF weight of their two-word terms,
and more of it than any other row of that plan does.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from assistant import tuning
from assistant.answer.compose import compose_row, finish, quote_of, row_parts
from assistant.answer.scoring import Profile, Vocabulary
from assistant.answer.units import Unit, asked_fields, assigns_lead, has_time, units_of
from assistant.records import Chunk, Hit
from assistant.vi.tokens import bm25_tokens


@dataclass(frozen=True)
class TaskRow:
    chunk: Chunk
    terms: frozenset[str]  # two-syllable terms of the task cell
    agency: str
    period: str


# Where a task's name ends and its explanation begins.
_HEAD_END_RE = re.compile(r"[,;:(]|\s(?:trong đó|để|nhằm|bảo đảm|đảm bảo|theo|với mục tiêu)\s")


def _head(text: str) -> str:
    m = _HEAD_END_RE.search(text)
    return text[:m.start()] if m else text


# "ai đóng vai trò dẫn dắt", "cơ quan nào chủ trì": the verb after the asking words.
_WHO_VERB_RE = re.compile(r"\b(?:ai|(?:co quan|don vi|so|ben|nganh) nao)\s+(?:se\s+|la\s+|duoc\s+)?(\w+)\s+(\w+)")


def _says_who(unit: Unit, question_folded: str) -> bool:
    """The clause itself says who does what the question asks ("… cơ quan nhà nước đóng vai trò dẫn
    dắt" for "ai đóng vai trò dẫn dắt"): its verb is the question's, so the clause is the answer."""
    m = next(reversed(list(_WHO_VERB_RE.finditer(question_folded))), None)  # the last: "dùng AI …, sở nào"
    return bool(m) and f"{m.group(1)}_{m.group(2)}" in unit.tokens


def _terms(text: str) -> frozenset[str]:
    return frozenset(t for t in bm25_tokens(text) if "_" in t and not any(c.isdigit() for c in t))


class TaskRows:
    """Per plan, the rows of its task tables that name a lead agency or a period."""

    def __init__(self, chunks: list[Chunk], vocab: Vocabulary) -> None:
        self.vocab = vocab
        self._rows: dict[str, list[TaskRow]] = {}
        for chunk in chunks:
            if chunk.kind != "table_row" or not chunk.extra.get("cells"):
                continue
            unit = units_of(Hit(chunk, 1.0), 0, set())[0]
            task, agency, period = row_parts(unit)
            terms = _terms(task)
            if terms and (agency or period):
                self._rows.setdefault(chunk.doc_id, []).append(TaskRow(chunk, terms, agency, period))

    def _weight(self, terms: frozenset[str]) -> float:
        return sum(self.vocab.idf(t) for t in terms)

    def twin(self, unit: Unit) -> TaskRow | None:
        """The row of `unit`'s plan stating the same task, if one stands out."""
        if unit.kind != "sentence":
            return None
        terms = _terms(_head(unit.text))
        if len(terms) < 3:
            return None
        scored = [(self._weight(terms & row.terms) / self._weight(terms), row)
                  for row in self._rows.get(unit.chunk.doc_id, [])]
        scored.sort(key=lambda p: -p[0])
        if not scored or scored[0][0] < tuning.value("twin_share"):
            return None
        if len(scored) > 1 and scored[1][0] >= scored[0][0]:
            return None  # two rows hold it alike: no one twin
        return scored[0][1]

    def reply(self, best: Unit, profile: Profile, limit: int) -> tuple[str, Hit, str] | None:
        """For "ai chủ trì" / "khi nào" over a clause that says neither: (answer, hit, quote) from
        its twin row — who leads and when, with the task as the row states it."""
        if profile.wants == "agency" and not profile.named and not assigns_lead(best.text) \
                and not asked_fields(best, "agency") and not _says_who(best, profile.folded):
            row = self.twin(best)
            if row is None or not row.agency:
                return None
        elif profile.wants == "time" and not has_time(best.text) and not asked_fields(best, "time"):
            row = self.twin(best)
            if row is None or not row.period:
                return None
        else:
            return None
        hit = Hit(row.chunk, best.hit.score)
        unit = units_of(hit, best.rank, set())[0]
        return finish(compose_row(unit, profile, limit)), hit, quote_of(unit)
