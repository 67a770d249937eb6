"""How well a candidate unit answers a question: IDF-weighted overlap plus intent and year cues.

Overlap is counted on diacritic-folded BM25 tokens (syllables and syllable bigrams), so questions
typed without marks score alike; words of the heading path count `context_weight` (tuning) of the unit's
own. `support` (the overlap alone) decides refusals; `score` (support plus cues) picks the unit.
"""

from __future__ import annotations

import functools
import math
import re
from dataclasses import dataclass, field

from assistant.answer.units import Unit, asked_fields, dated_years, enumerates, has_agency, has_quantity, has_time, tcth_agency
from assistant.vi.normalize import folded
from assistant.retrieve.analysis import QueryInfo
from assistant.records import Chunk
from assistant import tuning
from assistant.vi.agencies import mentions_agency
from assistant.vi.tokens import bm25_tokens

_NON_WORD_RE = re.compile(r"\W+")
LIST_ASKED = 4  # cue weight of a question that asks for a list in so many words ("những … nào" = 2 + 2)


@dataclass
class Profile:
    """What a question asks, as the scorer needs it."""

    info: QueryInfo
    weights: dict[str, float]  # content token -> weight (IDF), only tokens the corpus knows
    optional: dict[str, float]  # synonyms of them: count when a clause uses one, never against it
    years: list[int]
    wants: str
    folded: str  # the question, folded, single-spaced
    agencies: list[str] = field(default_factory=list)  # agencies that must be in the evidence ("so y te")
    named: list[str] = field(default_factory=list)  # every body the question names, issuers too
    sections: frozenset[str] = frozenset()  # section numbers the question cites ("mục 5.2" -> "5.2")
    words: int = 0  # two-syllable words (bigrams) of the question, places and years aside
    known_words: int = 0  # how many of them the plans use somewhere
    own_numbers: frozenset[str] = frozenset()  # digits of the plans' own numbers ("198")
    phrase: list[str] = field(default_factory=list)  # content bigrams in question order (no cues, title, digits)
    unknown: list[str] = field(default_factory=list)  # content words no plan uses ("robot", "USD")
    naming: frozenset[str] = frozenset()  # tokens only of the words naming the plan asked about
    cues: frozenset[str] = frozenset()  # tokens of the words saying what is asked ("đơn vị nào chủ trì")
    alternatives: dict[str, tuple[frozenset[str], ...]] = field(default_factory=dict)  # word -> other names' words
    aside: frozenset[str] = frozenset()  # tokens said only in a sentence that asks nothing ("Mình cần data …")

    def has(self, token: str, tokens: frozenset[str]) -> bool:
        """Whether `tokens` hold a question word, as written or by a whole other name of the lexicon's."""
        return token in tokens or any(name <= tokens for name in self.alternatives.get(token, ()))

    @property
    def total(self) -> float:
        return sum(self.weights.values()) or 1.0


# --------------------------------------------------------------------------- vocabulary


class Vocabulary:
    """Document frequencies of BM25 tokens over the indexed chunks, for IDF weights."""

    def __init__(self, chunks: list[Chunk]) -> None:
        self.size = len(chunks)
        df: dict[str, int] = {}
        for chunk in chunks:
            for token in set(bm25_tokens(chunk.text + "\n" + " ".join(chunk.heading_path))):
                df[token] = df.get(token, 0) + 1
        self.df = df

    def knows(self, token: str) -> bool:
        return not self.size or token in self.df

    def idf(self, token: str) -> float:
        if not self.size:
            return 1.0
        n = self.df.get(token, 0)
        return math.log(1 + (self.size - n + 0.5) / (n + 0.5))


def coverage(tokens: frozenset[str], profile: Profile) -> float:
    """IDF-weighted share of the question's content found in `tokens` (synonyms may add, up to 1)."""
    found = sum(w for t, w in profile.weights.items() if t in tokens)
    share = tuning.value("alternative_share")
    if share and profile.alternatives:
        # a question word the clause says by a whole other name of the lexicon's ("smartphone" /
        # "điện thoại thông minh")
        found += share * sum(w for t, w in profile.weights.items() if t not in tokens and profile.has(t, tokens))
    found += sum(w for t, w in profile.optional.items() if t in tokens)
    return min(1.0, found / profile.total)


def topic_coverage(tokens: frozenset[str], profile: Profile) -> float:
    """`coverage` of what the question is about only: its cue words ("đơn vị nào chủ trì") and the
    words naming the plan left out — every duty clause says "chủ trì, phối hợp với các đơn vị"."""
    topic = {t: w for t, w in profile.weights.items() if t not in profile.cues and t not in profile.naming}
    total = sum(topic.values())
    return sum(w for t, w in topic.items() if t in tokens) / total if total else 0.0


def score_unit(unit: Unit, profile: Profile) -> None:
    """Set unit.support (how much of the question it covers) and unit.score (support plus cues)."""
    own = coverage(unit.tokens, profile)
    ctx = coverage(unit.context - unit.tokens, profile)
    unit.support = min(1.0, own + tuning.value("context_weight") * ctx)
    bonus = 0.0
    bonus += tuning.value("intent_bonus") * _intent_fit(unit, profile)
    if unit.kind == "sentence":
        bonus += tuning.value("state_bonus") * _state_fit(unit) * asked_tense(profile.folded)
    if profile.years and unit.kind != "meta":
        if set(profile.years) & unit.years:
            bonus += tuning.value("year_bonus")
        elif unit.years:
            bonus -= tuning.value("year_bonus")
    bonus -= tuning.value("rank_penalty") * unit.rank
    unit.score = unit.support + bonus


_ASKS_STATE_RE = re.compile(
    r"\b(?:hien nay|hien co|hien tai|hien dang|hien trang|thuc trang|thoi diem (?:ban hanh|xay dung)|"
    r"luc (?:ban hanh|xay dung|do)|tinh den|dang co|da co|da dat|da dua|da trien khai|nam ngoai|nam qua|"
    r"vua qua|dung thu may|xep thu|xep hang thu)\b|\broi\s*\??\s*$")
_STATE_HEADS = ("thuc trang", "ket qua", "hien trang", "danh gia", "boi canh", "tinh hinh", "su can thiet",
                "ton tai", "han che")
_TARGET_HEADS = ("muc tieu", "chi tieu", "dinh huong")
_ASKS_TARGET_RE = re.compile(r"\b(?:muc tieu|chi tieu|phan dau|dat muc|den nam|toi nam|den 20\d\d|toi 20\d\d)\b")


@functools.lru_cache(maxsize=1024)
@functools.lru_cache(maxsize=256)
def asked_tense(question_folded: str) -> float:
    """+1 when the question asks how things stand, -1 when it asks a target, 0 when it does not say."""
    if asks_state(question_folded):
        return 1.0
    return -1.0 if _ASKS_TARGET_RE.search(question_folded) else 0.0


def asks_state(question_folded: str) -> bool:
    """The question asks how things stand ("hiện có bao nhiêu", "lúc ban hành … đã … rồi"), not a target."""
    return bool(_ASKS_STATE_RE.search(question_folded))


def _state_fit(unit: Unit) -> float:
    """+1 for a clause describing how things stand (under "Thực trạng", "Kết quả đạt được" …), -1 for a
    target (under "Mục tiêu", "Chỉ tiêu" …), 0 otherwise; the nearest heading that says decides."""
    for heading in reversed(unit.chunk.heading_path):
        head = folded(heading)
        if any(h in head for h in _STATE_HEADS):
            return 1.0
        if any(h in head for h in _TARGET_HEADS):
            return -1.0
    return 0.0


def _intent_fit(unit: Unit, profile: Profile) -> float:
    """How well the kind of clause fits the kind of answer asked (a figure, who, when, a list), on the
    scale of `intent_bonus`: a clause with a figure for "bao nhiêu", one naming an agency for "ai"."""
    wants = profile.wants
    if unit.field and unit.field != wants:
        return -0.2  # "Thời gian hoàn thành: …" holds its item's words, but answers only "khi nào"
    if wants == "number":
        return 0.12 if has_quantity(unit.text) else -0.1
    if wants == "agency":
        if unit.kind == "row" and unit.cells:
            return 0.15
        if tcth_agency(unit.chunk):
            return 0.12
        if asked_fields(unit, "agency"):
            return 0.12  # "Cơ quan chủ trì: …" under it
        return 0.05 if has_agency(unit.text) else -0.12  # names no one: a poor answer to "who"
    if wants == "time":
        return 0.12 if unit.kind == "row" or has_time(unit.text) or asked_fields(unit, "time") else 0.0
    if wants == "list":
        fit = 0.05 if unit.text.count(",") + unit.text.count(";") >= 2 else 0.0
        if profile.info.intent_weight >= LIST_ASKED and (unit.opens or enumerates(unit.text)):
            # asked for a list ("những … nào", "kể hết"): the list itself, not one item of it
            fit += tuning.value("list_shape_bonus")
        return fit
    return 0.1 if wants == "meta" and unit.kind == "meta" else 0.0


def year_ok(unit: Unit, profile: Profile) -> bool:
    """The unit speaks about a year the question asks for (when it asks for one): a year it targets, or
    the year of a date it gives ("đến cuối tháng 5/2023" is answered by "Đến ngày 31 tháng 5 năm 2023 …")."""
    return not profile.years or bool(set(profile.years) & (unit.years | dated_years(unit.text)))


def agencies_ok(unit: Unit, profile: Profile) -> bool:
    """Every agency the question names is mentioned by the unit, its headings or its chunk."""
    if not profile.agencies:
        return True
    text = " ".join([unit.text, *unit.chunk.heading_path, unit.chunk.text])
    return all(mentions_agency(text, a) for a in profile.agencies)
