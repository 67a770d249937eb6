"""Words that name the plan asked about ("trong kế hoạch phát triển xã hội số …") say which document,
like a province does, not what about: they weigh as cues (`plan_name_weight`), so a clause repeating
the plan's title does not outrank the clause that answers. Pinned on a plan outside the shipped
corpus (Kon Tum, written here).
"""

from __future__ import annotations


import pytest
from corpus_docs import assistant_with_plans

from assistant import tuning
from assistant.retrieve.plan_naming import plan_words_of, without_plan_reference

PLAN = """ỦY BAN NHÂN DÂN
TỈNH KON TUM
Số: 41/KH-UBND
KẾ HOẠCH
Ứng dụng bản đồ số nông nghiệp tỉnh Kon Tum giai đoạn 2024 - 2026
I. MỤC ĐÍCH
Kế hoạch ứng dụng bản đồ số nông nghiệp tỉnh Kon Tum được triển khai đồng bộ từ tỉnh đến cơ sở, hằng năm.
II. TỔ CHỨC THỰC HIỆN
1. Chế độ báo cáo
Sáu tháng một lần, các sở, ngành đánh giá kết quả và gửi báo cáo về Sở Thông tin và Truyền thông trước ngày 10 của tháng cuối kỳ.
"""
TITLES = ["Kế hoạch ứng dụng bản đồ số nông nghiệp tỉnh Kon Tum giai đoạn 2024 - 2026"]


@pytest.fixture(scope="module")
def kon_tum(tmp_path_factory, fake_embedder):
    return assistant_with_plans(tmp_path_factory.mktemp("kontum_ref"), fake_embedder, {"kon-tum-kh-41-2024": PLAN})


@pytest.mark.parametrize("text, named", [
    ("việc đánh giá kết quả của kế hoạch bản đồ số nông nghiệp , làm bao lâu một lần?", "kế hoạch bản đồ số nông nghiệp"),
    ("theo KH ứng dụng bản đồ số , thì báo cáo gửi ai?", "KH ứng dụng bản đồ số"),
    ("đề án bản đồ số nông nghiệp có những gì?", "đề án bản đồ số nông nghiệp"),
])
def test_the_words_naming_the_plan_are_found(text, named):
    rest = without_plan_reference(text, plan_words_of(TITLES))
    assert named not in rest and rest.replace(" , ", "").strip()


def test_a_plan_named_by_the_strategy_it_carries_out():
    """A plan that carries out a national strategy is named by it ("triển khai chiến lược quốc gia về
    kinh tế số và xã hội số"): those words name the document, the figure asked for stays."""
    titles = ["Kế hoạch triển khai Chiến lược quốc gia phát triển kinh tế số và xã hội số đến năm 2025"]
    rest = without_plan_reference("Tỉnh triển khai chiến lược quốc gia về kinh tế số và xã hội số, vậy "
                                  "tỷ trọng kinh tế số trong GRDP đạt mấy %?", plan_words_of(titles))
    assert "chiến lược" not in rest and "tỷ trọng kinh tế số trong GRDP đạt mấy %" in rest


@pytest.mark.parametrize("text", ["các sở phải xây dựng kế hoạch gì?", "kế hoạch này có mục tiêu gì?"])
def test_a_plan_noun_without_title_words_is_the_topic(text):
    assert without_plan_reference(text, plan_words_of(TITLES)) == text


def test_a_clause_repeating_the_title_does_not_outrank_the_answer(kon_tum):
    question = "Việc đánh giá kết quả của kế hoạch ứng dụng bản đồ số nông nghiệp Kon Tum làm mấy tháng một lần?"
    answer = kon_tum.ask(question).answer
    assert answer.startswith("Sáu tháng một lần") and "được triển khai đồng bộ" not in answer, answer
    with tuning.neutral("plan_name_weight"):
        assert "được triển khai đồng bộ" in kon_tum.ask(question).answer


# --- years that name the plan, not what is asked ------------------------------------------------

BUDGET_PLAN = """ỦY BAN NHÂN DÂN
TỈNH KON TUM
Số: 63/KH-UBND
KẾ HOẠCH
Số hóa và chuyển đổi số tỉnh Kon Tum giai đoạn 2024 - 2026
II. MỤC TIÊU
1. Mục tiêu đến năm 2025
- Tỷ lệ bệnh viện huyện dùng bệnh án điện tử đạt 10%.
2. Mục tiêu đến năm 2030
- Tỷ lệ bệnh viện huyện dùng bệnh án điện tử đạt 20%.
III. KINH PHÍ
Kinh phí bố trí năm 2025 là 27,5 tỷ đồng từ ngân sách tỉnh cho kho dữ liệu dùng chung.
"""


@pytest.fixture(scope="module")
def kon_tum_budget(tmp_path_factory, fake_embedder):
    return assistant_with_plans(tmp_path_factory.mktemp("kontum_budget"), fake_embedder, {"kon-tum-kh-63-2024": BUDGET_PLAN})


@pytest.mark.parametrize("question, years", [
    ("Riêng năm 2026 Kon Tum bố trí bao nhiêu tiền cho kế hoạch số hóa 2024-2026?", [2026]),
    ("KH số hóa 2024 của Kon Tum cần bao nhiêu kinh phí cho năm 2025?", [2025]),
    ("Kế hoạch chuyển đổi số năm 2024 của Kon Tum bố trí bao nhiêu kinh phí?", []),  # the year only says which plan
    ("Theo kế hoạch chuyển đổi số của Kon Tum, đến năm 2026 cần bao nhiêu kinh phí?", [2026]),  # a target year
    # when the plan was issued says which plan: "(ban hành tháng 3/2024) … đến năm 2026"
    ("Kế hoạch số hóa của Kon Tum (ban hành tháng 3/2024) đến năm 2026 cần bao nhiêu kinh phí?", [2026]),
    ("Kế hoạch số hóa Kon Tum ký ngày 5/3/2024 bố trí bao nhiêu kinh phí?", []),
])
def test_years_naming_the_plan_are_not_asked_when_another_is(question, years):
    from assistant.retrieve.plan_naming import asked_years
    from assistant.retrieve.analysis import understand

    assert asked_years(understand(question), plan_words_of(["Kế hoạch số hóa và chuyển đổi số tỉnh Kon Tum giai đoạn 2024 - 2026"])) == years


def test_a_figure_for_another_year_of_the_plan_is_no_answer(kon_tum_budget):
    asked = kon_tum_budget.ask("Riêng năm 2026 Kon Tum bố trí bao nhiêu tiền ngân sách cho kế hoạch số hóa 2024-2026?")
    assert asked.refused, asked.answer
    stated = kon_tum_budget.ask("Riêng năm 2025 Kon Tum bố trí bao nhiêu tiền ngân sách cho kế hoạch số hóa 2024-2026?")
    assert "27,5 tỷ đồng" in stated.answer


def test_a_yes_no_question_is_checked_against_the_year_it_asks_about(kon_tum_budget):
    """The clause about the year asked refutes the claim; the clause matching the claimed figure for
    another year does not confirm it."""
    answer = kon_tum_budget.ask("Có phải Kon Tum đặt mục tiêu 20% bệnh viện huyện dùng bệnh án điện tử ngay từ năm 2025 không?")
    assert "10%" in answer.answer and "20%" not in answer.answer, answer.answer


RESOLUTION = """HỘI ĐỒNG NHÂN DÂN
TỈNH LAI CHÂU
Số: 12/2023/NQ-HĐND
Lai Châu, ngày 14 tháng 7 năm 2023
NGHỊ QUYẾT
Về chuyển đổi số tỉnh Lai Châu đến năm 2025, định hướng đến năm 2030
Căn cứ Luật Tổ chức chính quyền địa phương ngày 19 tháng 6 năm 2015; Luật sửa đổi, bổ sung một số điều của Luật Tổ chức Chính phủ và Luật Tổ chức chính quyền địa phương ngày 22 tháng 11 năm 2019;
Căn cứ Quyết định số 749/QĐ-TTg ngày 03 tháng 6 năm 2020 của Thủ tướng Chính phủ phê duyệt Chương trình Chuyển đổi số quốc gia đến năm 2025, định hướng đến năm 2030;
Căn cứ Quyết định số 411/QĐ-TTg ngày 31 tháng 3 năm 2022 của Thủ tướng Chính phủ phê duyệt Chiến lược quốc gia phát triển kinh tế số và xã hội số đến năm 2025, định hướng đến năm 2030;
Xét Tờ trình số 88/TTr-UBND ngày 20 tháng 6 năm 2023 của Ủy ban nhân dân tỉnh.
Chương I. QUY ĐỊNH CHUNG
Điều 1. Thực trạng
Đến ngày 30 tháng 6 năm 2023, toàn tỉnh có 640 điểm phát sóng internet công cộng tại nhà văn hóa thôn, bản.
Chương II. MỤC TIÊU
Điều 2. Mục tiêu cụ thể đến năm 2025
1. Về chính quyền số
a) Tối thiểu 85% hồ sơ thủ tục hành chính được số hóa, lưu trữ điện tử.
Chương III. CHÍNH SÁCH
Điều 3. Chính sách hỗ trợ
1. Hỗ trợ kinh phí hoạt động cho tổ công nghệ số cộng đồng cấp xã mức 800.000 đồng/tổ/tháng.
Chương IV. NHIỆM VỤ
Điều 4. Nhân lực số
1. Tổ chức bồi dưỡng kỹ năng chuyển đổi số cho cán bộ, công chức, viên chức, người lao động trong các cơ quan nhà nước của tỉnh theo các chuyên đề quản trị dữ liệu, an toàn thông tin và khai thác nền tảng số dùng chung; bảo đảm hằng năm 100% cán bộ, công chức cấp xã được bồi dưỡng kỹ năng số cơ bản và 100% lãnh đạo cấp sở, cấp huyện được bồi dưỡng kiến thức quản trị chuyển đổi số; giao Sở Nội vụ chủ trì, phối hợp với Sở Thông tin và Truyền thông xây dựng kế hoạch bồi dưỡng hằng năm.
2. Tham mưu Hội đồng nhân dân tỉnh ban hành chính sách thu hút chuyên gia công nghệ số về làm việc tại tỉnh. Sở Khoa học và Công nghệ chủ trì soạn thảo dự thảo; Sở Tài chính chủ trì bố trí kinh phí thực hiện.
3. Triển khai Quyết định số 328/QĐ-UBND ngày 06/02/2023 của Ủy ban nhân dân tỉnh phê duyệt Chiến lược quản trị dữ liệu của tỉnh Lai Châu đến năm 2025.
Điều 5. Kinh phí thực hiện
1. Tổng kinh phí dự kiến thực hiện Nghị quyết giai đoạn 2023 - 2025 là 480 tỷ đồng, trong đó:
- Ngân sách tỉnh: 300 tỷ đồng;
- Ngân sách trung ương lồng ghép các chương trình mục tiêu quốc gia: 100 tỷ đồng;
- Nguồn xã hội hóa, vốn của doanh nghiệp viễn thông và các nguồn hợp pháp khác:
80 tỷ đồng.
2. Hằng năm, Ủy ban nhân dân tỉnh bố trí kinh phí trong dự toán ngân sách địa phương.
Điều 6. Tương tác với người dân
1. Thiết lập Tổng đài dịch vụ công của tỉnh hoạt động 24/7, tiếp nhận phản ánh của người dân qua điện thoại, tin nhắn và ứng dụng di động của tỉnh, kết nối với Hệ thống thông tin giải quyết thủ tục hành chính; các phản ánh phải được chuyển đến cơ quan có thẩm quyền trong vòng 02 giờ làm việc và được trả lời trong 07 ngày làm việc.
2. Lắp đặt điểm truy cập Internet không dây công cộng miễn phí tại nhà văn hóa các bản, chợ trung tâm xã, trạm y tế xã, bến xe khách và các điểm du lịch cộng đồng như Sìn Hồ, Sin Suối Hồ, Pu Ta Leng, Pác Ngòi, bảo đảm tốc độ truy cập tối thiểu cho khách du lịch và người dân vùng cao được kết nối khi sử dụng dịch vụ công trực tuyến, đến năm 2025 đạt tối thiểu 320 điểm truy cập trên toàn tỉnh.
"""
RESOLUTION_TITLE = "Về chuyển đổi số tỉnh Lai Châu đến năm 2025, định hướng đến năm 2030"


@pytest.fixture(scope="module")
def lai_chau_resolution(tmp_path_factory, fake_embedder):
    return assistant_with_plans(tmp_path_factory.mktemp("laichau_nq"), fake_embedder, {"lai-chau-nq-12-2023": RESOLUTION})


@pytest.mark.parametrize("question", [
    "Nghị quyết chuyển đổi số 2023 của Lai Châu hỗ trợ tổ công nghệ số bao nhiêu tiền?",
    "theo NQ CĐS 2023 cua HDND tinh Lai Chau thi ho tro to cong nghe so bao nhieu tien?",
    "Nghị quyết chuyển đổi số của HĐND tỉnh Lai Châu năm 2023 hỗ trợ tổ công nghệ số bao nhiêu tiền?",  # issuer between
])
def test_the_year_of_a_resolution_named_by_it_is_not_asked(question):
    """Every kind of issuing document names a plan, a People's Council resolution ("nghị quyết", "NQ")
    as much as a "kế hoạch": its year says which plan, its figures are for 2025 and 2030."""
    from assistant.retrieve.plan_naming import asked_years
    from assistant.retrieve.analysis import understand

    assert asked_years(understand(question), plan_words_of([RESOLUTION_TITLE])) == []


def test_a_resolution_named_with_its_year_answers_with_its_figures(lai_chau_resolution):
    asked = lai_chau_resolution.ask("theo nghi quyet chuyen doi so 2023 cua Lai Chau, to cong nghe so cong dong cap xa duoc ho tro bao nhieu tien moi thang?")
    assert not asked.refused and "800.000" in asked.answer, asked.answer


def test_a_situation_asked_as_of_a_date_is_answered_by_the_clause_dated_then(lai_chau_resolution):
    """"Giữa năm 2023" asks about 2023; the clause reports "Đến ngày 30 tháng 6 năm 2023" — a date's year
    is a year the clause speaks about, though not one it targets."""
    asked = lai_chau_resolution.ask("Đến giữa năm 2023 Lai Châu có bao nhiêu điểm phát sóng internet công cộng?")
    assert not asked.refused and "640" in asked.answer, asked.answer


def test_who_leads_a_long_clause_is_kept_when_the_clause_is_clipped(lai_chau_resolution):
    """A one-paragraph khoản packs the task, its targets and, last, "giao Sở … chủ trì": asked who, the
    answer keeps the clause that assigns the lead, with as much of the task as fits."""
    asked = lai_chau_resolution.ask("Lai Châu: cơ quan nào lo việc bồi dưỡng kỹ năng số cho cán bộ công chức hằng năm?")
    assert not asked.refused and "Sở Nội vụ chủ trì" in asked.answer, asked.answer
    assert asked.answer.startswith("Tổ chức bồi dưỡng"), asked.answer


def test_who_leads_is_read_from_the_item_s_next_sentence(lai_chau_resolution):
    """"2. Tham mưu … ban hành chính sách thu hút chuyên gia. Sở Khoa học và Công nghệ chủ trì soạn thảo
    …": the task found names no one; the sentence after it in the same item says who leads."""
    asked = lai_chau_resolution.ask("Lai Châu: chính sách thu hút chuyên gia công nghệ số về tỉnh làm việc thì sở nào lo?")
    assert not asked.refused and "Sở Khoa học và Công nghệ chủ trì" in asked.answer, asked.answer


def test_the_documents_a_plan_rests_on_come_whole_when_asked_for_all(lai_chau_resolution):
    """Its "Căn cứ …;" lines read as one long sentence; asked which decisions it rests on, all of them
    ("những … nào", "kể hết"), the answer keeps every line, not the one clause that matched best."""
    asked = lai_chau_resolution.ask("Nghị quyết CĐS của Lai Châu được ban hành căn cứ vào những quyết định nào của Thủ tướng? kể hết")
    assert "749/QĐ-TTg" in asked.answer and "411/QĐ-TTg" in asked.answer, asked.answer


def test_a_date_asked_of_a_document_the_plan_cites_is_that_document_s(lai_chau_resolution):
    """Described by what it approves, the decision asked about is one the plan cites, not the plan."""
    cited = lai_chau_resolution.ask("Quyết định của UBND tỉnh Lai Châu phê duyệt chiến lược quản trị dữ liệu ban hành ngày nào?")
    assert "06/02/2023" in cited.answer, cited.answer
    own = lai_chau_resolution.ask("Nghị quyết về chuyển đổi số của tỉnh Lai Châu ban hành ngày nào?")
    assert "06/02/2023" not in own.answer and "2023" in own.answer and "7" in own.answer, own.answer


def test_a_total_asked_with_its_parts_comes_with_every_part(lai_chau_resolution):
    """"1. Tổng kinh phí … là 480 tỷ đồng, trong đó:" is a heading its bullets sit under; asked for the
    total and where it comes from ("những nguồn nào"), the answer is the heading and every bullet, the
    last one's figure on its own wrapped line included."""
    asked = lai_chau_resolution.ask("tong kinh phi nghi quyet chuyen doi so Lai Chau la bao nhieu, chia ra tu nhung nguon nao?")
    for part in ("480 tỷ đồng", "300 tỷ đồng", "100 tỷ đồng", "80 tỷ đồng"):
        assert part in asked.answer, asked.answer


def test_a_time_limit_is_a_time(lai_chau_resolution):
    """"trong 07 ngày làm việc" answers "bao lâu" as much as a date does; "24/7" is no deadline."""
    asked = lai_chau_resolution.ask("Gọi tổng đài dịch vụ công của Lai Châu phản ánh thì bao lâu sẽ được trả lời?")
    assert "07 ngày làm việc" in asked.answer, asked.answer


def test_a_figure_with_any_counting_word_survives_clipping(lai_chau_resolution):
    """The figure asked for ends a sentence too long to quote whole; "320 điểm" is kept, whatever
    the counting word."""
    asked = lai_chau_resolution.ask("Đến 2025 Lai Châu định lắp bao nhiêu điểm wifi công cộng miễn phí?")
    assert "320" in asked.answer, asked.answer


@pytest.mark.parametrize("question, aside", [
    ("Lai Châu hỗ trợ tổ công nghệ số cấp xã bao nhiêu tiền mỗi tháng? Mình cần số liệu để viết báo cáo môn học.",
     {"bao_cao", "mon_hoc"}),
    ("Lai Châu hỗ trợ tổ công nghệ số cấp xã bao nhiêu tiền mỗi tháng? Không phải tổ cấp thôn nhé.", {"cap_thon"}),
])
def test_a_sentence_that_asks_nothing_is_set_aside(question, aside):
    """A reason or a clarification typed around the question is not what a clause must hold."""
    from assistant.retrieve.plan_naming import aside_tokens

    assert aside <= aside_tokens(question)
    assert not {"ho_tro", "cong_nghe"} & aside_tokens(question)


def test_a_question_with_a_reason_typed_after_it_is_still_answered(lai_chau_resolution):
    asked = lai_chau_resolution.ask("Lai Châu hỗ trợ tổ công nghệ số cấp xã bao nhiêu tiền mỗi tháng? "
                                    "Mình cần số liệu để viết báo cáo môn học ở trường.")
    assert not asked.refused and "800.000" in asked.answer, asked.answer


CARRYING_OUT = """ỦY BAN NHÂN DÂN
TỈNH CAO BẰNG
Số: 58/KH-UBND
Cao Bằng, ngày 12 tháng 4 năm 2024
KẾ HOẠCH
Triển khai Quyết định số 127/QĐ-TTg ngày 26/01/2021 của Thủ tướng Chính phủ về chiến lược trí tuệ nhân tạo trên địa bàn tỉnh Cao Bằng
(Kèm theo Quyết định số 611/QĐ-UBND ngày 12/4/2024 của Ủy ban nhân dân tỉnh Cao Bằng)
Căn cứ Quyết định số 127/QĐ-TTg ngày 26/01/2021 của Thủ tướng Chính phủ;
I. MỤC TIÊU
Đến năm 2025, mỗi sở, ngành có ít nhất một ứng dụng trí tuệ nhân tạo phục vụ người dân.
TM. ỦY BAN NHÂN DÂN
KT. CHỦ TỊCH
PHÓ CHỦ TỊCH
Nông Thanh Tùng
"""


@pytest.fixture(scope="module")
def cao_bang(tmp_path_factory, fake_embedder):
    return assistant_with_plans(tmp_path_factory.mktemp("caobang"), fake_embedder, {"cao-bang-kh-58-2024": CARRYING_OUT})


def test_a_plan_called_by_the_decision_it_carries_out_answers_about_itself(cao_bang):
    """"Kế hoạch 127" is the plan whose title carries out Quyết định 127 (its own number is 58): who
    signed it is read from its signature, not searched for in the text as another document's."""
    reply = cao_bang.ask("Ai ký Kế hoạch 127 về trí tuệ nhân tạo của Cao Bằng vậy?")
    assert "Nông Thanh Tùng" in reply.answer


def test_the_decision_itself_named_with_its_own_kind_is_another_document():
    from assistant.retrieve.plan_fields import meta_fields
    assert meta_fields("Quyết định 127/QĐ-TTg ký ngày nào?", {"58"}, {"127/KH"}) == []
    assert meta_fields("Kế hoạch 127 ký ngày nào?", {"58"}, {"127/KH"}) == ["date"]


def test_the_document_a_plan_is_attached_to_is_quoted(cao_bang):
    reply = cao_bang.ask("Kế hoạch trí tuệ nhân tạo của Cao Bằng được ban hành kèm theo văn bản gì?")
    assert "611/QĐ-UBND" in reply.answer and reply.citations


def test_a_plan_carrying_out_another_is_named_through_both():
    """"KH thực hiện chiến lược kinh tế số …" names one plan; "báo cáo" after it is the topic, though
    a report is a kind of document too."""
    words = plan_words_of(["Kế hoạch phát triển kinh tế số và xã hội số tỉnh Lai Châu năm 2024"])
    rest = without_plan_reference("KH thực hiện chiến lược kinh tế số, xã hội số đặt mục tiêu gì", words)
    assert "thực hiện" not in rest and "mục tiêu" in rest, rest
    rest = without_plan_reference("KH kinh tế số, xã hội số thì báo cáo định kỳ gửi ai", words)
    assert "báo cáo định kỳ" in rest, rest
