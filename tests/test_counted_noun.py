""""Bao nhiêu camera / cảm biến / cán bộ" is answered only by a clause whose figure counts that noun: a
number right before it ("612 camera"), a little after it ("camera … đạt 612"), a fraction ("18/25 xã")
or a head count in "người". A clause that merely names the noun next to a figure of something else
("kết nối 06 hệ thống thông tin … và hệ thống camera") holds no such count, and the question is refused.
And a target asked for a year ("đến 2026 … đặt mục tiêu bao nhiêu trạm") is not answered by a count
reported at an earlier date ("Đến ngày 31/12/2025, toàn tỉnh có 1.230 trạm BTS").
Pinned on a plan outside the shipped corpus (an Điện Biên plan, written here).
"""

from __future__ import annotations

import pytest
from corpus_docs import assistant_with_plans

from assistant import tuning
from assistant.answer.profile import content_text, quantity_ok
from assistant.retrieve.analysis import analyze

PLAN = """ỦY BAN NHÂN DÂN
TỈNH ĐIỆN BIÊN
Số: 77/KH-UBND
Điện Biên, ngày 12 tháng 3 năm 2026
KẾ HOẠCH
Chuyển đổi số tỉnh Điện Biên năm 2026
I. THỰC TRẠNG
1. Hạ tầng
Trung tâm giám sát, điều hành thông minh của tỉnh đã kết nối 06 hệ thống thông tin chuyên ngành và hệ thống camera giám sát giao thông tại thành phố Điện Biên Phủ.
Đến ngày 31/12/2025, toàn tỉnh có 1.230 trạm BTS, trong đó 1.100 trạm có công nghệ 4G.
2. Nhân lực
Đội ngũ cán bộ chuyên trách công nghệ thông tin trong các cơ quan nhà nước của tỉnh là 58 người, trong đó cấp tỉnh 40 người.
II. MỤC TIÊU NĂM 2026
- 18 xã, phường có Tổ công nghệ số cộng đồng hoạt động thường xuyên.
- Mạng cảm biến quan trắc môi trường tại khu vực lòng chảo Mường Thanh đạt 35 điểm đo.
III. TỔ CHỨC THỰC HIỆN
Sở Khoa học và Công nghệ chủ trì theo dõi, đôn đốc thực hiện Kế hoạch.
"""


@pytest.fixture(scope="module")
def dien_bien(tmp_path_factory, fake_embedder):
    return assistant_with_plans(tmp_path_factory.mktemp("dienbien_counts"), fake_embedder, {"dien-bien-kh-77-2026": PLAN})


@pytest.mark.parametrize(("text", "held"), [
    ("Đã kết nối 612 camera giám sát.", True),
    ("Hệ thống camera giám sát giao thông đạt 612 điểm.", True),
    ("Kết nối 06 hệ thống thông tin chuyên ngành, cơ sở dữ liệu dùng chung của các sở và hệ thống camera giám sát.", False),
])
def test_a_count_of_the_noun_sits_by_the_noun(text, held):
    assert quantity_ok(text, "noun:camera") is held
    assert quantity_ok("Đã có 138/261 sản phẩm OCOP lên sàn.", "noun:san")  # a fraction counts too
    assert not quantity_ok("Mở rộng trạm phát sóng 5G tại các xã.", "noun:tram")  # "5G" counts nothing
    with tuning.neutral("count_noun_window"):  # without the idea: any figure of the clause
        assert quantity_ok(text, "noun:camera")


@pytest.mark.parametrize(("question", "figure"), [
    ("Điện Biên có bao nhiêu cán bộ chuyên trách CNTT trong cơ quan nhà nước theo KH CĐS 2026?", "58"),
    ("KH chuyển đổi số 2026 của Điện Biên: bao nhiêu xã có tổ công nghệ số cộng đồng hoạt động?", "18 xã"),
])
def test_a_count_of_the_asked_noun_is_answered(dien_bien, question, figure):
    answer = dien_bien.ask(question)
    assert not answer.refused and figure in answer.answer, answer.answer


def test_a_figure_of_something_else_beside_the_noun_is_no_count_of_it(dien_bien):
    answer = dien_bien.ask("Trung tâm điều hành thông minh của Điện Biên hiện kết nối bao nhiêu camera giám sát?")
    assert answer.refused, answer.answer


@pytest.mark.parametrize(("question", "gone", "kept"), [
    ("Nhà mạng xây trạm ở xã đảo được hỗ trợ tối đa bao nhiêu tiền một trạm?", "một trạm", "trạm"),
    ("toi da bao nhieu 1 nam cho moi DN?", "1 nam", "nam"),
    ("Bao nhiêu xã có bộ phận một cửa hiện đại?", "", "một cửa"),  # a name, not "per"
])
def test_one_x_after_a_figure_asked_is_per_x(question, gone, kept):
    # the plans write "đồng/trạm", "mỗi năm": "một trạm" is no word the clause must hold
    content = content_text(analyze(question))
    assert (not gone or gone not in content) and kept in content, content


def test_a_count_reported_at_an_earlier_date_is_no_target(dien_bien):
    target = dien_bien.ask("KH CĐS Điện Biên đặt mục tiêu đến năm 2026 có bao nhiêu trạm BTS 5G?")
    assert target.refused, target.answer
    now = dien_bien.ask("Hiện nay Điện Biên có bao nhiêu trạm BTS theo KH CĐS 2026?")
    assert not now.refused and "1.230" in now.answer, now.answer
