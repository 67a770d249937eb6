"""Pins follow-up questions: with `history`, an elliptical question inherits the province, year
and topic of the conversation, and retrieval runs on the rewritten standalone question."""

from __future__ import annotations

from assistant.retrieve.followup import resolve
from assistant.retrieve.analysis import understand

TARGET_2025 = ("Đồng Nai đặt mục tiêu tỷ lệ nhân lực lao động kinh tế số trong lực lượng lao động đạt bao nhiêu "
               "vào năm 2025?")


def ask(assistant, question: str, history: list[str]):
    return assistant.ask(question, mode="bm25", history=history)


def test_another_year_inherits_the_province_and_topic(fast_assistant):
    answer = ask(fast_assistant, "Còn năm 2030 thì sao?", [TARGET_2025])
    assert "3%" in answer.answer and "2%" not in answer.answer
    assert answer.citations[0].label.endswith("mục II.1.b")


def test_who_is_responsible_for_that_inherits_the_topic(fast_assistant):
    answer = ask(fast_assistant, "Ai chịu trách nhiệm việc đó?", ["Đồng Nai triển khai Nền tảng hóa đơn điện tử như thế nào?"])
    assert answer.answer.startswith("Cục Thuế tỉnh")


def test_another_province_keeps_the_topic(fast_assistant):
    answer = ask(fast_assistant, "Còn Hải Dương thì sao?",
                 ["Tỷ lệ doanh nghiệp sử dụng hợp đồng điện tử của TP.HCM là bao nhiêu?"])
    assert "50%" in answer.answer
    assert answer.citations[0].doc_id == "hai-duong-kh-780-2022"


def test_a_chain_of_follow_ups_keeps_the_first_province(fast_assistant):
    history = [TARGET_2025, "Còn năm 2030 thì sao?"]
    info = resolve("Thế còn tỷ lệ doanh nghiệp nhỏ và vừa sử dụng nền tảng số?", history, understand)
    assert info.provinces == ["Đồng Nai"] and info.years == [2030]
    answer = ask(fast_assistant, "Thế còn tỷ lệ doanh nghiệp nhỏ và vừa sử dụng nền tảng số?", history)
    assert "trên 70%" in answer.answer


def test_the_search_runs_on_the_standalone_question(fast_assistant):
    retrieval = fast_assistant.search("Còn năm 2030 thì sao?", k=10, mode="bm25", history=[TARGET_2025])
    assert retrieval.info.text == ("Đồng Nai đặt mục tiêu tỷ lệ nhân lực lao động kinh tế số trong lực lượng lao động "
                                   "đạt bao nhiêu vào năm 2030?")
    assert retrieval.hits[0].chunk.doc_id == "dong-nai-kh-198-2022"


def test_a_question_that_stands_alone_ignores_the_history(fast_assistant):
    answer = ask(fast_assistant, "Ai ký quyết định 1728 của Phú Yên?", [TARGET_2025])
    assert "Phan Đình Phùng" in answer.answer


def test_without_history_the_question_is_read_as_it_is():
    assert resolve("Còn năm 2030 thì sao?", None, understand) == understand("Còn năm 2030 thì sao?")
