"""Every tuned number of the answer and retrieval stages, in one place, with how it was chosen.

Modules read these at call time (`tuning.value("context_weight")`), so `assistant eval --ablate`
can set each one to its neutral value — what the code would do without the idea behind it — and
report what it is worth on the blind development set (`eval/blind/`). The refusal model's weights
are data (`answer/data/refusal_model.json`, fitted by `assistant eval --fit-refusal`); retrieval
numbers that users may change live in `settings.Settings` and are listed here too, so one
ablation covers them all. Numbers found worth nothing on blind questions are removed, not kept: in December 2026 the fusion
constant rrf_k (10; now the textbook 60), the header down-weight (0.5; now none) and the share of a
synonyms.tsv synonym in clause scoring (0.5; now 0) changed no blind metric by more than 0.005; in round 7 the
bonus for a clause under the agency the question names (0.2), the bonus for a clause citing the section
number asked (0.25, with a support floor) and the header penalty (0.3; headers are never eligible) changed
no development metric at all and were removed, and the length penalty (0.04 for a 600-character clause)
was worth +0.002 on eval/blind/ without it and -0.003 on the added plans: removed too.
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
    "plan_name_weight": Tuned(0.35, 1.0, "weight of the words naming the plan asked about ('trong kế hoạch kinh tế "
                                         "số …'), as cues weigh; worth +0.009 answers on eval/blind/ (ablation, "
                                         "round 4)"),
    "unknown_weight": Tuned(1.0, 0.0, "a word no plan uses weighs this share of its IDF against every clause "
                                      "(session 1); round-4 ablation: neutral +0.009 answers without a refit, equal "
                                      "with the refusal model refit, and then a borderline question refused — kept"),
    "bridge_share": Tuned(0.3, 0.0, "what a clause's lexicon name for a question's concept is worth; below "
                                    "synonyms, since concepts are broader (this session)"),
    "intent_bonus": Tuned(1.0, 0.0, "scale of the clause-kind fit (scoring._intent_fit: a figure for 'bao nhiêu' "
                                    "+0.12, none -0.1; for 'ai' a task row +0.15, a duty under an agency's heading "
                                    "+0.12, an agency named +0.05, none -0.12; a time +0.12; a list's commas +0.05; "
                                    "session 1, hand-set; session 9: a clause whose 'Cơ quan chủ trì: …' line answers "
                                    "'ai' +0.12, a labelled line asked something else -0.2, hand-set)"),
    "state_bonus": Tuned(0.1, 0.0, "asked how things stand ('hiện có bao nhiêu', 'lúc ban hành … rồi'), a clause "
                                   "under a situation heading gains this and one under a target heading loses it; "
                                   "asked a target ('mục tiêu', 'đến 2025'), the reverse (session 7; 0.1 and 0.2 "
                                   "equal on dev; ablation +0.002 answers, +0.009 unanswerable refused)"),
    "year_bonus": Tuned(0.08, 0.0, "a clause about a year asked gains this, one about other years loses it (session 1)"),
    "rank_penalty": Tuned(0.035, 0.0, "a clause loses this per retrieval rank of its chunk (session 1)"),
    "list_shape_bonus": Tuned(0.1, 0.0, "a list question prefers a clause that is a list (opens one with ':' or "
                                         "enumerates after ':'/'gồm') to one item of it (session 5); ablation: "
                                         "eval/blind/ answers 0.778 with it, 0.773 without; added and plan-worded equal"),
    "alternative_share": Tuned(0.5, 0.0, "a question word the clause says by a whole other name of the lexicon's "
                                         "counts this share of its weight (session 7: 0.5 and 1.0 tried, each with the "
                                         "refusal model refit; 0.5 gave CV AUC 0.9035 vs 0.898; ablation +0.015)"),
    "list_item_chars": Tuned(200, 100000, "an item of a list asked for whole is cut to its head past this many "
                                          "characters (session 7, with lists read on into the next chunk; 200 = "
                                          "about two lines of the chat, not varied; ablation +0.003)"),
    "list_focus_ratio": Tuned(0.5, 0.0, "a list question over a long clause of '; '-parts is answered by the one "
                                        "part that enumerates when every other part covers the question less than "
                                        "this share of it (session 8; 0.5 not varied; ablation: eval/blind/ answers "
                                        "0.836 with it, 0.835 without; added 0.844 vs 0.837; plan-worded equal)"),
    "cited_document_share": Tuned(0.6, 0.0, "a question about a plan's date/number/signer asks about a document the "
                                            "plan cites when the plan's header covers its description less than this "
                                            "share of what a clause citing that document by number covers (session 6: "
                                            "0.6 gained 5 dev questions with no loss, 1.0 gained 5 and lost 4; "
                                            "ablation +0.010 answers on eval/blind/)"),
    "twin_share": Tuned(0.8, 100.0, "a clause naming no one is answered by the annex row stating the same task "
                                    "when the row holds this share of the clause's head (session 9, not varied; "
                                    "ablation: eval/blind/ answers 0.830 with it, 0.828 without; added equal; a "
                                    "margin over the next row (0.15) was worth nothing and was removed)"),
    "answer_hits": Tuned(6, 1, "how many retrieved chunks the answer may come from (session 1)"),
    "row_group_share": Tuned(0.6, 1.01, "a task-table group counts as the one a count question names ('nhóm y "
                                         "tế') when the question holds this share of its title's distinctive words "
                                         "(round 12, not varied; 1.01 = groups never matched; ablation: eval/blind/ "
                                         "answers 0.842 with it, 0.840 without, added equal)"),
    "claim_share": Tuned(0.5, 1.0, "a yes/no question's supposition (the words after 'có phải (là)', 'có đúng "
                                   "(là)' up to 'không') weighs this share: the clause that answers may say "
                                   "otherwise ('Trưởng ban là Chủ tịch UBND', not 'Giám đốc Sở') (round 13; 0.5: "
                                   "eval/blind/ answers 0.842 -> 0.843, added 0.865 -> 0.867, no question lost; 0 "
                                   "lost 10, the supposition often names the subject too; with an agency named only "
                                   "in the supposition no longer required of the clause: blind 0.844)"),
    "count_noun_window": Tuned(8, 0, "'bao nhiêu camera' is answered only by a clause whose figure sits by the "
                                      "noun: a number at most 3 words before it, or at most this many words after "
                                      "it ('camera … đạt 612'); 0 = any figure of the clause (round 13: a tight "
                                      "window (2 before, 3 after) lost 10 answerable dev questions, 6 each side "
                                      "gained nothing net; 3 before / 8 after, with fractions ('138/261 sản phẩm') "
                                      "and '… người' counts: eval/blind/ unanswerable refused 0.875 -> "
                                      "0.880, answers equal; added answers 0.861 -> 0.865, unanswerable refused "
                                      "0.780 -> 0.796; plan-worded one answer lost)"),
    # --- question reading: typos ---------------------------------------------------------------------
    "speller_min_count": Tuned(3, 10**9, "a typo is corrected only into a syllable the plans use at least this often: "
                                         "not a one-off name (session 3, not varied)"),
    "speller_loanword_min": Tuned(6, 10**9, "letters a typed loanword needs before it is corrected against the term "
                                            "lists ('smarphone'); shorter ones have too many neighbours (round 11; no "
                                            "development question types such a loanword, ablation 0; kept as the guard "
                                            "that keeps short words as typed)"),
    "speller_context_pairs": Tuned(5, 10**9, "a syllable Vietnamese could spell but no plan uses ('chỉ tiu') is "
                                             "corrected when the plans pair the corrected syllable with its "
                                             "neighbours at least this often (round 12; ablation: eval/blind/ answers "
                                             "0.842 with it, 0.839 without, added equal; a margin over the next reading "
                                             "(2x) was worth nothing and was removed)"),
    # --- answer: multi-part answers ------------------------------------------------------------------
    "complement_gain": Tuned(0.15, 2.0, "share of the question's weight a second clause must add to join the "
                                        "answer (this session; 2.0 = never)"),
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
    # benchmarks/bench_ann.py on bench_scale's 101,391-chunk synthetic corpus (static encoder, 27% of vectors exact
    # duplicates), 733 dev questions' vectors, tie-aware recall@10 vs exact (assistant/evaluation/ann.py); grid
    # M 16/32/48 × efC 40/80/200 × efS 16…256. Recall needs a wide build far more than more neighbours: at efS 256,
    # efC 40 → 0.78/0.79/0.84, efC 200 → 0.94/0.97/0.95 (M 16/32/48). M 32, efC 200, efS 256 is the cheapest
    # point ≥ 0.95: 0.973 at 0.43 ms/query (exact: 5–26 ms), build 30 s, 175 MB.
    "hnsw_m": Tuned(32, 0, "HNSW neighbours per node: M 32 beat 16 and 48 at efC 200/efS 256 (0.973 vs 0.941/0.954)"),
    "hnsw_ef_construction": Tuned(200, 40, "HNSW build breadth: 200 (recall 0.973) vs 80 (0.908) and 40 (0.791) at "
                                           "M 32/efS 256; build 30 s instead of 8 s at 10^5 chunks"),
    "hnsw_ef_search": Tuned(256, 16, "HNSW query breadth up to 256 × hnsw_vectors_per_ef vectors: recall 0.600/0.728/0.829/"
                                     "0.907/0.973 at efS 16/32/64/128/256 (10^5 chunks, M 32, efC 200), 0.43 ms/query at 256"),
    # HNSW_AT_1E6 — how the breadth rule was chosen. bench_ann.py --dedupe on bench_scale's 1,016,648-chunk corpus
    # (41% of vectors exact copies; 602k distinct), M 32 / efC 200, tie-aware recall@10 vs exact over every chunk:
    # 0.699 / 0.792 / 0.877 / 0.938 / 0.983 at efS 128 / 256 / 512 / 1024 / 2048 (0.4 / 0.7 / 1.3 / 2.5 / 5.1 ms a
    # query); the same graph over every chunk (copies included) only 0.715 / 0.804 at efS 256 / 512. So DenseIndex
    # holds distinct vectors, and efS ≈ 2048 at 600k vectors is the cheapest point ≥ 0.95 there; at 10^5 (74k distinct,
    # exact search below hnsw_threshold anyway) 256 sufficed. vectors / 300 joins the two (2007 at 602k) and keeps
    # queries ~5 ms. Checked end to end by bench_scale at 10^6 through DenseIndex.search: 0.976 at the efS in force (2009), 5.1 ms a query;
    # 0.937 at 1024, 0.993 at 4096 (11.5 ms).
    "hnsw_vectors_per_ef": Tuned(300, 10**9, "above 256 × this many vectors, efSearch = vectors / this (DenseIndex "
                                            "holds distinct vectors only): 2007 at 10^6 chunks, see HNSW_AT_1E6"),
    "hnsw_max_orphans_pct": Tuned(10, 0, "a rebuild grows the previous HNSW graph while its unused plus new vectors "
                                         "stay under this % of it, else builds afresh; not varied (orphans only widen "
                                         "the graph a little, they are never returned)"),
    "ivf_lists_per_sqrt": Tuned(4, 1, "IVF lists = this × sqrt(chunks), the usual 4·sqrt(n) rule; not varied: "
                                      "recall is limited by the PQ codes, not by the lists (below)"),
    "ivf_nprobe": Tuned(32, 1, "IVF lists visited per query; bench_ann at 10^5: recall@10 0.31/0.31/0.30/0.30/0.30 at "
                               "nprobe 8/16/32/64/128 — flat, the 48-byte codes are the limit (hence ivfpq_threshold 2·10^6)"),
    "pq_bytes": Tuned(48, 0, "PQ code bytes per vector (384 dims / 8 per sub-quantiser): 48 MB per 10^6 chunks instead "
                             "of 1.5 GB, at recall@10 0.30 on the synthetic corpus; only worth it where memory rules"),
}


def index_value(name: str) -> int:
    """A tuned number of the dense index's shape."""
    return int(INDEX_TUNED[name].value)
