"""Typos in questions, fixed against the plans' own words: "cáp quag" → "cáp quang".

People type fast into a chat box and drop or swap a letter. A syllable is corrected only when it
cannot be Vietnamese at all (no Vietnamese syllable ends in "g" after a vowel, or has three
consonants in a row), the plans never use it, no term list of the domain knows it (loanwords such
as "app", "wifi" stay), and exactly one edit turns it into a syllable the plans use often. The
correction keeps that syllable's most frequent spelling in the plans, diacritics included.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable

from assistant.vi.normalize import fold_token
from assistant.vi.resources import read_data

_WORD_RE = re.compile(r"[^\W\d_]+")
# A Vietnamese syllable without tone marks: onset, one to three vowel letters, a legal ending.
_SYLLABLE_RE = re.compile(r"(?:ngh|ng|nh|ch|gh|gi|kh|ph|qu|th|tr|[bcdghklmnprstvx])?[aeiouy]{1,3}(?:ng|nh|ch|[cmnpt])?")
_LETTERS = "abcdeghiklmnopqrstuvxy"
MIN_COUNT = 3  # a correction target the plans use at least this often: not a one-off name
LOANWORD_MIN = 6  # letters a typed loanword needs before it is corrected against the term lists


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
        if len(folded) < 3 or folded in self.counts or folded in self.known or is_vietnamese_syllable(folded):
            return None
        prev, nxt = fold_token(prev.lower()), fold_token(nxt.lower())
        edits = _edits(folded)
        candidates = [(self.pairs[prev, c] + self.pairs[c, nxt], self.counts[c], c) for c in edits
                      if self.counts.get(c, 0) >= MIN_COUNT and is_vietnamese_syllable(c)]
        if not candidates:
            return self._loanword(folded, edits)
        candidates.sort(reverse=True)
        if candidates[0][0] > 0:  # seen next to its neighbours in the plans
            return None if len(candidates) > 1 and candidates[1][0] == candidates[0][0] else self.spelling[candidates[0][2]]
        candidates = [(count, c) for _, count, c in candidates]
        if len(candidates) > 1 and candidates[1][0] * 2 > candidates[0][0]:
            return None  # two readings about as likely: leave it
        return self.spelling[candidates[0][1]]

    def _loanword(self, folded: str, edits: set[str]) -> str | None:
        """A loanword of the term lists one edit away ("smarphone" -> "smartphone"): only long
        words, and only when exactly one such word fits (a short one has too many neighbours)."""
        if len(folded) < LOANWORD_MIN:
            return None
        found = [w for w in edits & self.known if len(w) >= LOANWORD_MIN and not is_vietnamese_syllable(w)]
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
