"""When to say "the plans do not say" outright: on evidence of absence.

A place the corpus holds no plan for, an agency no retrieved clause names, no retrieved clause
that can hold what the question asks (a figure of the kind asked, the year asked, a date), or a
question none of whose words any plan uses. Weaker
signs (words the plans never use, a missing named thing, low support) are weighed together by the
refusal model in `confidence`. Every rule reads the question and the evidence, never a list of
expected questions.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from assistant.answer.units import Unit, asked_fields, dated_years, has_quantity, has_time, years_in
from assistant.vi.normalize import folded
from assistant.answer.profile import counted_in_words, quantity_kind, quantity_ok
from assistant.retrieve.plan_fields import asks_effect, asks_referenced_number
from assistant.answer.scoring import Profile, agencies_ok, asked_tense, year_ok
from assistant.vi.agencies import find_agency
from assistant.vi.businesses import asks_for_business, names_business

REFUSAL = (
    "Xin lỗi, tôi không tìm thấy thông tin này trong các văn bản hiện có. "
    "Trợ lý chỉ trả lời dựa trên các kế hoạch, chương trình chuyển đổi số của: {provinces}."
)
UNKNOWN_PLACE = (
    "Xin lỗi, kho văn bản chưa có kế hoạch nào của {places}, nên tôi không thể trả lời. "
    "Trợ lý chỉ trả lời dựa trên các kế hoạch, chương trình chuyển đổi số của: {provinces}."
)

AGENCY_ABSENT = (
    "Xin lỗi, trong {where} tôi không tìm thấy nội dung nào nhắc đến {agencies}, "
    "nên không thể trả lời câu hỏi này."
)

DOCNO_RE = re.compile(r"(?<![\d/])(\d+)(?:[/-][\dA-ZĐa-z]+)*/[A-ZĐ]")  # "91/KH-UBND", "52-NQ/TW"
# "Quyết định số 466/QĐ-BTTTT ngày 28 tháng 3 năm 2023", "Tờ trình số 164/TTr-STTTT ngày 10/02/2022": the date
# a document was issued, written right after its number
_CITED_DATE_RE = re.compile(r"\d+(?:[/-] ?[\wĐđ.&-]+)+\s+ngày\s+\d{1,2}(?:\s*/\s*\d{1,2}\s*/\s*\d{4}|\s+tháng\s+\d{1,2}"
                            r"\s+năm\s+\d{4})", re.I)
# A role a "who" question asks about ("ai làm trưởng ban chỉ đạo", "tổ trưởng là ai")
_ROLE_RE = re.compile(r"\b(?:pho truong ban|truong ban|to truong|to pho|truong doan|thuong truc ban)\b")
# "… được phê duyệt / thông qua ngày nào" asks a document's own date; "phải ban hành … trước ngày nào" a deadline
_ASKS_ISSUE_RE = re.compile(r"\b(?:phe duyet|thong qua|ban hanh|ky)\b")
_ASKS_DEADLINE_RE = re.compile(r"\b(?:phai|truoc ngay|han chot|cham nhat)\b")
_DATE_RE = re.compile(r"\d{1,2}\s*/\s*\d{1,2}|ngày\s+\d{1,2}\b|tháng\s+\d{1,2}\b", re.I)
@dataclass
class Verdict:
    """Whether to refuse, and why (for the trace)."""

    refuse: bool
    reason: str = ""


def provinces_text(bundle) -> str:
    """The provinces whose plans the corpus holds, for refusals to say what is covered."""
    provinces = sorted({d.meta.province for d in bundle.documents.values() if d.meta.province})
    return ", ".join(provinces) or "(chưa có văn bản)"


def refusal_text(bundle, unknown: list[str] | None = None) -> str:
    """The polite refusal, naming the provinces whose plans the corpus holds."""
    if unknown:
        return UNKNOWN_PLACE.format(places=", ".join(unknown), provinces=provinces_text(bundle))
    return REFUSAL.format(provinces=provinces_text(bundle))


def agency_absent_text(profile: Profile, provinces: list[str]) -> str:
    """The refusal for a question naming an agency no retrieved clause names: say which and where."""
    shown = [find_agency(profile.info.text, a) or a for a in profile.agencies]
    where = f"kế hoạch của {', '.join(provinces)}" if provinces else "các văn bản hiện có"
    return AGENCY_ABSENT.format(where=where, agencies=", ".join(shown))


def domain_share(profile: Profile) -> float:
    """Share of the question's two-syllable words that the plans use at all.

    Off-topic questions ("giá vàng hôm nay", "cách nấu phở") share single syllables with the plans
    by accident, but hardly any words: "giá_vàng", "nấu_phở" occur nowhere in them.
    """
    if profile.words < 2:
        return 1.0
    return profile.known_words / profile.words


def eligible(unit: Unit, profile: Profile) -> bool:
    """Whether a unit can answer this kind of question at all."""
    if unit.kind == "meta" or not agencies_ok(unit, profile):
        return False  # metadata is answered from the plan's own fields, never as a quote
    if asks_for_business(profile.folded) and not names_business(unit.text):
        return False  # "công ty nào làm app …": only a clause naming a company answers
    if unit.kind == "title" and profile.wants in ("number", "time", "agency", "meta", "list"):
        return False  # a header's date and issuer are the plan's own, not what such questions ask; it lists nothing
    if asks_effect(profile.folded):
        return "hieu luc" in folded(unit.text)  # "Quyết định này có hiệu lực thi hành kể từ ngày ký"
    if asks_referenced_number(profile.folded):
        return bool(DOCNO_RE.search(unit.text))  # a body clause names other documents, not its own plan
    wants = profile.wants
    if _reported_before_target(unit, profile):
        return False
    role = _asked_role(profile.folded)
    if role and profile.wants in ("agency", "other") and role not in folded(unit.text):
        return False  # "ai làm trưởng ban …": only a clause naming that role says who holds it
    if wants == "number":
        kind = quantity_kind(profile)
        held = _with_column_units(unit) if unit.kind == "row" else unit.text
        counted = has_quantity(unit.text) or counted_in_words(unit.text, profile)
        return counted and quantity_ok(held, kind) and year_ok(unit, profile)
    if wants == "time":
        said = " ".join([unit.text, *asked_fields(unit, "time")])  # "Thời gian hoàn thành: …" under it
        if asks_for_date(profile.folded):
            # "năm 2024 … tổ chức vào tháng mấy": not a clause whose dates all fall in other years
            # (a "Căn cứ Quyết định … ngày 10/8/2022" preamble); a cited document's date is no deadline
            if _asks_deadline(profile.folded):
                said = _CITED_DATE_RE.sub(" ", said)
            dated = dated_years(said)
            return bool(_DATE_RE.search(said)) and not (profile.years and dated and not dated & set(profile.years))
        return unit.kind == "row" or has_time(said)
    return not _other_target_year(unit, profile)


_TARGET_YEAR_RE = re.compile(r"\b(?:den|toi)\s+(?:het\s+|cuoi\s+)?(?:nam\s+)?((?:19|20)\d\d)\b")


def _other_target_year(unit: Unit, profile: Profile) -> bool:
    """"Đến 2030 tỉnh muốn lọt vào nhóm nào?" is not answered by "phấn đấu đến năm 2025 … thuộc nhóm 20":
    the question aims at a year and the clause aims at others only."""
    if not profile.years or not re.search(r"(?:19|20)\d\d", unit.text):
        return False
    asked = {int(y) for y in _TARGET_YEAR_RE.findall(profile.folded)} & set(profile.years)
    if not asked:
        return False
    said = {int(y) for y in _TARGET_YEAR_RE.findall(folded(unit.text))}
    return bool(said and not asked & said)


# Read once per question, not once per candidate clause (`eligible` runs for every unit retrieved).
@functools.lru_cache(maxsize=256)
def _asked_role(folded_question: str) -> str:
    """The role a "who" question asks about ("ai làm trưởng ban"), or ""."""
    m = _ROLE_RE.search(folded_question)
    return m.group() if m else ""


@functools.lru_cache(maxsize=256)
def _asks_deadline(folded_question: str) -> bool:
    """A date question about a deadline, not about when a document was issued or approved."""
    return not _ASKS_ISSUE_RE.search(folded_question) or bool(_ASKS_DEADLINE_RE.search(folded_question))


def _reported_before_target(unit: Unit, profile: Profile) -> bool:
    """"Đến 2026 tỉnh đặt mục tiêu bao nhiêu trạm 5G?" is not answered by "Đến ngày 30/6/2024, toàn tỉnh có
    2.186 trạm": a target for a year is asked, and the clause only reports how things stood at an
    earlier date (it names no target year of its own)."""
    if not profile.years or asked_tense(profile.folded) >= 0 or years_in(unit.text):
        return False
    dated = dated_years(unit.text)
    return bool(dated) and max(dated) < min(profile.years)


def _with_column_units(unit: Unit) -> str:
    """A table row's figures with the unit its column names: "Kinh phí (tỷ đồng) | 146,0" -> "146,0 tỷ đồng"."""
    parts = []
    for column, value in unit.cells.items():
        named = re.search(r"\(([^()]*)\)\s*$", column)
        parts.append(f"{value} {named.group(1)}" if named else value)
    return " ".join(parts)


def asks_for_date(folded_question: str) -> bool:
    """"trước ngày nào", "tháng mấy": only a day or month of the calendar answers."""
    return bool(re.search(r"\b(?:ngay|thang) (?:nao|bao nhieu|may)\b|truoc ngay|han chot", folded_question))


def absent(profile: Profile, best: Unit | None) -> Verdict:
    """Refuse on evidence of absence: a province the corpus holds no plan for, or no retrieved
    clause that can answer this kind of question at all (no figure of the kind asked, no date…).
    Everything weaker is weighed by the refusal model (`confidence`)."""
    info = profile.info
    if info.unknown_provinces and set(info.provinces) <= set(info.unknown_provinces):
        return Verdict(True, "unknown_province")
    if best is None:
        return Verdict(True, "no_evidence")
    if profile.words >= 2 and profile.known_words == 0:
        return Verdict(True, "off_topic")  # not one of its words occurs in any plan: "tác giả Truyện Kiều"
    return Verdict(False)
