"""How sure the answerer is that the chosen clause answers the question: a small logistic model.

Refusing on "a question word is missing from the clause" fails everyday questions ("app",
"bán hàng online"), so the decision weighs several signals together — how much of the question the
clause covers, how high its chunk ranked, how much of the question
the plans never talk about, whether a named thing is missing — in one logistic regression whose
weights are fitted by cross-validation on the development question sets
(`assistant eval --fit-refusal`, see `assistant/evaluation/calibrate.py`) and stored with how they
were obtained in `answer/data/refusal_model.json`. Hard evidence of absence (an unknown province,
an agency no clause names, no clause holding the kind of figure asked) is decided before this.
"""

from __future__ import annotations

import functools
import json
import math
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from assistant.answer.refusal import domain_share
from assistant.vi.spelling import is_vietnamese_syllable
from assistant.answer.scoring import Profile
from assistant.answer.units import Unit

FEATURES = ("support", "rank_inverse", "domain_share", "unknown_share", "missing_chain",
            "figure_key_missing", "asks_number")
MODEL_FILE = "refusal_model.json"


def features(profile: Profile, best: Unit) -> dict[str, float]:
    """The signals the model weighs, for the best candidate unit of a question (names: `FEATURES`)."""
    have = best.tokens | best.context
    return {
        "support": best.support,
        "rank_inverse": 1.0 / (1 + best.rank),
        "domain_share": domain_share(profile),
        "unknown_share": sum(profile.weights.get(t, 0.0) for t in profile.unknown) / profile.total,
        "missing_chain": float(_missing_chain(profile, have)),
        # A figure for a neighbouring indicator is the typical wrong answer: the heaviest question
        # word missing from the clause counts when a figure is asked.
        "figure_key_missing": _key_missing(profile, have) if profile.wants == "number" else 0.0,
        "asks_number": float(profile.wants == "number"),
    }


def _key_missing(profile: Profile, have: frozenset[str]) -> float:
    """How heavy the heaviest word of the question is that the clause lacks, relative to the heaviest
    one: a question about "chữ ký số" (or "smartphone") answered with "tài khoản thanh toán"."""
    # two-syllable words, and one-word names that are no Vietnamese syllable ("smartphone", "wifi")
    words = {t: w for t, w in profile.weights.items() if t not in profile.aside
             and ("_" in t or len(t) > 2 and t.isalpha() and not is_vietnamese_syllable(t))}
    if not words:
        return 0.0
    missing = max((w for t, w in words.items() if not profile.has(t, have)), default=0.0)
    return missing / max(words.values())


def _missing_chain(profile: Profile, have: frozenset[str]) -> int:
    """Length of the longest run of consecutive question bigrams the clause lacks ("có chữ ký số"
    -> co_chu, chu_ky, ky_so): a named thing missing as a whole, not chance neighbours one at a time."""
    synonyms = {part for t in profile.optional if t in have and "_" in t for part in t.split("_")}
    best = run = 0
    prev = ""
    for token in profile.phrase:
        if token in profile.aside:
            continue
        missing = not profile.has(token, have) and not set(token.split("_")) & synonyms
        run = (run + 1 if prev and prev.split("_")[1] == token.split("_")[0] else 1) if missing else 0
        prev = token if missing else ""
        best = max(best, run)
    return best


@dataclass(frozen=True)
class RefusalModel:
    """Standardised logistic regression: p(the question is answerable from this clause)."""

    names: tuple[str, ...]
    mean: tuple[float, ...]
    scale: tuple[float, ...]
    coef: tuple[float, ...]
    intercept: float
    threshold: float

    def probability(self, values: dict[str, float]) -> float:
        z = self.intercept + sum(c * (values[n] - m) / s
                                 for n, m, s, c in zip(self.names, self.mean, self.scale, self.coef))
        return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))

    @classmethod
    def from_json(cls, data: dict) -> "RefusalModel":
        return cls(tuple(data["features"]), tuple(data["mean"]), tuple(data["scale"]), tuple(data["coef"]),
                   float(data["intercept"]), float(data["threshold"]))


@functools.cache
def load_model(path: str | None = None) -> RefusalModel:
    """The fitted model shipped with the package (or another file, for experiments)."""
    raw = Path(path).read_text(encoding="utf-8") if path else \
        resources.files("assistant.answer").joinpath("data", MODEL_FILE).read_text(encoding="utf-8")
    return RefusalModel.from_json(json.loads(raw))
