"""Questions across plans ("So sánh … giữa Đồng Nai và TP.HCM", "Cả A và B …", "Tỉnh nào …"):
retrieve and answer per province, cite each side, and say so when a plan sets no such target."""

from __future__ import annotations

import functools
import re
import time
from dataclasses import dataclass, replace

from assistant.answer.complements import MIN_RELATIVE_SUPPORT
from assistant.answer.extractive import Drafted, ExtractiveAnswerer
from assistant.retrieve.analysis import QueryInfo, analyze, understand
from assistant.retrieve.spans import merge_spans
from assistant.retrieve.plan_naming import asked_years, province_years
from assistant.records import Citation, Hit
from assistant.answer.refusal import refusal_text
from assistant.vi.normalize import normalize
from assistant.vi.phrases import PhraseMatcher
from assistant.vi.resources import read_data
from assistant.vi.syllables import scan

ANSWER_LIMIT = 280  # characters of the whole reply, all sides together
_HIGHER = re.compile(r"\b(?:cao hon|cao nhat|nhieu hon|nhieu nhat|lon hon|lon nhat)\b")
_LOWER = re.compile(r"\b(?:thap hon|thap nhat|it hon|it nhat|nho hon|nho nhat)\b")
_PERCENT = re.compile(r"(\d+(?:[.,]\d+)?)\s*%")


@dataclass
class Side:
    province: str
    drafted: Drafted
    hits: list[Hit]
    support: float = 1.0  # how much of the question its best clause covers (1.0: answered from metadata)
    features: dict | None = None  # what the refusal model would weigh for its best clause


@functools.cache
def _compare_cues() -> PhraseMatcher[str]:
    """Phrases that only say "compare" ("so sánh", "cao hơn", "tỉnh nào"), from data/query_cues.tsv."""
    entries = [(p.strip(), intent) for role, intent, _, phrases in read_data("query_cues.tsv")
               if intent in ("compare", "place") for p in phrases.split("|") if p.strip()]
    return PhraseMatcher(entries, loose=False)


def _compare_spans(text: str) -> list[tuple[int, int]]:
    """Character spans of the comparison words in `text` (offsets valid in `clean(text)`)."""
    sc = scan(normalize(text), prepared=True)
    return [(sc.spans[s][0], sc.spans[e - 1][1]) for s, e, _ in _compare_cues().find(sc.acc, sc.fol)]


def _cut(text: str, spans: list[tuple[int, int]]) -> str:
    for start, end in sorted(spans, reverse=True):
        text = text[:start] + " " + text[end:]
    text = re.sub(r"\s+([,.;:?!)])", r"\1", re.sub(r"\s+", " ", text))
    return re.sub(r"^[\s,;:]+|[\s,;:]+(?=[?.!]?$)", "", text).strip()


def _place_spans(info: QueryInfo, keep: str = "") -> list[tuple[int, int]]:
    """Spans of the provinces named (except `keep`), with a joining "và"/"hay"/"," next to them."""
    text = info.text
    out = []
    for (start, end), name in zip(info.province_spans, info.provinces):
        if name == keep:
            continue
        before = re.search(r"(?:\s*,|\s+(?:và|va|hay|hoặc|hoac|với|voi)|\s+(?:của\s+)?(?:tỉnh|tinh))\s*$", text[:start], re.I)
        after = re.search(r"^\s*(?:,|và\b|va\b|hay\b|hoặc\b|hoac\b)", text[end:], re.I)
        if before:
            start = before.start()
        elif after:
            end += after.end()
        out.append((start, end))
    return out


def inner_intent(question: str | QueryInfo) -> str:
    """What each side is asked for once the places and comparison words are gone: a figure, an agency, …"""
    info = question if isinstance(question, QueryInfo) else analyze(question)
    question = info.text
    wants = understand(_cut(question, _compare_spans(question) + _place_spans(info))).wants
    if wants in ("compare", "other"):
        folded_q = " ".join(scan(question).fol)
        if re.search(r"\b(?:ty le|ty trong|bao nhieu|chi tieu|muc tieu|phan tram)\b|%", folded_q):
            return "number"
    return wants


def side_question(question: str | QueryInfo, keep: str) -> str:
    """The question for one side: only `keep` of its provinces, and no comparison words."""
    info = question if isinstance(question, QueryInfo) else analyze(question)
    return _cut(info.text, merge_spans(_compare_spans(info.text) + _place_spans(info, keep)))


def is_cross(info: QueryInfo, province_docs: dict[str, set[str]]) -> bool:
    """Two or more provinces with plans in the corpus are named, or the question compares all of
    them ("Tỉnh nào đặt mục tiêu … cao nhất?", "Các tỉnh … là bao nhiêu?")."""
    named = [p for p in info.provinces if p in province_docs]
    if len(named) >= 2:
        return True
    return not info.provinces and not info.doc_numbers and bool(_compare_spans(info.text))


def answer_cross(assistant, question: str, info: QueryInfo, *, mode: str | None, doc_ids: set[str] | None,
                 k: int) -> tuple[Drafted, list[Hit], float]:
    """One answer per named province, each with its own citation; contexts interleaved per province.

    Returns the answer, the contexts and the milliseconds spent retrieving.
    """
    retriever = assistant.retriever
    retrieve_ms = 0.0
    answerer: ExtractiveAnswerer = assistant.extractive
    named = [p for p in info.provinces if p in retriever.province_docs]
    provinces = named or sorted(retriever.province_docs)
    wants = inner_intent(info)
    years = province_years(info, answerer.plan_words)
    # a year no province claims still asks nothing when it only names a plan ("… (KH CĐS 2024)")
    shared = asked_years(info, answerer.plan_words)
    sides: list[Side] = []
    for province in provinces:
        scope = retriever.province_docs[province] & doc_ids if doc_ids else retriever.province_docs[province]
        if not scope:
            continue
        own = side_question(info, province)
        started = time.perf_counter()
        retrieval = retriever.retrieve(own, k=k, mode=mode, doc_ids=scope)
        retrieve_ms += (time.perf_counter() - started) * 1000
        side_info = replace(retrieval.info, provinces=[province], doc_numbers=[], years=years.get(province, shared),
                            wants=wants, topic_terms=info.topic_terms, unknown_provinces=[], is_followup=False)
        limit = max(80, ANSWER_LIMIT // len(provinces) - len(province) - 2)
        # Agencies named in "A và B …" may belong to either side; over all plans they bind every side.
        drafted, trace = answerer.draft(own, side_info, retrieval.hits, limit=limit, cross=True,
                                        keep_agencies=not named, calibrating=True)
        sides.append(Side(province, drafted, retrieval.hits, trace.best.support if trace.best else 1.0,
                          dict(trace.features) or None))
    _judge_sides(answerer, sides)
    hits = _interleave([s.hits for s in sides])
    answered = [s for s in sides if not s.drafted.refused]
    if not answered:
        return Drafted(refusal_text(assistant.bundle, info.unknown_provinces), True, []), hits, retrieve_ms
    parts = []
    citations: list[Citation] = []
    for side in answered:
        parts.append(f"{side.province}: {side.drafted.text}")
        citations.extend(side.drafted.citations)
    silent = [s.province for s in sides if s.drafted.refused]
    if len(silent) == 1:
        parts.append(f"{silent[0]}: kế hoạch của {silent[0]} không nêu {_what(wants)}.")
    elif silent:
        parts.append(f"Kế hoạch của {', '.join(silent)} không nêu {_what(wants)}.")
    for place in info.unknown_provinces:
        parts.append(f"{place}: kho văn bản chưa có kế hoạch của {place}.")
    verdict = _which_higher(question, answered)
    text = " ".join(parts) + (f" {verdict}" if verdict else "")
    return Drafted(text, False, citations), hits, retrieve_ms


def _judge_sides(answerer: ExtractiveAnswerer, sides: list[Side]) -> None:
    """Refuse the sides the plans do not answer, judged together: the refusal model weighs the side
    with the closest clause (is the question answerable at all?), and another side says "kế hoạch X
    không nêu" only when its own plan, searched alone, has no clause about as close to the question
    as that — not because its clause, judged alone, looks weak."""
    answered = [s for s in sides if not s.drafted.refused]
    if not answered:
        return
    strongest = max(answered, key=lambda s: s.support)
    if strongest.features is not None and answerer.judge(dict(strongest.features)).refuse:
        refuse = answered
    else:
        refuse = [s for s in answered if s.support < MIN_RELATIVE_SUPPORT * strongest.support]
    for side in refuse:
        side.drafted = Drafted(refusal_text(answerer.bundle), True, [])


def _what(wants: str) -> str:
    return {"number": "chỉ tiêu này", "agency": "cơ quan chủ trì việc này", "time": "thời hạn này"}.get(
        wants, "nội dung này")


def _which_higher(question: str, sides: list[Side]) -> str:
    """"→ X cao hơn" when the question asks which is higher and each side states one percentage."""
    folded_q = " ".join(scan(question).fol)
    higher, lower = bool(_HIGHER.search(folded_q)), bool(_LOWER.search(folded_q))
    if not (higher or lower) or len(sides) < 2:
        return ""
    values = []
    for side in sides:
        found = _PERCENT.findall(side.drafted.text)
        if not found:
            return ""
        values.append((float(found[0].replace(",", ".")), side.province))
    ranked = sorted(values, reverse=higher)
    if ranked[0][0] == ranked[1][0]:
        return "→ Mức đặt ra như nhau."
    degree = "nhất" if len(ranked) > 2 or re.search(r"\bnhat\b", folded_q) else "hơn"
    return f"→ {ranked[0][1]} {'cao' if higher else 'thấp'} {degree}."


def _interleave(lists: list[list[Hit]]) -> list[Hit]:
    """Best of each province first, then the second best of each, …"""
    out: list[Hit] = []
    seen: set[str] = set()
    for rank in range(max((len(x) for x in lists), default=0)):
        for hits in lists:
            if rank < len(hits) and hits[rank].chunk.chunk_id not in seen:
                seen.add(hits[rank].chunk.chunk_id)
                out.append(hits[rank])
    return out
