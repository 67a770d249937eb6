"""A list asked for whole is answered whole: the bullets of a section whose title the question names
(the title need not end in ":"), and the "; "-items that a clause's colon opens even when the question's
words sit in the clause's intro, and every sentence of the one bullet a list is asked of. A question
about one bullet still gets that bullet alone.
Pinned on a plan outside the shipped corpus (Quảng Bình, written here).
"""

from __future__ import annotations

import pytest
from corpus_docs import assistant_with_plans

PLAN = """ỦY BAN NHÂN DÂN
TỈNH QUẢNG BÌNH
Số: 57/KH-UBND
Quảng Bình, ngày 14 tháng 4 năm 2025
KẾ HOẠCH
Chuyển đổi số tỉnh Quảng Bình năm 2025
Căn cứ Quyết định số 749/QĐ-TTg ngày 03/6/2020 của Thủ tướng Chính phủ; Ủy ban nhân dân tỉnh ban hành Kế hoạch như sau:
I. THỰC TRẠNG
1. Chính quyền điện tử
Tỉnh đã triển khai đồng bộ ở 3 cấp (tỉnh, huyện, xã) đến 100% cơ quan, đơn vị: gửi, nhận văn bản điện tử qua hệ thống quản lý văn bản và điều hành, trục liên thông văn bản của tỉnh; ký số trên thiết bị di động cho lãnh đạo các cấp; hệ thống thư công vụ của tỉnh; phần mềm một cửa điện tử liên thông; hệ thống họp trực tuyến đến trụ sở Ủy ban nhân dân cấp xã.
II. NHIỆM VỤ
1. Phát triển nền tảng số
a) Nền tảng bản đồ số dùng chung
- Xây dựng lớp dữ liệu nền địa hình, ranh giới hành chính đến cấp xã.
- Tích hợp bản đồ các điểm du lịch hang động Phong Nha - Kẻ Bàng với thông tin thuyết minh tự động.
- Cung cấp dịch vụ tra cứu vị trí cơ sở lưu trú cho du khách trên điện thoại.
b) Nền tảng giám sát rừng
- Lắp đặt 40 trạm quan trắc cảnh báo cháy rừng tại các huyện miền núi phía Tây.
- Kết nối dữ liệu ảnh vệ tinh theo dõi biến động rừng hằng tháng.
2. Dữ liệu số
- Công khai danh mục dữ liệu mở của các sở, ngành trên Cổng dữ liệu của tỉnh. Rà soát, cập nhật danh mục cơ sở dữ liệu dùng chung của tỉnh.
- Tổ chức tập huấn khai thác dữ liệu cho cán bộ cấp xã.
"""


@pytest.fixture(scope="module")
def quang_binh(tmp_path_factory, fake_embedder):
    return assistant_with_plans(tmp_path_factory.mktemp("quangbinh"), fake_embedder, {"quang-binh-kh-57-2025": PLAN})


def test_a_titled_section_asked_for_whole_lists_every_bullet(quang_binh):
    """The lettered title has no colon; the question names it and asks for its whole content."""
    answer = quang_binh.ask("Nền tảng bản đồ số dùng chung của Quảng Bình gồm những việc gì, kể hết giúp mình")
    for item in ("ranh giới hành chính", "Phong Nha - Kẻ Bàng", "cơ sở lưu trú"):
        assert item in answer.answer, answer.answer
    assert "trạm quan trắc" not in answer.answer  # the next section's bullets


def test_one_bullet_asked_about_is_answered_alone(quang_binh):
    answer = quang_binh.ask("Quảng Bình sẽ lắp bao nhiêu trạm quan trắc cảnh báo cháy rừng ở miền núi?")
    assert "40 trạm" in answer.answer, answer.answer
    assert "ảnh vệ tinh" not in answer.answer


def test_items_a_colon_opens_are_listed_when_the_question_names_its_intro(quang_binh):
    """The clause is longer than an answer; the question's words are in its intro (3 cấp, 100% cơ
    quan), not in any one item, so every "; "-item after the colon is the list asked for."""
    answer = quang_binh.ask("o Quang Binh nhung cong cu nao da duoc trien khai dong bo o ca 3 cap tinh huyen xa?")
    for item in ("quản lý văn bản", "ký số trên thiết bị di động", "thư công vụ", "họp trực tuyến"):
        assert item in answer.answer, answer.answer


def test_a_list_asked_of_one_bullet_gets_all_its_sentences(quang_binh):
    """The bullet's two sentences each name one of the lists asked about: both are the answer."""
    answer = quang_binh.ask("Về dữ liệu số, Quảng Bình sẽ công khai hay rà soát những danh mục nào?")
    assert "dữ liệu mở" in answer.answer and "cơ sở dữ liệu dùng chung" in answer.answer, answer.answer
    assert "tập huấn" not in answer.answer
