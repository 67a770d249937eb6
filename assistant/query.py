"""Query understanding: which province, document and years a question is about, what it asks
for, and how a follow-up question ("Còn năm 2030 thì sao?") becomes a standalone one.

Everything is driven by data files (assistant/data/places.tsv, query_cues.tsv,
abbreviations.tsv) matched syllable by syllable on diacritic-folded text, so questions typed with
or without diacritics, and with abbreviations ("CĐS", "BRVT", "HCM"), are understood alike.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from .text import (
    VIETNAMESE_STOPWORDS,
    PhraseMatcher,
    abbreviation_matcher,
    clean,
    find_doc_numbers,
    fold_diacritics,
    normalize,
    read_data,
    scan,
)

__all__ = [
    "INTENTS",
    "QueryInfo",
    "canonical_province",
    "merge_followup",
    "province_names",
    "rewrite_followup",
    "understand",
]

# Ties between intents of equal weight go to the earlier one.
INTENTS = ("meta", "compare", "agency", "time", "list", "number", "yesno", "other")


@dataclass
class QueryInfo:
    """What a question asks, as far as retrieval and answering need to know."""

    text: str  # the question (for a merged follow-up: the rewritten standalone question)
    provinces: list[str] = field(default_factory=list)  # canonical names: "Đồng Nai"
    doc_numbers: list[str] = field(default_factory=list)  # "198/KH-UBND", or "198/KH" from "kế hoạch 198"
    years: list[int] = field(default_factory=list)  # in order of mention: "giai đoạn 2021-2025" -> [2021, 2025]
    wants: str = "other"  # one of INTENTS
    is_followup: bool = False  # elliptical: leans on the previous question
    topic_terms: list[str] = field(default_factory=list)  # content phrases: ["mục tiêu tỷ trọng kinh tế số"]
    unknown_provinces: list[str] = field(default_factory=list)  # named but not in known_provinces


# --------------------------------------------------------------------------- data


@functools.cache
def _places() -> tuple[PhraseMatcher[str], tuple[str, ...], frozenset[str]]:
    """(alias matcher, canonical names, names that must be capitalised in a cased question)."""
    names, entries, capitalised = [], [], set()
    for row in read_data("places.tsv"):
        canonical = row[0]
        names.append(canonical)
        aliases = [canonical, *(row[1].split("|") if len(row) > 1 and row[1] else [])]
        entries.extend((alias.strip(), canonical) for alias in aliases if alias.strip())
        if len(row) > 2 and row[2] == "cap":
            capitalised.add(canonical)
    return PhraseMatcher(entries), tuple(names), frozenset(capitalised)


def province_names() -> tuple[str, ...]:
    """The canonical names of Viet Nam's 63 provinces and centrally-run cities."""
    return _places()[1]


@functools.lru_cache(maxsize=4096)
def canonical_province(name: str) -> str | None:
    """Canonical province name for any spelling: "TP.HCM", "ba ria vung tau", "Tỉnh Đồng Nai"."""
    sc = scan(name)
    for _, _, canonical in _places()[0].find(sc.acc, sc.fol):
        return canonical
    return None


@dataclass(frozen=True)
class _Cue:
    role: str
    intent: str
    weight: int


@functools.cache
def _cues() -> tuple[PhraseMatcher[_Cue], PhraseMatcher[_Cue], PhraseMatcher[_Cue]]:
    """(cues, follow-up openers, generic words).

    In text typed without diacritics a one-syllable generic word is too ambiguous to drop
    ("trong" may be "trọng", "tai" "tài"), so those only match as spelled.
    """
    rows: dict[str, list[tuple[str, _Cue]]] = {"main": [], "start": [], "generic": []}
    for role, intent, weight, phrases in read_data("query_cues.tsv"):
        cue = _Cue(role, intent, int(weight))
        kind = {"generic": "generic", "followup_start": "start"}.get(role, "main")
        rows[kind].extend((p.strip(), cue) for p in phrases.split("|") if p.strip())
    return (
        PhraseMatcher(rows["main"], loose=False),
        PhraseMatcher(rows["start"], loose=False),
        PhraseMatcher(rows["generic"], loose=False, plain_min_len=2),
    )


# --------------------------------------------------------------------------- analysis

_KIND_DISPLAY = {
    "kh": "KH", "qd": "QĐ", "nq": "NQ", "nd": "NĐ", "ct": "CT", "ctr": "CTr", "cv": "CV",
    "ttr": "TTr", "tb": "TB", "bc": "BC", "hd": "HD", "da": "ĐA", "tt": "TT",
}
_DOCNO_PARTS_RE = re.compile(r"(\d+)\s?([/-])\s?([^\W\d_]+)(.*)")
# Before a full number: "Kế hoạch số 198/KH-UBND", "Quyết định số: 1728/QĐ-UBND".
_DOCNO_PREFIX_RE = re.compile(
    r"(?:(?:ke hoach|quyet dinh|nghi quyet|nghi dinh|chi thi|chuong trinh|cong van|to trinh"
    r"|thong bao|van ban|kh|qd|nq)\s+)?(?:so\s*:?\s*)?$"
)
_DOC_NOUN_RE = re.compile(
    r"ke hoach|quyet dinh|nghi quyet|nghi dinh|chi thi|chuong trinh|cong van|to trinh|thong bao|van ban"
)
_YEAR_RE = re.compile(r"(?<![\w.,/])(?:19[5-9]\d|20\d\d)(?![\w%]|[.,]\d|/\w)|(?<=\d/)(?:19|20)\d\d(?!\w)")
_YEAR_JOIN_RE = re.compile(r"\s*(?:-|den|toi|va|,)\s*(?:nam\s+)?")
_YEAR_PREFIX_RE = re.compile(
    r"(?:(?:(?:den|toi|tu|trong|vao|cho|cua|dinh huong|tam nhin)\s+)?(?:nam|giai doan)|den|toi|tu)\s+$"
)
_DOC_NOUNS = frozenset({"ke hoach", "quyet dinh", "chuong trinh", "van ban", "de an"})
_NOT_ANAPHORIC_BEFORE = frozenset({"trong", "hien"})  # "trong đó", "hiện nay"
_TIME_NOUNS = frozenset({"nam", "thang", "tuan", "ngay", "hom", "quy", "ky", "dot", "luc", "bay", "gio"})
_TRAILING_RE = re.compile(r"[\s?.!,;:…]+$")


@dataclass
class _Analysis:
    info: QueryInfo
    display: str  # clean(question): offsets below point into it
    provinces: list[tuple[int, int]]  # char spans of province names
    years: list[tuple[int, int, int]]  # (phrase start, years start, end) per group of years
    docs: list[tuple[int, int, str]]  # span, and its noun ("Kế hoạch") if written
    anaphor: tuple[int, int, bool] | None  # span, and whether it is head + demonstrative
    strip: list[tuple[int, int]]  # follow-up markers to drop when rewriting


def understand(question: str, known_provinces: Iterable[str] | None = None) -> QueryInfo:
    """Read provinces, document numbers, years, intent, follow-up-ness and topic of a question.

    Args:
        known_provinces: provinces the corpus holds (any spelling); named provinces outside it
            are reported in `unknown_provinces`, so the answerer can refuse.
    """
    info = _analyze(question).info
    if known_provinces is not None:
        known = {canonical_province(p) or p for p in known_provinces}
        info.unknown_provinces = [p for p in info.provinces if p not in known]
    return info


def without_places(question: str) -> str:
    """The question minus the province names it mentions.

    Once a named province has chosen which plans to search, its name only adds noise to ranking:
    every chunk of those plans could match it, and short header chunks that repeat it would win.
    """
    a = _analyze(question)
    if not a.provinces:
        return question
    return re.sub(r"\s+", " ", _apply(a.display, [(s, e, " ") for s, e in a.provinces])).strip()


def _analyze(question: str) -> _Analysis:
    display = clean(question)
    norm = normalize(question)
    if len(norm) != len(display):  # casefold changed a length (not Vietnamese): use norm
        display = norm
    folded = fold_diacritics(norm)
    sc = scan(norm, prepared=True)
    acc, fol, spans = sc.acc, sc.fol, sc.spans
    n = len(acc)
    removed = [False] * n  # not part of the topic
    role = [""] * n

    def tokens_in(start: int, end: int) -> range:
        first = next((i for i in range(n) if spans[i][1] > start), n)
        last = next((i for i in range(first, n) if spans[i][0] >= end), n)
        return range(first, last)

    # Document numbers.
    doc_numbers: list[str] = []
    doc_spans: list[tuple[int, int]] = []
    for d in find_doc_numbers(norm):
        shown = _display_doc_number(norm[d.start : d.end], d.kind, d.number, d.full)
        if shown not in doc_numbers:
            doc_numbers.append(shown)
        start = d.start
        if d.full:
            start -= len(_DOCNO_PREFIX_RE.search(folded[: d.start]).group())
        noun = _DOC_NOUN_RE.match(folded, start, d.end)
        doc_spans.append((start, d.end, display[start : noun.end()].strip() if noun else ""))
        for i in tokens_in(start, d.end):
            removed[i] = True
            role[i] = "doc"

    # Years, grouped ("2021-2025", "2021 đến 2025"), each group with its lead-in ("đến năm").
    years: list[int] = []
    groups: list[list[int]] = []  # [phrase start, years start, end]
    for m in _YEAR_RE.finditer(norm):
        if any(s <= m.start() < e for s, e, _ in doc_spans):
            continue
        year = int(m.group())
        if year not in years:
            years.append(year)
        if groups and _YEAR_JOIN_RE.fullmatch(folded[groups[-1][2] : m.start()]):
            groups[-1][2] = m.end()
        else:
            lead = _YEAR_PREFIX_RE.search(folded[: m.start()])
            groups.append([m.start() - (len(lead.group()) if lead else 0), m.start(), m.end()])
    for start, _, end in groups:
        for i in tokens_in(start, end):
            removed[i] = True
            role[i] = "year"

    # Provinces. In a question typed without diacritics "nam" before a year is "năm":
    # "cap quang nam 2025" names no Quảng Nam.
    provinces: list[str] = []
    province_spans: list[tuple[int, int]] = []
    places, _, capitalised = _places()
    cased = display != display.lower()
    plain = acc == fol
    for s, e, canonical in places.find(acc, fol):
        if canonical in capitalised and cased and display[spans[s][0]].islower():
            continue  # "cao bằng" (as high as), not Cao Bằng
        if plain and any(role[i] for i in range(s, e)):
            continue
        if canonical not in provinces:
            provinces.append(canonical)
        province_spans.append((spans[s][0], spans[e - 1][1]))
        for i in range(s, e):
            removed[i] = True
            role[i] = "place"

    # Cues: intent weights, and words that are not the topic.
    cues, openers, generic = _cues()
    weights = dict.fromkeys(INTENTS, 0)  # from question words and cues
    hints = dict.fromkeys(INTENTS, 0)  # from content words: only decide when nothing asks
    strip: list[tuple[int, int]] = []
    followup = False
    opener = openers.match_at(acc, fol, 0, plain=plain) if n else None
    if opener is not None and opener[0] < n:  # "còn" alone is no question
        followup = True
        strip.append((spans[0][0], spans[opener[0] - 1][1]))
        for i in range(opener[0]):
            removed[i] = True
            role[i] = "followup"
    for s, e, cue in cues.find(acc, fol):
        if any(role[i] for i in range(s, e)):
            continue
        for i in range(s, e):
            role[i] = cue.role
            if cue.role not in ("hint", "demonstrative", "head"):
                removed[i] = True
        if cue.intent != "-":
            target = hints if cue.role == "hint" else weights
            target[cue.intent] = target.get(cue.intent, 0) + cue.weight
        if cue.role == "followup":
            followup = True
            strip.append((spans[s][0], spans[e - 1][1]))
    for s, e, cue in generic.find(acc, fol):
        if not any(role[i] for i in range(s, e)):
            for i in range(s, e):
                role[i] = "generic"
                removed[i] = True
    if n > 2 and fol[-1] in ("khong", "chua") and role[-1] in ("", "generic"):
        weights["yesno"] += 3
        removed[-1] = True
        role[-1] = "question"

    # Anaphora: "việc đó", "nhiệm vụ này", "các chỉ tiêu trên".
    anaphor = None
    last = max((i for i in range(n) if role[i] not in ("question", "followup")), default=-1)
    for i in range(1, n):
        if role[i] != "demonstrative" or fol[i - 1] in _NOT_ANAPHORIC_BEFORE:
            continue
        if fol[i] == "nay" and fol[i - 1] in _TIME_NOUNS:
            continue  # "tuần này", "năm nay": now, not the previous turn
        head = role[i - 1] == "head"
        if plain and not head and i != last:
            continue  # unaccented "do" is mostly "do"/"độ"/"đô": "toc do", "do ai chu tri"
        if fol[i] == "tren" and i + 1 < n and role[i + 1] in ("", "hint", "place", "year"):
            continue  # "trên 50%", "trên địa bàn"
        if " ".join(fol[max(i - 2, 0) : i]) in _DOC_NOUNS and (provinces or doc_numbers):
            continue  # "kế hoạch này" in a question that names the plan
        anaphor = (spans[i - 1 if head else i][0], spans[i][1], head)
        followup = True
        removed[i] = True
        if head:
            removed[i - 1] = True
        break
    for i in range(n):  # a head noun or demonstrative outside an anaphor is ordinary text
        if role[i] in ("head", "demonstrative") and not removed[i]:
            role[i] = ""

    has_doc_noun = any(
        " ".join(fol[i : i + 2]) in _DOC_NOUNS for i in range(n - 1)
    )
    weights["compare"] += 3 if len(provinces) >= 2 else 0
    hints["number"] += 2 if any(t.endswith("%") for t in acc) else 0
    # "cả Đồng Nai và Hải Dương", "giữa hai tỉnh và ..."; unaccented "ca" only before a place.
    both = next(
        (i for i in range(n - 1) if acc[i] in ("cả", "giữa", "giua") or (acc[i] == "ca" and role[i + 1] == "place")),
        None,
    )
    if both is not None and "va" in fol[both + 2 :]:
        weights["compare"] += 3
        removed[both] = True
    place = weights.pop("place", 0)
    weights["meta" if doc_numbers else "compare"] += place
    if weights["meta"] and (doc_numbers or has_doc_noun):
        weights["meta"] += 2
    best = max(INTENTS, key=lambda k: (weights[k], hints[k], -INTENTS.index(k)))
    wants = best if weights[best] or hints[best] else "other"

    # Topic terms: runs of remaining content syllables, abbreviations spelled out.
    topic_terms = _topic_terms(acc, fol, removed)
    if not followup and not topic_terms and not doc_numbers and n:
        followup = not (wants == "meta" and provinces)

    info = QueryInfo(
        text=display,
        provinces=provinces,
        doc_numbers=doc_numbers,
        years=years,
        wants=wants,
        is_followup=followup,
        topic_terms=topic_terms,
    )
    return _Analysis(
        info=info,
        display=display,
        provinces=province_spans,
        years=[(g[0], g[1], g[2]) for g in groups],
        docs=doc_spans,
        anaphor=anaphor,
        strip=strip,
    )


def _display_doc_number(written: str, kind: str, number: str, full: bool) -> str:
    """"198/kh-ubnd" -> "198/KH-UBND", "1728/qd-ubnd" -> "1728/QĐ-UBND", bare -> "198/KH"."""
    if not full:
        return f"{number}/{_KIND_DISPLAY.get(kind, kind.upper())}"
    m = _DOCNO_PARTS_RE.match(written)
    if m is None:  # pragma: no cover - find_doc_numbers matched this shape
        return written.upper()
    rest = re.sub(r"\s+", "", m.group(4)).upper()
    return f"{m.group(1)}{m.group(2)}{_KIND_DISPLAY.get(kind, m.group(3).upper())}{rest}"


def _topic_terms(acc: list[str], fol: list[str], removed: list[bool]) -> list[str]:
    stop = {fold_diacritics(w) for w in VIETNAMESE_STOPWORDS}

    def is_stop(a: str, f: str) -> bool:  # as bm25_tokens: spelled, or folded when unaccented
        return f in stop and (a == f or a in VIETNAMESE_STOPWORDS)
    abbreviations = abbreviation_matcher(True)
    terms: list[str] = []
    run_acc: list[str] = []
    run_fol: list[str] = []

    def flush() -> None:
        while run_acc and is_stop(run_acc[-1], run_fol[-1]):
            run_acc.pop()
            run_fol.pop()
        words: list[str] = []
        i = 0
        while i < len(run_fol):
            hit = abbreviations.match_at(run_acc, run_fol, i) if run_fol[i] in abbreviations else None
            if hit is not None:
                words.extend(_without_overlap(words, list(hit[1].acc)))
                i += hit[0]
            else:
                words.append(run_acc[i])
                i += 1
        phrase = " ".join(words)
        if phrase and phrase not in terms:
            terms.append(phrase)
        run_acc.clear()
        run_fol.clear()

    for a, f, gone in zip(acc, fol, removed):
        if gone:
            flush()
        elif run_acc or not is_stop(a, f):  # a stopword inside a phrase stays: "nhỏ và vừa"
            run_acc.append(a)
            run_fol.append(f)
    flush()
    return terms


def _without_overlap(before: list[str], words: list[str]) -> list[str]:
    """`words` minus a lead that repeats the end of `before`: "nền tảng" + "nền tảng tích hợp"."""
    fb = [fold_diacritics(w) for w in before]
    fw = [fold_diacritics(w) for w in words]
    for k in range(min(len(fb), len(fw)), 0, -1):
        if fb[-k:] == fw[:k]:
            return words[k:]
    return words


# --------------------------------------------------------------------------- follow-ups


def merge_followup(current: QueryInfo, previous: QueryInfo) -> QueryInfo:
    """Complete a follow-up with the province(s), years, document and topic of the previous turn.

    A question that is no follow-up is returned unchanged. One that names a new province keeps
    the previous topic but switches province (and drops the previous province's document).
    """
    if not current.is_followup:
        return current
    new_place = bool(current.provinces) and current.provinces != previous.provinces
    merged = QueryInfo(
        text=current.text,
        provinces=current.provinces or list(previous.provinces),
        doc_numbers=current.doc_numbers or ([] if new_place else list(previous.doc_numbers)),
        years=current.years or list(previous.years),
        wants=current.wants if current.wants != "other" else previous.wants,
        is_followup=True,
        topic_terms=current.topic_terms or list(previous.topic_terms),
        unknown_provinces=current.unknown_provinces if current.provinces else list(previous.unknown_provinces),
    )
    merged.text = _rewrite(_analyze(current.text), _analyze(previous.text), new_place)
    return merged


def rewrite_followup(question: str, history: list[str]) -> str:
    """A standalone version of `question` given the user's earlier questions (oldest first).

    ["Mục tiêu tỷ trọng kinh tế số của Đồng Nai đến năm 2025?"] + "Còn năm 2030 thì sao?"
    -> "Mục tiêu tỷ trọng kinh tế số của Đồng Nai đến năm 2030?". A question that stands on its
    own comes back (cleaned) as it is.
    """
    context: QueryInfo | None = None
    for earlier in history:
        info = understand(earlier)
        context = info if context is None else merge_followup(info, context)
    current = understand(question)
    if context is None:
        return current.text
    return merge_followup(current, context).text


def _rewrite(cur: _Analysis, prev: _Analysis, new_place: bool) -> str:
    c, p = cur.info, prev.info
    if not c.topic_terms and cur.anaphor is None and c.wants in ("other", p.wants):
        return _substitute_slots(cur, prev, new_place)

    edits: list[tuple[int, int, str]] = [(s, e, "") for s, e in cur.strip]
    context: list[str] = []  # what the previous turn was about, in the order a question says it
    if not c.provinces and p.provinces:
        context.append("của " + " và ".join(p.provinces))
    if not c.years and prev.years:
        context.append(prev.display[prev.years[0][0] : prev.years[0][2]])
    if not c.doc_numbers and prev.docs and not c.provinces:
        start, end, _ = prev.docs[0]
        context.append(("" if c.wants == "meta" else "theo ") + prev.display[start:end])
    # The topic carries over unless the question brings its own (not just the noun before
    # "đó": "những nhiệm vụ đó") or asks about the document itself.
    own_topic = bool(c.topic_terms) and cur.anaphor is None
    topic = "" if own_topic or c.wants == "meta" else " ".join(p.topic_terms)
    if cur.anaphor is not None:
        start, end, with_head = cur.anaphor
        if not with_head:  # "những nhiệm vụ đó": keep the noun, do not repeat it
            topic = " ".join(_without_overlap(cur.display[:start].split(), topic.split()))
        edits.append((start, end, " ".join(filter(None, [topic, *context]))))
        return _finish(_apply(cur.display, edits), [])
    return _finish(_apply(cur.display, edits), [topic, *context])


def _substitute_slots(cur: _Analysis, prev: _Analysis, new_place: bool) -> str:
    """"Còn năm 2030 / còn Hải Dương thì sao?": the previous question with that slot replaced."""
    c = cur.info
    edits: list[tuple[int, int, str]] = []
    tail: list[str] = []
    if c.provinces:
        names = " và ".join(c.provinces)
        if prev.provinces:
            first, last = prev.provinces[0], prev.provinces[-1]
            between = fold_diacritics(prev.display[first[1] : last[0]]).lower()
            joined = re.fullmatch(r"[\s,]*(?:va|-|,)?[\s,]*(?:tinh\s+|thanh pho\s+)?", between)
            edits.append((first[0], (last if len(prev.provinces) > 1 and joined else first)[1], names))
            if new_place:
                edits.extend((s, e, "") for s, e, _ in prev.docs)
        elif new_place and prev.docs:  # "Kế hoạch 198 ..." -> "Kế hoạch của Hải Dương ..."
            start, end, noun = prev.docs[0]
            edits.append((start, end, f"{noun} của {names}".strip()))
            edits.extend((s, e, "") for s, e, _ in prev.docs[1:])
        else:
            tail.append("của " + names)
    if c.years:
        shown = _years_text(cur)
        if prev.years:
            _, start, end = prev.years[0]
            edits.append((start, end, shown))
        else:
            tail.append("năm " + shown)
    if c.doc_numbers:
        start, end, _ = cur.docs[0]
        if prev.docs and not new_place:
            edits.append((prev.docs[0][0], prev.docs[0][1], cur.display[start:end]))
        else:
            tail.append("theo " + cur.display[start:end])
    return _finish(_apply(prev.display, edits), tail)


def _years_text(a: _Analysis) -> str:
    """The years as the question wrote them: "2030", "2021-2025"."""
    _, start, end = a.years[0]
    return a.display[start:end]


def _apply(text: str, edits: list[tuple[int, int, str]]) -> str:
    edits = sorted(edits, key=lambda e: e[0])
    out, last = [], 0
    for start, end, replacement in edits:
        if start < last:
            continue
        out.append(text[last:start])
        out.append(replacement)
        last = end
    out.append(text[last:])
    return "".join(out)


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
