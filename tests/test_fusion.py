from assistant.retrieve.fusion import reciprocal_rank_fusion


def test_item_ranked_high_by_both_rankers_wins():
    fused = reciprocal_rank_fusion({"bm25": [1, 2, 3], "dense": [2, 1, 4]}, {"bm25": 1.0, "dense": 1.0})
    assert [item for item, _, _ in fused[:2]] in ([1, 2], [2, 1])
    assert {item for item, _, _ in fused} == {1, 2, 3, 4}


def test_weights_let_the_strong_ranker_decide():
    fused = reciprocal_rank_fusion({"bm25": [1, 2], "dense": [2, 1]}, {"bm25": 1.0, "dense": 0.3})
    assert [item for item, _, _ in fused] == [1, 2]


def test_zero_weight_ranker_is_ignored_but_its_ranks_are_reported_for_fused_items():
    fused = reciprocal_rank_fusion({"bm25": [5], "dense": [7, 5]}, {"bm25": 1.0, "dense": 0.0})
    assert fused == [(5, 1.0 / 61, {"bm25": 1, "dense": 2})]


def test_scores_follow_the_rrf_formula():
    fused = reciprocal_rank_fusion({"a": [10, 20]}, {"a": 2.0}, k=10)
    assert fused[0] == (10, 2.0 / 11, {"a": 1})
    assert fused[1] == (20, 2.0 / 12, {"a": 2})
