"""The words a question is read by: province names and question cues, from `vi/data/`.

places.tsv gives every province its canonical name and aliases ("TP.HCM", "BRVT"); query_cues.tsv
gives the phrases that say what is asked ("bao nhiêu", "ai chủ trì", "khi nào"), follow-up openers
("Còn …") and generic words that are never the topic.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

from assistant.vi.phrases import PhraseMatcher
from assistant.vi.resources import read_data
from assistant.vi.syllables import scan


@dataclass(frozen=True)
class Places:
    """Province aliases, canonical names, and names that must be capitalised in a cased question."""

    matcher: PhraseMatcher[str]
    names: tuple[str, ...]
    capitalised: frozenset[str]


@functools.cache
def places() -> Places:
    names, entries, capitalised = [], [], set()
    for row in read_data("places.tsv"):
        canonical = row[0]
        names.append(canonical)
        aliases = [canonical, *(row[1].split("|") if len(row) > 1 and row[1] else [])]
        entries.extend((alias.strip(), canonical) for alias in aliases if alias.strip())
        if len(row) > 2 and row[2] == "cap":
            capitalised.add(canonical)
    return Places(PhraseMatcher(entries), tuple(names), frozenset(capitalised))


def province_names() -> tuple[str, ...]:
    """The canonical names of Viet Nam's provinces and centrally-run cities."""
    return places().names


@functools.lru_cache(maxsize=4096)
def canonical_province(name: str) -> str | None:
    """Canonical province name for any spelling: "TP.HCM", "ba ria vung tau", "Tỉnh Đồng Nai"."""
    sc = scan(name)
    for _, _, canonical in places().matcher.find(sc.acc, sc.fol):
        return canonical
    return None


@dataclass(frozen=True)
class Cue:
    role: str  # cue, hint, question, followup, demonstrative, head, …
    intent: str  # one of INTENTS, or "-"
    weight: int


@dataclass(frozen=True)
class CueMatchers:
    """Cues (with intent weights), follow-up openers ("Còn …"), and generic words."""

    cues: PhraseMatcher[Cue]
    openers: PhraseMatcher[Cue]
    generic: PhraseMatcher[Cue]


@functools.cache
def cue_matchers() -> CueMatchers:
    """In text typed without diacritics a one-syllable generic word is too ambiguous to drop
    ("trong" may be "trọng", "tai" "tài"), so those only match as spelled."""
    rows: dict[str, list[tuple[str, Cue]]] = {"main": [], "start": [], "generic": []}
    for role, intent, weight, phrases in read_data("query_cues.tsv"):
        cue = Cue(role, intent, int(weight))
        kind = {"generic": "generic", "followup_start": "start"}.get(role, "main")
        rows[kind].extend((p.strip(), cue) for p in phrases.split("|") if p.strip())
    return CueMatchers(
        PhraseMatcher(rows["main"], loose=False),
        PhraseMatcher(rows["start"], loose=False),
        PhraseMatcher(rows["generic"], loose=False, plain_min_len=2),
    )
