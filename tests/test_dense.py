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


def _with_copies(distinct: int = 300, copies: int = 4, dimension: int = 32) -> np.ndarray:
    """Vectors where each of the first 50 distinct ones recurs `copies` times, interleaved with the rest."""
    base = _vectors(distinct, dimension)
    rows = [*base, *np.repeat(base[:50], copies - 1, axis=0)]
    return np.asarray(rows)[np.random.default_rng(2).permutation(len(rows))]


def _exact_ranking(vectors: np.ndarray, query: np.ndarray, k: int) -> list[tuple[int, float]]:
    """Brute force over every chunk, identical vectors in chunk order (a stable sort). One dot product per
    row: a matrix product may sum identical rows in different orders and split their tie."""
    q = query.astype(np.float64)
    scores = np.array([np.dot(row.astype(np.float64), q) for row in vectors])
    order = np.argsort(-scores, kind="stable")[:k]
    return [(int(i), float(scores[i])) for i in order]


def test_faiss_holds_each_distinct_vector_once_and_maps_every_chunk(tmp_path):
    vectors = _with_copies()
    index = DenseIndex.build(vectors, hnsw_threshold=10_000)
    assert (index.size, index.vectors) == (len(vectors), 300)
    index.save(tmp_path)
    loaded = DenseIndex.load(tmp_path)
    assert (loaded.size, loaded.vectors) == (len(vectors), 300)


def test_identical_vectors_return_all_their_chunks_in_chunk_order():
    vectors = _with_copies()
    index = DenseIndex.build(vectors, hnsw_threshold=10_000)
    query = vectors[0]
    copies = np.flatnonzero((vectors == query).all(axis=1))
    found = index.search(query, len(copies) + 3)
    assert [i for i, _ in found[:len(copies)]] == copies.tolist()
    assert len({round(s, 5) for _, s in found[:len(copies)]}) == 1


@pytest.mark.parametrize("k", [1, 5, 10, 40])
def test_the_ranking_equals_exact_search_over_every_chunk(k):
    vectors = _with_copies()
    index = DenseIndex.build(vectors, hnsw_threshold=10_000)
    for query in _vectors(8, 32):
        found = index.search(query, k)
        exact = _exact_ranking(vectors, query, k)
        assert [i for i, _ in found] == [i for i, _ in exact]
        np.testing.assert_allclose([s for _, s in found], [s for _, s in exact], rtol=1e-5)


def test_a_filter_keeps_only_allowed_chunks_of_a_shared_vector():
    vectors = _with_copies()
    index = DenseIndex.build(vectors, hnsw_threshold=10_000)
    query = vectors[0]
    copies = np.flatnonzero((vectors == query).all(axis=1))
    allowed = np.setdiff1d(np.arange(len(vectors)), copies[:1])
    found = index.search(query, 10, allowed)
    assert [i for i, _ in found[:len(copies) - 1]] == copies[1:].tolist()
    assert {i for i, _ in found} <= set(allowed.tolist())
    assert [i for i, _ in found] == [allowed[i] for i, _ in _exact_ranking(vectors[allowed], query, 10)]


def test_an_hnsw_over_copies_finds_every_copy_of_a_vector():
    vectors = _with_copies(distinct=3_000, copies=6, dimension=48)
    index = DenseIndex.build(vectors, hnsw_threshold=1_000)
    assert index.kind == "IndexHNSWFlat" and index.vectors == 3_000
    query = vectors[5]
    copies = np.flatnonzero((vectors == query).all(axis=1))
    assert [i for i, _ in index.search(query, len(copies))] == copies.tolist()


def test_query_breadth_grows_with_the_vectors_held():
    from assistant.indexing.dense import ef_search
    from assistant.tuning import index_value

    floor, per = index_value("hnsw_ef_search"), index_value("hnsw_vectors_per_ef")
    assert ef_search(1_000) == floor
    assert ef_search(floor * per * 4) == floor * 4


def _grown(tmp_path, old: np.ndarray, new: np.ndarray) -> DenseIndex:
    tmp_path.mkdir(exist_ok=True)
    DenseIndex.build(old, hnsw_threshold=1_000).save(tmp_path)
    return DenseIndex.build(new, hnsw_threshold=1_000, previous=tmp_path)


def test_a_rebuild_grows_the_previous_hnsw_graph_by_the_vectors_it_lacks(tmp_path):
    old = _with_copies(distinct=3_000, copies=3, dimension=48)
    added = _vectors(3_100, 48)[3_000:]  # other vectors than the first 3,000 of the same generator
    grown = _grown(tmp_path, old, np.concatenate([added[:40], old, added[40:]]))
    assert grown.kind == "IndexHNSWFlat" and grown.vectors == 3_100 and grown.size == len(old) + 100
    for row in (0, 39, 40 + 7, len(old) + 99):
        assert grown.search(np.concatenate([added[:40], old, added[40:]])[row], 1)[0][0] == row


def test_vectors_no_chunk_uses_any_more_stay_in_the_graph_but_are_never_returned(tmp_path):
    old = _vectors(3_000, 48)
    kept = old[100:]  # a plan removed: its 100 vectors become orphans (3 % of the graph)
    grown = _grown(tmp_path, old, kept)
    assert grown.vectors == 3_000 and grown.size == 2_900
    for query in old[:100:10]:  # near the orphans: their chunks are gone, only kept chunks come back
        found = grown.search(query, 10)
        assert len(found) == 10 and all(0 <= i < 2_900 for i, _ in found)
        np.testing.assert_allclose([s for _, s in found], [s for _, s in _exact_ranking(kept, query, 10)], rtol=1e-4)


def test_too_many_orphans_or_another_shape_build_a_fresh_graph(tmp_path):
    old = _vectors(3_000, 48)
    assert _grown(tmp_path / "a", old, old[600:]).vectors == 2_400  # 20 % unused: rebuilt
    assert _grown(tmp_path / "b", old[:500], old).vectors == 3_000  # the previous one was exact: rebuilt
