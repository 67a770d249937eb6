""""X có phải là Y không?": Y is what the asker supposes, and the plan may say otherwise. The words of
the supposition weigh half (`claim_share`), and an agency named only in it ("… có phải là Giám đốc Sở
Khoa học và Công nghệ không") does not have to be named by the clause that answers — the clause saying
who it really is ("do Chủ tịch Ủy ban nhân dân tỉnh làm Trưởng ban") does. Pinned on a plan outside
the shipped corpus (a Hòa Bình plan, written here).
"""

from __future__ import annotations

import pytest
from corpus_docs import assistant_with_plans

PLAN = """ỦY BAN NHÂN DÂN
TỈNH HÒA BÌNH
Số: 41/KH-UBND
Hòa Bình, ngày 20 tháng 2 năm 2026
KẾ HOẠCH
Chuyển đổi số tỉnh Hòa Bình năm 2026
I. MỤC TIÊU
1. 100% hồ sơ công việc cấp tỉnh được xử lý trên môi trường mạng.
2. Kinh phí thực hiện Kế hoạch chủ yếu từ nguồn xã hội hóa, ngân sách nhà nước giữ vai trò dẫn dắt.
II. TỔ CHỨC THỰC HIỆN
1. Ban Chỉ đạo chuyển đổi số tỉnh do Chủ tịch Ủy ban nhân dân tỉnh làm Trưởng ban.
2. Sở Khoa học và Công nghệ là cơ quan thường trực, tham mưu triển khai Kế hoạch.
"""


@pytest.fixture(scope="module")
def hoa_binh(tmp_path_factory, fake_embedder):
    return assistant_with_plans(tmp_path_factory.mktemp("hoabinh_claims"), fake_embedder, {"hoa-binh-kh-41-2026": PLAN})


def test_an_agency_only_supposed_need_not_be_named_by_the_answer(hoa_binh):
    answer = hoa_binh.ask("Trưởng ban chỉ đạo CĐS của Hòa Bình có phải là Giám đốc Sở Khoa học và Công nghệ không?")
    assert not answer.refused and "Chủ tịch Ủy ban nhân dân tỉnh" in answer.answer, answer.answer


@pytest.mark.parametrize(("question", "said"), [
    ("KH CĐS 2026 Hòa Bình: tiền làm chuyển đổi số có phải phần lớn lấy từ ngân sách nhà nước không?", "xã hội hóa"),
    ("Sở Khoa học và Công nghệ có phải là cơ quan thường trực của KH CĐS Hòa Bình 2026 không?", "thường trực"),
])
def test_the_clause_about_the_subject_answers_whatever_the_supposition(hoa_binh, question, said):
    answer = hoa_binh.ask(question)
    assert not answer.refused and said in answer.answer, answer.answer


def test_who_holds_a_role_is_answered_by_the_clause_naming_it(hoa_binh):
    answer = hoa_binh.ask("Ai làm trưởng ban chỉ đạo chuyển đổi số của Hòa Bình theo KH CĐS 2026?")
    assert not answer.refused and "Chủ tịch Ủy ban nhân dân tỉnh" in answer.answer, answer.answer
