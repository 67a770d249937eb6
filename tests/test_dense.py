"""The dense index type follows the corpus size: exact, then HNSW, then IVF-PQ; each finds a vector's own chunk."""

from __future__ import annotations

import numpy as np
import pytest

from assistant.indexing.dense import DenseIndex


def _vectors(count: int, dimension: int = 96) -> np.ndarray:
    vectors = np.random.default_rng(1).standard_normal((count, dimension)).astype("float32")
    return vectors / np.linalg.norm(vectors, axis=1, keepdims=True)


@pytest.mark.parametrize("count, kind", [(500, "IndexFlatIP"), (3_000, "IndexHNSWFlat"), (12_000, "IndexIVFPQ")])
def test_the_index_type_is_chosen_by_size_and_finds_each_vectors_own_chunk(tmp_path, count, kind):
    vectors = _vectors(count)
    built = DenseIndex.build(vectors, hnsw_threshold=1_000, ivfpq_threshold=10_000)
    assert built.kind == kind
    built.save(tmp_path)
    loaded = DenseIndex.load(tmp_path)
    assert loaded.kind == kind and loaded.size == count
    probes = range(0, count, count // 20)
    found = sum(loaded.search(vectors[i], 10)[0][0] == i for i in probes)
    assert found >= 0.9 * len(probes)


@pytest.mark.parametrize("count", [500, 3_000, 12_000])
def test_a_document_filter_keeps_results_inside_it_for_every_index_type(count):
    vectors = _vectors(count)
    index = DenseIndex.build(vectors, hnsw_threshold=1_000, ivfpq_threshold=10_000)
    allowed = np.arange(0, count, 7)
    hits = index.search(vectors[14], 10, allowed)
    assert hits and {i for i, _ in hits} <= set(allowed.tolist())
    assert hits[0][0] == 14
