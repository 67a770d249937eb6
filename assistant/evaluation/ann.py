"""Recall of an approximate (HNSW, IVF-PQ) dense index against exact search, counting ties as hits.

Plans copy clauses from one another, so a corpus holds identical and near-identical vectors: the
exact top 10 is then one arbitrary pick among several equally close chunks, and an ANN index that
returns another, equally close, one is not wrong. The usual definition (as in ann-benchmarks) counts
a returned id as a hit when its true similarity reaches the exact k-th similarity within a float
tolerance. True similarities are recomputed from the vectors, never taken from the ANN index's own
scores, which IVF-PQ only approximates.
"""

from __future__ import annotations

import numpy as np

TOLERANCE = 1e-5  # float32 inner products of unit vectors agree to about this when the vectors are equal


def exact_kth_scores(vectors: np.ndarray, queries: np.ndarray, k: int) -> np.ndarray:
    """The k-th best inner product of each query over all vectors (exact, brute force with FAISS)."""
    import faiss

    exact = faiss.IndexFlatIP(vectors.shape[1])
    exact.add(np.ascontiguousarray(vectors, dtype="float32"))
    scores, _ = exact.search(np.ascontiguousarray(queries, dtype="float32"), k)
    return scores[:, k - 1]


def tie_aware_recall(vectors: np.ndarray, queries: np.ndarray, found_ids: np.ndarray, kth_scores: np.ndarray,
                     k: int = 10, tolerance: float = TOLERANCE) -> float:
    """Mean share of the k returned ids per query whose true similarity is within `tolerance` of the exact k-th.

    Args:
        vectors: every indexed vector (row i is id i), the ones the exact search ran over.
        found_ids: (queries, ≥k) ids the approximate index returned, best first; -1 means none.
        kth_scores: `exact_kth_scores(vectors, queries, k)`.
    """
    if len(queries) == 0:
        return float("nan")
    hits = 0
    for query, ids, kth in zip(np.asarray(queries, dtype="float32"), np.asarray(found_ids)[:, :k], kth_scores):
        ids = np.unique(ids[ids >= 0])  # an id returned twice counts once
        if len(ids):
            true = vectors[ids] @ query
            hits += int(np.count_nonzero(true >= kth - tolerance))
    return hits / (k * len(queries))
