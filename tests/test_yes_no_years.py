"""A yes/no question about a year is checked against the clause that states a year for the thing
asked: "hoàn thành … vào năm 2030" refutes "… vào năm 2025 không?", and a clause that only inherits
its plan's years ("đến năm 2025, định hướng đến năm 2030" in the title) does not displace it. The plan
is written here (a province the shipped corpus does not hold)."""

from __future__ import annotations

import pytest
from corpus_docs import assistant_with_plans

PLAN = """ỦY BAN NHÂN DÂN
TỈNH HÀ GIANG
Số: 58/QĐ-UBND
QUYẾT ĐỊNH
Phê duyệt Chương trình chuyển đổi số tỉnh Hà Giang đến năm 2025, định hướng đến năm 2030
I. NHIỆM VỤ
1. Y tế số
- Nâng cấp hạ tầng mạng của các trạm y tế xã để kết nối với phần mềm quản lý tiêm chủng; hoàn thành hệ thống sổ tiêm chủng điện tử toàn tỉnh vào năm 2030.
- Khuyến khích người dân dùng sổ tiêm chủng điện tử trên ứng dụng di động tại các trạm y tế xã vùng cao.
2. Giáo dục số
- Triển khai phần mềm quản lý trường học tại các trường phổ thông dân tộc nội trú.
"""


@pytest.fixture(scope="module")
def ha_giang(tmp_path_factory, fake_embedder):
    return assistant_with_plans(tmp_path_factory.mktemp("hagiang"), fake_embedder, {"ha-giang-qd-58-2023": PLAN})


def test_a_clause_stating_another_year_refutes_a_yes_no_claim(ha_giang):
    answer = ha_giang.ask("Chương trình CĐS Hà Giang có đặt mục tiêu hoàn thành hệ thống sổ tiêm chủng điện tử vào năm 2025 không?")
    assert not answer.refused
    assert "2030" in answer.answer, answer.answer


def test_a_clause_stating_the_year_asked_still_answers(ha_giang):
    answer = ha_giang.ask("Hà Giang có hoàn thành hệ thống sổ tiêm chủng điện tử toàn tỉnh vào năm 2030 không?")
    assert "vào năm 2030" in answer.answer, answer.answer
