"""Pins the extractive answerer: short answers by intent, verbatim quotes, exact citations.

The questions are our own (not the evaluation's), asked of the real corpus in BM25 mode so that
the retrieved clauses, and therefore the answers, are deterministic.
"""

from __future__ import annotations

import re

import pytest

from assistant.answer.compose import LIST_LIMIT, after_colon, enumeration, finish
from assistant.answer.units import has_quantity, logical_lines, years_in
from assistant.vi.sentences import split_sentences
from assistant.answer.profile import named_agencies
from assistant.retrieve.plan_fields import meta_fields

DN = "dong-nai-kh-198-2022"
HCM = "tp-ho-chi-minh-kh-411-2023"
HD = "hai-duong-kh-780-2022"
PY = "phu-yen-qd-1728-2020"


def ask(assistant, question: str, **kwargs):
    return assistant.ask(question, mode="bm25", **kwargs)


def squash(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def assert_cited_verbatim(assistant, answer) -> None:
    """Every citation quotes document text, and its offsets point at that text."""
    assert answer.citations
    for citation in answer.citations:
        doc = assistant.bundle.documents[citation.doc_id].text
        assert citation.start >= 0, citation
        assert squash(doc[citation.start : citation.end]) == citation.quote


# --------------------------------------------------------------------------- by intent


@pytest.mark.parametrize(
    ("question", "figure", "other", "label"),
    [
        ("Đồng Nai đặt mục tiêu tỷ lệ nhân lực lao động kinh tế số trong lực lượng lao động đạt bao nhiêu "
         "vào năm 2025?", "2%", "3%", "mục II.1.a"),
        ("Đồng Nai đặt mục tiêu tỷ lệ nhân lực lao động kinh tế số trong lực lượng lao động đạt bao nhiêu "
         "vào năm 2030?", "3%", "2%", "mục II.1.b"),
        ("dong nai dat muc tieu ty le nhan luc lao dong kinh te so dat bao nhieu vao nam 2030",
         "3%", "2%", "mục II.1.b"),
    ],
)
def test_a_target_is_answered_for_the_year_asked(fast_assistant, question, figure, other, label):
    answer = ask(fast_assistant, question)
    assert not answer.refused
    assert figure in answer.answer and other not in answer.answer
    assert answer.citations[0].doc_id == DN
    assert answer.citations[0].label.endswith(label)
    assert len(answer.answer) <= 300
    assert_cited_verbatim(fast_assistant, answer)


def test_a_table_row_gives_the_lead_agency_with_its_period(fast_assistant):
    answer = ask(fast_assistant, "Ai chủ trì triển khai hệ sinh thái tín nhiệm mạng ở Đồng Nai?")
    assert answer.answer.startswith("Sở Thông tin và Truyền thông chủ trì; thời gian: 2022 - 2023")
    [citation] = answer.citations
    assert citation.quote == "Triển khai hệ sinh thái tín nhiệm mạng"  # the row's task cell, verbatim
    assert "Phụ lục" in citation.label
    assert_cited_verbatim(fast_assistant, answer)


def test_a_period_question_leads_with_the_row_s_period(fast_assistant):
    answer = ask(fast_assistant, "Nhiệm vụ phòng, chống tội phạm công nghệ cao ở Đồng Nai được thực hiện trong giai đoạn nào?")
    assert answer.answer.startswith("Thời gian: 2022 - 2025; chủ trì: Công an tỉnh")


def test_the_agency_comes_from_the_implementation_heading_the_clause_sits_under(fast_assistant):
    answer = ask(fast_assistant, "Đồng Nai giao cơ quan nào chủ trì tham mưu triển khai Nền tảng quản trị và kinh doanh du lịch?")
    assert answer.answer.startswith("Sở Văn hóa, Thể thao và Du lịch: Chủ trì tham mưu triển khai Nền tảng quản trị")
    assert answer.citations[0].section.startswith("VI. TỔ CHỨC THỰC HIỆN > 10. Sở Văn hóa")
    assert_cited_verbatim(fast_assistant, answer)


def test_a_deadline_question_quotes_the_clause_with_the_date(fast_assistant):
    answer = ask(fast_assistant, "TP.HCM yêu cầu các quận, huyện gửi báo cáo hàng quý trước ngày nào?")
    assert "trước ngày 20 tháng cuối cùng của quý" in answer.answer
    assert answer.citations[0].doc_id == HCM


def test_a_list_question_gets_the_items_after_the_colon(fast_assistant):
    answer = ask(fast_assistant, "Hệ thống hạ tầng kỹ thuật giao thông mà Phú Yên ứng dụng công nghệ thông tin để quản lý "
                                 "quy hoạch gồm những gì?")
    assert "cầu, hầm, đường bộ, bãi đậu xe" in answer.answer
    assert answer.citations[0].doc_id == PY


def test_a_long_list_asked_for_whole_comes_whole_within_the_list_limit(fast_assistant):
    answer = ask(fast_assistant, "Những nền tảng số quốc gia nào do Sở Thông tin và Truyền thông Đồng Nai chủ trì tham mưu "
                                 "triển khai?")
    assert answer.answer.startswith("Nền tảng điện toán đám mây; Nền tảng địa chỉ số;")
    assert answer.answer.endswith("Nền tảng khảo sát, thu thập ý kiến người dân.")  # all fifteen
    assert len(answer.answer) <= LIST_LIMIT


def test_metadata_number_date_and_signer_come_from_the_plan_itself(fast_assistant):
    answer = ask(fast_assistant, "Kế hoạch 780 của Hải Dương có số hiệu đầy đủ là gì, ký ngày nào và ai ký?")
    assert answer.answer == ("Kế hoạch số 780/KH-UBND của Ủy ban nhân dân tỉnh Hải Dương; ban hành ngày 24 tháng 3 "
                             "năm 2022; người ký: Nguyễn Minh Hùng (KT. CHỦ TỊCH PHÓ CHỦ TỊCH).")
    assert [c.quote for c in answer.citations] == ["Số: 780/KH-UBND", "ngày 24 tháng 3 năm 2022", "Nguyễn Minh Hùng"]
    assert_cited_verbatim(fast_assistant, answer)


def test_a_question_about_a_cited_decision_is_answered_from_the_text(fast_assistant):
    answer = ask(fast_assistant, "Kế hoạch của Bà Rịa - Vũng Tàu lấy quyết định nào của Thủ tướng về Ngày Chuyển đổi số "
                                 "quốc gia làm căn cứ?")
    assert "505/QĐ-TTg" in answer.answer


@pytest.mark.parametrize(
    "question",
    [
        "Tỷ lệ dân số trưởng thành có điện thoại thông minh của TP.HCM năm 2025?",
        "Sở Kế hoạch và Đầu tư Hải Dương chủ trì nội dung nào của kế hoạch?",
        "Phú Yên có bao nhiêu cơ quan, đơn vị sẵn sàng cung cấp dịch vụ công trực tuyến khi lập chương trình?",
        "Đồng Nai triển khai những nền tảng số nào trong y tế?",
    ],
)
def test_answers_are_short_and_quote_the_documents(fast_assistant, question):
    answer = ask(fast_assistant, question)
    assert not answer.refused
    assert len(answer.answer) <= 300
    assert len(answer.contexts) >= 10
    assert_cited_verbatim(fast_assistant, answer)


# --------------------------------------------------------------------------- pieces


def test_sentences_split_at_full_stops_but_not_after_abbreviations():
    assert split_sentences("Thành lập Tổ công tác. Giao TP. Hồ Chí Minh chủ trì. Xong") == [
        "Thành lập Tổ công tác.", "Giao TP. Hồ Chí Minh chủ trì.", "Xong"]


def test_hard_wraps_are_undone_but_bullets_stay_apart():
    text = "- Chủ trì triển khai do Sở\nThông tin và Truyền thông làm thường trực.\n- Nền tảng A;\nNền tảng B."
    assert logical_lines(text) == [
        ("- Chủ trì triển khai do Sở Thông tin và Truyền thông làm thường trực.", True),
        ("- Nền tảng A; Nền tảng B.", True)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [("đạt 20% GDP", True), ("143 cơ quan, đơn vị", True), ("thứ hạng 30/63 địa phương", True),
     ("Quyết định số 749/QĐ-TTg ngày 03/6/2020", False), ("đến năm 2025", False), ("mục 5.2 của Kế hoạch", False)],
)
def test_a_figure_is_a_quantity_not_a_year_date_or_document_number(text, expected):
    assert has_quantity(text) is expected


def test_target_years_exclude_dates():
    assert years_in("Mục tiêu đến năm 2025, định hướng 2030 (ký ngày 09 tháng 9 năm 2022)") == {2025, 2030}


@pytest.mark.parametrize(
    ("question", "fields"),
    [
        ("Ai ký kế hoạch 198 của Đồng Nai?", ["signer"]),
        ("ke hoach 780 ban hanh ngay nao", ["date"]),
        ("Kế hoạch của TP.HCM có số hiệu là gì?", ["number"]),
        ("Kế hoạch căn cứ quyết định nào của Thủ tướng?", []),  # a cited document, not the plan
        ("Kế hoạch của Hải Dương yêu cầu báo cáo định kỳ trước ngày nào?", []),
        ("Tiêu đề của kế hoạch 780 là gì?", ["title"]),
        ("sở nào lo đô thị thông minh gắn với mục tiêu đề án chuyển đổi số?", []),  # "mục tiêu đề án" is no title
    ],
)
def test_metadata_fields_are_read_from_the_question(question, fields):
    assert meta_fields(question, {"198", "780", "1728", "2649"}) == fields


def test_agencies_are_read_in_full_and_abbreviations_skipped():
    assert named_agencies("Nhiệm vụ của Sở Tài chính Bà Rịa - Vũng Tàu là gì?") == ["so tai chinh"]
    assert named_agencies("Công an tỉnh Đồng Nai được giao gì?") == ["cong an"]
    assert named_agencies("Sở TT&TT Đồng Nai chủ trì gì?") == []
    assert named_agencies("so y te dong nai chu tri gi") == []  # unaccented "so" is mostly "số"
    assert named_agencies("Ke hoach giao So Y te chu tri gi?") == ["so y te"]  # unless capitalised


def test_enumerations_are_cut_at_whole_items():
    text = "alpha, beta, gamma, delta, epsilon"
    assert enumeration(text, 22) == "alpha, beta, gamma…"
    assert finish("Tỷ lệ đạt 85%;") == "Tỷ lệ đạt 85%."


def test_the_items_after_a_colon_answer_when_the_part_before_it_is_what_was_asked(fast_assistant):
    info = fast_assistant.retriever.understand("Các kỹ năng số cơ bản tiêu biểu là gì?")
    profile = fast_assistant.extractive.profile("Các kỹ năng số cơ bản tiêu biểu là gì?", info)
    text = "Tổ hướng dẫn các kỹ năng số cơ bản, tiêu biểu như: Sử dụng dịch vụ công; Mua sắm trực tuyến."
    assert after_colon(text, profile) == "Sử dụng dịch vụ công; Mua sắm trực tuyến."


# --------------------------------------------------------------------------- an agency's duties


@pytest.mark.parametrize(
    ("question", "doc", "heading", "phrase"),
    [
        ("Nhiệm vụ của Sở Khoa học và Công nghệ Đồng Nai trong kế hoạch là gì?", DN,
         "11. Sở Khoa học và Công nghệ", "sở hữu trí tuệ"),
        ("so khoa hoc va cong nghe dong nai co nhiem vu gi", DN, "11. Sở Khoa học và Công nghệ", "sở hữu trí tuệ"),
        ("Sở KH&ĐT Đồng Nai có trách nhiệm gì trong kế hoạch 198?", DN, "3. Sở Kế hoạch và Đầu tư", "Sở Kế hoạch và Đầu tư"),
        ("Sở LĐTBXH Đồng Nai có nhiệm vụ gì?", DN, "5. Sở Lao động - Thương binh và Xã hội", "theo phân công tại Phụ lục"),
        ("Sở Tài nguyên và Môi trường Đồng Nai được giao làm gì?", DN, "12. Sở Tài nguyên và Môi trường", "bản đồ số"),
        ("Sở TT&TT Hải Dương có nhiệm vụ gì?", HD, "1. Sở Thông tin và Truyền thông", "Theo dõi, hướng dẫn, đôn đốc"),
        ("Sở Y tế Hải Dương có nhiệm vụ gì trong kế hoạch?", HD, "4. Sở Y tế", "mục 5.2"),
        ("Sở Khoa học và Công nghệ Phú Yên có nhiệm vụ gì trong chương trình chuyển đổi số?", PY,
         "3. Sở Khoa học và Công nghệ", "khởi nghiệp đổi mới sáng tạo"),
        ("Sở Nội vụ Bà Rịa - Vũng Tàu có trách nhiệm gì?", "ba-ria-vung-tau-kh-cds-2024", "5. Sở Nội vụ",
         "cải cách hành chính"),
        ("Ban Chỉ đạo Chuyển đổi số tỉnh Bà Rịa - Vũng Tàu có nhiệm vụ gì?", "ba-ria-vung-tau-kh-cds-2024",
         "1. Ban Chỉ đạo Chuyển đổi số tỉnh", "Đôn đốc, kiểm tra, giám sát"),
    ],
)
def test_an_agency_s_duties_come_from_its_own_implementation_heading(fast_assistant, question, doc, heading, phrase):
    answer = ask(fast_assistant, question)
    assert not answer.refused
    assert phrase in answer.answer
    assert len(answer.answer) <= LIST_LIMIT + 10
    assert answer.citations and all(c.doc_id == doc for c in answer.citations)
    assert all("TỔ CHỨC THỰC HIỆN" in c.section and heading in c.section for c in answer.citations)
    assert_cited_verbatim(fast_assistant, answer)


def test_a_duty_question_about_one_duty_is_answered_by_that_duty(fast_assistant):
    answer = ask(fast_assistant, "Sở TT&TT Đồng Nai được giao chủ trì tham mưu triển khai những nền tảng số quốc gia nào?")
    assert "Nền tảng điện toán đám mây" in answer.answer
    assert "sơ kết" not in answer.answer  # not the whole list of its duties


def test_a_heading_that_assigns_a_section_answers_who_leads_it(fast_assistant):
    answer = ask(fast_assistant, "Cơ quan nào chủ trì nội dung mục 5.4 của kế hoạch Hải Dương?")
    assert answer.answer.startswith("Sở Công thương")
    answer = ask(fast_assistant, "Cơ quan nào chủ trì phần phát triển kinh tế số trong nông nghiệp của Hải Dương?")
    assert answer.answer.startswith("Sở Nông nghiệp và Phát triển nông thôn")


# --------------------------------------------------------------------------- clauses about documents


@pytest.mark.parametrize("question", [
    "Quyết định phê duyệt Chương trình Chuyển đổi số tỉnh Phú Yên có hiệu lực kể từ ngày nào?",
    "quyet dinh 1728 phu yen co hieu luc tu khi nao",
])
def test_when_a_decision_takes_effect_is_its_article_not_its_header(fast_assistant, question):
    answer = ask(fast_assistant, question)
    assert answer.answer == "Quyết định này có hiệu lực thi hành kể từ ngày ký."
    assert "CỘNG HÒA" not in answer.answer


@pytest.mark.parametrize(("question", "number"), [
    ("Bà Rịa - Vũng Tàu triển khai đề án nâng cao nhận thức, phổ cập kỹ năng số theo kế hoạch số mấy?", "91/KH-UBND"),
    ("Phú Yên triển khai kế hoạch số mấy của Ban Thường vụ Tỉnh ủy để thực hiện Nghị quyết 52?", "133-KH/TU"),
    ("Đồng Nai triển khai quyết định nào của Thủ tướng để phát triển kinh tế số?", "411/QĐ-TTg"),
])
def test_a_referenced_document_s_number_comes_from_the_clause_citing_it(fast_assistant, question, number):
    answer = ask(fast_assistant, question)
    assert not answer.refused
    assert number in answer.answer
    assert "không ghi số hiệu" not in answer.answer


def test_a_named_sub_group_gives_its_own_enumeration(fast_assistant):
    answer = ask(fast_assistant, "Nhóm \"các ngành, lĩnh vực khác\" trong kế hoạch của TP.HCM gồm những ngành nào?")
    assert "tài chính, ngân hàng, bảo hiểm" in answer.answer
    assert "Nông nghiệp và nông thôn" not in answer.answer
