"""Which words of a question name the plan it asks about, and which sentences of it ask nothing.

"Theo kế hoạch chuyển đổi số năm 2023 của Kon Tum, …": "kế hoạch chuyển đổi số năm 2023" names the
plan — its words weigh less than the topic's, and its year says which plan, not which year the
figure asked for is for. Every kind of issuing document (documents.DOC_KINDS) can name a plan, its
issuer may stand between noun and year ("nghị quyết CĐS của HĐND tỉnh … năm 2023"). A reason or a
clarification typed around the question ("Mình cần data để làm nghiên cứu.") asks nothing.
"""

from __future__ import annotations

import functools
import re

from assistant.retrieve.analysis import QueryInfo
from assistant.vi.documents import DOC_KINDS
from assistant.vi.normalize import folded, has_diacritics
from assistant.vi.phrases import abbreviations
from assistant.vi.syllables import Scan, scan
from assistant.vi.tokens import bm25_tokens


_ASKING_RE = re.compile(r"\?|\b(?:bao nhieu|khi nao|bao gio|nao|gi|ai|the nao|ra sao|may)\b"
                        r"|\bkhong(?:\s+(?:a|nhi|vay|ha|nhe))?\s*[.!]*$")  # "… không?" asks; "Không phải …" not
# The same typed with diacritics: "nhà máy" is no "mấy", "cái" no "ai".
_ASKING_ACCENTED_RE = re.compile(r"\?|(?<!\w)(?:bao nhiêu|khi nào|bao giờ|nào|gì|ai|thế nào|ra sao|mấy)(?!\w)"
                                 r"|(?<!\w)không(?:\s+(?:ạ|nhỉ|vậy|hả|nhé))?\s*[.!]*$")


def asks(sentence: str) -> bool:
    """Whether a sentence asks something, read as typed: accented words when it has marks."""
    if has_diacritics(sentence):
        return bool(_ASKING_ACCENTED_RE.search(sentence.lower()))
    return bool(_ASKING_RE.search(folded(sentence)))


def _sentences(content: str) -> list[str]:
    """Sentences of a typed question: split after any . ? ! — unlike `vi.sentences.split_sentences`,
    made for the plans, which waits for a capital that chat questions often lack ("… vay? minh can …")."""
    return [s for s in re.split(r"(?<=[.?!])\s+", content) if s.strip()]


def trailing_aside_tokens(content: str) -> frozenset[str]:
    """`aside_tokens` of the sentences after the last one that asks: a reason typed after the question
    ("… bao nhiêu tiền mỗi tháng? Mình cần số liệu để viết báo cáo."). A sentence before the question
    is kept as its topic ("KH có nói lập trung tâm X. Cơ quan nào chủ trì?")."""
    sentences = _sentences(content)
    last = max((i for i, s in enumerate(sentences) if asks(s)), default=None)
    if last is None or last == len(sentences) - 1:
        return frozenset()
    kept = set(bm25_tokens(" ".join(sentences[: last + 1])))
    return frozenset(t for s in sentences[last + 1:] for t in bm25_tokens(s) if t not in kept)


def aside_tokens(content: str) -> frozenset[str]:
    """Tokens only of the sentences that ask nothing — a reason or a clarification typed before or
    after the question ("Mình cần data để làm nghiên cứu.", "Không phải tài khoản định danh nhé."):
    a clause need not hold them to answer."""
    sentences = _sentences(content)
    asking = [s for s in sentences if asks(s)]
    if len(sentences) < 2 or not asking or len(asking) == len(sentences):
        return frozenset()
    kept = set(bm25_tokens(" ".join(asking)))
    return frozenset(t for s in sentences if s not in asking for t in bm25_tokens(s) if t not in kept)


# Nouns that start a reference to a plan: every kind of issuing document ("kế hoạch", "đề án",
# "nghị quyết" …, from the one vocabulary of kinds) and the abbreviations typed for the usual ones.
_PLAN_NOUNS = frozenset({tuple(name.split()) for name, _, _ in DOC_KINDS}
                         | {("kh",), ("qd",), ("nq",), ("ctr",), ("ct",), ("chien", "luoc")})  # "CT CĐS Phú Yên 2020": chương trình
# Who issued it, named after a reference ("… CĐS 2023 của BTV Tỉnh ủy", "… của UBND tỉnh"): part of
# the plan's name too. Folded syllables, spelled out or abbreviated.
_ISSUERS = tuple(tuple(name.split()) for name in (
    "ubnd", "hdnd", "uy ban nhan dan", "hoi dong nhan dan", "tinh uy", "thanh uy", "ban thuong vu", "btv",
    "ban chap hanh dang bo", "ban chap hanh", "bch", "ban can su dang", "dang bo", "tinh", "thanh pho"))
# Words that join a plan's title words in a reference: "kế hoạch [về] chuyển đổi số [của] tỉnh".
_PLAN_GLUE = frozenset({"cua", "ve", "nam", "so", "tinh", "thanh", "pho", "giai", "doan", "phat", "trien",
                        "ubnd", "hdnd", "uy", "ban", "hoi", "dong", "nhan", "dan",  # "… của HĐND tỉnh"
                        "thuc", "hien", "khai"})  # "KH thực hiện / triển khai chiến lược …"
_CARRY_OUT = {("thuc", "hien"), ("trien", "khai")}
_YEAR_RE = re.compile(r"(?:19|20)\d\d")  # "kế hoạch CĐS 2024 của …": the year is part of the name
MIN_PLAN_WORDS = 2  # title syllables after the noun that make a run a plan's name, not a topic ("kế hoạch gì")


def plan_words_of(titles: list[str]) -> frozenset[str]:
    """Folded syllables of the plans' titles, with the abbreviations users write for them ("cds")."""
    words = {f for title in titles for f in scan(title).fol}
    for variant, expansion in _abbreviations():
        if expansion and set(expansion) <= words:
            words.add(variant)
    return frozenset(words)


@functools.cache
def _abbreviations() -> tuple[tuple[str, tuple[str, ...]], ...]:
    """One-word abbreviations and their folded expansions ("cds" -> chuyen doi so)."""
    out = []
    for variant, expansion in abbreviations():
        key = scan(variant).fol
        if len(key) == 1:
            out.append((key[0], tuple(scan(expansion).fol)))
    return tuple(out)


def without_plan_reference(content: str, plan_words: frozenset[str]) -> str:
    """The question without the words that name the plan it asks about.

    In "Việc theo dõi các chỉ tiêu của kế hoạch kinh tế số Đồng Nai được làm ra sao?" the plan's
    name says which document, like the province does, not what the question is about — left in, it
    makes every clause that repeats the plan's title look like an answer. A reference is a plan noun
    followed by at least `MIN_PLAN_WORDS` syllables of the corpus's titles (or their abbreviations).
    """
    lower = content.lower()
    if len(lower) != len(content):
        return content  # offsets would not carry over (a rare letter whose lower case is longer)
    sc = scan(lower, prepared=True)
    fol, n = sc.fol, len(sc.fol)
    plain = not has_diacritics(content)
    sizes = dict(_abbreviations())
    cuts: list[tuple[int, int]] = []
    i = 0
    while i < n:
        size = _noun_at(fol, i)
        if not size:
            i += 1
            continue
        j = i + size
        titled = 0
        while j < n and not _clause_break(sc, j, plain) and (fol[j] in plan_words or fol[j] in _PLAN_GLUE
                                                      or _YEAR_RE.fullmatch(fol[j]) or _carried_out_at(fol, j)):
            if _carried_out_at(fol, j):
                j += _noun_at(fol, j)  # a plan carrying out another: "KH thực hiện chiến lược …"
                continue
            if fol[j] in plan_words and fol[j] not in _PLAN_GLUE:
                titled += len(sizes.get(fol[j], (fol[j],)))  # "CĐS" names three words of a title
            j += 1
        while j > i + size and fol[j - 1] in _PLAN_GLUE and fol[j - 1] not in plan_words:
            j -= 1  # a trailing "của" belongs to what follows
        j = _with_issuer(fol, i + size, j)
        if titled >= MIN_PLAN_WORDS:
            cuts.append((sc.spans[i][0], sc.spans[j - 1][1]))
        i = j
    text = content
    for start, end in reversed(cuts):
        text = text[:start] + " , " + text[end:]
    return text


def _clause_break(sc: Scan, j: int, plain: bool) -> bool:
    """"Theo NQ … của HĐND tỉnh thì bộ hồ sơ …": "thì" (or a ";", which the profile puts in its place)
    opens what is said about the plan, so its name ends there, however many title syllables ("hồ sơ",
    "đề nghị") follow. Typed without marks, "thi" is "thì" unless it ends "đô thị"."""
    if j > 0 and ";" in sc.text[sc.spans[j - 1][1]:sc.spans[j][0]]:
        return True
    return sc.acc[j] == "thì" or (plain and sc.fol[j] == "thi" and sc.fol[j - 1] != "do")


def _noun_at(fol: list[str], i: int) -> int:
    """Length of the plan noun starting at syllable `i` ("ke hoach", "kh", "chien luoc"), else 0."""
    return next((len(noun) for noun in _PLAN_NOUNS if tuple(fol[i:i + len(noun)]) == noun), 0)


def _carried_out_at(fol: list[str], j: int) -> bool:
    """A plan noun right after "thực hiện" / "triển khai": the document a plan carries out."""
    return tuple(fol[max(0, j - 2):j]) in _CARRY_OUT and bool(_noun_at(fol, j))


def _with_issuer(fol: list[str], begin: int, j: int) -> int:
    """`j`, or past the issuer when one is named in or right after the reference's trailing glue
    ("… CĐS 2023 của tỉnh ủy": "của tỉnh" was read as glue, "ủy" ends the issuer)."""
    p = j
    while p > begin and fol[p - 1] in _PLAN_GLUE:
        p -= 1
    for start in range(p, j + 1):
        end = _issuer_end(fol, start)
        if end > start and end >= j:
            return end
    return j


def _issuer_end(fol: list[str], j: int) -> int:
    """End of "của <issuer>" right after a reference ("của Ban Thường vụ Tỉnh ủy"), else `j` — only
    when the issuer is named: "của tỉnh" alone is the province's, and stays."""
    k = j + 1 if j < len(fol) and fol[j] == "cua" else j
    named = False
    while True:
        issuer = next((n for n in _ISSUERS if tuple(fol[k:k + len(n)]) == n), None)
        if issuer is None:
            break
        named = named or issuer not in (("tinh",), ("thanh", "pho"))
        k += len(issuer)
    return k if named else j


def asked_years(info: QueryInfo, plan_words: frozenset[str] = frozenset()) -> list[int]:
    """The years a question asks about, without the years that only name the plan when it asks about
    another: "năm 2024 … theo kế hoạch chuyển đổi số 2023-2025" asks about 2024."""
    naming: set[int] = set()
    other: set[int] = set()
    named_until = -1  # where the last span naming the plan ended
    for lead, start, end in info.year_spans:
        years = {int(y) for y in re.findall(r"(?:19|20)\d\d", info.text[start:end])}
        before = folded(info.text[lead:start])
        target = re.search(r"\b(?:den|toi|tu|dinh huong|tam nhin)\b", before)  # "đến năm 2030"
        issued = _ISSUED_RE.search(folded(info.text[max(0, lead - 30):start]))  # "(ban hành tháng 11/2024)"
        # "đề án … giai đoạn 2022-2025, tầm nhìn 2030": the vision year goes on naming the plan
        vision = named_until >= 0 and re.fullmatch(r"[\s,;]*(?:va\s+)?(?:tam nhin|dinh huong)(?:\s+den)?(?:\s+nam)?\s*",
                                                  folded(info.text[named_until:start]))
        names = plan_words and (vision or not target and (issued or _names_plan(info.text[:lead], plan_words)))
        (naming if names else other).update(years)
        named_until = end if names else -1
    if not naming or set(info.years) != naming | other:
        return list(info.years)  # (years set by the caller, e.g. one side of a comparison, stay)
    # "Chương trình chuyển đổi số năm 2020 … bao nhiêu chuyên gia": the year says which plan; its
    # targets are for 2025 and 2030.
    asked = [y for y in info.years if y not in naming or y in other]
    if not asked and _ENDS_PERIOD_RE.search(folded(info.text)):
        return [max(naming)]  # "cuối giai đoạn" of "KH 2023-2025": 2025
    return asked


# when the plan was issued or signed: a year that says which plan, not which year a figure is for
_ISSUED_RE = re.compile(r"\b(?:ban hanh|ky)\s+(?:vao\s+)?(?:(?:ngay|thang|nam)\s*)?[\d/.\s-]*$")


def _names_plan(before: str, plan_words: frozenset[str]) -> bool:
    """Whether `before` ends with a plan noun and title words: "… cho kế hoạch chuyển đổi số"."""
    fol = scan(before.lower(), prepared=True).fol
    j = len(fol)
    while j > 0 and (fol[j - 1] in plan_words or fol[j - 1] in _PLAN_GLUE) and not \
            any(tuple(fol[j - len(n):j]) == n for n in _PLAN_NOUNS):
        j -= 1
    return any(j >= len(n) and tuple(fol[j - len(n):j]) == n for n in _PLAN_NOUNS)


def province_years(info: QueryInfo, plan_words: frozenset[str] = frozenset()) -> dict[str, list[int]]:
    """Years a cross-plan question gives each province: "Đồng Nai (năm 2025) và Hải Dương (năm 2022)".
    A year that only names a side's plan ("TP.HCM (KH kinh tế số 2023)") asks for none (see `asked_years`)."""
    spans, groups, names = info.province_spans, info.year_spans, info.provinces
    if len(groups) < 2 or len(spans) < 2 or len(names) != len(spans):
        return {}
    out: dict[str, list[int]] = {}
    for lead, start, end in groups:
        years = [int(y) for y in re.findall(r"(?:19|20)\d\d", info.text[start:end])]
        before = [i for i, (s, _) in enumerate(spans) if s < lead]
        after = [i for i, (s, _) in enumerate(spans) if s >= end]
        if after and re.fullmatch(r"\W*(?:cua|o|tai)?\W*(?:tinh|thanh pho|tp)?\W*",
                                  folded(info.text[end:spans[after[0]][0]])):
            owner = names[after[0]]  # "KH chuyển đổi số 2024 của BR-VT": the province right after
        else:
            owner = names[before[-1]] if before else names[0]
        target = re.search(r"\b(?:den|toi|tu|dinh huong|tam nhin)\b", folded(info.text[lead:start]))
        naming = plan_words and not target and _names_plan(info.text[:lead], plan_words)
        end_of_period = [max(years)] if years and _ENDS_PERIOD_RE.search(folded(info.text)) else []
        out.setdefault(owner, []).extend(end_of_period if naming else years)
    return out if len(out) >= 2 else {}


# "mục tiêu cuối giai đoạn của KH 2023-2025": the last year of the period the plan's name gives
_ENDS_PERIOD_RE = re.compile(r"\b(?:cuoi|het|ket thuc)\s+(?:giai doan|ky)\b")
