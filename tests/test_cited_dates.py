""""Phải … trước ngày nào?" asks a deadline: the date a cited document was issued ("Quyết định số
466/QĐ-BTTTT ngày 28 tháng 3 năm 2023") is none, and a plan stating no deadline is refused. Asked when
that document was issued or approved, its date is the answer. And "ai làm trưởng ban …" is answered only
by a clause naming that role. Pinned on a plan outside the shipped corpus (a Hòa Bình plan, written here).
"""

from __future__ import annotations

import pytest
from corpus_docs import assistant_with_plans

PLAN = """ỦY BAN NHÂN DÂN
TỈNH HÒA BÌNH
Số: 52/KH-UBND
Hòa Bình, ngày 2 tháng 3 năm 2026
KẾ HOẠCH
Truyền thông về chuyển đổi số tỉnh Hòa Bình năm 2026
I. NHIỆM VỤ
1. Triển khai Quyết định số 1017/QĐ-BKHCN ngày 14 tháng 5 năm 2025 của Bộ Khoa học và Công nghệ về tuyên truyền chuyển đổi số.
2. Sở Khoa học và Công nghệ xây dựng chuyên mục chuyển đổi số trên Cổng thông tin điện tử tỉnh, cập nhật hằng tuần.
3. Ủy ban nhân dân các xã, phường tổ chức tuyên truyền trên hệ thống loa truyền thanh cơ sở.
II. TỔ CHỨC THỰC HIỆN
Ban Chỉ đạo chuyển đổi số tỉnh chỉ đạo các sở, ngành, địa phương triển khai Kế hoạch; Sở Khoa học và Công nghệ theo dõi, tổng hợp kết quả, báo cáo Ủy ban nhân dân tỉnh.
"""


@pytest.fixture(scope="module")
def hoa_binh(tmp_path_factory, fake_embedder):
    return assistant_with_plans(tmp_path_factory.mktemp("hoabinh_dates"), fake_embedder, {"hoa-binh-kh-52-2026": PLAN})


def test_a_cited_documents_date_is_no_deadline(hoa_binh):
    answer = hoa_binh.ask("Theo KH truyền thông CĐS 2026 của Hòa Bình, việc triển khai tuyên truyền chuyển đổi số "
                          "phải xong trước ngày nào?")
    assert answer.refused, answer.answer


def test_asked_when_a_cited_document_was_issued_its_date_answers(hoa_binh):
    answer = hoa_binh.ask("Quyết định 1017 của Bộ Khoa học và Công nghệ về tuyên truyền CĐS mà KH của Hòa Bình triển khai "
                          "được ban hành ngày nào?")
    assert not answer.refused and "14 tháng 5 năm 2025" in answer.answer, answer.answer


def test_who_holds_a_role_the_plan_never_names_is_refused(hoa_binh):
    # "ai làm trưởng ban": a clause on what the steering board does names no head of it
    answer = hoa_binh.ask("Ai làm trưởng ban chỉ đạo chuyển đổi số của Hòa Bình theo KH truyền thông CĐS 2026?")
    assert answer.refused, answer.answer
