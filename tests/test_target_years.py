"""A target asked for one year is answered by that year's target when a plan sets the same indicator for
two years: the clause is dated by its nearest heading that names a year ("2.2. Định hướng đến năm
2030"), not by every year its headings mention ("2. MỤC TIÊU GIAI ĐOẠN 2026-2028, TẦM NHÌN 2030"); and
"đề án … giai đoạn 2026-2028, tầm nhìn 2030" names the plan, so only "đến 2028" says the year asked.
Pinned on a plan outside the shipped corpus (Điện Biên, written here)."""

from __future__ import annotations

import pytest
from corpus_docs import assistant_with_plans

from assistant.retrieve.analysis import understand
from assistant.retrieve.plan_naming import asked_years, plan_words_of

TITLE = "Đề án chuyển đổi số tỉnh Điện Biên giai đoạn 2026 - 2028, tầm nhìn đến năm 2030"
PLAN = f"""ỦY BAN NHÂN DÂN
TỈNH ĐIỆN BIÊN
Số: 1204/QĐ-UBND
Điện Biên, ngày 6 tháng 2 năm 2026
QUYẾT ĐỊNH
Phê duyệt {TITLE}
I. SỰ CẦN THIẾT
Chuyển đổi số giúp rút ngắn khoảng cách giữa vùng cao và đô thị.
II. MỤC TIÊU GIAI ĐOẠN 2026 - 2028, TẦM NHÌN ĐẾN NĂM 2030
1. Mục tiêu đến năm 2028
- 85% hồ sơ công việc tại cấp xã được xử lý trên môi trường mạng.
- 70% hộ gia đình có đường Internet cáp quang.
2. Định hướng đến năm 2030
- 100% hồ sơ công việc tại cấp xã được xử lý trên môi trường mạng.
- 95% hộ gia đình có đường Internet cáp quang.
III. TỔ CHỨC THỰC HIỆN
Sở Khoa học và Công nghệ chủ trì theo dõi, tổng hợp.
"""


@pytest.fixture(scope="module")
def dien_bien(tmp_path_factory, fake_embedder):
    return assistant_with_plans(tmp_path_factory.mktemp("dienbien"), fake_embedder, {"dien-bien-qd-1204-2026": PLAN})


def test_the_vision_year_of_a_plan_s_name_is_no_year_asked():
    question = ("Đề án CĐS của Điện Biên giai đoạn 2026-2028, tầm nhìn 2030 đặt mục tiêu đến 2028 cấp xã xử lý "
                "hồ sơ online bao nhiêu %?")
    assert asked_years(understand(question), plan_words_of([TITLE])) == [2028]
    # … also when the plan's own title stops at its period (users add the vision year themselves)
    assert asked_years(understand(question), plan_words_of(["Đề án chuyển đổi số tỉnh Điện Biên giai đoạn 2026 - 2028"])) == [2028]
    assert asked_years(understand("Tầm nhìn đến 2030 của đề án chuyển đổi số Điện Biên là gì?"),
                       plan_words_of([TITLE])) == [2030]  # a vision asked for is a year asked


@pytest.mark.parametrize(("question", "figure", "other"), [
    ("Đề án CĐS Điện Biên giai đoạn 2026-2028, tầm nhìn 2030 đặt mục tiêu đến 2028 cấp xã xử lý hồ sơ công việc "
     "trên môi trường mạng bao nhiêu %?", "85%", "100%"),
    ("Tới năm 2030 thì Điện Biên muốn mấy phần trăm số hộ dùng cáp quang?", "95%", "70%"),
])
def test_a_target_is_the_one_of_the_year_asked(dien_bien, question, figure, other):
    answer = dien_bien.ask(question)
    assert not answer.refused and figure in answer.answer and other not in answer.answer, answer.answer


def test_a_clause_is_dated_by_its_nearest_heading_that_names_a_year():
    from assistant.answer.units import units_of
    from assistant.records import Chunk, Hit

    text = "- 100% hồ sơ công việc tại cấp xã được xử lý trên môi trường mạng."
    chunk = Chunk(chunk_id="d#0003", doc_id="d", text=text, label="QĐ d, mục II.2", start=0, end=len(text),
                  heading_path=["II. MỤC TIÊU GIAI ĐOẠN 2026 - 2028, TẦM NHÌN ĐẾN NĂM 2030", "2. Định hướng đến năm 2030"])
    (unit,) = units_of(Hit(chunk, 1.0), 0, {2026})
    assert unit.years == {2030}  # not the 2026-2028 of the part's own heading


def test_a_plan_called_ct_and_the_end_of_its_period():
    words = plan_words_of([TITLE])
    # "CT" is how people shorten "chương trình": its year names the plan, it asks for no target
    assert asked_years(understand("CT CĐS Điện Biên 2026 đặt mục tiêu cấp xã xử lý hồ sơ online mức bao nhiêu %?"),
                       words) == []
    # "cuối giai đoạn" of the plan named by its period asks for the period's last year
    assert asked_years(understand("Mục tiêu cuối giai đoạn của đề án CĐS Điện Biên 2026-2028 về cáp quang là bao nhiêu?"),
                       words) == [2028]
