"""What an answer must contain, read from the question: content tokens, years, the kind of figure,
the agencies it names, and which metadata field of a plan it asks for.

Builds on `query.understand` (intent, provinces, years); everything here is matched on
diacritic-folded text, so questions typed without marks are read alike.
"""

from __future__ import annotations

import functools
import re

from assistant import tuning
from assistant.retrieve.plan_naming import aside_tokens, asked_years, trailing_aside_tokens, without_plan_reference
from assistant.answer.units import section_numbers
from assistant.retrieve.analysis import QueryInfo, analyze
from assistant.answer.scoring import Profile, Vocabulary
from assistant.vi.agencies import ISSUER_HEADS, NAMED_AGENCY_HEADS, heads_pattern
from assistant.vi.normalize import fold_diacritics, folded, has_diacritics
from assistant.vi.phrases import PhraseMatcher, abbreviation_matcher, question_matcher
from assistant.vi.pronouns import without_asker
from assistant.vi.resources import read_data
from assistant.vi.syllables import Scan, scan
from assistant.vi.tokens import bm25_tokens, bridge_alternatives, bridge_tokens, bridged_syllables

# Function words the stopword list keeps (they fold onto content syllables: "mà"/"mã"); only
# dropped as spelled.
_FUNCTION_WORDS_RE = re.compile(r"(?<!\w)(?:mà|thì|rằng|hay là|hoặc là|vậy|nhỉ|nhé|hả)(?!\w)", re.I)
# Particles ending a question typed without marks: "vay" (vậy), "nhi" (nhỉ), "nhe" (nhé), "ha" (hả), "a" (ạ).
_PLAIN_TAIL_RE = re.compile(r"(?:\s+(?:vay|nhi|nhe|ha|a|ah|ak|ad|ha ad|vay ad|a ad))+\s*(?=[?.!]*\s*$)", re.I)
# "bao lâu một lần" asks how often: "một lần" is part of the question, not its topic.
_HOW_OFTEN_RE = re.compile(r"\bbao\s+l[âa]u\s+(?:m[ộo]t|1)\s+l[ầa]n\b|\bm[ấa]y\s+l[ầa]n\b", re.I)
# "tối đa bao nhiêu tiền một trạm", "bao nhiêu % một năm": "một/mỗi X" after a figure asked is "per X" (the
# plans write "đồng/trạm", "mỗi năm"); "một cửa" stays a name.
_PER_UNIT_RE = re.compile(r"((?:bao nhiêu|tối đa|tối thiểu|bao nhieu|toi da|toi thieu)(?:\s+[^\s,;?]+){0,3}?)"
                          r"\s+(?:một|mỗi|1|mot|moi)(?=\s+(?!c[ửu]a\b)\w)", re.I)
_COUNT_RE = re.compile(r"bao nhieu\s+(%|[a-z0-9&]+(?:\s+[a-z0-9&]+)?)")
# Words after "bao nhiêu" that are no counted noun: "chiếm bao nhiêu trong …", "bao nhiêu năm".
_SKIP_COUNT = {"la", "thi", "vay", "nam", "lan", "phan", "trong", "tren", "duoi", "cho", "cua", "vao", "de",
               "so", "voi", "nua", "mot", "tai", "o", "den", "tu", "va", "hay", "khi", "moi", "nhu"}
# Classifiers a count may use interchangeably for events and things: "cuộc"/"lượt tấn công", "chiếc"/"cái".
_CLASSIFIERS = {"cuoc", "luot", "chiec", "cai", "nguoi"}  # "bao nhiêu người dân" counts "dân"


def _heads_re(heads: list[str]) -> re.Pattern[str]:
    return re.compile(rf"(?<!\w)({heads_pattern(heads)})((?:\s+[^\s,.;:?!()]+){{0,2}})")


_AGENCY_NAME_RE = _heads_re(list(NAMED_AGENCY_HEADS))
# The same typed without diacritics, only as capitalised ("So Y te"): lower-case "so" is "số".
_AGENCY_NAME_PLAIN_RE = _heads_re([fold_diacritics(h) for h in NAMED_AGENCY_HEADS])
# Words that end an agency's name in a question: "Công an tỉnh Đồng Nai", "Sở nào của …".
_NAME_STOP = {"nào", "gì", "của", "ở", "tại", "tỉnh", "thành", "được", "đã", "sẽ", "có", "là", "các", "trong",
              "giao", "chủ", "phụ", "tham", "thực", "triển", "phối", "hiện", "đang", "năm", "về", "cho", "theo",
              "và", "với", "làm", "đề", "xây", "cần", "phải", "chịu", "thì"}
_NAME_STOP_PLAIN = {fold_diacritics(w) for w in _NAME_STOP} - {"tai", "co"}  # "Tài chính", "Cơ quan"


@functools.cache
def _cue_tokens() -> tuple[frozenset[str], frozenset[str]]:
    """Tokens of the cue phrases of data/query_cues.tsv ("mục tiêu", "tỷ lệ", "chủ trì", "đạt"):
    (their bigrams and one-syllable cues, every syllable they use)."""
    tokens: set[str] = set()
    syllables: set[str] = set()
    for role, intent, _, phrases in read_data("query_cues.tsv"):
        if role not in ("cue", "hint", "generic", "question") or intent in ("compare", "place"):
            continue
        for phrase in phrases.split("|"):
            found = bm25_tokens(phrase)
            tokens.update(t for t in found if "_" in t)
            syllables.update(t for t in found if "_" not in t)
            if len(phrase.split()) == 1:
                tokens.update(found)
    return frozenset(tokens), frozenset(syllables)


@functools.cache
def _cue_matcher() -> PhraseMatcher[str]:
    """The cue phrases of data/query_cues.tsv, to find where a question says what it asks."""
    entries = [(p.strip(), intent) for role, intent, _, phrases in read_data("query_cues.tsv")
               if role in ("cue", "hint", "generic", "question") and intent not in ("compare", "place")
               for p in phrases.split("|") if p.strip()]
    return PhraseMatcher(entries, loose=False)


def _cue_ranges(sc: Scan) -> list[tuple[int, int]]:
    """Syllable ranges of a scanned question inside its cue or question phrases ("cho em hỏi")."""
    plain = not any(a != f for a, f in zip(sc.acc, sc.fol))
    return [(s, e) for matcher in (_cue_matcher(), question_matcher())
            for s, e, _ in matcher.find(sc.acc, sc.fol, plain=plain)]


def cue_pairs(text: str) -> frozenset[str]:
    """Bigrams of `text` whose two syllables both sit in cue phrases it uses ("mục tiêu tỷ trọng"
    -> "tieu_ty"), but not two content syllables that merely spell like cue ones ("chữ ký số")."""
    sc = scan(text)
    inside = [False] * len(sc.fol)
    for start, end, _ in _cue_matcher().find(sc.acc, sc.fol, plain=not has_diacritics(text)):
        inside[start:end] = [True] * (end - start)
    return frozenset(f"{sc.fol[i]}_{sc.fol[i + 1]}" for i in range(len(sc.fol) - 1) if inside[i] and inside[i + 1])


def cue_syllables(text: str) -> frozenset[str]:
    """Folded syllables of `text` inside its cue phrases ("đơn vị nào" -> don, vi, nao)."""
    sc = scan(text)
    return frozenset(f for start, end, _ in _cue_matcher().find(sc.acc, sc.fol, plain=not has_diacritics(text))
                     for f in sc.fol[start:end])


def _is_cue(token: str, pairs: frozenset[str] | None = None) -> bool:
    """A cue word, or two cue syllables side by side ("mục tiêu tỷ trọng" -> "tieu_ty").

    Args:
        pairs: the question's own cue bigrams (`cue_pairs`); without them any two cue syllables count.
    """
    tokens, syllables = _cue_tokens()
    if token in tokens:
        return True
    first, _, second = token.partition("_")
    if pairs is not None:
        return token in pairs
    return bool(second) and first in syllables and second in syllables


@functools.cache
def _known_syllables() -> frozenset[str]:
    """Syllables of data/synonyms.tsv and query_cues.tsv: an unknown word there ("smartphone",
    "chênh") has a synonym the plans use, or says what is asked, not what about."""
    rows = [*read_data("synonyms.tsv"), *[r[3:] for r in read_data("query_cues.tsv")]]
    return frozenset(t for row in rows for p in row for phrase in p.split("|") for t in bm25_tokens(phrase))


# Function syllables: a bigram holding one ("số trong", "có chữ") is no name of a thing.
FUNCTION_SYLLABLES = frozenset("trong cua co cho voi va la tai o cac nhung duoc de ve tu den theo thi ma".split())


def build_profile(question: str, info: QueryInfo, vocab: Vocabulary, own_numbers: set[str],
                  title: str = "", *, bridge: bool = True, plan_words: frozenset[str] = frozenset(),
                  cross: bool = False) -> Profile:
    """The scorer's view of a question: IDF weights of its content tokens, minus places and years.

    Args:
        title: the title of the plan asked about; its words name the document more than the topic.
        plan_words: folded syllables of the corpus's plan titles, to recognise the words that name
            the plan asked about ("trong kế hoạch kinh tế số, xã hội số …"): `without_plan_reference`.
        cross: one side of a comparison: its years are the caller's (several plans are named, each
            with its year), not read again from the question (`asked_years`).
    """
    content = content_text(info, own_numbers)
    # "em bán sạp ở chợ …": the asker's own pronouns are no topic (vi/pronouns.py).
    content = without_asker(content, vocab.knows, plain=not has_diacritics(content), protected=_cue_ranges)
    # Words that name the plan asked about weigh less: they say which document, not what about.
    rest = without_plan_reference(content, plan_words) if plan_words else content
    naming = set(bm25_tokens(content)) - set(bm25_tokens(rest))
    tokens = bm25_tokens(content, is_query=True)
    # The lexicon's other names count as two-syllable words only: their single syllables
    # ("chính", "phủ") match any clause.
    bridged = {t for t in bridge_tokens(content) if "_" in t and not any(c.isdigit() for c in t)} if bridge else set()
    tokens = tokens + sorted(bridged)
    bridged_words = bridged_syllables(content, vocab.knows) if bridge else set()
    expanded = _expansion_tokens(content)
    literal = set(bm25_tokens(content)) | expanded
    weights: dict[str, float] = {}
    unknown: list[str] = []
    optional: dict[str, float] = {}
    title_tokens = set(bm25_tokens(title)) if title else set()
    pairs = cue_pairs(content)
    asking = cue_syllables(content)
    aside = aside_tokens(content)
    claim = _claim_tokens(content) if info.wants == "yesno" else set()
    # an agency only supposed ("có phải là Giám đốc Sở X không") need not be named by the clause
    named = named_agencies(info)
    claimed = {n for n in named if claim and {t for t in bm25_tokens(n) if "_" in t} <= claim}
    after = trailing_aside_tokens(content) - naming  # "… ? (theo đề án CĐS 2022)" still names the plan
    for token in tokens:
        digits = re.sub(r"\D", "", token.split("/")[0])
        if digits and digits in own_numbers:
            continue  # the plan's own number names the document, it is no content
        if not vocab.knows(token):
            # A word the plans never use ("robot", "USD") is what the question is about and no
            # clause covers it: it weighs as the rarest word, so it lowers every clause's support.
            if token in literal and "_" not in token and not digits and len(token) > 2 \
                    and token not in _known_syllables() and token not in abbreviation_matcher(True) \
                    and token not in bridged_words:
                weights[token] = vocab.idf(token) * tuning.value("unknown_weight")
                unknown.append(token)
            continue
        weight = vocab.idf(token)
        if "_" in token:
            # Two syllables side by side are no rarer than both syllables together: keeps chance
            # neighbours ("về chuyển", "quả đánh") from outweighing the words of the question.
            weight = min(weight, sum(vocab.idf(part) for part in token.split("_")))
        if _is_cue(token, pairs):
            weight *= tuning.value("cue_weight")
        if token in naming:
            weight *= tuning.value("plan_name_weight")
        # A lexicon name helps a clause that uses it, but a clause need not use every alternative. A
        # synonym of data/synonyms.tsv widens the BM25 query only: in a clause it was measured to be
        # worth nothing on blind questions (ablation, December 2026), so it counts 0 here.
        # A word only of a reason typed after the question helps a clause that holds it, never counts
        # against one that does not.
        target = weights if token in literal and token not in after else optional
        share = 1.0 if token in literal else (tuning.value("bridge_share") if token in bridged else 0.0)
        if token in claim:  # "… có phải là Giám đốc Sở TTTT không": the plan may say otherwise
            share *= tuning.value("claim_share")
        target[token] = max(target.get(token, 0.0), share * weight)
    words = [t for t in dict.fromkeys(bm25_tokens(content)) if "_" in t and not any(c.isdigit() for c in t)]
    plain_words = [t for t in dict.fromkeys(bm25_tokens(content)) if "_" in t and t not in expanded]
    phrase = [t for t in plain_words if t in weights and t not in title_tokens and not _is_cue(t, pairs)
              and not FUNCTION_SYLLABLES & set(t.split("_")) and not any(c.isdigit() for c in t)]
    return Profile(info=info, weights=weights, optional=optional, years=asked_years(info, plan_words) if not cross else list(info.years), wants=info.wants,
                   folded=folded(question), named=named,
                   agencies=[n for n in named if not n.startswith(ISSUER_HEADS) and n not in claimed],
                   sections=section_numbers(question), words=len(words),
                   known_words=sum(vocab.knows(t) for t in words), phrase=phrase,
                   own_numbers=frozenset(own_numbers), unknown=unknown, naming=frozenset(naming),
                   cues=frozenset(t for t in weights if _is_cue(t, pairs) or set(t.split("_")) <= asking),
                   alternatives=bridge_alternatives(content) if bridge else {}, aside=aside)


_CLAIM_RE = re.compile(r"(?:có phải là|có phải|phải chăng|có đúng là|có đúng|co phai la|co phai|co dung la)\s+(.*?)(?:\s+(?:không|khong|chứ|chu|hay không|hay khong)\b|[?]|$)", re.I)


def _claim_tokens(content: str) -> set[str]:
    """Tokens of what a yes/no question supposes ("… có phải là Giám đốc Sở TTTT không"): the plan may say
    otherwise, so the clause need not hold them."""
    m = _CLAIM_RE.search(content)
    if not m:
        return set()
    return set(bm25_tokens(m.group(1))) - set(bm25_tokens(content[:m.start()]))


def _expansion_tokens(text: str) -> set[str]:
    """Tokens of the spelled-out abbreviations of a question ("DN" -> "doanh nghiệp"): as typed, not synonyms."""
    sc = scan(text)
    out: set[str] = set()
    for _, _, expansion in abbreviation_matcher(True).find(sc.acc, sc.fol):
        out.update(bm25_tokens(" ".join(expansion.acc)))
    return out


def named_words(tokens: frozenset[str]) -> frozenset[str]:
    """`tokens` without the bigrams that hold a function syllable ("hỗ trợ theo" -> "tro_theo"): chance
    neighbours, which say nothing of which of two clauses is about the question."""
    return frozenset(t for t in tokens if not ("_" in t and FUNCTION_SYLLABLES & set(t.split("_"))))


def content_text(info: QueryInfo, own_numbers: set[str] | frozenset[str] = frozenset()) -> str:
    """The question without its place names, years and the plans' own numbers ("KH 780/KH-UBND"):
    they say which plan, not what about. Numbers of other documents stay: they are the topic."""
    text = info.text
    own = [(s, e) for s, e, _ in info.doc_spans if re.sub(r"\D", "", text[s:e].split("/")[0]) in own_numbers]
    cuts = sorted([*info.province_spans, *[(s, e) for s, _, e in info.year_spans], *own], reverse=True)
    for start, end in cuts:
        text = text[:start] + " , " + text[end:]
    text = _HOW_OFTEN_RE.sub(" , ", text)
    text = _PER_UNIT_RE.sub(r"\1 , ", text)
    if not has_diacritics(text):
        text = _PLAIN_TAIL_RE.sub(" ", text)  # "… so nao chu tri vay ad?": "vậy" typed bare, not "vay" (loan)
    # "thì" / "mà" join two clauses: a ";" keeps the plan's name from running on (plan_naming)
    return _FUNCTION_WORDS_RE.sub(lambda m: " ; " if m.group().lower() in ("thì", "mà") else " , ", text)


def named_agencies(question: str | QueryInfo) -> list[str]:
    """Agencies a question names in full, folded ("Sở Y tế" -> "so y te"); abbreviations are skipped.

    Typed without diacritics, "so" is mostly "số": there only a capitalised "So Y te" counts.
    """
    info = question if isinstance(question, QueryInfo) else analyze(question)
    text, places = info.text, info.province_spans
    plain = not has_diacritics(text)
    stop = _NAME_STOP_PLAIN if plain else _NAME_STOP
    out = []
    for m in (_AGENCY_NAME_PLAIN_RE if plain else _AGENCY_NAME_RE).finditer(text):
        if plain and not re.search(r"[^\W\d_][,\s]*$", text[: m.start()]):
            continue  # capitalised at the start of a sentence: "So hieu …" is "Số hiệu …"
        words: list[str] = []
        for w in re.finditer(r"[^\s,.;:?!()]+", m.group(2)):
            at = m.start(2) + w.start()
            if w.group().lower() in stop or any(s <= at < e for s, e in places):
                break  # "Sở nào", "Công an tỉnh Đồng Nai", "Sở Tài chính Bà Rịa - Vũng Tàu"
            words.append(w.group())
        if any(w.isupper() and len(w) > 1 or "&" in w for w in words):
            continue  # "Sở TT&TT", "Sở GD&ĐT": written differently in the plans
        name = folded(f"{m.group(1)} {' '.join(words)}")
        if len(name.split()) >= 2:
            out.append(name)
    return out


def quantity_kind(profile: Profile) -> str:
    """What kind of figure a numeric question wants: "percent", "money", "noun:<word>", or ""."""
    q = profile.folded
    if re.search(r"bao nhieu (?:phan tram|%)|(?:ty le|ty trong|phan tram)\b", q) or "%" in q:
        return "percent"
    if re.search(r"bao nhieu (?:ty|trieu|nghin|ngan)? ?dong|bao nhieu (?:ty|trieu|tien)\b|kinh phi|von dau tu", q):
        return "money"
    m = _COUNT_RE.search(q)
    written = re.search(r"(?i)bao\s+nhi[eê]u\s+(\S+)", profile.info.text or "")
    if written and (written.group(1).isupper() or "&" in written.group(1)):
        return ""  # "bao nhiêu DVCTT": an abbreviation the plans spell out
    if m and m.group(1) != "%":
        words = m.group(1).split()
        if words and words[0] in _CLASSIFIERS and len(words) > 1:
            words = words[1:]  # "bao nhiêu cuộc tấn công" counts attacks, whatever the plan's classifier ("lượt")
        if words and words[0] == "nguoi":
            return "count"  # "… cán bộ chuyên trách là bao nhiêu người": people, counted by any noun
        if words and words[0] not in _SKIP_COUNT and not words[0].isdigit():
            return "noun:" + words[0]
    return ""


_NUMBER_WORDS = "mot|hai|ba|bon|nam|sau|bay|tam|chin|muoi"


def counted_in_words(text: str, profile: Profile) -> bool:
    """"mấy lần", "bao nhiêu thành viên" answered by a number written out: "chỉ được hỗ trợ một lần",
    "gồm ba thành viên" (legal texts spell small numbers)."""
    m = re.search(r"\b(?:bao nhieu|may)\s+([a-z]+)", profile.folded)
    if not m or m.group(1) in ("phan", "tien", "nam"):
        return False  # a share, money and years are written in figures
    return bool(re.search(rf"\b(?:{_NUMBER_WORDS})\s+{m.group(1)}\b", folded(text)))


def quantity_ok(text: str, kind: str) -> bool:
    """The unit holds the kind of figure asked for."""
    t = folded(text)
    if kind == "percent":
        return "%" in t or "phan tram" in t
    if kind == "money":
        return bool(re.search(r"\d[\d.,]*\s*(?:ty|trieu|nghin|dong)\b", t))
    if kind == "count":  # a head count, not a share
        return bool(re.search(r"(?<![\d.,/])\d[\d.,]*(?![\d.,]*\s*%)(?![\d/])", t))
    if kind.startswith("noun:"):
        # "bao nhiêu cán bộ": the noun, and a count of it ("65 người", "612 camera") or a share ("50% số xã"),
        # not a figure of something else in the same clause ("kết nối 06 hệ thống … và camera").
        noun = re.escape(kind[5:])
        if not re.search(rf"\b{noun}\b", t):
            return False
        window = int(tuning.value("count_noun_window"))
        if window:  # the count sits by the noun: "612 camera", "camera … đạt 612"; people counted in "người"
            counts = re.search(rf"(?<![\d.,])\d[\d.,/]*%?(?:\s+[^\s;.]+){{0,3}}\s+{noun}\b"
                               rf"|\b{noun}\b(?:\s+[^\s;]+){{0,{window}}}?\s*:?\s+\d[\d.,/]*%?(?![a-z])", t) \
                or re.search(r"(?<![\d.,/])\d[\d.,]*\s+nguoi\b", t)
        else:
            counts = re.search(r"(?<![\d.,/])\d[\d.,]*(?![\d.,]*\s*%)(?![\d/])", t)
        return bool(counts or re.search(rf"\d\s*%\s+(?:so\s+)?{noun}\b|\b(?:{_NUMBER_WORDS})\s+{noun}\b", t))
    return True
