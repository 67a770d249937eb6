"""How many groups a part of the plan has ("phần giải pháp có mấy nhóm?") is read off the plan's outline:
the number of sections right under the heading the question names, with their titles. A question about a
percentage ("bao nhiêu phần trăm") is no such question. Pinned on a plan outside the shipped corpus
(Điện Biên, written here).
"""

from __future__ import annotations

import pytest
from corpus_docs import assistant_with_plans

PLAN = """ỦY BAN NHÂN DÂN
TỈNH ĐIỆN BIÊN
Số: 81/KH-UBND
Điện Biên, ngày 9 tháng 5 năm 2025
KẾ HOẠCH
Chuyển đổi số tỉnh Điện Biên năm 2025
Căn cứ Quyết định số 749/QĐ-TTg ngày 03/6/2020 của Thủ tướng Chính phủ; Ủy ban nhân dân tỉnh ban hành Kế hoạch như sau:
I. MỤC TIÊU
Tỷ lệ hồ sơ giải quyết thủ tục hành chính trực tuyến toàn trình đạt 45%.
II. GIẢI PHÁP THỰC HIỆN
1. Tuyên truyền về chuyển đổi số
Phát sóng chuyên mục chuyển đổi số hằng tuần trên Đài Phát thanh - Truyền hình tỉnh.
2. Đào tạo cán bộ
Mở lớp bồi dưỡng kỹ năng số cho công chức cấp xã tại Trường Chính trị tỉnh.
3. Huy động nguồn lực tài chính
Lồng ghép vốn các chương trình mục tiêu quốc gia cho hạ tầng số vùng cao.
4. Hợp tác với doanh nghiệp
Ký thỏa thuận với doanh nghiệp viễn thông để phủ sóng các bản vùng biên.
III. TỔ CHỨC THỰC HIỆN
1. Sở Khoa học và Công nghệ
Theo dõi, tổng hợp kết quả thực hiện Kế hoạch.
2. Sở Tài chính
Bố trí kinh phí thực hiện Kế hoạch.
"""


@pytest.fixture(scope="module")
def dien_bien(tmp_path_factory, fake_embedder):
    return assistant_with_plans(tmp_path_factory.mktemp("dienbien"), fake_embedder, {"dien-bien-kh-81-2025": PLAN})


def test_how_many_groups_a_part_has_is_counted_from_the_outline(dien_bien):
    answer = dien_bien.ask("KH chuyển đổi số 2025 Điện Biên, phần giải pháp thực hiện có mấy nhóm?")
    assert not answer.refused, answer.answer
    assert "gồm 4 mục" in answer.answer, answer.answer
    assert "Hợp tác với doanh nghiệp" in answer.answer
    assert answer.citations and "II" in answer.citations[0].section


def test_the_counted_heading_is_the_one_named_not_a_deeper_one(dien_bien):
    answer = dien_bien.ask("dien bien: muc to chuc thuc hien co bao nhieu muc?")
    assert "gồm 2 mục" in answer.answer, answer.answer


def test_a_percentage_is_not_a_count_of_parts(dien_bien):
    answer = dien_bien.ask("Điện Biên đặt mục tiêu bao nhiêu phần trăm hồ sơ được giải quyết trực tuyến toàn trình?")
    assert "45%" in answer.answer, answer.answer
    assert "gồm" not in answer.answer
