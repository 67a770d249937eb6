"""A city's plan numbered another way: "PHẦN THỨ NHẤT … PHẦN THỨ TƯ" (the title on the next line) →
"1." → "1.1." → "1.1.1.", "•" bullets with "o" under them, a target table with one column per year
followed by prose, and who leads written inside the task's paragraph. Pinned on Hải Phòng, written here.
"""

from __future__ import annotations

import pytest
from corpus_docs import assistant_with_plans

from assistant.ingest.lines import match_marker

PLAN = """ỦY BAN NHÂN DÂN
THÀNH PHỐ HẢI PHÒNG
Số: 305/KH-UBND
Hải Phòng, ngày 12 tháng 12 năm 2024
KẾ HOẠCH
Chuyển đổi số thành phố Hải Phòng giai đoạn 2025 - 2027
Căn cứ Quyết định số 749/QĐ-TTg ngày 03/6/2020 của Thủ tướng Chính phủ; Ủy ban nhân dân thành phố ban hành Kế hoạch với các nội dung sau:
PHẦN THỨ NHẤT
ĐÁNH GIÁ THỰC TRẠNG CHUYỂN ĐỔI SỐ GIAI ĐOẠN 2021 - 2024
1. Kết quả thực hiện
1.1. Về hạ tầng số
1.1.1. Hạ tầng viễn thông
Đến hết năm 2024, thành phố có 4.120 trạm thu phát sóng di động, trong đó 310 trạm 5G; 96% hộ gia đình có cáp quang.
1.1.2. Trung tâm dữ liệu
Trung tâm dữ liệu thành phố đã vận hành với 620 máy chủ ảo, phục vụ 48 hệ thống thông tin.
1.2. Tồn tại, hạn chế
• Tỷ lệ hồ sơ trực tuyến ở cấp xã còn thấp.
• Nhân lực công nghệ thông tin tại các quận, huyện còn thiếu:
o Mỗi quận, huyện bình quân chỉ có 1 công chức chuyên trách.
o Chưa có cơ chế đãi ngộ đặc thù.
PHẦN THỨ HAI
QUAN ĐIỂM, MỤC TIÊU
1. Quan điểm
• Người dân, doanh nghiệp là trung tâm của chuyển đổi số.
• Dữ liệu là tài nguyên, hạ tầng số là nền móng.
2. Mục tiêu cụ thể
STT | Chỉ tiêu | Đơn vị | Năm 2025 | Năm 2026 | Năm 2027 | Cơ quan theo dõi
1 | Chính quyền số | | | | |
1.1 | Tỷ lệ hồ sơ thủ tục hành chính được xử lý trực tuyến | % | 60 | 70 | 80 | Văn phòng UBND thành phố
1.2 | Tỷ lệ người dân có tài khoản định danh điện tử mức 2 | % | 75 | 85 | 95 | Công an thành phố
2 | Kinh tế số | | | | |
2.1 | Tỷ trọng kinh tế số trong GRDP | % | 18 | 21 | 25 | Sở Kế hoạch và Đầu tư
Ngoài các chỉ tiêu trên, đến năm 2027 mỗi phường có ít nhất một điểm hỗ trợ dịch vụ công số.
PHẦN THỨ BA
NHIỆM VỤ, GIẢI PHÁP
1. Phát triển hạ tầng số
1.1. Hạ tầng viễn thông
1.1.1. Phủ sóng 5G
Sở Thông tin và Truyền thông chủ trì, phối hợp với các doanh nghiệp viễn thông phủ sóng 5G tại 100% khu công nghiệp trước tháng 6/2026.
1.1.2. Wifi công cộng
Giao Ủy ban nhân dân các quận, huyện lắp đặt điểm wifi miễn phí tại các bến xe, công viên, hoàn thành trong năm 2025.
PHẦN THỨ TƯ
KINH PHÍ VÀ TỔ CHỨC THỰC HIỆN
1. Kinh phí
Tổng kinh phí dự kiến 1.250 tỷ đồng, trong đó năm 2025 là 380 tỷ đồng, năm 2026 là 420 tỷ đồng, năm 2027 là 450 tỷ đồng.
2. Tổ chức thực hiện
2.1. Sở Thông tin và Truyền thông
• Chủ trì theo dõi, đôn đốc thực hiện Kế hoạch; tổng hợp báo cáo UBND thành phố trước ngày 15 tháng 12 hằng năm.
2.2. Sở Tài chính
• Tham mưu bố trí kinh phí chi thường xuyên hằng năm.
"""


@pytest.fixture(scope="module")
def hai_phong(tmp_path_factory, fake_embedder):
    return assistant_with_plans(tmp_path_factory.mktemp("haiphong"), fake_embedder, {"hai-phong-kh-305-2024": PLAN})


def test_ordinal_parts_and_second_level_bullets_are_markers():
    assert match_marker("PHẦN THỨ NHẤT").kind == "chuong"
    assert match_marker("Phần thứ tư: Tổ chức thực hiện").kind == "chuong"
    assert match_marker("o Chưa có cơ chế đãi ngộ đặc thù.").kind == "bullet"
    assert match_marker("o tô điện") is None  # a lower-case word, not a bullet


def test_each_part_holds_its_numbered_sections(hai_phong):
    paths = {c.text.split("\n")[0]: c.heading_path for c in hai_phong.bundle.chunks if c.doc_id == "hai-phong-kh-305-2024"}
    assert paths["1.1.1. Phủ sóng 5G"][:2] == ["PHẦN THỨ BA NHIỆM VỤ, GIẢI PHÁP", "1. Phát triển hạ tầng số"]
    assert paths["1. Kinh phí"][0] == "PHẦN THỨ TƯ KINH PHÍ VÀ TỔ CHỨC THỰC HIỆN"


def test_second_level_bullets_answer_with_their_bullet(hai_phong):
    answer = hai_phong.ask("Nhân lực CNTT ở các quận huyện Hải Phòng thiếu thế nào, kể ra giúp mình?")
    assert "Mỗi quận, huyện bình quân" in answer.answer and "Chưa có cơ chế" in answer.answer, answer.answer
    assert "::" not in answer.answer and " o " not in answer.answer


def test_a_year_column_of_the_target_table_answers(hai_phong):
    answer = hai_phong.ask("Hải Phòng muốn tới năm 2026 tỉ lệ hồ sơ TTHC được giải quyết online là bao nhiêu %?")
    assert "Năm 2026: 70%" in answer.answer, answer.answer


def test_prose_after_a_table_is_a_clause_of_its_own(hai_phong):
    answer = hai_phong.ask("Hải Phòng có muốn phường nào cũng có điểm hỗ trợ dịch vụ công số vào năm 2027 không?")
    assert answer.answer.startswith("Ngoài các chỉ tiêu trên") and "|" not in answer.answer, answer.answer


def test_the_budget_is_found_in_the_fourth_part(hai_phong):
    answer = hai_phong.ask("Kinh phí tổng cộng Hải Phòng dự kiến cho giai đoạn 2025 - 2027 là bao nhiêu?")
    assert "1.250 tỷ đồng" in answer.answer, answer.answer
    assert answer.citations[0].section.startswith("PHẦN THỨ TƯ")


def test_who_leads_a_task_named_inside_its_paragraph(hai_phong):
    answer = hai_phong.ask("Hải Phòng: đưa 5G vào các khu công nghiệp thì sở nào chủ trì?")
    assert answer.answer.startswith("Sở Thông tin và Truyền thông"), answer.answer


def test_money_asked_in_everyday_words_finds_the_budget(hai_phong):
    """"bao nhiêu tiền" is the lexicon's everyday name for "kinh phí": the word "tiền" alone counts as
    said by a clause under "Kinh phí", not as a word the clause lacks."""
    answer = hai_phong.ask("Hải Phòng dự kiến tổng cộng bao nhiêu tiền cho cả ba năm 2025 - 2027?")
    assert "1.250 tỷ đồng" in answer.answer, answer.answer
