""""Phần Nơi nhận của kế hoạch gửi những cơ quan nào?" is answered from the plan's distribution list under
its signature (the file copy "Lưu: …" left out), and refused when the plan's text has none; "ban hành
theo tờ trình số mấy?" by the preamble sentence naming the submission. Pinned on plans outside the
shipped corpus (Hà Nam with a list and a submission, Ninh Thuận without), written here."""

from __future__ import annotations

import pytest
from corpus_docs import assistant_with_plans

from assistant.answer.plan_facts import asks_recipients, asks_submission

HEADER = """ỦY BAN NHÂN DÂN
TỈNH {caps}
Số: {number}/KH-UBND
{name}, ngày 3 tháng 3 năm 2026
KẾ HOẠCH
Chuyển đổi số tỉnh {name} năm 2026
{submission}I. MỤC TIÊU
Tỷ lệ hồ sơ thủ tục hành chính được xử lý trực tuyến đạt 80%.
II. TỔ CHỨC THỰC HIỆN
Sở Khoa học và Công nghệ chủ trì theo dõi, đôn đốc thực hiện Kế hoạch.
"""
HA_NAM = HEADER.format(caps="HÀ NAM", number=31, name="Hà Nam", submission=(
    "Theo đề nghị của Sở Khoa học và Công nghệ tại Tờ trình số 12/TTr-SKHCN ngày 20/02/2026; Ủy ban nhân dân "
    "tỉnh ban hành Kế hoạch chuyển đổi số năm 2026 như sau:\n")) + """Nơi nhận:
- Bộ Khoa học và Công nghệ (để b/c);
- Thường trực Tỉnh ủy (để b/c);
- Các sở, ban, ngành tỉnh;
- UBND các xã, phường;
- Lưu: VT, KGVX.
KT. CHỦ TỊCH
PHÓ CHỦ TỊCH
Trần Văn An
"""
NINH_THUAN = HEADER.format(caps="NINH THUẬN", number=44, name="Ninh Thuận", submission="") + """KT. CHỦ TỊCH
PHÓ CHỦ TỊCH
Lê Thị Bình
"""


@pytest.fixture(scope="module")
def assistant(tmp_path_factory, fake_embedder):
    return assistant_with_plans(tmp_path_factory.mktemp("recipients"), fake_embedder,
                                {"ha-nam-kh-31-2026": HA_NAM, "ninh-thuan-kh-44-2026": NINH_THUAN})


def test_the_distribution_list_answers_who_the_plan_is_sent_to(assistant):
    answer = assistant.ask("Phần nơi nhận của KH chuyển đổi số 2026 tỉnh Hà Nam có những bộ nào ở trung ương?")
    assert not answer.refused
    assert "Bộ Khoa học và Công nghệ (để b/c)" in answer.answer and "UBND các xã, phường" in answer.answer
    assert "Lưu" not in answer.answer and "PHÓ CHỦ TỊCH" not in answer.answer
    assert answer.citations[0].doc_id == "ha-nam-kh-31-2026"


def test_a_plan_without_a_distribution_list_is_refused(assistant):
    answer = assistant.ask("noi nhan cua ke hoach chuyen doi so 2026 tinh Ninh Thuan gom nhung noi nao?")
    assert answer.refused, answer.answer


def test_only_the_words_noi_nhan_ask_for_it():
    assert asks_recipients("Phần Nơi nhận có gửi Thủ tướng không?")
    assert not asks_recipients("Sở ngành gửi báo cáo cho cơ quan nào?")  # a reporting duty, not the list


def test_the_submission_a_plan_was_issued_on_is_quoted(assistant):
    answer = assistant.ask("KH chuyển đổi số 2026 của Hà Nam được ban hành theo tờ trình số mấy, của sở nào?")
    assert not answer.refused and "Tờ trình số 12/TTr-SKHCN ngày 20/02/2026" in answer.answer, answer.answer
    assert "Sở Khoa học và Công nghệ" in answer.answer and answer.citations[0].doc_id == "ha-nam-kh-31-2026"


def test_drafting_a_submission_is_a_duty_not_the_plan_s_own():
    assert asks_submission("QĐ của tỉnh được phê duyệt dựa trên tờ trình nào?")
    assert not asks_submission("Sở nào soạn tờ trình để HĐND tỉnh ra nghị quyết về mức thu phí?")
