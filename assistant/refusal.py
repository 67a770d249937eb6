"""When to say "the plans do not say": unknown places, off-topic questions, missing figures.

Every rule here reads the question and the evidence, never a list of expected questions: a place
the corpus holds no plan for, a question whose words the plans never use, or evidence that lacks
what the question asks (a figure, the year asked, a date, the agency named).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .extract import Profile, Unit, agencies_ok, has_quantity, has_time, year_ok
from .question import quantity_kind, quantity_ok

REFUSAL = (
    "Xin lỗi, tôi không tìm thấy thông tin này trong các văn bản hiện có. "
    "Trợ lý chỉ trả lời dựa trên các kế hoạch, chương trình chuyển đổi số của: {provinces}."
)
UNKNOWN_PLACE = (
    "Xin lỗi, kho văn bản chưa có kế hoạch nào của {places}, nên tôi không thể trả lời. "
    "Trợ lý chỉ trả lời dựa trên các kế hoạch, chương trình chuyển đổi số của: {provinces}."
)

# Calibrated on the development questions (see the answerer's report in eval/README.md).
_DATE_RE = re.compile(r"\d{1,2}\s*/\s*\d{1,2}|ngày\s+\d{1,2}\b", re.I)
MIN_SUPPORT = 0.35  # share of the question's content (IDF-weighted) the best unit must cover
MIN_DOMAIN = 0.45  # share of the question's content words the plans use at all
MIN_FIGURE_SUPPORT = 0.4  # a numeric answer must cover more: the figure of a neighbouring target is a wrong answer


@dataclass
class Verdict:
    refuse: bool
    reason: str = ""


def provinces_text(bundle) -> str:
    provinces = sorted({d.meta.province for d in bundle.documents.values() if d.meta.province})
    return ", ".join(provinces) or "(chưa có văn bản)"


def refusal_text(bundle, unknown: list[str] | None = None) -> str:
    """The polite refusal, naming the provinces whose plans the corpus holds."""
    if unknown:
        return UNKNOWN_PLACE.format(places=", ".join(unknown), provinces=provinces_text(bundle))
    return REFUSAL.format(provinces=provinces_text(bundle))


def domain_share(profile: Profile, max_idf: float) -> float:
    """How much of the question the plans' vocabulary covers (unknown words weigh as the rarest)."""
    known = sum(w for t, w in profile.weights.items() if "_" not in t)
    unknown = sum(max_idf for t in profile.unknown if "_" not in t)
    if known + unknown == 0:
        return 1.0
    return known / (known + unknown)


def eligible(unit: Unit, profile: Profile) -> bool:
    """Whether a unit can answer this kind of question at all."""
    if unit.kind == "meta" or not agencies_ok(unit, profile):
        return False  # metadata is answered from the plan's own fields, never as a quote
    wants = profile.wants
    if wants == "number":
        if unit.kind == "meta":
            return False
        kind = quantity_kind(profile)
        return has_quantity(unit.text) and quantity_ok(unit.text, kind) and year_ok(unit, profile)
    if wants == "time":
        if asks_for_date(profile.folded):
            return bool(_DATE_RE.search(unit.text))
        return unit.kind == "row" or has_time(unit.text)
    return True


def asks_for_date(folded_question: str) -> bool:
    """"trước ngày nào", "vào ngày nào": only a day of the calendar answers."""
    return bool(re.search(r"\bngay (?:nao|bao nhieu|may)\b|truoc ngay|han chot", folded_question))


def threshold(profile: Profile) -> float:
    return MIN_FIGURE_SUPPORT if profile.wants == "number" else MIN_SUPPORT


def check(profile: Profile, best: Unit | None, max_idf: float | None) -> Verdict:
    """Refuse when the place is unknown, the question is off-topic, or the evidence is too weak.

    Args:
        max_idf: the weight of a word the plans never use; None skips the off-topic test.
    """
    info = profile.info
    if info.unknown_provinces and set(info.provinces) <= set(info.unknown_provinces):
        return Verdict(True, "unknown_province")
    if max_idf is not None and domain_share(profile, max_idf) < MIN_DOMAIN:
        return Verdict(True, "off_topic")
    if best is None:
        return Verdict(True, "no_evidence")
    if best.support < threshold(profile):
        return Verdict(True, "weak_evidence")
    return Verdict(False)
