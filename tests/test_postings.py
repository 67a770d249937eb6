"""BM25 built from token batches as compact ids scores every chunk exactly as a one-shot bm25s index."""

from __future__ import annotations

import bm25s
import numpy as np
import pytest

from assistant.indexing.sparse import SparseIndex, top_k
from assistant.indexing.views import document_tokens

from corpus_docs import DOC_IDS, parsed

QUERIES = [["kinh", "te", "so", "kinh_te", "te_so"], ["dong", "nai", "2025"], ["chuyen", "doi", "so", "so"],
           ["ha_tang", "buu", "chinh"], ["khong_co_tu_nay"]]


@pytest.fixture(scope="module")
def token_lists() -> list[list[str]]:
    from assistant.indexing.views import sparse_text
    from assistant.ingest.chunking import chunk_document

    return [document_tokens(sparse_text(c)) for doc_id in DOC_IDS for c in chunk_document(parsed(doc_id))]


def _bm25s_scores(token_lists: list[list[str]], query: list[str]) -> np.ndarray:
    one_shot = bm25s.BM25(k1=1.2, b=0.75)
    one_shot.index(token_lists, show_progress=False)
    ids = one_shot.get_tokens_ids(query)
    return one_shot.get_scores(query) if ids else np.zeros(len(token_lists), "float32")


@pytest.mark.parametrize("batch", [1, 37, 10_000])
def test_streamed_bm25_scores_equal_one_shot_bm25s_scores(token_lists, batch):
    batches = [token_lists[i:i + batch] for i in range(0, len(token_lists), batch)]
    streamed = SparseIndex.from_token_batches(batches)
    assert streamed.size == len(token_lists)
    for query in QUERIES:
        np.testing.assert_allclose(streamed.token_scores(query), _bm25s_scores(token_lists, query), rtol=1e-6, atol=0)


def test_the_streamed_index_saves_and_loads_in_bm25s_format(tmp_path, token_lists):
    SparseIndex.from_token_batches([token_lists[:100], token_lists[100:]]).save(tmp_path)
    loaded = SparseIndex.load(tmp_path)
    reference = bm25s.BM25.load(str(tmp_path), mmap=False)
    assert loaded.size == reference.scores["num_docs"] == len(token_lists)
    assert "" in reference.vocab_dict  # bm25s's empty token, as its own index() adds
    np.testing.assert_allclose(loaded.token_scores(QUERIES[0]), _bm25s_scores(token_lists, QUERIES[0]), rtol=1e-6)


def test_an_empty_chunk_and_a_repeated_token_count_as_bm25s_counts_them():
    lists = [["a", "a", "b"], [""], ["b", "c"], ["a"]]
    streamed = SparseIndex.from_token_batches([lists[:1], lists[1:]])
    for query in (["a"], ["b", "b"], ["c", "a"]):
        np.testing.assert_allclose(streamed.token_scores(query), _bm25s_scores(lists, query), rtol=1e-6)


def test_top_k_keeps_the_order_of_a_full_stable_sort_with_ties():
    rng = np.random.default_rng(3)
    scores = rng.integers(0, 6, 5_000).astype("float32")  # many ties, many zeros
    positive = np.flatnonzero(scores > 0)
    full = positive[np.argsort(-scores[positive], kind="stable")]
    for k in (1, 10, 100, 4_000):
        assert [i for i, _ in top_k(scores, k)] == full[:k].tolist()
    assert top_k(np.zeros(10, "float32"), 5) == []


@pytest.mark.parametrize("runs", [1, 3, 200])
def test_scores_within_a_mask_equal_the_full_scores_there_and_are_zero_elsewhere(token_lists, runs):
    index = SparseIndex.from_token_batches([token_lists])
    n = len(token_lists)
    mask = np.zeros(n, dtype=bool)
    for start in np.linspace(0, n - 2, runs).astype(int):  # `runs` stretches of allowed chunks
        mask[start:start + max(1, n // (3 * runs))] = True
    for question in ("Mục tiêu kinh tế số đến năm 2025", "hạ tầng bưu chính", "chuyển đổi số"):
        full = index.scores(question, bridge_weight=0.3)
        masked = index.scores(question, bridge_weight=0.3, mask=mask)
        np.testing.assert_array_equal(masked[mask], full[mask])
        assert not masked[~mask].any() and masked.any()
