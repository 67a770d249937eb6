"""Pins honest refusals: unknown places, off-topic questions, figures or dates no plan gives.

Each refusal says so politely, names the provinces the corpus covers, and cites nothing.
"""

from __future__ import annotations

import pytest

from assistant.answer.scoring import Profile
from assistant.retrieve.analysis import QueryInfo
from assistant.answer.refusal import asks_for_date, domain_share, refusal_text

COVERED = "Bà Rịa - Vũng Tàu, Hải Dương, Phú Yên, Thành phố Hồ Chí Minh, Đồng Nai"


def ask(assistant, question: str):
    return assistant.ask(question, mode="bm25")


def assert_refused(answer) -> None:
    assert answer.refused
    assert answer.citations == []
    assert answer.answer.startswith("Xin lỗi")
    assert COVERED in answer.answer
    assert len(answer.contexts) >= 10  # what was retrieved is still shown


@pytest.mark.parametrize(
    "question",
    [
        "Tỉnh Cà Mau đặt mục tiêu kinh tế số chiếm bao nhiêu phần trăm GRDP?",
        "ke hoach chuyen doi so cua tinh nghe an do ai ky",
        "Kiên Giang giao sở nào chủ trì nền tảng hóa đơn điện tử?",
    ],
)
def test_a_province_without_a_plan_is_refused_by_name(fast_assistant, question):
    answer = ask(fast_assistant, question)
    assert_refused(answer)
    assert "chưa có kế hoạch nào của" in answer.answer


@pytest.mark.parametrize(
    "question",
    [
        "Giá cà phê hôm nay bao nhiêu một ký?",
        "Cách muối dưa cải chua ngon?",
        "lich chieu phim rap cuoi tuan nay",
        "Ai là tác giả của Truyện Kiều?",
    ],
)
def test_an_off_topic_question_is_refused(fast_assistant, question):
    assert_refused(ask(fast_assistant, question))


@pytest.mark.parametrize(
    "question",
    [
        "Đồng Nai dành bao nhiêu tỷ đồng cho kế hoạch kinh tế số đến năm 2025?",  # no budget figure
        "Thành phố Hồ Chí Minh đặt chỉ tiêu tỷ trọng kinh tế số năm 2030 là bao nhiêu?",  # targets stop at 2025
        "Hải Dương đặt mục tiêu tỷ trọng kinh tế số năm 2025 là bao nhiêu?",  # a plan for 2022 only
        "Kế hoạch của Hải Dương yêu cầu báo cáo định kỳ trước ngày nào?",  # no deadline date
        "Bà Rịa - Vũng Tàu có bao nhiêu trạm BTS 5G?",
    ],
)
def test_a_figure_or_date_the_plan_does_not_give_is_refused(fast_assistant, question):
    assert_refused(ask(fast_assistant, question))


@pytest.mark.parametrize(
    "question",
    [
        "Hải Dương đặt mục tiêu tỷ lệ hóa đơn điện tử năm 2022 là bao nhiêu?",
        "hai duong muon bao nhieu phan tram dan so duoc phu song 5G",
        "Ở Phú Yên ai được giao là đầu mối về hợp tác quốc tế trong chuyển đổi số?",
    ],
)
def test_the_same_kinds_of_question_are_answered_when_the_plan_says(fast_assistant, question):
    answer = ask(fast_assistant, question)
    assert not answer.refused and answer.citations


def test_the_refusal_names_the_covered_provinces(fast_assistant):
    assert refusal_text(fast_assistant.bundle) == (
        "Xin lỗi, tôi không tìm thấy thông tin này trong các văn bản hiện có. Trợ lý chỉ trả lời dựa trên các "
        f"kế hoạch, chương trình chuyển đổi số của: {COVERED}.")


def test_domain_share_counts_the_two_syllable_words_the_plans_use():
    profile = Profile(info=QueryInfo(text="q"), weights={}, optional={}, years=[], wants="other", folded="q",
                      words=4, known_words=1)
    assert domain_share(profile) == 0.25
    profile.words = 1  # too short to judge: follow-ups, one-word questions
    assert domain_share(profile) == 1.0


@pytest.mark.parametrize(
    ("question", "expected"),
    [("truoc ngay nao", True), ("vao ngay nao hang nam", True), ("giai doan nao", False), ("bao lau mot lan", False)],
)
def test_only_day_questions_need_a_calendar_date(question, expected):
    assert asks_for_date(question) is expected


def test_a_known_and_an_unknown_province_answer_the_known_and_name_the_other(fast_assistant):
    answer = ask(fast_assistant, "So sánh tỷ trọng kinh tế số năm 2025 của Đồng Nai và Nghệ An")
    assert not answer.refused
    assert "20% GDP" in answer.answer
    assert answer.answer.endswith("(Kho văn bản chưa có kế hoạch của Nghệ An.)")


# --------------------------------------------------------------------------- topic words the evidence lacks


# A neighbouring target of the same family ("tỷ lệ dân số trưởng thành có …") shares the question's
# frame words; the refusal model, fitted on the development sets, does not yet tell it apart from
# the target asked. Known limit (README), tracked here: these start passing when it does.
_NEIGHBOUR = pytest.mark.xfail(strict=True, reason="refusal model answers a neighbouring target (known limit)")


@pytest.mark.parametrize("question", [
    pytest.param("Hải Dương đặt mục tiêu tỷ lệ dân số trưởng thành có chữ ký số đạt bao nhiêu năm 2022?", marks=_NEIGHBOUR),
    pytest.param("TP.HCM đặt mục tiêu tỷ lệ dân số trưởng thành có chữ ký số đạt bao nhiêu?", marks=_NEIGHBOUR),
    "Mục tiêu số lượng robot công nghiệp của TP.HCM là bao nhiêu?",
    pytest.param("Đồng Nai đặt mục tiêu tỷ lệ học sinh được học lập trình là bao nhiêu?", marks=_NEIGHBOUR),
    "Công thức nấu phở bò gồm những nguyên liệu gì?",
    "Tỷ giá USD hôm nay là bao nhiêu?",
])
def test_a_target_the_plan_never_sets_is_refused_not_answered_by_a_neighbour(fast_assistant, question):
    assert fast_assistant.ask(question, mode="bm25").refused


@pytest.mark.parametrize(("question", "figure"), [
    ("Tỷ lệ người dân có smartphone ở Hải Dương đạt bao nhiêu?", "85%"),
    ("Tỷ lệ dân số trưởng thành có điện thoại thông minh của TP.HCM đạt bao nhiêu?", "85%"),
    ("Kinh tế số chiếm bao nhiêu GRDP của Đồng Nai năm 2025?", "20%"),
    ("Tỷ trọng kinh tế số trong GRDP Đồng Nai năm 2025 là bao nhiêu?", "20%"),
    ("Hải Dương đặt mục tiêu phủ sóng 5G bao nhiêu phần trăm dân số?", "8%"),
])
def test_paraphrases_and_synonyms_of_a_set_target_are_answered(fast_assistant, question, figure):
    answer = fast_assistant.ask(question, mode="bm25")
    assert not answer.refused
    assert figure in answer.answer


def test_unknown_words_weigh_as_the_rarest_and_cue_syllables_only_in_cue_phrases():
    from assistant.answer.profile import cue_pairs

    assert "tieu_ty" in cue_pairs("mục tiêu tỷ trọng kinh tế số")
    assert not {"chu_ky", "ky_so"} & cue_pairs("tỷ lệ dân số có chữ ký số")


def test_a_count_asked_with_one_classifier_accepts_the_plan_s_other_classifier():
    """"bao nhiêu cuộc tấn công" is answered by "1.240 lượt tấn công": the counted noun decides."""
    from assistant.answer.profile import quantity_kind, quantity_ok
    from assistant.vi.normalize import folded

    profile = Profile(info=QueryInfo(text="Năm 2022 phát hiện bao nhiêu cuộc tấn công?"), weights={}, optional={},
                      years=[], wants="number", folded=folded("Năm 2022 phát hiện bao nhiêu cuộc tấn công?"))
    kind = quantity_kind(profile)
    assert kind == "noun:tan"
    assert quantity_ok("đã xử lý 1.240 lượt tấn công, dò quét", kind)
    assert not quantity_ok("đã xử lý 1.240 hồ sơ", kind)


@pytest.mark.parametrize("question, clause, ok", [
    # "bao nhiêu người" counts people, whatever noun the plan counts them by
    ("Toàn tỉnh có bao nhiêu cán bộ chuyên trách công nghệ thông tin, bao nhiêu người?",
     "toàn tỉnh chỉ có 96 cán bộ chuyên trách công nghệ thông tin", True),
    # …but a share is no head count
    ("Năm 2022 tỉnh đào tạo kỹ năng số cho bao nhiêu người?",
     "Tỷ lệ hộ sản xuất được đào tạo kỹ năng số đạt 100%.", False),
    # "bao nhiêu người dân" counts "dân" (a share of the population answers it)
    ("Bao nhiêu người dân có tài khoản định danh?", "80% dân số có tài khoản định danh điện tử", True),
])
def test_a_head_count_is_answered_by_a_count_of_people(question, clause, ok):
    from assistant.answer.profile import quantity_kind, quantity_ok
    from assistant.vi.normalize import folded

    profile = Profile(info=QueryInfo(text=question), weights={}, optional={}, years=[], wants="number",
                      folded=folded(question))
    assert quantity_ok(clause, quantity_kind(profile)) is ok


def test_a_particle_typed_without_marks_is_no_topic_word():
    """"… so nao chu tri vay ad?" ends with "vậy" typed bare: read as "vay" (a loan), a word the plans
    hardly use, it would weigh as the question's rarest topic word against every clause."""
    from assistant.answer.profile import content_text
    from assistant.retrieve.analysis import analyze

    assert "vay" not in content_text(analyze("wifi cong cong thi so nao chu tri vay ad?"))
    assert "vay" in content_text(analyze("ho tro vay von cho doanh nghiep so"))  # a loan is a topic


@pytest.mark.parametrize("clause, ok", [
    ("Căn cứ Quyết định số 964/QĐ-TTg ngày 10/8/2022 của Thủ tướng Chính phủ.", False),  # a date of another year
    ("Diễn tập thực chiến được tổ chức trong tháng 10/2026.", True),
    ("Báo cáo trước ngày 20 tháng cuối cùng của quý.", True),  # a date without a year may be any year's
])
def test_a_month_asked_of_a_year_is_not_answered_by_a_date_of_another_year(clause, ok):
    from assistant.answer.refusal import eligible
    from assistant.answer.units import Unit
    from assistant.records import Chunk, Hit
    from assistant.vi.normalize import folded

    question = "Diễn tập an ninh mạng năm 2026 tổ chức vào tháng mấy?"
    profile = Profile(info=QueryInfo(text=question), weights={}, optional={}, years=[2026], wants="time",
                      folded=folded(question))
    chunk = Chunk(chunk_id="d#0001", doc_id="d", text=clause, heading_path=["II. NHIỆM VỤ"], label="KH d, mục II",
                  start=0, end=len(clause))
    unit = Unit(text=clause, hit=Hit(chunk, 1.0), rank=0, kind="sentence")
    assert eligible(unit, profile) is ok


def _unit(text: str, kind: str = "sentence"):
    from assistant.answer.units import Unit
    from assistant.records import Chunk, Hit

    chunk = Chunk(chunk_id="d#0001", doc_id="d", text=text, heading_path=["Điều 3. Nguyên tắc hỗ trợ"],
                  label="NQ d, Điều 3", start=0, end=len(text))
    return Unit(text=text, hit=Hit(chunk, 1.0), rank=0, kind=kind)


@pytest.mark.parametrize("question, clause, ok", [
    # legal texts spell small numbers: "một lần", "ba thành viên"
    ("Mỗi nội dung được hỗ trợ mấy lần một năm?", "Mỗi nội dung chỉ được hỗ trợ một lần cho một đối tượng trong một năm.", True),
    ("Tổ công nghệ số có bao nhiêu thành viên?", "Mỗi tổ gồm ba thành viên do Ủy ban nhân dân cấp xã quyết định.", True),
    ("Mỗi nội dung được hỗ trợ mấy lần một năm?", "Mỗi nội dung được hỗ trợ theo quy định của pháp luật.", False),
])
def test_a_count_written_in_words_answers_how_many(question, clause, ok):
    from assistant.answer.refusal import eligible
    from assistant.vi.normalize import folded

    profile = Profile(info=QueryInfo(text=question), weights={}, optional={}, years=[], wants="number",
                      folded=folded(question))
    assert eligible(_unit(clause), profile) is ok


def test_a_document_header_answers_no_list_question():
    from assistant.answer.refusal import eligible
    from assistant.vi.normalize import folded

    question = "Hồ sơ đề nghị hỗ trợ chuyển đổi số gồm những giấy tờ gì?"
    profile = Profile(info=QueryInfo(text=question), weights={}, optional={}, years=[], wants="list",
                      folded=folded(question))
    header = "NGHỊ QUYẾT Quy định chính sách hỗ trợ chuyển đổi số trên địa bàn tỉnh giai đoạn 2026 - 2030"
    assert not eligible(_unit(header, kind="title"), profile)
    assert eligible(_unit("Hồ sơ gồm: đơn đề nghị; bản sao giấy chứng nhận đăng ký kinh doanh."), profile)
