"""Asked how things stand ("hiện có bao nhiêu", "lúc ban hành … rồi"), the clause describing the
situation answers, not the target for the same thing; asked the target, the target answers. The plan
is written here (a province the shipped corpus does not hold)."""

from __future__ import annotations

import pytest
from corpus_docs import assistant_with_plans

from assistant.answer.scoring import asks_state
from assistant.vi.normalize import folded

PLAN = """ỦY BAN NHÂN DÂN
TỈNH ĐIỆN BIÊN
Số: 91/KH-UBND
KẾ HOẠCH
Chuyển đổi số tỉnh Điện Biên giai đoạn 2023 - 2025
I. THỰC TRẠNG
1. Kết quả đạt được
Cổng dịch vụ công của tỉnh cung cấp 214 dịch vụ công trực tuyến toàn trình.
II. MỤC TIÊU
1. Mục tiêu đến năm 2025
Toàn tỉnh có 600 dịch vụ công trực tuyến toàn trình được đưa lên Cổng dịch vụ công của tỉnh.
"""


@pytest.fixture(scope="module")
def dien_bien(tmp_path_factory, fake_embedder):
    return assistant_with_plans(tmp_path_factory.mktemp("dienbien"), fake_embedder, {"dien-bien-kh-91-2023": PLAN})


def test_a_question_about_how_things_stand_gets_the_situation(dien_bien):
    answer = dien_bien.ask("Lúc ban hành kế hoạch, Điện Biên đã có bao nhiêu dịch vụ công trực tuyến toàn trình được đưa lên cổng dịch vụ công rồi?")
    assert "214" in answer.answer and "600" not in answer.answer, answer.answer


def test_a_question_about_the_target_gets_the_target(dien_bien):
    answer = dien_bien.ask("Điện Biên đặt mục tiêu đến 2025 cung cấp bao nhiêu dịch vụ công trực tuyến toàn trình?")
    assert "600" in answer.answer, answer.answer


@pytest.mark.parametrize("question, expected", [
    ("Lúc ban hành kế hoạch thì tỉnh đã có bao nhiêu điểm wifi rồi?", True),
    ("hien nay tinh co bao nhieu to cong nghe so?", True),
    ("Năm 2025 tỉnh phấn đấu bao nhiêu % hộ có cáp quang?", False),
])
def test_questions_about_the_current_state_are_told_apart(question, expected):
    assert asks_state(folded(question)) is expected
