"""People describe themselves before they ask ("em bán hàng ở chợ", "tỉnh mình", "cái kế hoạch"): the
pronouns they call themselves by are no topic words, though the plans use the same syllables inside
words of their own ("trẻ em", "thông minh"). And a plan named at the start of a question ends where
"thì" opens what is asked of it: "theo NQ … của HĐND tỉnh thì bộ hồ sơ đề nghị gồm những gì" asks about
"hồ sơ đề nghị", however many of those syllables the plans' titles use. Pinned on a plan outside the
shipped corpus (a Lai Châu People's Council resolution, written here).
"""

from __future__ import annotations

import pytest
from corpus_docs import assistant_with_plans

from assistant.vi.pronouns import asker_spans, without_asker

PLAN = """HỘI ĐỒNG NHÂN DÂN
TỈNH LAI CHÂU
Số: 21/2026/NQ-HĐND
Lai Châu, ngày 15 tháng 7 năm 2026
NGHỊ QUYẾT
Quy định chính sách hỗ trợ chuyển đổi số trên địa bàn tỉnh Lai Châu giai đoạn 2026 - 2030
HỘI ĐỒNG NHÂN DÂN TỈNH LAI CHÂU
Căn cứ Luật Tổ chức chính quyền địa phương ngày 16 tháng 6 năm 2025;
QUYẾT NGHỊ:
Chương I
QUY ĐỊNH CHUNG
Điều 1. Phạm vi điều chỉnh
Nghị quyết này quy định chính sách hỗ trợ chuyển đổi số cho doanh nghiệp, hợp tác xã, hộ kinh doanh trên địa bàn tỉnh.
Điều 2. Mục tiêu
1. Đến năm 2028 có 120 doanh nghiệp công nghệ số hoạt động trên địa bàn tỉnh.
2. Đến năm 2030 có 70% hộ kinh doanh tại chợ dùng thanh toán không dùng tiền mặt.
3. Đến năm 2030 có 100% trường học có camera an ninh bảo vệ trẻ em.
Chương II
NỘI DUNG HỖ TRỢ
Điều 3. Hỗ trợ thanh toán không dùng tiền mặt tại chợ
Tiểu thương tại chợ trung tâm các xã, phường được hỗ trợ 100% chi phí thiết bị thông báo thanh toán, tối đa 800.000 đồng/hộ.
Điều 4. Hồ sơ, trình tự, thủ tục
1. Hồ sơ đề nghị hỗ trợ (01 bộ) gồm:
a) Đơn đề nghị hỗ trợ theo mẫu do Ủy ban nhân dân tỉnh ban hành.
b) Bản sao giấy chứng nhận đăng ký hộ kinh doanh.
c) Hóa đơn điện tử mua thiết bị thông báo thanh toán.
2. Hồ sơ nộp tại Trung tâm Phục vụ hành chính công tỉnh.
Nơi nhận:
- Thường trực Tỉnh ủy;
CHỦ TỊCH
Giàng Páo Mỷ
"""


@pytest.fixture(scope="module")
def lai_chau(tmp_path_factory, fake_embedder):
    return assistant_with_plans(tmp_path_factory.mktemp("laichau"), fake_embedder, {"lai-chau-nq-21-2026": PLAN})


def _never(_token: str) -> bool:
    return False


def test_the_askers_pronouns_are_found_and_words_of_the_plans_are_not():
    def knows(bigram: str) -> bool:
        return bigram in {"tre_em", "thong_minh", "toi_thieu"}

    text = "Em bán hàng ở chợ, nhà tôi muốn lắp cái loa; trường có camera bảo vệ trẻ em và đèn thông minh"
    found = [text[s:e] for s, e in asker_spans(text, knows, plain=False)]
    assert found == ["Em", "tôi", "cái"]  # "trẻ em" and "thông minh" are the plans' words
    plain = "em ban hang o cho, doanh thu toi thieu bao nhieu; tinh minh co chi tieu thong minh khong"
    assert [plain[s:e] for s, e in asker_spans(plain, knows, plain=True)] == ["em", "minh"]
    assert without_asker("Mình muốn hỏi", _never, plain=False) == " ,  muốn hỏi"


@pytest.mark.parametrize("question", [
    "Theo cái KH CĐS của Lai Châu thì tỉnh mình đặt mục tiêu có bao nhiêu DN công nghệ số vậy ạ?",
    "Nghị quyết hỗ trợ CĐS Lai Châu, đến 2028 tỉnh mình có bao nhiêu doanh nghiệp công nghệ số vậy em?",
])
def test_a_question_in_the_askers_own_words_is_answered(lai_chau, question):
    answer = lai_chau.ask(question)
    assert not answer.refused and "120" in answer.answer, answer.answer
    assert answer.citations[0].doc_id == "lai-chau-nq-21-2026"


def test_a_list_named_after_the_plan_and_thi_is_answered_whole(lai_chau):
    answer = lai_chau.ask("Cho mình hỏi muốn xin hỗ trợ theo NQ chuyển đổi số 2026-2030 của HĐND tỉnh Lai Châu "
                          "thì bộ hồ sơ đề nghị gồm những giấy tờ gì?")
    assert not answer.refused, answer.answer
    for item in ("Đơn đề nghị hỗ trợ", "giấy chứng nhận đăng ký", "Hóa đơn điện tử"):
        assert item in answer.answer, answer.answer
