"""What an answer must contain, read from the question: content tokens, years, the kind of figure,
the agencies it names, and which metadata field of a plan it asks for.

Builds on `query.understand` (intent, provinces, years); everything here is matched on
diacritic-folded text, so questions typed without marks are read alike.
"""

from __future__ import annotations

import functools
import re

from . import query as _query
from .extract import Profile, Vocabulary, folded, section_numbers
from .query import QueryInfo
from .text import abbreviation_matcher, bm25_tokens, has_diacritics, read_data, scan

# Plan metadata fields and the (folded) phrasings that ask for them.
_META_FIELDS = {
    "number": r"so hieu|ky hieu|so may|van ban so|so van ban|mang so|la so bao nhieu",
    "date": r"(?:ban hanh|ky|duoc ky|ky ban hanh)(?: vao)?(?: ngay| khi| luc| bao gio| nam nao| thoi diem)"
            r"|ngay (?:thang nam )?(?:ban hanh|ky)|thoi diem ban hanh"
            r"|(?:ban hanh|\bky)\b.*\bngay (?:thang nam )?nao",
    "signer": r"ai ky|nguoi ky|ky boi|do ai ky|ai da ky|ai la nguoi ky|ky ban hanh",
    "issuer": r"co quan (?:nao )?ban hanh|ai ban hanh|don vi (?:nao )?ban hanh|ban hanh boi|cap nao ban hanh",
    "title": r"ten day du|trich yeu|tieu de|ten (?:cua |goi )?(?:ke hoach|van ban|quyet dinh|chuong trinh)"
             r"|phe duyet (?:chuong trinh|ke hoach|de an) gi|la (?:ke hoach|chuong trinh|van ban) gi",
}
# A question about another document the plan cites, not about the plan itself.
_REFERENCED_RE = re.compile(
    r"(?:quyet dinh|nghi quyet|nghi dinh|chi thi|thong tu|cong van|to trinh|de an|chien luoc|chuong trinh hanh dong"
    r"|ke hoach)\s+(?:nao|gi)\b|can cu|theo de nghi|to trinh|cu the hoa|thuc hien (?:nghi quyet|quyet dinh)"
)
_COUNT_RE = re.compile(r"bao nhieu\s+(%|[a-z0-9&]+(?:\s+[a-z0-9&]+)?)")
_SKIP_COUNT = {"la", "thi", "vay", "nam", "lan", "phan", "nguoi dan"}
_AGENCY_NAME_RE = re.compile(
    r"\b(Sở|Công an|Cục|Ngân hàng|Bảo hiểm|Bộ Chỉ huy|Kho bạc|Đài|Thành đoàn|Tỉnh đoàn|Liên đoàn)"
    r"((?:\s+[^\s,.;:?!()]+){0,3})"
)
# Words that end an agency's name in a question: "Công an tỉnh Đồng Nai", "Sở nào của …".
_NAME_STOP = {"nao", "gi", "cua", "o", "tai", "tinh", "thanh", "duoc", "da", "se", "co", "la", "cac", "trong",
              "giao", "chu", "phu", "tham", "thuc", "trien", "phoi", "hien", "dang", "nam", "ve", "cho", "theo"}
_DOWNWEIGHT = 0.35  # question cues ("mục tiêu", "chủ trì", "đạt") say what is asked, not what about


@functools.cache
def _cue_tokens() -> frozenset[str]:
    """Tokens of the cue phrases of data/query_cues.tsv: the bigrams, and one-syllable cues whole."""
    out: set[str] = set()
    for role, intent, _, phrases in read_data("query_cues.tsv"):
        if role not in ("cue", "hint", "generic", "question") or intent in ("meta", "compare", "place"):
            continue  # "hiệu lực", "căn cứ" are the very content of a question about the plan
        for phrase in phrases.split("|"):
            tokens = bm25_tokens(phrase)
            out.update(t for t in tokens if "_" in t)
            if len(phrase.split()) == 1:
                out.update(tokens)
    return frozenset(out)


def build_profile(question: str, info: QueryInfo, vocab: Vocabulary, own_numbers: set[str],
                  title: str = "") -> Profile:
    """The scorer's view of a question: IDF weights of its content tokens, minus places and years.

    Args:
        title: the title of the plan asked about; its words name the document more than the topic.
    """
    content = _content_text(question)
    tokens = bm25_tokens(content, is_query=True)
    literal = set(bm25_tokens(content)) | _expansion_tokens(content)
    weights: dict[str, float] = {}
    unknown: list[str] = []
    cues = _cue_tokens()
    abbreviations = abbreviation_matcher(True)
    title_tokens = set(bm25_tokens(title)) if title else set()
    for token in tokens:
        digits = re.sub(r"\D", "", token.split("/")[0])
        if digits and digits in own_numbers:
            continue  # the plan's own number names the document, it is no content
        if not vocab.knows(token):
            if token in literal and token not in abbreviations:
                unknown.append(token)
            continue
        weight = vocab.idf(token)
        if "_" in token:
            # Two syllables side by side are no rarer than both syllables together: keeps chance
            # neighbours ("về chuyển", "quả đánh") from outweighing the words of the question.
            weight = min(weight, sum(vocab.idf(part) for part in token.split("_")))
        if token not in literal:
            weight *= 0.5  # a synonym or expansion: helps, but is not what the user typed
        if token in cues:
            weight *= _DOWNWEIGHT
        if token in title_tokens:
            weight *= 0.5
        weights[token] = max(weights.get(token, 0.0), weight)
    return Profile(info=info, weights=weights, unknown=unknown, years=list(info.years), wants=info.wants,
                   folded=folded(question), agencies=named_agencies(question),
                   sections=section_numbers(question))


def _expansion_tokens(text: str) -> set[str]:
    """Tokens of the spelled-out abbreviations of a question ("DN" -> "doanh nghiệp"): as typed, not synonyms."""
    sc = scan(text)
    out: set[str] = set()
    for _, _, expansion in abbreviation_matcher(True).find(sc.acc, sc.fol):
        out.update(bm25_tokens(" ".join(expansion.acc)))
    return out


def _content_text(question: str) -> str:
    """The question without its place names and years (they filter, they are not the topic)."""
    try:
        analysis = _query._analyze(question)
    except Exception:  # pragma: no cover - defensive: query internals may change
        return question
    text = analysis.display
    cuts = sorted([*analysis.provinces, *[(s, e) for s, _, e in analysis.years]], reverse=True)
    for start, end in cuts:
        text = text[:start] + " , " + text[end:]
    return text


def province_years(question: str, provinces: list[str]) -> dict[str, list[int]]:
    """Years a cross-plan question gives each province: "Đồng Nai (năm 2025) và Hải Dương (năm 2022)"."""
    try:
        analysis = _query._analyze(question)
    except Exception:  # pragma: no cover
        return {}
    spans, groups = analysis.provinces, analysis.years
    names = analysis.info.provinces
    if len(groups) < 2 or len(spans) < 2 or len(names) != len(spans):
        return {}
    out: dict[str, list[int]] = {}
    for start, _, end in groups:
        years = [int(y) for y in re.findall(r"(?:19|20)\d\d", analysis.display[start:end])]
        before = [i for i, (s, _) in enumerate(spans) if s < start]
        owner = names[before[-1]] if before else names[0]
        out.setdefault(owner, []).extend(years)
    return out if len(out) >= 2 else {}


def named_agencies(question: str) -> list[str]:
    """Agencies a question names in full, folded ("sở y tế" -> "so y te"); abbreviations are skipped.

    Only read in questions typed with diacritics: unaccented "so" is mostly "số".
    """
    if not has_diacritics(question):
        return []
    out = []
    for m in _AGENCY_NAME_RE.finditer(question):
        words: list[str] = []
        for word in m.group(2).split():
            if folded(word) in _NAME_STOP or _query.canonical_province(word):
                break
            words.append(word)
        if any(w.isupper() and len(w) > 1 or "&" in w for w in words):
            continue  # "Sở TT&TT", "Sở GD&ĐT": written differently in the plans
        if words and _query.canonical_province(" ".join(words)):
            continue  # "Đài Đồng Nai" names the province, not the agency
        name = folded(f"{m.group(1)} {' '.join(words)}")
        if len(name.split()) >= 2:
            out.append(name)
    return out


def meta_fields(question: str, own_numbers: set[str] | frozenset[str] = frozenset()) -> list[str]:
    """Metadata fields of the plan itself the question asks for (number, date, signer, issuer, title).

    A question naming a document that is none of the plans ("theo QĐ 4025/QĐ-UBND") asks about
    that document, which only the plan's text can answer.
    """
    q = folded(question)
    if _REFERENCED_RE.search(q):
        return []
    if any(re.sub(r"\D", "", n.split("/")[0]) not in own_numbers for n in _query.understand(question).doc_numbers):
        return []
    return [name for name, pattern in _META_FIELDS.items() if re.search(rf"\b(?:{pattern})\b", q)]


def quantity_kind(profile: Profile) -> str:
    """What kind of figure a numeric question wants: "percent", "money", "noun:<word>", or ""."""
    q = profile.folded
    if re.search(r"bao nhieu (?:phan tram|%)|(?:ty le|ty trong|phan tram)\b", q) or "%" in q:
        return "percent"
    if re.search(r"bao nhieu (?:ty|trieu|nghin|ngan)? ?dong|bao nhieu (?:ty|trieu)\b|kinh phi|von dau tu", q):
        return "money"
    m = _COUNT_RE.search(q)
    written = re.search(r"(?i)bao\s+nhi[eê]u\s+(\S+)", profile.info.text or "")
    if written and (written.group(1).isupper() or "&" in written.group(1)):
        return ""  # "bao nhiêu DVCTT": an abbreviation the plans spell out
    if m and m.group(1) != "%":
        words = m.group(1).split()
        if words and words[0] not in _SKIP_COUNT and not words[0].isdigit():
            return "noun:" + words[0]
    return ""


def quantity_ok(text: str, kind: str) -> bool:
    """The unit holds the kind of figure asked for."""
    t = folded(text)
    if kind == "percent":
        return "%" in t or "phan tram" in t
    if kind == "money":
        return bool(re.search(r"\d[\d.,]*\s*(?:ty|trieu|nghin|dong)\b", t))
    if kind.startswith("noun:"):
        return bool(re.search(r"\b" + re.escape(kind[5:]) + r"\b", t))
    return True
