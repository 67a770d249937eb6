"""Pins assistant.answer.confidence (the refusal model) and assistant.evaluation.calibrate (its fitting)."""

from __future__ import annotations

import json

import numpy as np
import pytest

from assistant.answer.confidence import FEATURES, RefusalModel, load_model
from assistant.evaluation.calibrate import Sample, best_threshold, fit, fit_and_save, rates


def test_the_shipped_model_says_how_it_was_fitted():
    raw = json.loads((__import__("importlib.resources").resources.files("assistant.answer")
                      .joinpath("data", "refusal_model.json").read_text(encoding="utf-8")))
    assert raw["features"] == list(FEATURES)
    assert "holdout" not in " ".join(raw["fitted_on"])
    assert any("blind" in p for p in raw["fitted_on"])
    assert raw["cross_validation"]["folds"] == 5 and raw["cross_validation"]["auc"] > 0.8
    assert 0.0 < raw["threshold"] < 1.0 and raw["how"]


def test_more_support_makes_an_answer_more_likely():
    model = load_model()
    base = dict.fromkeys(FEATURES, 0.0) | {"support": 0.3, "rank_inverse": 1.0, "domain_share": 1.0,
                                           "asks_number": 1.0}
    assert model.probability(base | {"support": 0.9}) > model.probability(base)


def test_a_word_no_plan_uses_makes_an_answer_less_likely():
    model = load_model()
    base = dict.fromkeys(FEATURES, 0.0) | {"support": 0.6, "rank_inverse": 1.0, "domain_share": 1.0}
    assert model.probability(base | {"unknown_share": 0.4}) < model.probability(base)


def _synthetic(n: int = 200, seed: int = 1) -> list[Sample]:
    """Answerable questions have well-supported clauses; unanswerable ones do not (plus noise)."""
    rng = np.random.default_rng(seed)
    out = []
    for i in range(n):
        answerable = i % 5 != 0
        values = {name: float(rng.normal(0.5, 0.1)) for name in FEATURES}
        values["support"] = float(rng.normal(0.8 if answerable else 0.3, 0.1))
        out.append(Sample(f"s{i}", values, answerable, blind=i % 2 == 0))
    return out


def test_fitting_separates_what_the_features_separate():
    data = fit(_synthetic())
    cv = data["cross_validation"]
    assert cv["auc"] > 0.95
    assert cv["blind"]["false_refusal_rate"] <= 0.05  # the budget holds where users' questions are
    assert cv["refusal_recall"] > 0.8
    model = RefusalModel.from_json(data)
    assert model.coef[model.names.index("support")] > 0


def test_the_threshold_keeps_false_refusals_within_the_budget():
    probability = np.array([0.1, 0.2, 0.3, 0.6, 0.7, 0.8, 0.9, 0.95])
    answerable = np.array([0, 0, 1, 1, 1, 1, 1, 1])
    t = best_threshold(probability, answerable)
    assert rates(probability, answerable, t)["false_refusal_rate"] == 0.0
    assert rates(probability, answerable, t)["refusal_recall"] == 1.0


def test_the_model_is_never_fitted_on_the_holdout(tmp_path):
    with pytest.raises(ValueError, match="holdout"):
        fit_and_save(None, [tmp_path / "eval" / "holdout" / "q.jsonl"], tmp_path / "m.json")


def test_answers_carry_the_model_s_confidence(fast_assistant):
    answer = fast_assistant.ask("Mục tiêu tỷ lệ hộ gia đình có Internet cáp quang của Hải Dương năm 2022?")
    assert not answer.refused and 0.0 < answer.confidence <= 1.0


def test_a_question_word_the_clause_says_in_the_lexicon_s_other_words_is_not_missing(fast_assistant):
    """'bán hàng online' asked, 'thương mại điện tử' written: the heaviest word is there, renamed."""
    from assistant.answer.confidence import features
    from assistant.answer.units import Unit
    from assistant.records import Chunk, Hit
    from assistant.retrieve.analysis import understand

    question = "Doanh thu bán hàng online đạt mấy phần trăm?"
    profile = fast_assistant.extractive.profile(question, understand(question))
    chunk = Chunk("x#0001", "x", "Tỷ trọng doanh thu thương mại điện tử đạt 10%;", [], "", 0, 10)
    unit = fast_assistant.extractive._chunk_units(Hit(chunk, 1.0))[0]
    renamed = features(profile, unit)
    other = Unit("Tỷ lệ doanh nghiệp sử dụng hợp đồng điện tử đạt 50%;", Hit(chunk, 1.0), 0, "sentence",
                 tokens=fast_assistant.extractive._chunk_units(Hit(Chunk("y#1", "y", "Tỷ lệ doanh nghiệp sử dụng hợp đồng điện tử đạt 50%;", [], "", 0, 10), 1.0))[0].tokens)
    assert renamed["figure_key_missing"] < features(profile, other)["figure_key_missing"]


def test_a_one_word_loanword_key_the_clause_lacks_is_missing(fast_assistant):
    """"… bao nhiêu % người trưởng thành dùng smartphone?" answered by a clause about payment accounts:
    the key is one word, not Vietnamese; the clause neither says it nor "điện thoại thông minh"."""
    from assistant.answer.confidence import features
    from assistant.records import Chunk, Hit
    from assistant.retrieve.analysis import understand

    question = "Đến 2025 bao nhiêu % người trưởng thành dùng smartphone?"
    profile = fast_assistant.extractive.profile(question, understand(question))

    def missing(text: str) -> float:  # units are cached by chunk id: one id per text
        chunk = Chunk(f"z#{len(text)}", "z", text, [], "", 0, 10)
        unit = fast_assistant.extractive._chunk_units(Hit(chunk, 1.0))[0]
        return features(profile, unit)["figure_key_missing"]

    assert missing("Tỷ lệ dân số trưởng thành có tài khoản thanh toán điện tử đạt 80%;") == 1.0
    assert missing("Tỷ lệ dân số trưởng thành có điện thoại thông minh đạt 85%;") < 1.0
