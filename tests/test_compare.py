"""Pins cross-plan answers: one answer per named province, each cited, and a plain statement when
a plan sets no such target."""

from __future__ import annotations

import pytest

from assistant.answer.cross_plan import inner_intent, side_question
from assistant.retrieve.plan_naming import province_years
from assistant.retrieve.analysis import understand

DN = "dong-nai-kh-198-2022"
HCM = "tp-ho-chi-minh-kh-411-2023"
HD = "hai-duong-kh-780-2022"
BRVT = "ba-ria-vung-tau-kh-cds-2024"


def ask(assistant, question: str):
    return assistant.ask(question, mode="bm25")


def test_a_comparison_answers_each_province_with_its_own_citation(fast_assistant):
    answer = ask(fast_assistant, "So sánh tỷ lệ hộ gia đình có Internet cáp quang năm 2025 giữa Đồng Nai và TP.HCM")
    assert not answer.refused
    assert answer.answer.startswith("Đồng Nai: ")
    assert "trên 80%" in answer.answer and "Thành phố Hồ Chí Minh: " in answer.answer and "90%" in answer.answer
    assert [c.doc_id for c in answer.citations] == [DN, HCM]
    assert len(answer.answer) <= 300


def test_which_is_higher_is_said_when_asked(fast_assistant):
    answer = ask(fast_assistant, "Năm 2025 tỷ lệ dân số trưởng thành có điện thoại thông minh của Đồng Nai hay TP.HCM cao hơn?")
    assert "80%" in answer.answer and "85%" in answer.answer
    assert answer.answer.endswith("→ Thành phố Hồ Chí Minh cao hơn.")


def test_a_plan_without_the_target_is_said_to_set_none(fast_assistant):
    answer = ask(fast_assistant, "Cả Hải Dương và Bà Rịa - Vũng Tàu đặt mục tiêu tỷ lệ hóa đơn điện tử là bao nhiêu?")
    assert "Hải Dương: Tỷ lệ hóa đơn điện tử đạt 100%." in answer.answer
    assert "kế hoạch của Bà Rịa - Vũng Tàu không nêu chỉ tiêu này" in answer.answer
    assert {c.doc_id for c in answer.citations} == {HD}


def test_each_side_keeps_its_own_year(fast_assistant):
    answer = ask(fast_assistant, "Tỷ lệ hộ gia đình có Internet cáp quang: Hải Dương năm 2022 và TP.HCM năm 2025 đặt bao nhiêu?")
    assert "75%" in answer.answer and "90%" in answer.answer
    assert {c.doc_id for c in answer.citations} == {HD, HCM}


def test_agencies_are_compared_side_by_side(fast_assistant):
    answer = ask(fast_assistant, "Ai ký kế hoạch của Hải Dương và quyết định của Phú Yên?")
    assert "Nguyễn Minh Hùng" in answer.answer and "Phan Đình Phùng" in answer.answer


def test_contexts_interleave_both_plans(fast_assistant):
    answer = ask(fast_assistant, "So sánh tỷ lệ doanh nghiệp nhỏ và vừa dùng nền tảng số năm 2025 giữa Đồng Nai và TP.HCM")
    docs = [h.chunk.doc_id for h in answer.contexts]
    assert len(docs) >= 10
    assert set(docs[:2]) == {DN, HCM}


@pytest.mark.parametrize(
    ("question", "keep", "expected"),
    [
        ("So sánh tỷ lệ X của Đồng Nai và TP.HCM", "Đồng Nai", "tỷ lệ X của Đồng Nai"),
        ("Tỉnh nào đặt mục tiêu Y cao hơn: Đồng Nai hay Phú Yên?", "Phú Yên", "đặt mục tiêu Y: Phú Yên?"),
    ],
)
def test_each_side_is_asked_without_the_other_place_and_the_comparison_words(question, keep, expected):
    assert side_question(question, keep) == expected


@pytest.mark.parametrize(
    ("question", "wants"),
    [
        ("Đồng Nai và TPHCM giao cho ai chủ trì hỗ trợ bệnh viện thanh toán không dùng tiền mặt?", "agency"),
        ("So sánh tỷ trọng kinh tế số của Đồng Nai và Phú Yên", "number"),
        ("Kế hoạch của Đồng Nai và Hải Dương do ai ký?", "meta"),
    ],
)
def test_each_side_is_asked_for_what_the_comparison_asks(question, wants):
    assert inner_intent(question) == wants


def test_years_written_next_to_a_province_belong_to_it():
    years = province_years(understand("Đồng Nai (năm 2025) và Hải Dương (năm 2022) đạt bao nhiêu?"))
    assert years == {"Đồng Nai": [2025], "Hải Dương": [2022]}


def test_a_year_that_names_a_side_s_plan_asks_for_no_year():
    """"TP.HCM (KH kinh tế số 2023) với Đồng Nai (KH 2022)": the years say which plans, whose targets
    are for 2025 — neither side is held to a clause dated 2023 or 2022."""
    from assistant.retrieve.plan_naming import plan_words_of

    words = plan_words_of(["Kế hoạch triển khai Chiến lược quốc gia phát triển kinh tế số và xã hội số",
                           "Kế hoạch phát triển kinh tế số và xã hội số tỉnh Đồng Nai"])
    info = understand("Tỷ lệ hộ có cáp quang: TP.HCM (KH kinh tế số 2023) với Đồng Nai (kế hoạch kinh tế số 2022), mỗi bên bao nhiêu?")
    assert province_years(info, words) == {"Thành phố Hồ Chí Minh": [], "Đồng Nai": []}
    info = understand("Tỷ lệ hộ có cáp quang: TP.HCM (năm 2025) với Đồng Nai (năm 2030), mỗi bên bao nhiêu?")
    assert province_years(info, words) == {"Thành phố Hồ Chí Minh": [2025], "Đồng Nai": [2030]}


def test_a_year_written_before_its_province_belongs_to_that_province():
    """"KH chuyển đổi số 2024 của Lạng Sơn và kế hoạch chuyển đổi số 2022 của Cao Bằng": each year names
    the plan of the province right after it, so neither side asks for a year."""
    from assistant.retrieve.plan_naming import plan_words_of

    words = plan_words_of(["Kế hoạch chuyển đổi số tỉnh Lạng Sơn", "Kế hoạch chuyển đổi số tỉnh Cao Bằng"])
    info = understand("Tỷ lệ hộ có cáp quang: KH chuyển đổi số 2024 của Lạng Sơn và kế hoạch chuyển đổi số 2022 "
                      "của Cao Bằng mỗi bên bao nhiêu?")
    assert province_years(info, words) == {"Lạng Sơn": [], "Cao Bằng": []}


@pytest.mark.xfail(strict=True, reason="Phú Yên's side answers a neighbouring target; known limit")
def test_which_province_is_answered_over_all_plans(fast_assistant):
    answer = ask(fast_assistant, "Tỉnh nào đặt mục tiêu tỷ trọng kinh tế số cao nhất năm 2025?")
    assert "Thành phố Hồ Chí Minh: " in answer.answer and "25% GRDP" in answer.answer
    assert "Đồng Nai: " in answer.answer and "20% GDP" in answer.answer
    assert "không nêu chỉ tiêu này" in answer.answer  # the plans without a 2025 target say so in one line
    assert answer.answer.endswith("→ Thành phố Hồ Chí Minh cao nhất.")
    assert {c.doc_id for c in answer.citations} == {DN, HCM}


def test_a_province_without_a_plan_is_named_beside_those_answered(fast_assistant):
    answer = ask(fast_assistant, "So sánh tỷ trọng kinh tế số năm 2025 của Đồng Nai, TP.HCM và Nghệ An")
    assert "20% GDP" in answer.answer and "25% GRDP" in answer.answer
    assert "Nghệ An: kho văn bản chưa có kế hoạch của Nghệ An." in answer.answer


# --- which sides of a comparison say "kế hoạch X không nêu" ----------------------------------------

class _Judge:
    """An answerer whose refusal model refuses when the probability feature is low."""

    bundle = None

    def judge(self, values):
        from assistant.answer.refusal import Verdict

        return Verdict(values["p"] < 0.5)


def _sides(*supports, strongest_p=0.9):
    from assistant.answer.cross_plan import Side
    from assistant.answer.extractive import Drafted

    top = max(supports)
    return [Side(f"P{i}", Drafted(f"đáp án {i}", False, []), [], s, {"p": strongest_p if s == top else 0.0})
            for i, s in enumerate(supports)]


def test_a_side_stands_when_its_clause_is_about_as_close_as_the_strongest(monkeypatch):
    from assistant.answer import cross_plan

    monkeypatch.setattr(cross_plan, "refusal_text", lambda bundle: "không tìm thấy")
    sides = _sides(0.8, 0.5, 0.2)
    cross_plan._judge_sides(_Judge(), sides)
    assert [s.drafted.refused for s in sides] == [False, False, True]  # judged together, not each alone


def test_every_side_is_refused_when_even_the_strongest_is_not_an_answer(monkeypatch):
    from assistant.answer import cross_plan

    monkeypatch.setattr(cross_plan, "refusal_text", lambda bundle: "không tìm thấy")
    sides = _sides(0.8, 0.7, strongest_p=0.1)
    cross_plan._judge_sides(_Judge(), sides)
    assert all(s.drafted.refused for s in sides)


LANG_SON = """ỦY BAN NHÂN DÂN
TỈNH LẠNG SƠN
Số: 31/KH-UBND
KẾ HOẠCH
Chuyển đổi số tỉnh Lạng Sơn năm 2024
I. MỤC TIÊU
- Tỷ lệ hộ gia đình có Internet cáp quang đạt 88% vào năm 2025.
"""
CAO_BANG = """ỦY BAN NHÂN DÂN
TỈNH CAO BẰNG
Số: 12/KH-UBND
KẾ HOẠCH
Chuyển đổi số tỉnh Cao Bằng năm 2022
I. MỤC TIÊU
- Tỷ lệ hộ gia đình có Internet cáp quang đạt 67% vào năm 2025.
"""


def test_a_year_that_only_names_one_side_s_plan_holds_no_side_to_it(tmp_path, fake_embedder):
    """"… của Cao Bằng và Lạng Sơn (KH CĐS 2024)": 2024 says which plan; neither side is held to a
    clause dated 2024, so Cao Bằng's target is not reported as missing."""
    from corpus_docs import assistant_with_plans

    assistant = assistant_with_plans(tmp_path, fake_embedder, {"lang-son-kh-31-2024": LANG_SON,
                                                              "cao-bang-kh-12-2022": CAO_BANG})
    answer = assistant.ask("So sánh tỷ lệ hộ gia đình có internet cáp quang của Cao Bằng và Lạng Sơn (KH CĐS 2024)?")
    assert "67%" in answer.answer and "88%" in answer.answer, answer.answer
