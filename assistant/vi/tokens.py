"""The BM25 token scheme: the same function for documents and queries.

* Tokens are **diacritic-folded** syllables ("chuyển" -> "chuyen", "Đồng" -> "dong"), so a query
  typed without diacritics produces exactly the tokens of the same query typed with them and
  scores the same. The precision folding loses ("số"/"sở" -> "so") is won back by
  **syllable bigrams** joined with "_" ("kinh_te", "te_so", "so_thong"): Vietnamese words are
  mostly two syllables, and a bigram rarely folds onto another word.
* **Stopwords** (`VIETNAMESE_STOPWORDS`) are dropped as unigrams and break bigrams. A syllable
  typed without diacritics is judged by its folded form, so the list only holds syllables whose
  folded form is (nearly) no content word: "có" is kept because "cơ quan" folds to "co quan";
  "số" and "không" are never stopwords. Spelled with diacritics, only the exact word is dropped
  ("của" goes, "cửa" in "một cửa" stays).
* **Numbers** stay whole: "20%", "20 %" and "20 phần trăm" are all "20%" (plus the bare "20");
  a decimal comma becomes a point ("7,5%" -> "7.5%"); "2.002" stays one token.
* **Document numbers** split into syllables ("198/KH-UBND" -> "198", "kh", "ubnd"), so a query
  "198" or "kh 198" matches; a key "198/kh" is added both for the written form and for
  "kế hoạch (số) 198", "KH 198", "quyết định 1728" (-> "1728/qd") in queries or documents.
* **Abbreviations** (data/abbreviations.tsv) are matched on folded syllables, so "CĐS", "CDS" and
  "cds" are one entry; the expansion is spliced in where the abbreviation stood (so it forms
  bigrams with its neighbours) and the abbreviation itself is kept as a unigram. Entries of scope
  "both" are expanded in documents too (index time), so a query "công nghệ thông tin" finds a
  chunk that only says "CNTT" and vice versa; scope "query" entries (ambiguous short forms such
  as "DN", "KH") only in queries.
* **Synonyms** (data/synonyms.tsv) and the dropping of question words (data/query_cues.tsv) apply
  to queries only; query tokens are de-duplicated.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import lru_cache

from assistant.vi.documents import find_doc_numbers
from assistant.vi.normalize import has_diacritics, nfc
from assistant.vi.phrases import abbreviation_matcher, case_rules, lexicon_matcher, question_matcher, synonym_matcher
from assistant.vi.resources import FOLDED_STOPWORDS, VIETNAMESE_STOPWORDS, is_stopword
from assistant.vi.syllables import DIGIT_RE, prepare, scan, syllable_stream

_FINAL_PARTICLES = frozenset({"khong", "chua"})  # "... không?" / "... chưa?" ask yes or no


TOKEN_CACHE_SIZE = 8192  # texts: one answer tokenises its question ~10 times and the same top clauses recur


def bm25_tokens(text: str, *, is_query: bool = False) -> list[str]:
    """Tokens for the BM25 index, the same scheme for documents and queries (see module doc).

    Memoised: answering one question tokenises the question, its content words and its retrieved
    clauses several times over (retrieval, the lexicon bridge, the scorer's profile and units), and
    the same clauses come back for many questions. A fresh list each call, so callers may mutate it.

    Args:
        is_query: also expand query-only abbreviations and synonyms, drop question words and a
            final "không"/"chưa", and de-duplicate.
    """
    return list(_cached_tokens(text, is_query))


def clear_caches() -> None:
    """Forget memoised tokens (benchmarks time questions as first seen)."""
    _cached_tokens.cache_clear()
    _cached_bridge.cache_clear()


@lru_cache(maxsize=TOKEN_CACHE_SIZE)
def _cached_tokens(text: str, is_query: bool) -> tuple[str, ...]:
    return tuple(_tokens(text, is_query))


def _tokens(text: str, is_query: bool) -> list[str]:
    raw = nfc(text)
    plain = is_query and not has_diacritics(raw)  # typed without diacritics
    for pattern, expansion in case_rules(is_query):
        raw = pattern.sub(expansion, raw)
    s = prepare(raw)
    acc, fol, breaks = syllable_stream(s)
    out: list[str] = [d.key for d in find_doc_numbers(s)] if DIGIT_RE.search(s) else []

    if is_query and fol:
        keep = [True] * len(fol)
        for start, end, _ in question_matcher().find(acc, fol, plain=plain):
            keep[start:end] = [False] * (end - start)
        if len(fol) > 2 and fol[-1] in _FINAL_PARTICLES:
            keep[-1] = False
        for i in range(len(fol)):  # stopwords go too, so synonyms see "cơ quan (nào) chủ trì"
            if is_stopword(acc[i], fol[i]):
                keep[i] = False
        acc, fol, breaks = _keep(acc, fol, breaks, keep)

    # Splice abbreviation expansions in; the abbreviation itself stays a unigram.
    abbreviations = abbreviation_matcher(is_query)
    seq_acc: list[str] = []
    seq: list[str] = []
    seq_breaks: list[bool] = []
    i, n = 0, len(fol)
    while i < n:
        hit = abbreviations.match_at(acc, fol, i) if fol[i] in abbreviations else None
        if hit is None:
            seq_acc.append(acc[i])
            seq.append(fol[i])
            seq_breaks.append(breaks[i])
            i += 1
            continue
        length, expansion = hit
        out.extend(f for a, f in zip(acc[i : i + length], fol[i : i + length]) if not is_stopword(a, f))
        seq_acc.extend(expansion.acc)
        seq.extend(expansion.fol)
        seq_breaks.extend([breaks[i]] + [False] * (len(expansion.fol) - 1))
        i += length

    _emit(seq_acc, seq, seq_breaks, out)
    if is_query:
        for _, _, others in synonym_matcher().find(seq_acc, seq, plain=plain):
            for other in others:
                _emit(other.acc, other.fol, [True] + [False] * (len(other.fol) - 1), out)
        out = list(dict.fromkeys(out))
    return out


def bridge_tokens(text: str) -> list[str]:
    """BM25 tokens of the lexicon's other names for the concepts a query names, minus its own tokens.

    Retrieval adds them with a lower weight and the scorer counts them when a clause uses one, so a
    question about "wifi miễn phí" reaches a clause about "điểm truy cập Internet không dây công cộng".
    Memoised like `bm25_tokens` (retrieval and the scorer both ask for the same question's).
    """
    return list(_cached_bridge(text))


@lru_cache(maxsize=1024)
def _cached_bridge(text: str) -> tuple[str, ...]:
    sc = scan(text)
    found: list[str] = []
    for _, _, others in lexicon_matcher().find(sc.acc, sc.fol):
        for other in others:
            _emit(other.acc, other.fol, [True] + [False] * (len(other.fol) - 1), found)
    own = set(bm25_tokens(text, is_query=True))
    return tuple(t for t in dict.fromkeys(found) if t not in own)


def bridged_syllables(text: str, known: Callable[[str], bool]) -> set[str]:
    """Folded syllables of the query's phrases that the lexicon renames into words `known` holds.

    "wifi" is no word of the plans, but the lexicon renames it "mạng không dây", which they use:
    such a word is bridged, not unknown. "robot" renamed into words no plan uses stays unknown.
    """
    sc = scan(text)
    out: set[str] = set()
    for start, end, others in lexicon_matcher().find(sc.acc, sc.fol):
        names = [t for other in others for t in _bigrams(other.fol)]
        if any(known(t) for t in names):
            out.update(sc.fol[start:end])
    return out


@lru_cache(maxsize=1024)
def bridge_alternatives(text: str) -> dict[str, tuple[frozenset[str], ...]]:
    """For each two-syllable word of a phrase the lexicon renames ("bán hàng online"), the
    two-syllable words of each of its other names ("thương mại điện tử", …): a clause using a whole
    other name has the question's word, in other words. Memoised like `bridge_tokens` (each side of a
    comparison and every refusal feature ask again); the result is read, never changed."""
    sc = scan(text)
    out: dict[str, list[frozenset[str]]] = {}
    for matcher in (lexicon_matcher(), synonym_matcher()):
        for start, end, others in matcher.find(sc.acc, sc.fol):
            names = [frozenset(_bigrams(other.fol)) for other in others]
            # its single syllables too: "tiền" of "bao nhiêu tiền" is said by a clause on "kinh phí"
            for word in [*sc.fol[start:end], *_bigrams(sc.fol[start:end])]:
                out.setdefault(word, []).extend(names)
    # an abbreviation typed ("DVC") is said by a clause that spells it out ("dịch vụ công")
    for start, end, expansion in abbreviation_matcher(True).find(sc.acc, sc.fol):
        name = frozenset(_bigrams(expansion.fol))
        for word in [*sc.fol[start:end], *_bigrams(sc.fol[start:end])]:
            out.setdefault(word, []).append(name)
    return {word: tuple(dict.fromkeys(names)) for word, names in out.items()}


def _bigrams(fol: Sequence[str]) -> list[str]:
    return [f"{a}_{b}" for a, b in zip(fol, fol[1:])] or list(fol)


def _keep(
    acc: list[str], fol: list[str], breaks: list[bool], keep: list[bool]
) -> tuple[list[str], list[str], list[bool]]:
    """Drop syllables; the one after a dropped run starts a new phrase (no bigram across)."""
    out_acc, out_fol, out_breaks = [], [], []
    dropped = False
    for a, f, b, k in zip(acc, fol, breaks, keep):
        if not k:
            dropped = True
            continue
        out_acc.append(a)
        out_fol.append(f)
        out_breaks.append(b or dropped)
        dropped = False
    return out_acc, out_fol, out_breaks


def _emit(seq_acc: Sequence[str], seq: Sequence[str], breaks: Sequence[bool], out: list[str]) -> None:
    """Append unigrams (plus the bare number of a percent) and bigrams of a folded sequence."""
    prev: str | None = None
    folded_stop, stop = FOLDED_STOPWORDS, VIETNAMESE_STOPWORDS
    for a, token, brk in zip(seq_acc, seq, breaks):
        if token in folded_stop and (a == token or a in stop):  # is_stopword, inlined
            prev = None
            continue
        out.append(token)
        if token[-1] == "%":
            out.append(token[:-1])
        if prev is not None and not brk:
            out.append(f"{prev}_{token}")
        prev = token
