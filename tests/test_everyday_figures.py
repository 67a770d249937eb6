"""Figures asked in everyday words are answered, not refused: a loanword typed with a letter missing
("smarphone"), a figure asked roughly or in total ("khoảng", "ước tính", "tính gộp tất cả"), a month
of a year ("tới tháng 6/2025") for a clause reporting how things stood then, and a remark after the
question that merely mentions a "nhà máy" (no "mấy": it asks nothing). Pinned on a plan outside the
shipped corpus (Vĩnh Long, written here).
"""

from __future__ import annotations

import pytest
from corpus_docs import assistant_with_plans

from assistant.answer.units import dated_years
from assistant.retrieve.plan_naming import aside_tokens, asks
from assistant.vi.spelling import Speller

PLAN = """ỦY BAN NHÂN DÂN
TỈNH VĨNH LONG
Số: 91/KH-UBND
Vĩnh Long, ngày 12 tháng 4 năm 2025
KẾ HOẠCH
Phát triển kinh tế số tỉnh Vĩnh Long đến năm 2030
I. THỰC TRẠNG
1. Hạ tầng số
Các doanh nghiệp viễn thông đã triển khai mạng 5G từ cuối năm 2024, đến tháng 6/2025 có khoảng 520 trạm phát sóng 5G, tập trung tại thành phố Vĩnh Long và các khu công nghiệp.
2. Công nghiệp điện tử
Giá trị sản xuất nhóm ngành điện tử năm 2024 ước đạt 8.300 tỷ đồng, gấp 3 lần năm 2021.
II. MỤC TIÊU ĐẾN NĂM 2030
- Tỷ lệ dân số trưởng thành có điện thoại thông minh đạt 95%.
- Tỷ lệ hộ gia đình có Internet cáp quang đạt 90%.
- Tỷ trọng kinh tế số trong GRDP đạt 20%.
III. KINH PHÍ
Tổng kinh phí dự kiến thực hiện Kế hoạch giai đoạn 2025 - 2030 khoảng 1.250 tỷ đồng, trong đó ngân sách nhà nước khoảng 310 tỷ đồng.
IV. TỔ CHỨC THỰC HIỆN
Sở Khoa học và Công nghệ chủ trì theo dõi, tổng hợp kết quả thực hiện Kế hoạch.
"""


@pytest.fixture(scope="module")
def vinh_long(tmp_path_factory, fake_embedder):
    return assistant_with_plans(tmp_path_factory.mktemp("vinhlong"), fake_embedder, {"vinh-long-kh-91-2025": PLAN})


@pytest.mark.parametrize(("question", "figure"), [
    ("Vĩnh Long đặt mục tiêu đến 2030 bao nhiêu % người trưởng thành có smarphone?", "95%"),
    ("Tổng kinh phí thực hiện kế hoạch kinh tế số Vĩnh Long ước tính là bao nhiêu, tính gộp tất cả các nguồn?", "1.250 tỷ"),
    ("Vĩnh Long tới tháng 6/2025 có khoảng bao nhiêu trạm 5G rồi?", "520"),
    ("Giá trị sản xuất ngành điện tử của Vĩnh Long năm 2024 ước đạt bao nhiêu? Mình thấy giờ nhiều nhà máy FDI trong KCN làm điện tử lắm.", "8.300 tỷ"),
])
def test_a_figure_asked_in_everyday_words_is_answered(vinh_long, question, figure):
    answer = vinh_long.ask(question)
    assert not answer.refused and figure in answer.answer, answer.answer


def test_a_long_loanword_one_letter_off_is_read_as_the_term_lists_word():
    speller = Speller(["Tỷ lệ dân số trưởng thành có điện thoại thông minh đạt 95%."])
    assert speller.correct("bao nhiêu % người dân có smarphone") == "bao nhiêu % người dân có smartphone"
    assert speller.correct("có smarfone không") == "có smarfone không"  # two letters off: left as typed


def test_a_remark_naming_a_factory_asks_nothing():
    assert not asks("Mình thấy giờ nhiều nhà máy FDI trong KCN làm điện tử lắm.")
    assert asks("Có mấy nhà máy?") and asks("co may nha may")
    aside = aside_tokens("Giá trị sản xuất ngành điện tử ước đạt bao nhiêu? Mình thấy nhiều nhà máy FDI lắm.")
    assert {"fdi", "nha_may"} <= aside


def test_a_month_or_quarter_of_a_year_dates_the_clause():
    assert dated_years("đến tháng 6/2025 có khoảng 520 trạm") == {2025}
    assert dated_years("hoàn thành trước quý IV/2026") == {2026}
    assert dated_years("Kế hoạch số 6/2025") == frozenset()  # a bare number/year is no date


def test_rough_and_total_wordings_of_a_figure_are_cues_not_topic():
    from assistant.answer.profile import cue_syllables

    said = cue_syllables("Tổng kinh phí ước tính là bao nhiêu, tính gộp tất cả các nguồn, khoảng bao nhiêu?")
    assert {"uoc", "gop", "tat", "ca", "khoang"} <= said
    assert "nguon" not in said and "phi" not in said


def test_a_reason_typed_after_the_question_is_no_topic_but_a_sentence_before_it_is():
    from assistant.retrieve.plan_naming import trailing_aside_tokens

    after = trailing_aside_tokens("Tỉnh hỗ trợ bao nhiêu tiền mỗi tháng? Mình cần số liệu để viết báo cáo môn học.")
    assert {"bao_cao", "mon_hoc"} <= after and "thang" not in after
    assert trailing_aside_tokens("Kế hoạch có nói lập trung tâm dữ liệu. Cơ quan nào chủ trì?") == frozenset()
