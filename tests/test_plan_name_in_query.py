"""Once the province has chosen the plan, the words naming it ("theo kế hoạch chuyển đổi số 2024-2025")
say which document, not what is asked: BM25 leaves them out, so the title, header and preamble that
repeat them do not outrank the clause. A question about the plan itself keeps them. Pinned on a plan
outside the shipped corpus (Hà Tĩnh, written here).
"""

from __future__ import annotations

import pytest
from corpus_docs import assistant_with_plans

PLAN = """ỦY BAN NHÂN DÂN
TỈNH HÀ TĨNH
Số: 64/KH-UBND
Hà Tĩnh, ngày 2 tháng 2 năm 2024
KẾ HOẠCH
Chuyển đổi số tỉnh Hà Tĩnh giai đoạn 2024 - 2025
Căn cứ Kế hoạch chuyển đổi số quốc gia giai đoạn 2024 - 2025; Ủy ban nhân dân tỉnh ban hành Kế hoạch chuyển đổi số tỉnh Hà Tĩnh giai đoạn 2024 - 2025 như sau:
I. SỰ CẦN THIẾT
Việc ban hành Kế hoạch chuyển đổi số giai đoạn 2024 - 2025 nhằm cụ thể hóa chủ trương của Tỉnh ủy về chuyển đổi số.
II. NHIỆM VỤ
1. Nền tảng số
- Phát triển ứng dụng di động "Hà Tĩnh số" cho người dân, gồm: tra cứu hồ sơ, phản ánh hiện trường, đặt lịch khám bệnh, cảnh báo bão lũ.
- Xây dựng kho dữ liệu dùng chung của tỉnh.
III. TỔ CHỨC THỰC HIỆN
Các sở, ngành báo cáo kết quả thực hiện Kế hoạch chuyển đổi số giai đoạn 2024 - 2025 trước ngày 15/12 hằng năm.
"""


@pytest.fixture(scope="module")
def ha_tinh(tmp_path_factory, fake_embedder):
    return assistant_with_plans(tmp_path_factory.mktemp("hatinh"), fake_embedder, {"ha-tinh-kh-64-2024": PLAN})


def test_the_words_naming_the_plan_do_not_outrank_the_clause(ha_tinh):
    answer = ha_tinh.ask("Theo kế hoạch chuyển đổi số giai đoạn 2024 - 2025 của Hà Tĩnh, app cho dân tích hợp những chức năng gì?")
    assert "đặt lịch khám bệnh" in answer.contexts[0].chunk.text, [c.chunk.section for c in answer.contexts[:3]]
    assert "đặt lịch khám bệnh" in answer.answer, answer.answer


def test_a_question_about_the_plan_itself_keeps_its_name(ha_tinh):
    answer = ha_tinh.ask("Kế hoạch chuyển đổi số giai đoạn 2024 - 2025 của Hà Tĩnh ban hành ngày nào?")
    assert "02/02/2024" in answer.answer or "2 tháng 2 năm 2024" in answer.answer, answer.answer
