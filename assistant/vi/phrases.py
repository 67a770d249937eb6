"""Known phrases found in syllable sequences: abbreviations, synonyms, question words.

Phrases match on folded syllables, so "cds" finds "CĐS" and "dong nai" finds "Đồng Nai"; the data
comes from `vi/data/` (abbreviations.tsv, synonyms.tsv, query_cues.tsv).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Generic, NamedTuple, TypeVar

from assistant.vi.normalize import fold_token
from assistant.vi.resources import is_stopword, read_data
from assistant.vi.syllables import scan

T = TypeVar("T")

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
            fol = tuple(fold_token(t) for t in acc)
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


class Expansion(NamedTuple):
    acc: tuple[str, ...]
    fol: tuple[str, ...]


def expansion_of(text: str) -> Expansion:
    sc = scan(text)
    return Expansion(tuple(sc.acc), tuple(sc.fol))


@functools.cache
def _abbreviation_rows() -> tuple[tuple[tuple[str, ...], str, str, bool], ...]:
    rows = []
    for row in read_data("abbreviations.tsv"):
        variants = tuple(v.strip() for v in row[0].split("|") if v.strip())
        scope = row[2] if len(row) > 2 and row[2] else "both"
        case = len(row) > 3 and row[3] == "case"
        rows.append((variants, row[1], scope, case))
    return tuple(rows)


def abbreviations() -> list[tuple[str, str]]:
    """Every (abbreviation, expansion) pair of the list: "CĐS" -> "chuyển đổi số"."""
    return [(variant, expansion) for variants, expansion, _, _ in _abbreviation_rows() for variant in variants]


@functools.cache
def abbreviation_matcher(is_query: bool) -> PhraseMatcher[Expansion]:
    """Abbreviation -> expansion, for queries (every entry) or documents (scope "both")."""
    return PhraseMatcher(
        (variant, expansion_of(expansion))
        for variants, expansion, scope, case in _abbreviation_rows()
        if not case and (is_query or scope == "both")
        for variant in variants
    )


@functools.cache
def case_rules(is_query: bool) -> tuple[tuple[re.Pattern[str], str], ...]:
    """Case-sensitive abbreviations ("AI"), replaced in the raw text before it is lower-cased."""
    return tuple(
        (re.compile(r"(?<!\w)" + "|".join(map(re.escape, variants)) + r"(?!\w)"), expansion)
        for variants, expansion, scope, case in _abbreviation_rows()
        if case and (is_query or scope == "both")
    )


@functools.cache
def synonym_matcher() -> PhraseMatcher[tuple[Expansion, ...]]:
    # Queries reach the synonyms without stopwords, so "nhỏ và vừa" is looked up as "nhỏ vừa";
    # the phrases added are the full ones.
    def key(member: Expansion) -> str:
        return " ".join(a for a, f in zip(member.acc, member.fol) if not is_stopword(a, f))

    groups: dict[str, list[Expansion]] = {}
    for row in read_data("synonyms.tsv"):
        members = [expansion_of(p) for p in row if p]
        for member in members:
            bucket = groups.setdefault(key(member), [])
            bucket.extend(m for m in members if key(m) != key(member) and m not in bucket)
    return PhraseMatcher(((k, tuple(others)) for k, others in groups.items() if k), loose=False)


@functools.cache
def lexicon_matcher() -> PhraseMatcher[tuple[Expansion, ...]]:
    """Every name of a concept in data/lexicon.tsv -> the concept's other names.

    The lexicon bridges how people ask ("wifi", "bán hàng online", "app") and how plans write
    ("mạng không dây", "thương mại điện tử", "ứng dụng di động"): one concept per line, its formal
    names and its everyday names. Built from general knowledge of the domain, never from questions.
    """
    groups: dict[tuple[str, ...], list[Expansion]] = {}
    for row in read_data("lexicon.tsv"):
        names = [n.strip() for cell in row for n in cell.split("|") if n.strip()]
        members = list(dict.fromkeys(expansion_of(n) for n in names))
        for member in members:
            bucket = groups.setdefault(member.acc, [])
            bucket.extend(m for m in members if m.fol != member.fol and m not in bucket)
    return PhraseMatcher(((" ".join(k), tuple(v)) for k, v in groups.items() if k and v), loose=False,
                         plain_min_len=2)


@functools.cache
def question_matcher() -> PhraseMatcher[bool]:
    """Pure question words and follow-up markers, dropped from BM25 queries."""
    return PhraseMatcher((
        (phrase, True)
        for row in read_data("query_cues.tsv")
        if row[0] in ("question", "followup")
        for phrase in row[3].split("|")
    ), loose=False, plain_min_len=2)
