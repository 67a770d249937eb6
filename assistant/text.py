"""Vietnamese text layer: normalisation, diacritic folding, syllables and the BM25 tokenizer.

The BM25 token scheme (`bm25_tokens`, the same function for documents and queries):

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

import functools
import re
import unicodedata
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from importlib import resources
from typing import Generic, NamedTuple, TypeVar

__all__ = [
    "VIETNAMESE_STOPWORDS",
    "DocNumber",
    "PhraseMatcher",
    "Scan",
    "abbreviation_matcher",
    "bm25_tokens",
    "clean",
    "doc_number_keys",
    "find_doc_numbers",
    "fold_diacritics",
    "has_diacritics",
    "nfc",
    "normalize",
    "read_data",
    "scan",
    "segment_words",
    "syllables",
]

T = TypeVar("T")

# --------------------------------------------------------------------------- normalisation

_PUNCT_MAP = {
    **dict.fromkeys("“”„‟«»″〝〞＂", '"'),
    **dict.fromkeys("‘’‚‛′`´＇", "'"),
    **dict.fromkeys("‐‑‒–—―−﹘﹣－", "-"),
    **dict.fromkeys("\u00ad\u200b\u200c\u200d\u2060\ufeff", ""),  # soft hyphen, zero-widths
    "…": "...",
}
_PUNCT_RE = re.compile("[" + "".join(_PUNCT_MAP) + "]")
_SPACE_RE = re.compile(r"\s{2,}|[^\S ]")  # single spaces need no rewriting
_COMBINING_RE = re.compile(r"[\u0300-\u036f]")
# Old and new Vietnamese tone placement ("hoà"/"hòa", "thuỷ"/"thủy", "khoẻ"/"khỏe") both occur in
# the plans; normalize() settles on the traditional one, used in official names (Khánh Hòa).
_TONES = {"a": "àáảãạ", "e": "èéẻẽẹ", "o": "òóỏõọ", "u": "ùúủũụ", "y": "ỳýỷỹỵ"}
_TONE_MOVES = {
    **{"o" + _TONES[v][i]: _TONES["o"][i] + v for v in "ae" for i in range(5)},
    **{"u" + _TONES["y"][i]: _TONES["u"][i] + "y" for i in range(5)},
}
_TONE_RE = re.compile(r"(?<!q)[ou][àáảãạèéẻẽẹỳýỷỹỵ](?!\w)")


def nfc(text: str) -> str:
    """Compose characters (NFC): Vietnamese text from PDFs and Word often arrives decomposed."""
    return unicodedata.normalize("NFC", text)


def clean(text: str) -> str:
    """NFC, ASCII quotes and dashes, no zero-width characters, single spaces; keeps case."""
    text = _PUNCT_RE.sub(lambda m: _PUNCT_MAP[m.group()], nfc(text))
    if _COMBINING_RE.search(text):  # marks NFC could not compose are noise, not Vietnamese
        text = _COMBINING_RE.sub("", text)
    return _SPACE_RE.sub(" ", text).strip()


def _retone(match: re.Match[str]) -> str:
    pair = match.group()
    return _TONE_MOVES.get(pair, pair)


def normalize(text: str) -> str:
    """`clean`, case-folded, with one tone placement: the form every comparison starts from.

    Length-preserving for Vietnamese text, so offsets into it also point into `clean(text)`.
    """
    text = clean(text).casefold()
    if _COMBINING_RE.search(text):  # casefold can decompose a few non-Vietnamese letters
        text = _COMBINING_RE.sub("", nfc(text))
    return _TONE_RE.sub(_retone, text)


# --------------------------------------------------------------------------- folding


def _build_fold_table() -> dict[int, str]:
    table: dict[int, str] = {ord("đ"): "d", ord("Đ"): "D"}
    for code in [*range(0x00C0, 0x0250), *range(0x1E00, 0x1F00)]:
        char = chr(code)
        base = "".join(c for c in unicodedata.normalize("NFD", char) if not unicodedata.combining(c))
        if base != char and len(base) == 1 and base.isascii() and base.isalpha():
            table[code] = base
    return table


_FOLD_TABLE = _build_fold_table()
_FOLD_CHARS = {chr(k): v for k, v in _FOLD_TABLE.items()}


def fold_diacritics(text: str) -> str:
    """Drop tone and vowel marks, đ->d and Đ->D, for text typed without diacritics; keeps case.

    "Kế hoạch chuyển đổi số Đồng Nai" -> "Ke hoach chuyen doi so Dong Nai".
    """
    text = nfc(text).translate(_FOLD_TABLE)
    if _COMBINING_RE.search(text):
        text = _COMBINING_RE.sub("", unicodedata.normalize("NFD", text))
    return text


def has_diacritics(token: str) -> bool:
    """True when folding would change the token ("số", "đn"), False for "so", "dn", "20%"."""
    return token.translate(_FOLD_TABLE) != token


# --------------------------------------------------------------------------- syllables

# A number (with decimal/thousand separators, optionally a percent), or a run of letters/digits.
_TOKEN_RE = re.compile(r"\d+(?:[.,]\d+)*%|\d+(?:[.,]\d+)+|[^\W_]+")
_PERCENT_RE = re.compile(r"(\d)\s*(?:%|phần trăm(?!\w)|phan tram(?!\w))")
_DECIMAL_COMMA_RE = re.compile(r"(?<=\d),(?=\d{1,3}(?!\d))")
_DIGIT_RE = re.compile(r"\d")
# Punctuation that ends a phrase: no bigram spans it. "." and "&" glued between letters or digits
# ("tp.hcm", "tt&tt", "2.002") join; "-" and "/" ("Bà Rịa - Vũng Tàu", "198/kh-ubnd") never break.
_BREAK_CHARS = ".&,;:!?()[]{}\"'|•·*<>=+…"
_BREAK_RE = re.compile("[" + re.escape(_BREAK_CHARS) + "]")
_TIGHT_GAPS = frozenset(".&")
_TOKEN_OR_BREAK_RE = re.compile(
    _TOKEN_RE.pattern
    + r"|(?<![^\W_])[.&]|[.&](?![^\W_])|["
    + re.escape(_BREAK_CHARS.replace(".", "").replace("&", ""))
    + "]"
)
_BREAK_TOKENS = frozenset(_BREAK_CHARS)


class Scan(NamedTuple):
    """Syllables of a normalised string, as parallel lists."""

    text: str  # the normalised string the spans point into
    acc: list[str]  # syllables as written (lower-case, with diacritics)
    fol: list[str]  # the same syllables diacritic-folded
    spans: list[tuple[int, int]]
    breaks: list[bool]  # True when punctuation separates the syllable from the previous one


def _prepare(text: str) -> str:
    """Normalise for tokenising: "20 %"/"20 phần trăm" -> "20%", decimal comma -> point."""
    text = normalize(text)
    if _DIGIT_RE.search(text):
        text = _PERCENT_RE.sub(r"\1%", text)
        text = _DECIMAL_COMMA_RE.sub(".", text)
    return text


def scan(text: str, *, prepared: bool = False) -> Scan:
    """Split text into syllables, keeping both spellings, offsets and phrase breaks.

    Args:
        text: raw text, or an already `normalize`d string when `prepared` is true (offsets then
            point into it; no percent/decimal rewriting is done).
    """
    s = text if prepared else _prepare(text)
    cuts = [p for p in (m.start() for m in _BREAK_RE.finditer(s)) if not _is_tight(s, p)]
    acc: list[str] = []
    fol: list[str] = []
    spans: list[tuple[int, int]] = []
    breaks: list[bool] = []
    fold = _fold_token
    last, c, ncuts = 0, 0, len(cuts)
    for m in _TOKEN_RE.finditer(s):
        start, end = m.span()
        brk = False
        while c < ncuts and cuts[c] < start:
            brk = brk or cuts[c] >= last
            c += 1
        token = m.group()
        acc.append(token)
        fol.append(fold(token))
        spans.append((start, end))
        breaks.append(brk)
        last = end
    if breaks:
        breaks[0] = True
    return Scan(s, acc, fol, spans, breaks)


def _is_tight(s: str, p: int) -> bool:
    """"." or "&" glued between letters ("tp.hcm", "tt&tt") joins rather than breaks."""
    return s[p] in _TIGHT_GAPS and 0 < p < len(s) - 1 and s[p - 1].isalnum() and s[p + 1].isalnum()


_FOLDED: dict[str, str] = {}


def _fold_token(token: str) -> str:
    folded = _FOLDED.get(token)
    if folded is None:
        folded = token if token.isascii() else token.translate(_FOLD_TABLE)
        if len(_FOLDED) < 200_000:  # the vocabulary is small; guard against junk input
            _FOLDED[token] = folded
    return folded


def _tokens(s: str) -> tuple[list[str], list[str], list[bool]]:
    """`scan` without offsets, for the BM25 hot path: one regex pass over syllables and breaks."""
    acc: list[str] = []
    breaks: list[bool] = []
    brk = True
    for token in _TOKEN_OR_BREAK_RE.findall(s):
        if token in _BREAK_TOKENS:
            brk = True
            continue
        acc.append(token)
        breaks.append(brk)
        brk = False
    get = _FOLDED.get
    fol = [get(t) or _fold_token(t) for t in acc]
    return acc, fol, breaks


def syllables(text: str) -> list[str]:
    """Normalised syllable tokens, punctuation dropped, one-letter syllables and numbers kept.

    "Tỷ lệ 20 % ở y tế; KH số 198/KH-UBND" -> ["tỷ", "lệ", "20%", "ở", "y", "tế", "kh", "số",
    "198", "kh", "ubnd"]: "20%" equals "20 %" and "20 phần trăm"; a document number splits into
    its parts so that a query "198" or "kh 198" meets it.
    """
    return scan(text).acc


# --------------------------------------------------------------------------- data files


@functools.cache
def read_data(name: str) -> tuple[tuple[str, ...], ...]:
    """Rows of a tab-separated file in assistant/data, without comments and blank lines."""
    raw = resources.files("assistant").joinpath("data", name).read_text(encoding="utf-8")
    rows = []
    for line in raw.splitlines():
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        rows.append(tuple(cell.strip() for cell in line.split("\t")))
    return tuple(rows)


@functools.cache
def _stopwords() -> frozenset[str]:
    return frozenset(normalize(row[0]) for row in read_data("stopwords.txt"))


VIETNAMESE_STOPWORDS: frozenset[str] = _stopwords()
_FOLDED_STOPWORDS = frozenset(w.translate(_FOLD_TABLE) for w in VIETNAMESE_STOPWORDS)


# --------------------------------------------------------------------------- phrase matching


@dataclass(frozen=True)
class _Entry(Generic[T]):
    fol: tuple[str, ...]
    acc: tuple[str, ...]
    payload: T


class PhraseMatcher(Generic[T]):
    """Finds known phrases in a syllable sequence: longest first, left to right, no overlaps.

    Phrases match on folded syllables, so "cds" finds "CĐS" and "dong nai" finds "Đồng Nai".
    A syllable the text spells WITH diacritics must agree with the phrase's spelling: "Hà Nam"
    is not found in "hạ năm", and the entry "DN" (doanh nghiệp) does not take "ĐN".
    A syllable the text spells WITHOUT diacritics matches an accented one only when `loose` is
    true (acronyms, place names) or when the whole text has no diacritics (`plain`) and the
    phrase has at least `plain_min_len` syllables: in an accented question "ban" stays "ban"
    (ủy ban), not the particle "bạn"; with plain_min_len=2, "may" in "may tinh" is not "mấy".
    Re-adding a phrase keeps the first payload.
    """

    def __init__(
        self, entries: Iterable[tuple[str, T]], *, loose: bool = True, plain_min_len: int = 1
    ) -> None:
        self.loose = loose
        self.plain_min_len = plain_min_len
        self._index: dict[str, list[_Entry[T]]] = {}
        seen: set[tuple[str, ...]] = set()
        for phrase, payload in entries:
            acc = tuple(scan(phrase).acc)
            if not acc or acc in seen:
                continue
            seen.add(acc)
            fol = tuple(_fold_token(t) for t in acc)
            self._index.setdefault(fol[0], []).append(_Entry(fol, acc, payload))
        for bucket in self._index.values():
            bucket.sort(key=lambda e: -len(e.fol))

    def __contains__(self, first: str) -> bool:
        """Whether some phrase starts with this folded syllable (a cheap pre-check)."""
        return first in self._index

    def match_at(
        self, acc: Sequence[str], fol: Sequence[str], i: int, *, plain: bool = False
    ) -> tuple[int, T] | None:
        """(length, payload) of the longest phrase starting at syllable i, or None.

        Args:
            plain: the whole text is typed without diacritics (see the class doc).
        """
        bucket = self._index.get(fol[i])
        if bucket is None:
            return None
        n = len(fol)
        for entry in bucket:
            k = len(entry.fol)
            if i + k > n:
                continue
            loose = self.loose or (plain and k >= self.plain_min_len)
            for j in range(k):
                a, f = acc[i + j], fol[i + j]
                if f != entry.fol[j] or (a != entry.acc[j] and (a != f or not loose)):
                    break
            else:
                return k, entry.payload
        return None

    def find(
        self, acc: Sequence[str], fol: Sequence[str], *, plain: bool | None = None
    ) -> Iterator[tuple[int, int, T]]:
        """Yield (start, end, payload) of the phrases in the sequence.

        Args:
            plain: the text has no diacritics; by default, whether `acc` has none.
        """
        if plain is None:
            plain = list(acc) == list(fol)
        i, n = 0, len(fol)
        while i < n:
            hit = self.match_at(acc, fol, i, plain=plain)
            if hit is None:
                i += 1
                continue
            yield i, i + hit[0], hit[1]
            i += hit[0]


class _Expansion(NamedTuple):
    acc: tuple[str, ...]
    fol: tuple[str, ...]


def _expansion(text: str) -> _Expansion:
    sc = scan(text)
    return _Expansion(tuple(sc.acc), tuple(sc.fol))


@functools.cache
def _abbreviation_rows() -> tuple[tuple[tuple[str, ...], str, str, bool], ...]:
    rows = []
    for row in read_data("abbreviations.tsv"):
        variants = tuple(v.strip() for v in row[0].split("|") if v.strip())
        scope = row[2] if len(row) > 2 and row[2] else "both"
        case = len(row) > 3 and row[3] == "case"
        rows.append((variants, row[1], scope, case))
    return tuple(rows)


@functools.cache
def abbreviation_matcher(is_query: bool) -> PhraseMatcher[_Expansion]:
    """Abbreviation -> expansion, for queries (every entry) or documents (scope "both")."""
    return PhraseMatcher(
        (variant, _expansion(expansion))
        for variants, expansion, scope, case in _abbreviation_rows()
        if not case and (is_query or scope == "both")
        for variant in variants
    )


@functools.cache
def _case_rules(is_query: bool) -> tuple[tuple[re.Pattern[str], str], ...]:
    """Case-sensitive abbreviations ("AI"), replaced in the raw text before it is lower-cased."""
    return tuple(
        (re.compile(r"(?<!\w)" + "|".join(map(re.escape, variants)) + r"(?!\w)"), expansion)
        for variants, expansion, scope, case in _abbreviation_rows()
        if case and (is_query or scope == "both")
    )


@functools.cache
def _synonym_matcher() -> PhraseMatcher[tuple[_Expansion, ...]]:
    # Queries reach the synonyms without stopwords, so "nhỏ và vừa" is looked up as "nhỏ vừa";
    # the phrases added are the full ones.
    def key(member: _Expansion) -> str:
        return " ".join(a for a, f in zip(member.acc, member.fol) if not _is_stopword(a, f))

    groups: dict[str, list[_Expansion]] = {}
    for row in read_data("synonyms.tsv"):
        members = [_expansion(p) for p in row if p]
        for member in members:
            bucket = groups.setdefault(key(member), [])
            bucket.extend(m for m in members if key(m) != key(member) and m not in bucket)
    return PhraseMatcher(((k, tuple(others)) for k, others in groups.items() if k), loose=False)


@functools.cache
def _question_matcher() -> PhraseMatcher[bool]:
    """Pure question words and follow-up markers, dropped from BM25 queries."""
    return PhraseMatcher((
        (phrase, True)
        for row in read_data("query_cues.tsv")
        if row[0] in ("question", "followup")
        for phrase in row[3].split("|")
    ), loose=False, plain_min_len=2)


# --------------------------------------------------------------------------- document numbers

# Issuing-document kinds, folded: kế hoạch, quyết định, nghị quyết, nghị định, chỉ thị,
# chương trình, công văn, tờ trình, thông báo, báo cáo, hướng dẫn, đề án, thông tư.
_KINDS = "kh|qd|nq|nd|ct|ctr|cv|ttr|tb|bc|hd|da|tt"
_KIND_WORDS = {
    "ke hoach": "kh", "quyet dinh": "qd", "nghi quyet": "nq", "nghi dinh": "nd",
    "chi thi": "ct", "chuong trinh": "ctr", "cong van": "cv", "to trinh": "ttr",
    "thong bao": "tb", "bao cao": "bc", "huong dan": "hd", "de an": "da", "thong tu": "tt",
}
_KIND_ABBREVIATIONS = ("kh", "qd", "nq", "nd", "ct", "cv", "ttr", "tb")


def _loose(folded: str) -> str:
    """Regex matching a folded word however it is accented: "ke" -> "k[eèéẻẽẹêềếểễệ]"."""
    return "".join(_LOOSE_CLASS.get(c, re.escape(c)) for c in folded).replace(r"\ ", r"\s+")


_LOOSE_CLASS = {
    base: "[" + base + "".join(sorted(c for c, b in _FOLD_CHARS.items() if b == base)) + "]"
    for base in "adeiouy"
}
# "198/kh-ubnd", "52-nq/tw", "164/ttr- stttt": number, "/" or "-", kind.
_FULL_DOCNO_RE = re.compile(
    r"(?<![\w./])(\d+)\s?[/-]\s?(" + "|".join(map(_loose, _KINDS.split("|"))) + r")(?![^\W\d_])((?:\s?[/-]\s?[^\W\d_]+)*)"
)
# "kế hoạch 198", "kế hoạch số 198", "kh 780", "quyết định số 1728" (not "... 198/kh-ubnd").
_WORD_DOCNO_RE = re.compile(
    r"(?<!\w)("
    + "|".join(_loose(w) for w in sorted([*_KIND_WORDS, *_KIND_ABBREVIATIONS], key=len, reverse=True))
    + r")\s+(" + _loose("so") + r"\s+)?(\d+)(?![\d.,%]|\s?[/-]\s?[^\W\d_])"
)


@dataclass(frozen=True)
class DocNumber:
    """A document number found in text, e.g. "198/KH-UBND" or "kế hoạch số 198"."""

    number: str  # "198"
    kind: str  # folded kind: "kh", "qd", "nq", ...
    start: int  # span in the normalised text
    end: int
    full: bool  # written as a number ("198/KH-UBND") rather than "kế hoạch 198"

    @property
    def key(self) -> str:
        """"198/kh": equal for "198/KH-UBND", "Kế hoạch số 198" and "KH 198"."""
        return f"{self.number}/{self.kind}"


def find_doc_numbers(normalized: str) -> list[DocNumber]:
    """Document numbers in a `normalize`d string, in order.

    A bare year after a kind word ("kế hoạch 2024") is a year, not a number, unless it follows
    "số" ("kế hoạch số 2024").
    """
    found = [
        DocNumber(m.group(1), _fold_token(m.group(2)), m.start(), m.end(), True)
        for m in _FULL_DOCNO_RE.finditer(normalized)
    ]
    for m in _WORD_DOCNO_RE.finditer(normalized):
        kind_word, has_so, number = _SPACE_RE.sub(" ", _fold_token(m.group(1))), m.group(2), m.group(3)
        if not has_so and len(number) == 4 and 1945 <= int(number) <= 2100:
            continue
        if any(d.start <= m.start() < d.end for d in found):
            continue
        found.append(DocNumber(number, _KIND_WORDS.get(kind_word, kind_word), m.start(), m.end(), False))
    found.sort(key=lambda d: d.start)
    return found


def doc_number_keys(text: str) -> list[str]:
    """Keys ("198/kh") of the document numbers in text, to compare with metadata."""
    return list(dict.fromkeys(d.key for d in find_doc_numbers(normalize(text))))


# --------------------------------------------------------------------------- BM25 tokens

_FINAL_PARTICLES = frozenset({"khong", "chua"})  # "... không?" / "... chưa?" ask yes or no


def bm25_tokens(text: str, *, is_query: bool = False) -> list[str]:
    """Tokens for the BM25 index, the same scheme for documents and queries (see module doc).

    Args:
        is_query: also expand query-only abbreviations and synonyms, drop question words and a
            final "không"/"chưa", and de-duplicate.
    """
    raw = nfc(text)
    plain = is_query and not has_diacritics(raw)  # typed without diacritics
    for pattern, expansion in _case_rules(is_query):
        raw = pattern.sub(expansion, raw)
    s = _prepare(raw)
    acc, fol, breaks = _tokens(s)
    out: list[str] = [d.key for d in find_doc_numbers(s)] if _DIGIT_RE.search(s) else []

    if is_query and fol:
        keep = [True] * len(fol)
        for start, end, _ in _question_matcher().find(acc, fol, plain=plain):
            keep[start:end] = [False] * (end - start)
        if len(fol) > 2 and fol[-1] in _FINAL_PARTICLES:
            keep[-1] = False
        for i in range(len(fol)):  # stopwords go too, so synonyms see "cơ quan (nào) chủ trì"
            if _is_stopword(acc[i], fol[i]):
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
        out.extend(f for a, f in zip(acc[i : i + length], fol[i : i + length]) if not _is_stopword(a, f))
        seq_acc.extend(expansion.acc)
        seq.extend(expansion.fol)
        seq_breaks.extend([breaks[i]] + [False] * (len(expansion.fol) - 1))
        i += length

    _emit(seq_acc, seq, seq_breaks, out)
    if is_query:
        for _, _, others in _synonym_matcher().find(seq_acc, seq, plain=plain):
            for other in others:
                _emit(other.acc, other.fol, [True] + [False] * (len(other.fol) - 1), out)
        out = list(dict.fromkeys(out))
    return out


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


def _is_stopword(acc: str, fol: str) -> bool:
    """A stopword as spelled, or, typed without diacritics, by its folded form.

    "cửa" (một cửa) is no stopword though it folds to "cua" like "của".
    """
    return fol in _FOLDED_STOPWORDS and (acc == fol or acc in VIETNAMESE_STOPWORDS)


def _emit(seq_acc: Sequence[str], seq: Sequence[str], breaks: Sequence[bool], out: list[str]) -> None:
    """Append unigrams (plus the bare number of a percent) and bigrams of a folded sequence."""
    prev: str | None = None
    folded_stop, stop = _FOLDED_STOPWORDS, VIETNAMESE_STOPWORDS
    for a, token, brk in zip(seq_acc, seq, breaks):
        if token in folded_stop and (a == token or a in stop):  # _is_stopword, inlined
            prev = None
            continue
        out.append(token)
        if token[-1] == "%":
            out.append(token[:-1])
        if prev is not None and not brk:
            out.append(f"{prev}_{token}")
        prev = token


# --------------------------------------------------------------------------- word segmentation


@functools.cache
def _vi_tokenizer():  # noqa: ANN202 - pyvi has no types
    try:
        from pyvi import ViTokenizer  # loads a CRF model: only on first use
    except ImportError as exc:  # pragma: no cover - pyvi is a declared dependency
        raise ImportError("segment_words needs pyvi: pip install pyvi") from exc
    return ViTokenizer


def segment_words(text: str) -> str:
    """Join the syllables of each word with "_" ("chuyển_đổi số"), for dense models trained so.

    Case and punctuation are kept; only NFC and whitespace are normalised.
    """
    text = clean(text)
    if not text:
        return ""
    return _vi_tokenizer().tokenize(text)
