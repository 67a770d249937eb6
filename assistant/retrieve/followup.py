"""Follow-up questions: "Còn năm 2030 thì sao?", "Ai chịu trách nhiệm việc đó?" become standalone
questions that inherit the province, years, document and topic of the conversation so far."""

from __future__ import annotations

import re
from collections.abc import Callable

from assistant.retrieve.analysis import QueryInfo, analyze, cut_spans, understand, without_overlap
from assistant.vi.normalize import fold_diacritics

__all__ = ["merge_followup", "resolve", "rewrite_followup"]

_TRAILING_RE = re.compile(r"[\s?.!,;:…]+$")


def resolve(question: str, history: list[str] | None, understand: Callable[[str], QueryInfo]) -> QueryInfo:
    """What `question` asks given the user's earlier questions (oldest first).

    Each earlier question is itself resolved against the ones before it, so a chain of follow-ups
    ("… Đồng Nai 2025?" → "Còn 2030?" → "Ai chủ trì việc đó?") keeps the province and topic.
    `info.text` is the standalone question to retrieve with.
    """
    current = understand(question)
    if not history:
        return current
    context: QueryInfo | None = None
    for earlier in history:
        info = understand(earlier)
        context = info if context is None else merge_followup(info, context)
    assert context is not None
    return merge_followup(current, context)


def merge_followup(current: QueryInfo, previous: QueryInfo) -> QueryInfo:
    """Complete a follow-up with the province(s), years, document and topic of the previous turn.

    A question that is no follow-up is returned unchanged. One that names a new province keeps
    the previous topic but switches province (and drops the previous province's document). The
    merged record's spans are those of its rewritten text.
    """
    if not current.is_followup:
        return current
    new_place = bool(current.provinces) and current.provinces != previous.provinces
    text = _rewrite(current, analyze(previous.text) if previous.is_followup else previous, new_place)
    spans = analyze(text)
    return QueryInfo(
        text=text,
        provinces=current.provinces or list(previous.provinces),
        doc_numbers=current.doc_numbers or ([] if new_place else list(previous.doc_numbers)),
        years=current.years or list(previous.years),
        wants=current.wants if current.wants != "other" else previous.wants,
        is_followup=True,
        topic_terms=current.topic_terms or list(previous.topic_terms),
        unknown_provinces=current.unknown_provinces if current.provinces else list(previous.unknown_provinces),
        province_spans=spans.province_spans, year_spans=spans.year_spans, doc_spans=spans.doc_spans,
        list_weight=current.list_weight,
    )


def rewrite_followup(question: str, history: list[str]) -> str:
    """A standalone version of `question` given the user's earlier questions (oldest first).

    ["Mục tiêu tỷ trọng kinh tế số của Đồng Nai đến năm 2025?"] + "Còn năm 2030 thì sao?"
    -> "Mục tiêu tỷ trọng kinh tế số của Đồng Nai đến năm 2030?". A question that stands on its
    own comes back (cleaned) as it is.
    """
    return resolve(question, history, understand).text if history else understand(question).text


def _rewrite(c: QueryInfo, p: QueryInfo, new_place: bool) -> str:
    if not c.topic_terms and c.anaphor is None and c.wants in ("other", p.wants):
        return _substitute_slots(c, p, new_place)

    edits: list[tuple[int, int, str]] = [(s, e, "") for s, e in c.followup_markers]
    context: list[str] = []  # what the previous turn was about, in the order a question says it
    if not c.provinces and p.provinces:
        context.append("của " + " và ".join(p.provinces))
    if not c.years and p.year_spans:
        context.append(p.text[p.year_spans[0][0] : p.year_spans[0][2]])
    if not c.doc_numbers and p.doc_spans and not c.provinces:
        start, end, _ = p.doc_spans[0]
        context.append(("" if c.wants == "meta" else "theo ") + p.text[start:end])
    # The topic carries over unless the question brings its own (not just the noun before
    # "đó": "những nhiệm vụ đó") or asks about the document itself.
    own_topic = bool(c.topic_terms) and c.anaphor is None
    topic = "" if own_topic or c.wants == "meta" else " ".join(p.topic_terms)
    if c.anaphor is not None:
        start, end, with_head = c.anaphor
        if not with_head:  # "những nhiệm vụ đó": keep the noun, do not repeat it
            topic = " ".join(without_overlap(c.text[:start].split(), topic.split()))
        edits.append((start, end, " ".join(filter(None, [topic, *context]))))
        return _finish(cut_spans(c.text, edits), [])
    return _finish(cut_spans(c.text, edits), [topic, *context])


def _substitute_slots(c: QueryInfo, p: QueryInfo, new_place: bool) -> str:
    """"Còn năm 2030 / còn Hải Dương thì sao?": the previous question with that slot replaced."""
    edits: list[tuple[int, int, str]] = []
    tail: list[str] = []
    if c.provinces:
        names = " và ".join(c.provinces)
        if p.province_spans:
            first, last = p.province_spans[0], p.province_spans[-1]
            between = fold_diacritics(p.text[first[1] : last[0]]).lower()
            joined = re.fullmatch(r"[\s,]*(?:va|-|,)?[\s,]*(?:tinh\s+|thanh pho\s+)?", between)
            edits.append((first[0], (last if len(p.province_spans) > 1 and joined else first)[1], names))
            if new_place:
                edits.extend((s, e, "") for s, e, _ in p.doc_spans)
        elif new_place and p.doc_spans:  # "Kế hoạch 198 ..." -> "Kế hoạch của Hải Dương ..."
            start, end, noun = p.doc_spans[0]
            edits.append((start, end, f"{noun} của {names}".strip()))
            edits.extend((s, e, "") for s, e, _ in p.doc_spans[1:])
        else:
            tail.append("của " + names)
    if c.years:
        _, start, end = c.year_spans[0]
        shown = c.text[start:end]  # the years as the question wrote them: "2030", "2021-2025"
        if p.year_spans:
            _, pstart, pend = p.year_spans[0]
            edits.append((pstart, pend, shown))
        else:
            tail.append("năm " + shown)
    if c.doc_numbers:
        start, end, _ = c.doc_spans[0]
        if p.doc_spans and not new_place:
            edits.append((p.doc_spans[0][0], p.doc_spans[0][1], c.text[start:end]))
        else:
            tail.append("theo " + c.text[start:end])
    return _finish(cut_spans(p.text, edits), tail)


def _finish(text: str, tail: list[str]) -> str:
    text = _TRAILING_RE.sub("", text)
    for part in tail:
        if part and fold_diacritics(part).lower() not in fold_diacritics(text).lower():
            text = f"{text} {part}"
    text = re.sub(r"\s+", " ", text)
    text = re.sub(r"\s+([,.;:?!])", r"\1", text).strip(" ,;:")
    if text:
        text = text[0].upper() + text[1:]
    return text + "?"
