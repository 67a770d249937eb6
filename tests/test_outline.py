"""A Đề án approved inside Điều 1 of a decision, numbered 1. → 1.1. → 2.2.1. with "3.1. Nhiệm vụ 1: …"
task labels — a numbering habit none of the shipped plans has. Written here (a province the corpus
does not hold), so the behaviour is pinned on structure: the tasks asked for as a list come as the
titles of the sections under "Nhiệm vụ, giải pháp"; a task's own clause still answers about it.
"""

from __future__ import annotations

import pytest
from corpus_docs import assistant_with_plans

PLAN = """ỦY BAN NHÂN DÂN
TỈNH TRÀ VINH
Số: 900/QĐ-UBND
Trà Vinh, ngày 12 tháng 5 năm 2022
QUYẾT ĐỊNH
Phê duyệt Đề án chuyển đổi số tỉnh Trà Vinh giai đoạn 2022 - 2025, định hướng đến năm 2030
CHỦ TỊCH ỦY BAN NHÂN DÂN TỈNH TRÀ VINH
Căn cứ Quyết định số 749/QĐ-TTg ngày 03 tháng 6 năm 2020 của Thủ tướng Chính phủ;
Theo đề nghị của Giám đốc Sở Thông tin và Truyền thông.
QUYẾT ĐỊNH:
Điều 1. Phê duyệt Đề án chuyển đổi số tỉnh Trà Vinh giai đoạn 2022 - 2025, định hướng đến năm 2030 với những nội dung chủ yếu sau:
1. Sự cần thiết và thực trạng
1.1. Kết quả đạt được
a) Đến hết năm 2021, toàn tỉnh có 106 tổ công nghệ số cộng đồng được thành lập ở cấp xã.
2. Mục tiêu
2.1. Mục tiêu đến năm 2025
2.1.1. Phát triển kinh tế số
- Kinh tế số chiếm tỷ trọng 12% GRDP của tỉnh.
2.2. Định hướng
- Đến 2030, hoàn thành hệ thống cảnh báo sạt lở bờ sông tự động cho các huyện ven biển.
3. Nhiệm vụ, giải pháp
3.1. Nhiệm vụ 1: Nâng cao nhận thức về chuyển đổi số
a) Tuyên truyền bằng tiếng Khmer cho đồng bào tại các phum, sóc.
3.2. Nhiệm vụ 2: Phát triển hạ tầng số
a) Xóa các ấp lõm sóng di động; Sở Thông tin và Truyền thông chủ trì, hoàn thành trong năm 2023.
3.3. Nhiệm vụ 3: Chuyển đổi số nông nghiệp và thủy sản
a) Xây dựng cơ sở dữ liệu vùng nuôi tôm nước lợ; Sở Nông nghiệp và Phát triển nông thôn chủ trì, hoàn thành trong năm 2024.
Điều 2. Quyết định này có hiệu lực kể từ ngày ký.
"""


@pytest.fixture(scope="module")
def tra_vinh(tmp_path_factory, fake_embedder):
    return assistant_with_plans(tmp_path_factory.mktemp("travinh"), fake_embedder, {"tra-vinh-qd-900-2022": PLAN})


def test_the_tasks_asked_for_as_a_list_are_the_titles_under_their_heading(tra_vinh):
    answer = tra_vinh.ask("Đề án chuyển đổi số Trà Vinh đặt ra những nhiệm vụ, giải pháp gì?")
    for task in ("Nâng cao nhận thức về chuyển đổi số", "Phát triển hạ tầng số", "Chuyển đổi số nông nghiệp và thủy sản"):
        assert task in answer.answer, answer.answer
    assert answer.citations[0].doc_id == "tra-vinh-qd-900-2022"


def test_one_task_is_still_answered_from_its_own_clause(tra_vinh):
    answer = tra_vinh.ask("Ở Trà Vinh sở nào lo xóa các ấp lõm sóng di động, bao giờ xong?")
    assert "Sở Thông tin và Truyền thông" in answer.answer and "2023" in answer.answer, answer.answer
    assert "Nhiệm vụ 1" not in answer.answer


def test_an_intro_whose_items_are_sections_lists_them_at_every_level(tra_vinh):
    """"Điều 1. Phê duyệt Đề án … với những nội dung chủ yếu sau:" — its items are the numbered parts
    below it (1., 2., 3.), though only their subsections (1.1., 3.1.) hold any text."""
    answer = tra_vinh.ask("Đề án chuyển đổi số Trà Vinh gồm những nội dung chủ yếu nào?")
    for part in ("Sự cần thiết và thực trạng", "Mục tiêu", "Nhiệm vụ, giải pháp"):
        assert part in answer.answer, answer.answer


def test_a_year_after_den_without_nam_is_a_time(tra_vinh):
    """"Đến 2030, hoàn thành …" (no "năm") says when as much as "đến năm 2030" does."""
    answer = tra_vinh.ask("Hệ thống cảnh báo sạt lở bờ sông của Trà Vinh dự kiến xong năm nào?")
    assert not answer.refused and "2030" in answer.answer, answer.answer
