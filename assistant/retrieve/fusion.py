"""Weighted reciprocal-rank fusion of several rankings.

RRF needs no score calibration between BM25 and cosine similarity, which differ in scale and
shape; weights let a weak retriever (an English embedder on Vietnamese text) add signal without
outvoting a strong one.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence


def reciprocal_rank_fusion(
    rankings: Mapping[str, Sequence[int]],
    weights: Mapping[str, float],
    k: int = 60,
) -> list[tuple[int, float, dict[str, int]]]:
    """Fuse rankings of item ids into one list of (id, score, {ranker: 1-based rank}), best first.

    Args:
        rankings: ranker name -> item ids, best first.
        weights: ranker name -> weight; a ranker with weight 0 (or missing) is ignored.
        k: the RRF constant; larger values flatten the contribution of top ranks.
    """
    scores: dict[int, float] = {}
    ranks: dict[int, dict[str, int]] = {}
    for name, ids in rankings.items():
        weight = float(weights.get(name, 0.0))
        for position, item in enumerate(ids, start=1):
            ranks.setdefault(item, {})[name] = position
            if weight > 0:
                scores[item] = scores.get(item, 0.0) + weight / (k + position)
    fused = [(item, scores.get(item, 0.0), ranks[item]) for item in ranks if item in scores]
    # Ties (same fused score) are broken by the best individual rank, then by id for stability.
    fused.sort(key=lambda row: (-row[1], min(row[2].values()), row[0]))
    return fused
