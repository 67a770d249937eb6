"""What kind of thing a question asks for, and what a clause must hold to answer it: a company by
name, a day or month of the calendar."""

from __future__ import annotations

import pytest

from assistant.answer.refusal import asks_for_date
from assistant.vi.businesses import asks_for_business, names_business
from assistant.vi.normalize import folded


@pytest.mark.parametrize("question, asks", [
    ("Nhà mạng nào được giao phủ sóng 5G ở Gia Lai?", True),
    ("công ty nào làm app tổng đài của tỉnh vậy", True),
    ("Viettel hay VNPT làm trung tâm dữ liệu?", True),
    ("Những doanh nghiệp nào được hỗ trợ chuyển đổi số?", False),  # kinds of enterprise, not a name
    ("Sở nào chủ trì phủ sóng 5G?", False),
    # the kind of company between "công ty" and "nào" ("công ty phần mềm nào", "… viễn thông hay CNTT nào")
    ("Gia Lai thuê công ty phần mềm nào làm cổng dịch vụ công?", True),
    ("cong ty vien thong hay cntt nao van hanh trung tam du lieu gia lai", True),
    ("Công ty khởi nghiệp ở lĩnh vực nào được hỗ trợ?", False),  # asks which field
    ("các sở gửi báo cáo hằng năm trước ngày nào?", False),  # unaccented "hang" is no brand ("hãng")
])
def test_which_questions_ask_for_a_company(question, asks):
    assert asks_for_business(folded(question)) is asks


@pytest.mark.parametrize("text, names", [
    ("Phối hợp với Tập đoàn Bưu chính Viễn thông Việt Nam triển khai.", True),
    ("Thuê dịch vụ của VNPT Gia Lai.", True),
    ("Công ty cổ phần Đầu tư Phát triển X cung cấp nền tảng.", True),
    ("Thuê dịch vụ công nghệ thông tin của các doanh nghiệp viễn thông.", False),
    ("khuyến khích các công ty khởi nghiệp", False),
])
def test_which_clauses_name_a_company(text, names):
    assert names_business(text) is names


@pytest.mark.parametrize("question", [
    "Công ty nào được thuê xây dựng Cổng dịch vụ công của Đồng Nai?",
    "Nhà mạng nào phủ cáp quang đến các thôn ở Đồng Nai, Viettel hay VNPT?",
])
def test_a_company_the_plans_never_name_is_not_answered_with_a_clause_about_the_work(fast_assistant, question):
    assert fast_assistant.ask(question).refused


@pytest.mark.parametrize("question", ["tổ chức diễn tập vào tháng mấy?", "hạn chót là ngày nào", "thang nao thi xong"])
def test_a_month_or_day_asked_needs_a_calendar_date_in_the_clause(question):
    assert asks_for_date(folded(question))
