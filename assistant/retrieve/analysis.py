"""Question analysis: which province, document and years a question is about, what it asks for,
and which of its words are the topic — read once into a `QueryInfo` that travels down the pipeline.

Everything is driven by data files (vi/data/places.tsv, query_cues.tsv, abbreviations.tsv) matched
syllable by syllable on diacritic-folded text, so questions typed with or without diacritics, and
with abbreviations ("CĐS", "BRVT", "HCM"), are understood alike. `analyze` runs one stage per kind
of thing found (documents, years, provinces, cues, anaphora, intent, topic) over a shared
`_Tokens` state; each stage marks the syllables it explains so later stages skip them.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Iterable
from dataclasses import dataclass, field

from assistant.retrieve.cues import canonical_province, cue_matchers, places
from assistant.vi.documents import DOC_KIND_DISPLAY, KIND_WORDS_PATTERN, find_doc_numbers
from assistant.retrieve.spans import SpanSet, cut_spans  # noqa: F401  (cut_spans re-exported)
from assistant.vi.normalize import clean, fold_diacritics, normalize
from assistant.vi.phrases import abbreviation_matcher
from assistant.vi.resources import is_stopword
from assistant.vi.syllables import scan

__all__ = ["INTENTS", "QueryInfo", "analyze", "understand", "without_places"]

# Ties between intents of equal weight go to the earlier one.
INTENTS = ("meta", "compare", "agency", "time", "list", "number", "yesno", "other")

Span = tuple[int, int]


@dataclass
class QueryInfo:
    """What a question asks, and where it says it: the one record every later stage reads.
    Spans are character offsets into `text` (the cleaned question)."""

    text: str  # the question, cleaned (for a merged follow-up: the rewritten standalone question)
    provinces: list[str] = field(default_factory=list)  # canonical names: "Đồng Nai"
    doc_numbers: list[str] = field(default_factory=list)  # "198/KH-UBND", or "198/KH" from "kế hoạch 198"
    years: list[int] = field(default_factory=list)  # in order of mention: "giai đoạn 2021-2025" -> [2021, 2025]
    wants: str = "other"  # one of INTENTS
    intent_weight: int = 0  # how strongly the question's cue words say it ("những … nào", "kể hết": 4+)
    list_weight: int = 0  # how strongly they ask for several things, whatever the intent ("những văn bản nào")
    is_followup: bool = False  # elliptical: leans on the previous question
    topic_terms: list[str] = field(default_factory=list)  # content phrases: ["mục tiêu tỷ trọng kinh tế số"]
    unknown_provinces: list[str] = field(default_factory=list)  # named but not in known_provinces
    province_spans: list[Span] = field(default_factory=list)
    year_spans: list[tuple[int, int, int]] = field(default_factory=list)  # (lead-in start, years start, end)
    doc_spans: list[tuple[int, int, str]] = field(default_factory=list)  # span, and its noun ("Kế hoạch")
    anaphor: tuple[int, int, bool] | None = None  # "việc đó": span, and whether head + demonstrative
    followup_markers: list[Span] = field(default_factory=list)  # "Còn", "thì sao": dropped when rewriting


_DOCNO_PARTS_RE = re.compile(r"(\d+)\s?([/-])\s?([^\W\d_]+)(.*)")
# Before a full number: "Kế hoạch số 198/KH-UBND", "Quyết định số: 1728/QĐ-UBND".
_DOCNO_PREFIX_RE = re.compile(rf"(?:(?:{KIND_WORDS_PATTERN}|kh|qd|nq)\s+)?(?:so\s*:?\s*)?$")
_DOC_NOUN_RE = re.compile(KIND_WORDS_PATTERN)
_YEAR_RE = re.compile(r"(?<![\w.,/])(?:19[5-9]\d|20\d\d)(?![\w%]|[.,]\d|/\w)|(?<=\d/)(?:19|20)\d\d(?!\w)")
_YEAR_JOIN_RE = re.compile(r"\s*(?:-|den|toi|va|,)\s*(?:nam\s+)?")
_YEAR_PREFIX_RE = re.compile(
    r"(?:(?:(?:den|toi|tu|trong|vao|cho|cua|dinh huong|tam nhin)\s+)?(?:nam|giai doan)|den|toi|tu)\s+$"
)
# How far back a lead-in ("dinh huong giai doan ", "ke hoach so : ") is looked for before a year or a
# number. The folded text has single spaces, so the longest lead-in is ~21 characters; searching a
# bounded window instead of the whole prefix keeps analysis linear in the question's length.
_LEAD_WINDOW = 64
_DOC_NOUNS = frozenset({"ke hoach", "quyet dinh", "chuong trinh", "van ban", "de an"})
_NOT_ANAPHORIC_BEFORE = frozenset({"trong", "hien"})  # "trong đó", "hiện nay"
_TIME_NOUNS = frozenset({"nam", "thang", "tuan", "ngay", "hom", "quy", "ky", "dot", "luc", "bay", "gio"})


@dataclass
class _Tokens:
    """The question's syllables and what each stage has made of them."""

    display: str  # clean(question): offsets point into it
    norm: str
    folded: str
    acc: list[str]
    fol: list[str]
    spans: list[Span]
    removed: list[bool]  # not part of the topic
    role: list[str]  # "doc", "year", "place", a cue role, or ""
    starts: list[int] = field(default_factory=list)  # spans' starts and ends, for bisecting
    ends: list[int] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.starts = [s for s, _ in self.spans]
        self.ends = [e for _, e in self.spans]

    @property
    def n(self) -> int:
        return len(self.acc)

    @property
    def plain(self) -> bool:
        return self.acc == self.fol  # typed without diacritics

    def inside(self, start: int, end: int) -> range:
        """Indices of the syllables within a character span (by bisection: spans are in order)."""
        first = bisect_right(self.ends, start)
        return range(first, bisect_left(self.starts, end, first))

    def mark(self, indices: Iterable[int], role: str, *, remove: bool = True) -> None:
        for i in indices:
            self.role[i] = role
            if remove:
                self.removed[i] = True


def _tokenize(question: str) -> _Tokens:
    display = clean(question)
    norm = normalize(question)
    if len(norm) != len(display):  # casefold changed a length (not Vietnamese): use norm
        display = norm
    sc = scan(norm, prepared=True)
    n = len(sc.acc)
    return _Tokens(display, norm, fold_diacritics(norm), sc.acc, sc.fol, sc.spans, [False] * n, [""] * n)


def _find_documents(t: _Tokens) -> tuple[list[str], list[tuple[int, int, str]]]:
    """Document numbers ("198/KH-UBND", "kế hoạch 198"), displayed, with their spans and nouns."""
    numbers: list[str] = []
    spans: list[tuple[int, int, str]] = []
    for d in find_doc_numbers(t.norm):
        shown = _display_doc_number(t.norm[d.start : d.end], d.kind, d.number, d.full)
        if shown not in numbers:
            numbers.append(shown)
        start = d.start
        if d.full:
            start -= len(lead_in(_DOCNO_PREFIX_RE, t.folded, d.start).group())
        noun = _DOC_NOUN_RE.match(t.folded, start, d.end)
        spans.append((start, d.end, t.display[start : noun.end()].strip() if noun else ""))
        t.mark(t.inside(start, d.end), "doc")
    return numbers, spans


def _find_years(t: _Tokens, doc_spans: list[tuple[int, int, str]]) -> tuple[list[int], list[tuple[int, int, int]]]:
    """Years, grouped ("2021-2025", "2021 đến 2025"), each group with its lead-in ("đến năm")."""
    years: list[int] = []
    groups: list[list[int]] = []  # [phrase start, years start, end]
    inside_doc = SpanSet((s, e) for s, e, _ in doc_spans)
    for m in _YEAR_RE.finditer(t.norm):
        if m.start() in inside_doc:
            continue
        year = int(m.group())
        if year not in years:
            years.append(year)
        if groups and _YEAR_JOIN_RE.fullmatch(t.folded[groups[-1][2] : m.start()]):
            groups[-1][2] = m.end()
        else:
            lead = lead_in(_YEAR_PREFIX_RE, t.folded, m.start())
            groups.append([m.start() - (len(lead.group()) if lead else 0), m.start(), m.end()])
    for start, _, end in groups:
        t.mark(t.inside(start, end), "year")
    return years, [(g[0], g[1], g[2]) for g in groups]


def lead_in(pattern: re.Pattern[str], folded: str, end: int) -> re.Match[str] | None:
    """`pattern` (anchored with `$`) matched just before `end`, looking back `_LEAD_WINDOW` characters."""
    return pattern.search(folded, max(0, end - _LEAD_WINDOW), end)


def _find_provinces(t: _Tokens) -> tuple[list[str], list[Span]]:
    """Provinces named. Typed without diacritics, "nam" before a year is "năm": "cap quang nam 2025"."""
    found: list[str] = []
    spans: list[Span] = []
    known = places()
    cased = t.display != t.display.lower()
    for s, e, canonical in known.matcher.find(t.acc, t.fol):
        if canonical in known.capitalised and cased and t.display[t.spans[s][0]].islower():
            continue  # "cao bằng" (as high as), not Cao Bằng
        if t.plain and any(t.role[i] for i in range(s, e)):
            continue
        if canonical not in found:
            found.append(canonical)
        spans.append((t.spans[s][0], t.spans[e - 1][1]))
        t.mark(range(s, e), "place")
    return found, spans


# Typed without marks, "lực" (force) reads as "lúc" (moment): "chủ lực", "nhân lực", "nguồn lực nào".
_LUC_NOUNS = frozenset("chu nhan nguon nang dong no hieu ap the suc quyen tai thuc vat".split())


def _read_cues(t: _Tokens) -> tuple[dict[str, int], dict[str, int], list[Span], bool]:
    """Intent weights from question words, hints from content words, follow-up markers."""
    matchers = cue_matchers()
    weights = dict.fromkeys(INTENTS, 0)
    hints = dict.fromkeys(INTENTS, 0)
    markers: list[Span] = []
    followup = False
    opener = matchers.openers.match_at(t.acc, t.fol, 0, plain=t.plain) if t.n else None
    if opener is not None and opener[0] < t.n:  # "còn" alone is no question
        followup = True
        markers.append((t.spans[0][0], t.spans[opener[0] - 1][1]))
        t.mark(range(opener[0]), "followup")
    for s, e, cue in matchers.cues.find(t.acc, t.fol):
        if any(t.role[i] for i in range(s, e)):
            continue
        if t.plain and t.fol[s] == "luc" and s and t.fol[s - 1] in _LUC_NOUNS:
            continue  # "nong san chu luc nao": "chủ lực nào" (which main …), not "lúc nào" (when)
        if t.fol[s:e] == ["may"] and {"do", "nay", "kia", "ay"} & set(t.fol[e + 1:e + 3]):
            continue  # "nộp lại mấy giấy tờ đó": "those papers", no count
        t.mark(range(s, e), cue.role, remove=cue.role not in ("hint", "demonstrative", "head"))
        if cue.intent != "-":
            target = hints if cue.role == "hint" else weights
            target[cue.intent] = target.get(cue.intent, 0) + cue.weight
        if cue.role == "followup":
            followup = True
            markers.append((t.spans[s][0], t.spans[e - 1][1]))
    for s, e, _ in matchers.generic.find(t.acc, t.fol):
        if not any(t.role[i] for i in range(s, e)):
            t.mark(range(s, e), "generic")
    if t.n > 2 and t.fol[-1] in ("khong", "chua") and t.role[-1] in ("", "generic"):
        weights["yesno"] += 3
        t.mark([t.n - 1], "question")
    return weights, hints, markers, followup


def _find_anaphor(t: _Tokens, named_plan: bool) -> tuple[int, int, bool] | None:
    """"việc đó", "nhiệm vụ này", "các chỉ tiêu trên": a reference to the previous turn."""
    anaphor = None
    fol, role = t.fol, t.role
    last = max((i for i in range(t.n) if role[i] not in ("question", "followup")), default=-1)
    for i in range(1, t.n):
        if role[i] != "demonstrative" or fol[i - 1] in _NOT_ANAPHORIC_BEFORE:
            continue
        if fol[i] == "nay" and fol[i - 1] in _TIME_NOUNS:
            continue  # "tuần này", "năm nay": now, not the previous turn
        head = role[i - 1] == "head"
        if t.plain and not head and i != last:
            continue  # unaccented "do" is mostly "do"/"độ"/"đô": "toc do", "do ai chu tri"
        if fol[i] == "tren" and i + 1 < t.n and role[i + 1] in ("", "hint", "place", "year"):
            continue  # "trên 50%", "trên địa bàn"
        if " ".join(fol[max(i - 2, 0) : i]) in _DOC_NOUNS and named_plan:
            continue  # "kế hoạch này" in a question that names the plan
        anaphor = (t.spans[i - 1 if head else i][0], t.spans[i][1], head)
        t.removed[i] = True
        if head:
            t.removed[i - 1] = True
        break
    for i in range(t.n):  # a head noun or demonstrative outside an anaphor is ordinary text
        if role[i] in ("head", "demonstrative") and not t.removed[i]:
            role[i] = ""
    return anaphor


# "các huyện phải ban hành kế hoạch của mình trước ngày nào": someone's duty to issue a document of
# their own — a deadline the plan sets, not the date the plan itself was issued.
DUTY_TO_ISSUE_RE = re.compile(r"\b(?:phai|can(?! cu)|duoc giao|co trach nhiem|yeu cau)\s+(?:\w+\s+){0,3}ban hanh\b")


def _decide_intent(t: _Tokens, weights: dict[str, int], hints: dict[str, int], provinces: list[str],
                   doc_numbers: list[str]) -> tuple[str, int]:
    """The intent with the most weight; comparisons and plan metadata get structural evidence too."""
    fol, acc = t.fol, t.acc
    has_doc_noun = any(" ".join(fol[i : i + 2]) in _DOC_NOUNS for i in range(t.n - 1))
    weights["compare"] += 3 if len(provinces) >= 2 else 0
    hints["number"] += 2 if any(a.endswith("%") for a in acc) else 0
    # "cả Đồng Nai và Hải Dương", "giữa hai tỉnh và ..."; unaccented "ca" only before a place.
    both = next((i for i in range(t.n - 1)
                 if acc[i] in ("cả", "giữa", "giua") or (acc[i] == "ca" and t.role[i + 1] == "place")), None)
    if both is not None and "va" in fol[both + 2 :]:
        weights["compare"] += 3
        t.removed[both] = True
    place = weights.pop("place", 0)  # "tỉnh nào": which province — not when the question names the one
    if doc_numbers or len(provinces) != 1:  # it is about ("dùng chung của tỉnh nào" in "… của BR-VT")
        weights["meta" if doc_numbers else "compare"] += place
    if weights["meta"] and (doc_numbers or has_doc_noun):
        weights["meta"] += 2
    best = max(INTENTS, key=lambda k: (weights[k], hints[k], -INTENTS.index(k)))
    return (best, weights[best]) if weights[best] or hints[best] else ("other", 0)


def analyze(question: str) -> QueryInfo:
    """Read provinces, document numbers, years, intent, follow-up-ness and topic of a question."""
    t = _tokenize(question)
    doc_numbers, doc_spans = _find_documents(t)
    years, year_spans = _find_years(t, doc_spans)
    provinces, province_spans = _find_provinces(t)
    weights, hints, markers, followup = _read_cues(t)
    if DUTY_TO_ISSUE_RE.search(" ".join(t.fol)):  # "các huyện phải ban hành kế hoạch … trước ngày nào"
        weights["meta"] = 0  # a deadline the plan sets for someone else's document, not its own date
    anaphor = _find_anaphor(t, bool(provinces or doc_numbers))
    plural, (wants, strength) = weights.get("list", 0), _decide_intent(t, weights, hints, provinces, doc_numbers)
    topic_terms = _topic_terms(t.acc, t.fol, t.removed)
    followup = followup or anaphor is not None
    if not followup and not topic_terms and not doc_numbers and t.n:
        followup = not (wants == "meta" and provinces)
    return QueryInfo(text=t.display, provinces=provinces, doc_numbers=doc_numbers, years=years, wants=wants,
                     is_followup=followup, topic_terms=topic_terms, province_spans=province_spans,
                     year_spans=year_spans, doc_spans=doc_spans, anaphor=anaphor, followup_markers=markers,
                     intent_weight=strength, list_weight=plural)


def understand(question: str, known_provinces: Iterable[str] | None = None) -> QueryInfo:
    """`analyze`, plus which named provinces the corpus holds no plan for.

    Args:
        known_provinces: provinces the corpus holds (any spelling); named provinces outside it
            are reported in `unknown_provinces`, so the answerer can refuse.
    """
    info = analyze(question)
    if known_provinces is not None:
        known = {canonical_province(p) or p for p in known_provinces}
        info.unknown_provinces = [p for p in info.provinces if p not in known]
    return info


def without_places(info: QueryInfo) -> str:
    """The question minus the province names it mentions.

    Once a named province has chosen which plans to search, its name only adds noise to ranking:
    every chunk of those plans could match it, and short header chunks that repeat it would win.
    """
    if not info.province_spans:
        return info.text
    return re.sub(r"\s+", " ", cut_spans(info.text, [(s, e, " ") for s, e in info.province_spans])).strip()


def _display_doc_number(written: str, kind: str, number: str, full: bool) -> str:
    """"198/kh-ubnd" -> "198/KH-UBND", "1728/qd-ubnd" -> "1728/QĐ-UBND", bare -> "198/KH"."""
    if not full:
        return f"{number}/{DOC_KIND_DISPLAY.get(kind, kind.upper())}"
    m = _DOCNO_PARTS_RE.match(written)
    if m is None:  # pragma: no cover - find_doc_numbers matched this shape
        return written.upper()
    rest = re.sub(r"\s+", "", m.group(4)).upper()
    return f"{m.group(1)}{m.group(2)}{DOC_KIND_DISPLAY.get(kind, m.group(3).upper())}{rest}"


def _topic_terms(acc: list[str], fol: list[str], removed: list[bool]) -> list[str]:
    """Runs of the syllables no stage explained, abbreviations spelled out: what the question is about."""
    abbreviations = abbreviation_matcher(True)
    terms: list[str] = []
    seen: set[str] = set()
    run_acc: list[str] = []
    run_fol: list[str] = []

    def flush() -> None:
        while run_acc and is_stopword(run_acc[-1], run_fol[-1]):
            run_acc.pop()
            run_fol.pop()
        words: list[str] = []
        i = 0
        while i < len(run_fol):
            hit = abbreviations.match_at(run_acc, run_fol, i) if run_fol[i] in abbreviations else None
            if hit is not None:
                words.extend(without_overlap(words, list(hit[1].acc)))
                i += hit[0]
            else:
                words.append(run_acc[i])
                i += 1
        phrase = " ".join(words)
        if phrase and phrase not in seen:
            seen.add(phrase)
            terms.append(phrase)
        run_acc.clear()
        run_fol.clear()

    for a, f, gone in zip(acc, fol, removed):
        if gone:
            flush()
        elif run_acc or not is_stopword(a, f):  # a stopword inside a phrase stays: "nhỏ và vừa"
            run_acc.append(a)
            run_fol.append(f)
    flush()
    return terms

def without_overlap(before: list[str], words: list[str]) -> list[str]:
    """`words` minus a lead that repeats the end of `before`: "nền tảng" + "nền tảng tích hợp".

    Only the last len(words) of `before` can overlap, so only they are folded (a long run stays linear).
    """
    fb = [fold_diacritics(w) for w in before[max(0, len(before) - len(words)):]] if words else []
    fw = [fold_diacritics(w) for w in words]
    for k in range(min(len(fb), len(fw)), 0, -1):
        if fb[-k:] == fw[:k]:
            return words[k:]
    return words
