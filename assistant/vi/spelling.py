"""Typos in questions, fixed against the plans' own words: "cáp quag" → "cáp quang".

People type fast into a chat box and drop or swap a letter. A syllable is corrected only when the
plans never use it, no term list of the domain knows it (loanwords such as "app", "wifi" stay), and
one edit turns it into a syllable the plans use often: when it cannot be Vietnamese at all (no
Vietnamese syllable ends in "g" after a vowel), into the likeliest such syllable; when it could be
("tiu", "nghệp"), only into one the plans pair with its neighbours many times ("chỉ tiêu"). The
correction keeps that syllable's most frequent spelling in the plans, diacritics included.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Iterable

from assistant import tuning
from assistant.vi.normalize import fold_token
from assistant.vi.resources import read_data

_WORD_RE = re.compile(r"[^\W\d_]+")
# A Vietnamese syllable without tone marks: onset, one to three vowel letters, a legal ending.
_SYLLABLE_RE = re.compile(r"(?:ngh|ng|nh|ch|gh|gi|kh|ph|qu|th|tr|[bcdghklmnprstvx])?[aeiouy]{1,3}(?:ng|nh|ch|[cmnpt])?")
_LETTERS = "abcdeghiklmnopqrstuvxy"


def is_vietnamese_syllable(folded: str) -> bool:
    """Whether a folded syllable has a shape Vietnamese spelling allows ("quang" yes, "quag" no).

    Spelling also pairs onsets with vowels: "ngh"/"gh" only before i, e (ê), and "ng" never before
    them — so the common typo "nghành" is no syllable ("ngành" is)."""
    match = _SYLLABLE_RE.fullmatch(folded)
    if not match:
        return False
    if folded.startswith(("ngh", "gh")):
        return folded[3 if folded.startswith("ngh") else 2:][:1] in ("i", "e")
    if folded.startswith("ng") and folded[2:3] in ("i", "e"):
        return False
    return True


def _term_words() -> frozenset[str]:
    """Every word of the domain's term lists (lexicon, abbreviations, synonyms, cues, places)."""
    words: set[str] = set()
    for name in ("lexicon.tsv", "abbreviations.tsv", "synonyms.tsv", "query_cues.tsv", "places.tsv"):
        for row in read_data(name):
            for cell in row:
                words.update(fold_token(w) for w in _WORD_RE.findall(cell.lower()))
    return frozenset(words)


def _edits(word: str) -> set[str]:
    """Every string one deletion, insertion, substitution or swap away (Norvig's edits1)."""
    splits = [(word[:i], word[i:]) for i in range(len(word) + 1)]
    out = {a + b[1:] for a, b in splits if b}
    out |= {a + b[1] + b[0] + b[2:] for a, b in splits if len(b) > 1}
    out |= {a + c + b[1:] for a, b in splits if b for c in _LETTERS}
    out |= {a + c + b for a, b in splits for c in _LETTERS}
    return out


_TONE_MARKS = "\u0300\u0301\u0303\u0309\u0323"  # huyền, sắc, ngã, hỏi, nặng


def _tone(word: str) -> str:
    """The tone mark a syllable is typed with ("" for none, or when typed without diacritics)."""
    return "".join(ch for ch in unicodedata.normalize("NFD", word.lower()) if ch in _TONE_MARKS)


def _same_start(word: str, folded: str) -> bool:
    """Whether a reading keeps the typed first letter; "s" and "x" are the same sound in the south."""
    first = fold_token(word.lower())[:1]
    return first == folded[:1] or {first, folded[:1]} == {"s", "x"}


class Speller:
    """Corrects the syllables of a question that are typos of the corpus's own syllables."""

    def __init__(self, texts: Iterable[str]) -> None:
        # Counted in bulk (Counter.update over whole word lists runs in C): at 10^6 chunks a loop
        # per word took minutes of every server's start-up.
        counts: Counter[str] = Counter()
        pairs: Counter[tuple[str, str]] = Counter()
        written: Counter[tuple[str, str]] = Counter()  # (folded, as written)
        for text in texts:
            words = _WORD_RE.findall(text.lower())
            if not words:
                continue
            folded = list(map(fold_token, words))
            counts.update(folded)
            pairs.update(zip(["", *folded[:-1]], folded))
            written.update(zip(folded, words))
        self.counts = counts
        self.pairs = pairs
        # The most common spelling of each folded syllable (the first seen among equals, as before).
        spelling: dict[str, tuple[int, str]] = {}
        for (f, word), n in written.items():
            if f not in spelling or n > spelling[f][0]:
                spelling[f] = (n, word)
        self.spelling = {f: word for f, (_, word) in spelling.items()}
        self.known = _term_words()

    def suggest(self, word: str, prev: str = "", nxt: str = "") -> str | None:
        """The corpus syllable a typo stands for, or None when the word is no typo (or ambiguous).
        The neighbouring words decide between readings: "cáp quag" is "cáp quang", not "cáp quan"."""
        folded = fold_token(word.lower())
        if len(folded) < 3 or folded in self.counts or folded in self.known:
            return None
        prev, nxt = fold_token(prev.lower()), fold_token(nxt.lower())
        edits = _edits(folded)
        least = tuning.value("speller_min_count")
        candidates = [(self.pairs[prev, c] + self.pairs[c, nxt], self.counts[c], c) for c in edits
                      if self.counts.get(c, 0) >= least and is_vietnamese_syllable(c)]
        if is_vietnamese_syllable(folded):
            return self._in_context(word, candidates)
        if not candidates:
            return self._loanword(folded, edits)
        candidates.sort(reverse=True)
        if candidates[0][0] > 0:  # seen next to its neighbours in the plans
            return None if len(candidates) > 1 and candidates[1][0] == candidates[0][0] else self.spelling[candidates[0][2]]
        candidates = [(count, c) for _, count, c in candidates]
        if len(candidates) > 1 and candidates[1][0] * 2 > candidates[0][0]:
            return None  # two readings about as likely: leave it
        return self.spelling[candidates[0][1]]

    def _in_context(self, word: str, candidates: list[tuple[int, int, str]]) -> str | None:
        """A syllable Vietnamese could spell but no plan ever uses ("chỉ tiu", "doanh nghệp") is read as
        the one syllable an edit away that the plans pair with its neighbours often and far more than
        any other; a word merely missing from the plans ("nhé", a name) has no such neighbour. Such a
        word may be a real one ("gạch đầu dòng", "xài app"), so the reading keeps its first letter (or
        swaps s/x, which people confuse) and, when it was typed with one, its tone mark."""
        tone = _tone(word)
        paired = sorted(((n, c) for n, _, c in candidates if n and _same_start(word, c)
                         and (not tone or _tone(self.spelling[c]) == tone)), reverse=True)
        if not paired or paired[0][0] < tuning.value("speller_context_pairs"):
            return None
        if len(paired) > 1 and paired[1][0] == paired[0][0]:
            return None  # two readings the plans pair with these neighbours as often: leave it
        return self.spelling[paired[0][1]]

    def _loanword(self, folded: str, edits: set[str]) -> str | None:
        """A loanword of the term lists one edit away ("smarphone" -> "smartphone"): only long
        words, and only when exactly one such word fits (a short one has too many neighbours)."""
        least = tuning.value("speller_loanword_min")
        if len(folded) < least:
            return None
        found = [w for w in edits & self.known if len(w) >= least and not is_vietnamese_syllable(w)]
        return found[0] if len(found) == 1 else None

    def correct(self, question: str) -> str:
        """The question with its typos replaced; everything else exactly as typed."""
        words = list(_WORD_RE.finditer(question))
        out, last = [], 0
        for i, m in enumerate(words):
            prev = words[i - 1].group() if i else ""
            nxt = words[i + 1].group() if i + 1 < len(words) else ""
            better = self.suggest(m.group(), prev, nxt)
            if better is not None:
                out.append(question[last:m.start()])
                out.append(better.capitalize() if m.group()[0].isupper() else better)
                last = m.end()
        return "".join(out) + question[last:]
