"""ANN recall against exact search counts an equally close chunk as a hit, whatever its id."""

from __future__ import annotations

import numpy as np

from assistant.evaluation.ann import exact_kth_scores, tie_aware_recall


def _unit(rows: np.ndarray) -> np.ndarray:
    rows = np.asarray(rows, dtype="float32")
    return rows / np.linalg.norm(rows, axis=1, keepdims=True)


def test_an_identical_vector_returned_in_place_of_exacts_pick_counts_as_a_hit():
    # ids 0 and 1 are the same clause copied into two plans; 2 is farther away, 3 is the farthest.
    vectors = _unit([[1, 0, 0], [1, 0, 0], [1, 1, 0], [0, 0, 1]])
    query = _unit([[1, 0.01, 0]])
    kth = exact_kth_scores(vectors, query, 1)
    assert tie_aware_recall(vectors, query, np.array([[1]]), kth, k=1) == 1.0  # exact search may well pick 0
    assert tie_aware_recall(vectors, query, np.array([[2]]), kth, k=1) == 0.0


def test_recall_is_the_share_of_returned_ids_reaching_the_exact_kth_similarity():
    vectors = _unit(np.random.default_rng(0).standard_normal((200, 16)))
    queries = vectors[:4] + 0.01
    kth = exact_kth_scores(vectors, queries, 10)
    order = np.argsort(-(queries @ vectors.T), axis=1)
    assert tie_aware_recall(vectors, queries, order[:, :10], kth) == 1.0
    half_wrong = np.concatenate([order[:, :5], order[:, -5:]], axis=1)
    assert tie_aware_recall(vectors, queries, half_wrong, kth) == 0.5


def test_missing_and_repeated_ids_are_not_counted_twice():
    vectors = _unit(np.eye(4))
    query = _unit([[1, 0.5, 0.2, 0]])
    kth = exact_kth_scores(vectors, query, 2)
    assert tie_aware_recall(vectors, query, np.array([[0, 0]]), kth, k=2) == 0.5
    assert tie_aware_recall(vectors, query, np.array([[0, -1]]), kth, k=2) == 0.5
