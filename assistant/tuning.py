"""Every tuned number of the answer and retrieval stages, in one place, with how it was chosen.

Modules read these at call time (`tuning.value("context_weight")`), so `assistant eval --ablate`
can set each one to its neutral value — what the code would do without the idea behind it — and
report what it is worth on the blind development set (`eval/blind/`). The refusal model's weights
are data (`answer/data/refusal_model.json`, fitted by `assistant eval --fit-refusal`); retrieval
numbers that users may change live in `settings.Settings` and are listed here too, so one
ablation covers them all. Numbers found worth nothing on blind questions are removed, not kept: in December 2026 the fusion
constant rrf_k (10; now the textbook 60), the header down-weight (0.5; now none) and the share of a
synonyms.tsv synonym in clause scoring (0.5; now 0) changed no blind metric by more than 0.005.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from dataclasses import dataclass


@dataclass(frozen=True)
class Tuned:
    value: float
    neutral: float  # the value that switches the idea off
    how: str  # how it was chosen
    setting: bool = False  # a field of Settings (ablated through a settings copy)


TUNED: dict[str, Tuned] = {
    # --- retrieval (Settings fields) -------------------------------------------------------------
    "bridge_weight": Tuned(0.3, 0.0, "weight of the lexicon's other names in the BM25 query; 0.3 beat 0 and 0.6 "
                                     "on eval/blind/ MRR (0.822 vs 0.814 / 0.811)", setting=True),
    # --- answer: scoring units ---------------------------------------------------------------------
    "context_weight": Tuned(0.7, 0.0, "a heading word counts this share of a word of the clause itself (session 1)"),
    "cue_weight": Tuned(0.35, 1.0, "weight of question cues ('mục tiêu', 'chủ trì', 'đạt'): they say what is "
                                   "asked, not what about (session 1)"),
    "unknown_weight": Tuned(1.0, 0.0, "a word no plan uses weighs this share of its IDF against every clause "
                                      "(session 1)"),
    "bridge_share": Tuned(0.3, 0.0, "what a clause's lexicon name for a question's concept is worth; below "
                                    "synonyms, since concepts are broader (this session)"),
    "answer_hits": Tuned(6, 1, "how many retrieved chunks the answer may come from (session 1)"),
    # --- answer: multi-part answers ------------------------------------------------------------------
    "complement_gain": Tuned(0.15, 2.0, "share of the question's weight a second clause must add to join the "
                                        "answer (this session; 2.0 = never)"),
    "complement_year_gain": Tuned(0.2, 0.0, "what stating a year the question asks for, and the best clause lacks, "
                                            "is worth (this session)"),
}

_overrides: dict[str, float] = {}


def value(name: str) -> float:
    """The number in force (an ablation may have switched it to its neutral value)."""
    return _overrides.get(name, TUNED[name].value)


@contextlib.contextmanager
def neutral(name: str) -> Iterator[None]:
    """Run with one tuned number at its neutral value (module numbers only; settings go by copy)."""
    _overrides[name] = TUNED[name].neutral
    try:
        yield
    finally:
        _overrides.pop(name, None)


# --- dense index shape (speed and memory against ANN recall; not ablated on eval/, whose 436 chunks are
# below every threshold): chosen with benchmarks/bench_scale.py on the synthetic corpus, recall@10 measured
# against exact search for the real eval questions' vectors ------------------------------------------------
INDEX_TUNED: dict[str, Tuned] = {
    "hnsw_m": Tuned(32, 0, "HNSW neighbours per node: faiss's usual 32, not varied by bench_scale yet"),
    "hnsw_ef_construction": Tuned(80, 40, "HNSW build breadth: 80 keeps the 10^5-chunk full build at ~67 s "
                                          "(bench_scale); not varied yet"),
    "hnsw_ef_search": Tuned(128, 16, "HNSW query breadth; bench_scale, 101k synthetic chunks, static encoder: "
                                     "tie-aware recall@10 vs exact 0.34/0.38/0.40/0.43/0.50 at 16/32/64/128/256, "
                                     "0.04 ms/query at 128. Poor on that corpus (verbatim repeated clauses give "
                                     "duplicate vectors), hence the high hnsw_threshold setting"),
    "ivf_lists_per_sqrt": Tuned(4, 1, "IVF lists = this × sqrt(chunks), the usual 4·sqrt(n) rule; NOT measured "
                                      "at 10^6 (bench_scale did not run that size)"),
    "ivf_nprobe": Tuned(32, 1, "IVF lists visited per query; NOT measured at 10^6"),
    "pq_bytes": Tuned(48, 0, "PQ code bytes per vector (384 dims / 8 per sub-quantiser): 48 MB per 10^6 chunks "
                             "instead of 1.5 GB; NOT measured at 10^6"),
}


def index_value(name: str) -> int:
    """A tuned number of the dense index's shape."""
    return int(INDEX_TUNED[name].value)
