"""Who leads a task and by when, said apart from the task itself: on labelled lines under it
("Cơ quan chủ trì: …", "Thời gian hoàn thành: …"), in the annex row repeating it ("Danh mục nhiệm vụ |
Cơ quan chủ trì | Thời gian"), or in a column of an indicator table ("Cơ quan chủ trì theo dõi").
Pinned on a plan outside the shipped corpus (Lào Cai, written here).
"""

from __future__ import annotations

import pytest
from corpus_docs import assistant_with_plans

PLAN = """ỦY BAN NHÂN DÂN
TỈNH LÀO CAI
Số: 33/KH-UBND
Lào Cai, ngày 20 tháng 3 năm 2025
KẾ HOẠCH
Chuyển đổi số tỉnh Lào Cai năm 2025
Căn cứ Quyết định số 749/QĐ-TTg ngày 03/6/2020 của Thủ tướng Chính phủ; Ủy ban nhân dân tỉnh ban hành Kế hoạch như sau:
I. NHIỆM VỤ
1. Chính quyền số
1.1. Nâng cấp cổng tiếp nhận phản ánh hiện trường của tỉnh: i) bổ sung bản đồ vị trí phản ánh; ii) trả lời người dân qua tin nhắn.
Cơ quan chủ trì: Văn phòng Ủy ban nhân dân tỉnh.
Cơ quan phối hợp: Sở Thông tin và Truyền thông.
Thời gian hoàn thành: Quý IV/2025.
1.2. Số hóa sổ hộ tịch lưu trữ tại 152 xã, phường, thị trấn.
Cơ quan chủ trì: Sở Tư pháp.
Thời gian hoàn thành: Quý II/2025.
2. Kinh tế số
- Triển khai Nền tảng truy xuất nguồn gốc chè Bát Xát trong đó hợp tác xã đóng vai trò nòng cốt, người trồng chè tham gia cập nhật nhật ký canh tác.
- Triển khai Nền tảng đặt phòng homestay Sa Pa gắn với bản đồ du lịch số.
II. DANH MỤC NHIỆM VỤ
| TT | Tên nhiệm vụ | Cơ quan chủ trì | Thời gian |
| 1 | Triển khai Nền tảng truy xuất nguồn gốc chè Bát Xát | Sở Nông nghiệp và Phát triển nông thôn | 2025 |
| 2 | Triển khai Nền tảng đặt phòng homestay Sa Pa | Sở Du lịch | 2025 - 2026 |
III. BỘ CHỈ TIÊU
| TT | Chỉ tiêu | Đơn vị tính | Kết quả năm 2024 | Chỉ tiêu năm 2025 | Cơ quan chủ trì theo dõi |
| 1 | Tỷ lệ hồ sơ thủ tục hành chính nộp trực tuyến | % | 58,2 | 70 | Văn phòng UBND tỉnh |
| 2 | Tỷ lệ người dân có hồ sơ sức khỏe điện tử | % | 71,5 | 85 | Sở Y tế |
"""


@pytest.fixture(scope="module")
def lao_cai(tmp_path_factory, fake_embedder):
    return assistant_with_plans(tmp_path_factory.mktemp("laocai"), fake_embedder, {"lao-cai-kh-33-2025": PLAN})


def test_the_lead_agency_line_under_a_task_answers_who(lao_cai):
    answer = lao_cai.ask("Lào Cai: nâng cấp cổng phản ánh hiện trường thì cơ quan nào chủ trì?")
    assert "Cơ quan chủ trì: Văn phòng Ủy ban nhân dân tỉnh" in answer.answer, answer.answer
    assert "Sở Tư pháp" not in answer.answer  # the next task's line


def test_the_deadline_line_under_a_task_answers_when(lao_cai):
    answer = lao_cai.ask("Lào Cai số hóa xong sổ hộ tịch lưu trữ khi nào?")
    assert "Quý II/2025" in answer.answer and "Quý IV/2025" not in answer.answer, answer.answer


def test_a_task_naming_no_one_is_answered_by_its_annex_row(lao_cai):
    """Asked by what only the body says of the task (the growers' farming log), the clause is found;
    who leads it comes from the annex row naming the same task."""
    answer = lao_cai.ask("Lào Cai: nền tảng để người trồng chè cập nhật nhật ký canh tác do sở nào chủ trì?")
    assert answer.answer.startswith("Sở Nông nghiệp và Phát triển nông thôn"), answer.answer
    when = lao_cai.ask("Lào Cai làm nền tảng đặt phòng homestay Sa Pa trong thời gian nào?")
    assert "2025 - 2026" in when.answer, when.answer


def test_a_clause_saying_who_does_what_is_asked_is_not_replaced_by_its_row(lao_cai):
    answer = lao_cai.ask("Trong nền tảng truy xuất chè Bát Xát của Lào Cai, ai đóng vai trò nòng cốt?")
    assert "hợp tác xã" in answer.answer, answer.answer


def test_an_indicator_table_naming_who_follows_each_row_is_read_as_indicators(lao_cai):
    answer = lao_cai.ask("Lào Cai đặt chỉ tiêu bao nhiêu % người dân có hồ sơ sức khỏe điện tử năm 2025?")
    assert "85%" in answer.answer and "% chủ trì" not in answer.answer, answer.answer
