"""Pins assistant.answer.complements: a question asking several things gets each from its clause."""

from __future__ import annotations

from assistant import tuning


def test_a_question_about_two_years_gets_both_targets(fast_assistant):
    answer = fast_assistant.ask("Đồng Nai đặt mục tiêu tỷ lệ doanh nghiệp nhỏ và vừa sử dụng nền tảng số năm 2025 và năm 2030 là bao nhiêu?")
    assert "50%" in answer.answer and "70%" in answer.answer
    assert len(answer.citations) >= 2


def test_without_complements_only_one_year_is_answered(fast_assistant):
    with tuning.neutral("complement_gain"), tuning.neutral("complement_year_gain"):
        answer = fast_assistant.ask("Đồng Nai đặt mục tiêu tỷ lệ doanh nghiệp nhỏ và vừa sử dụng nền tảng số năm 2025 và năm 2030 là bao nhiêu?")
    assert ("50%" in answer.answer) != ("70%" in answer.answer)


def test_a_single_question_stays_a_single_clause(fast_assistant):
    answer = fast_assistant.ask("Mục tiêu tỷ lệ hộ gia đình có Internet cáp quang của Hải Dương năm 2022?")
    assert len({c.quote for c in answer.citations}) == 1
