"""Pins assistant.retrieve.analysis (and its follow-up rewriting): provinces, document numbers, years, intent, follow-ups, topic terms."""

import pytest

from assistant.retrieve.analysis import INTENTS, QueryInfo, understand
from assistant.retrieve.cues import canonical_province, province_names
from assistant.retrieve.followup import merge_followup, rewrite_followup
from assistant.vi.normalize import fold_diacritics

CORPUS_PROVINCES = ["Đồng Nai", "Bà Rịa - Vũng Tàu", "Thành phố Hồ Chí Minh", "Hải Dương", "Phú Yên"]


def plain(text: str) -> str:
    """The question as typed without diacritics."""
    return fold_diacritics(text).lower()


# --------------------------------------------------------------------------- provinces


@pytest.mark.parametrize(
    ("question", "province"),
    [
        ("Mục tiêu kinh tế số của Đồng Nai?", "Đồng Nai"),
        ("muc tieu kinh te so cua dong nai", "Đồng Nai"),
        ("Kế hoạch CĐS tỉnh Bà Rịa - Vũng Tàu năm 2024", "Bà Rịa - Vũng Tàu"),
        ("Kế hoạch CĐS tỉnh Bà Rịa – Vũng Tàu năm 2024", "Bà Rịa - Vũng Tàu"),
        ("chuyển đổi số ở BRVT", "Bà Rịa - Vũng Tàu"),
        ("chuyển đổi số ở BR-VT", "Bà Rịa - Vũng Tàu"),
        ("Vũng Tàu có bao nhiêu DVCTT?", "Bà Rịa - Vũng Tàu"),
        ("Kinh tế số TP.HCM", "Thành phố Hồ Chí Minh"),
        ("kinh te so tphcm", "Thành phố Hồ Chí Minh"),
        ("Kinh tế số TP. Hồ Chí Minh", "Thành phố Hồ Chí Minh"),
        ("Sài Gòn có kế hoạch gì", "Thành phố Hồ Chí Minh"),
        ("HCM đạt bao nhiêu %", "Thành phố Hồ Chí Minh"),
        ("Hải Dương năm 2022", "Hải Dương"),
        ("hai duong nam 2022", "Hải Dương"),
        ("Phú Yên", "Phú Yên"),
        ("Nghệ An có kế hoạch chuyển đổi số không?", "Nghệ An"),
        ("nghe an", "Nghệ An"),
        ("Ha Noi dat bao nhieu", "Thành phố Hà Nội"),
        ("HN có bao nhiêu DVCTT?", "Thành phố Hà Nội"),
        ("Đà Nẵng", "Thành phố Đà Nẵng"),
        ("Thanh Hoá", "Thanh Hóa"),
        ("Huế", "Thừa Thiên Huế"),
        ("Đắk Lắk", "Đắk Lắk"),
        ("dak lak", "Đắk Lắk"),
    ],
)
def test_understand_finds_the_province_with_or_without_diacritics(question, province):
    assert understand(question).provinces == [province]


def test_all_63_provinces_are_known_and_found_with_and_without_diacritics():
    names = province_names()
    assert len(names) == 63 == len(set(names))
    for name in names:
        assert understand(f"Kế hoạch chuyển đổi số của {name}?").provinces == [name]
        assert understand(plain(f"ke hoach chuyen doi so cua {name}")).provinces == [name]


@pytest.mark.parametrize(
    "question",
    ["Hạ tầng số năm 2025 ra sao?", "Việt Nam có bao nhiêu tỉnh?", "Tỷ lệ cao bằng các tỉnh khác?",
     "Kinh tế số là gì?"],
)
def test_understand_finds_no_province_in_ordinary_words(question):
    assert understand(question).provinces == []


def test_understand_lists_several_provinces_in_order():
    info = understand("So sánh Hải Dương, Đồng Nai và TP.HCM")
    assert info.provinces == ["Hải Dương", "Đồng Nai", "Thành phố Hồ Chí Minh"]


@pytest.mark.parametrize(
    ("question", "unknown"),
    [
        ("Kế hoạch chuyển đổi số của Nghệ An?", ["Nghệ An"]),
        ("ke hoach chuyen doi so ha noi", ["Thành phố Hà Nội"]),
        ("Đà Nẵng và Đồng Nai", ["Thành phố Đà Nẵng"]),
        ("Mục tiêu của TP.HCM", []),
        ("Mục tiêu của tỉnh", []),
    ],
)
def test_understand_reports_provinces_outside_the_corpus(question, unknown):
    assert understand(question, known_provinces=CORPUS_PROVINCES).unknown_provinces == unknown


def test_known_provinces_may_be_spelled_any_way():
    info = understand("Kinh tế số TP.HCM", known_provinces=["TP. Hồ Chí Minh", "Ba Ria - Vung Tau"])
    assert info.unknown_provinces == []


def test_without_known_provinces_nothing_is_unknown():
    assert understand("Nghệ An").unknown_provinces == []


@pytest.mark.parametrize(
    ("name", "canonical"),
    [("UBND tỉnh Đồng Nai", "Đồng Nai"), ("TP. Hồ Chí Minh", "Thành phố Hồ Chí Minh"),
     ("Bà Rịa – Vũng Tàu", "Bà Rịa - Vũng Tàu"), ("hai duong", "Hải Dương"), ("Sở Nội vụ", None)],
)
def test_canonical_province(name, canonical):
    assert canonical_province(name) == canonical


# --------------------------------------------------------------------------- documents and years


@pytest.mark.parametrize(
    ("question", "doc_numbers"),
    [
        ("Kế hoạch 198/KH-UBND có mục tiêu gì?", ["198/KH-UBND"]),
        ("Quyết định số 1728/QĐ-UBND ban hành ngày nào?", ["1728/QĐ-UBND"]),
        ("quyet dinh 1728/qd-ubnd", ["1728/QĐ-UBND"]),
        ("kế hoạch 198 có bao nhiêu chỉ tiêu", ["198/KH"]),
        ("Kế hoạch số 411 của TP.HCM", ["411/KH"]),
        ("quyết định 1728", ["1728/QĐ"]),
        ("KH 780", ["780/KH"]),
        ("kh 780 va qd 1728", ["780/KH", "1728/QĐ"]),
        ("Kế hoạch 2024 của BRVT", []),  # a year
        ("Tỷ lệ đạt 198 hồ sơ", []),
    ],
)
def test_understand_reads_document_numbers(question, doc_numbers):
    assert understand(question).doc_numbers == doc_numbers


@pytest.mark.parametrize(
    ("question", "years"),
    [
        ("Mục tiêu đến năm 2025?", [2025]),
        ("Còn năm 2030 thì sao?", [2030]),
        ("định hướng đến 2030", [2030]),
        ("giai đoạn 2021-2025", [2021, 2025]),
        ("giai đoạn 2021 - 2025", [2021, 2025]),
        ("từ năm 2022 đến năm 2025", [2022, 2025]),
        ("kế hoạch năm 2022 và 2023", [2022, 2023]),
        ("ban hành ngày 09/9/2022", [2022]),
        ("Kế hoạch 198/KH-UBND", []),
        ("Kế hoạch số 2024", []),  # a number, not a year
        ("tỷ lệ 80%", []),
    ],
)
def test_understand_reads_years(question, years):
    assert understand(question).years == years


# --------------------------------------------------------------------------- intent


@pytest.mark.parametrize(
    ("question", "wants"),
    [
        ("Tỷ trọng kinh tế số của Đồng Nai đến năm 2025 là bao nhiêu?", "number"),
        ("Mục tiêu tỷ trọng kinh tế số của Đồng Nai đến năm 2025?", "number"),
        ("Có mấy nhiệm vụ về hạ tầng số?", "number"),
        ("Tỷ lệ dân số có tài khoản thanh toán điện tử?", "number"),
        ("Ai chịu trách nhiệm triển khai nền tảng LGSP?", "agency"),
        ("Cơ quan nào chủ trì xây dựng kho dữ liệu?", "agency"),
        ("Đơn vị nào phụ trách an toàn thông tin?", "agency"),
        ("Sở nào chủ trì nhiệm vụ phát triển thương mại điện tử?", "agency"),
        ("Nhiệm vụ số hóa hồ sơ giao cho cơ quan nào thực hiện?", "agency"),
        ("Khi nào hoàn thành số hóa hồ sơ?", "time"),
        ("Thời hạn hoàn thành nền tảng IOC?", "time"),
        ("Bao giờ Phú Yên phủ sóng 5G?", "time"),
        ("Tỷ lệ dân số có tài khoản thanh toán điện tử đạt 60% vào năm nào?", "time"),
        ("Những nhiệm vụ trọng tâm năm 2024 gồm những gì?", "list"),
        ("Liệt kê các giải pháp phát triển xã hội số", "list"),
        ("Các nhiệm vụ nào thuộc lĩnh vực y tế?", "list"),
        ("Sở TT&TT phụ trách những nhiệm vụ nào?", "list"),
        ("Kế hoạch ưu tiên chuyển đổi số ở những ngành nào?", "list"),  # sectors, not agencies
        ("Sở, ngành nào chủ trì số hóa hồ sơ?", "agency"),
        ("Số hiệu kế hoạch về chuyển đổi số ở Hải Dương?", "meta"),
        ("Kế hoạch 198/KH-UBND do ai ký?", "meta"),
        ("Ai ký quyết định 1728?", "meta"),
        ("Quyết định 1728 được ký ngày nào?", "meta"),
        ("Chương trình chuyển đổi số của Phú Yên ban hành vào năm nào?", "meta"),
        ("Ngày ban hành kế hoạch của Đồng Nai?", "meta"),
        ("Văn bản nào quy định kinh tế số của TP.HCM?", "meta"),
        ("Kế hoạch 780 là của tỉnh nào?", "meta"),
        ("So sánh mục tiêu kinh tế số của Đồng Nai và Hải Dương", "compare"),
        ("Tỉnh nào có mục tiêu tỷ trọng kinh tế số cao nhất?", "compare"),
        ("Mục tiêu kinh tế số của Đồng Nai và Hải Dương khác nhau thế nào?", "compare"),
        ("Cả Đồng Nai và Hải Dương đều có chỉ tiêu về thương mại điện tử?", "compare"),
        ("Địa phương nào đặt mục tiêu 100% hồ sơ trực tuyến?", "compare"),
        # the question names its province: "của tỉnh nào" qualifies the things listed, it asks no province
        ("Gia Lai sẽ nâng cấp những phần mềm dùng chung của tỉnh nào trong năm tới?", "list"),
        ("Đồng Nai có mục tiêu thanh toán không dùng tiền mặt không?", "yesno"),
        ("Có phải Phú Yên xây dựng trung tâm IOC?", "yesno"),
        ("Hải Dương đã triển khai LGSP chưa?", "yesno"),
        ("Kinh tế số là gì?", "other"),
        ("Chuyển đổi số tỉnh Đồng Nai", "other"),
        # typed without marks "lực nào" reads as "lúc nào" (when): "chủ lực", "nguồn lực" are no time
        ("Tỉnh đưa những nông sản chủ lực nào lên sàn?", "list"),
        ("Kế hoạch dùng những nguồn lực nào?", "list"),
        # "những ai", "đối tượng nào": a set of people (who is trained, who benefits), not who leads
        ("Khóa tập huấn kỹ năng số dành cho những đối tượng nào?", "list"),
        ("Người được hỗ trợ thiết bị là những ai?", "list"),
        # "mấy giấy tờ đó" is "those papers", not "how many papers"
        ("Sở ngành còn bắt người dân nộp mấy giấy tờ đó không?", "yesno"),
        ("Tỉnh xây mấy trung tâm dữ liệu?", "number"),
        # someone's duty to issue a document by a date is a deadline, not the plan's own date of issue
        ("Các thị xã phải ban hành kế hoạch riêng trước ngày nào?", "time"),
        ("Nghị quyết mà kế hoạch căn cứ vào ban hành ngày nào?", "meta"),
        # "mấy" after a unit of the calendar asks when, not how many
        ("Quy chế chia sẻ dữ liệu dự kiến ban hành quý mấy năm 2026?", "time"),
        ("Các sở gửi báo cáo hằng quý trước ngày mấy?", "time"),
        ("Hội thi sáng kiến số tổ chức vào tháng mấy?", "time"),
    ],
)
def test_understand_reads_what_the_question_asks_for(question, wants):
    assert understand(question).wants == wants
    assert understand(plain(question)).wants == wants


def test_how_strongly_a_list_is_asked_is_kept():
    """"những … nào" / "kể hết" ask for a list in so many words; "cái gì" only leans that way."""
    assert understand("Tỉnh triển khai những nền tảng nào? kể hết").intent_weight >= 4
    assert understand("Chuyển đổi số logistics tập trung vào cái gì?").intent_weight < 4


def test_every_intent_is_named():
    assert set(INTENTS) == {"number", "agency", "time", "list", "meta", "compare", "yesno", "other"}


# --------------------------------------------------------------------------- follow-ups and topics


@pytest.mark.parametrize(
    "question",
    ["Còn năm 2030 thì sao?", "Ai chịu trách nhiệm việc đó?", "còn Hải Dương?", "Thế còn TP.HCM?",
     "Vậy ai chủ trì?", "Hải Dương thì sao?", "Năm 2030?", "Ai ký?", "Những nhiệm vụ đó do ai chủ trì?",
     "Các chỉ tiêu trên do cơ quan nào theo dõi?", "con nam 2030 thi sao", "ai chiu trach nhiem viec do"],
)
def test_understand_spots_elliptical_follow_ups(question):
    assert understand(question).is_followup


@pytest.mark.parametrize(
    "question",
    ["Mục tiêu tỷ trọng kinh tế số của Đồng Nai đến năm 2025?", "Kế hoạch 780 do ai ký?",
     "Trong đó tỷ lệ doanh nghiệp sử dụng hợp đồng điện tử là bao nhiêu?",
     "Tỷ lệ thanh toán không dùng tiền mặt hiện nay?", "Phú Yên ban hành chương trình khi nào?",
     "Tỷ lệ hồ sơ trực tuyến trên 50% ở đâu?"],
)
def test_understand_does_not_take_standalone_questions_for_follow_ups(question):
    assert not understand(question).is_followup


@pytest.mark.parametrize(
    ("question", "topic_terms"),
    [
        ("Mục tiêu tỷ trọng kinh tế số của Đồng Nai đến năm 2025 là bao nhiêu?",
         ["mục tiêu tỷ trọng kinh tế số"]),
        ("muc tieu ty trong kinh te so cua dong nai den nam 2025 la bao nhieu",
         ["muc tieu ty trong kinh te so"]),
        ("Cơ quan nào chủ trì triển khai nền tảng LGSP ở BRVT?",
         ["triển khai nền tảng tích hợp chia sẻ dữ liệu cấp tỉnh"]),
        ("Những nhiệm vụ trọng tâm CĐS năm 2024 của Bà Rịa - Vũng Tàu gồm những gì?",
         ["nhiệm vụ trọng tâm chuyển đổi số"]),
        ("Kế hoạch số 198/KH-UBND có bao nhiêu chỉ tiêu về thanh toán không dùng tiền mặt?",
         ["chỉ tiêu", "thanh toán không dùng tiền mặt"]),
        ("Các chỉ tiêu trên do cơ quan nào theo dõi?", ["chỉ tiêu", "theo dõi"]),
        ("Ai chịu trách nhiệm việc đó?", []),
        ("Còn năm 2030 thì sao?", []),
    ],
)
def test_topic_terms_leave_out_question_words_places_years_and_documents(question, topic_terms):
    assert understand(question).topic_terms == topic_terms


HISTORY = ["Mục tiêu tỷ trọng kinh tế số của Đồng Nai đến năm 2025?"]


@pytest.mark.parametrize(
    ("history", "question", "rewritten"),
    [
        (HISTORY, "Còn năm 2030 thì sao?", "Mục tiêu tỷ trọng kinh tế số của Đồng Nai đến năm 2030?"),
        (HISTORY, "con nam 2030 thi sao", "Mục tiêu tỷ trọng kinh tế số của Đồng Nai đến năm 2030?"),
        (HISTORY, "Năm 2030 là bao nhiêu?", "Mục tiêu tỷ trọng kinh tế số của Đồng Nai đến năm 2030?"),
        (HISTORY, "còn Hải Dương?", "Mục tiêu tỷ trọng kinh tế số của Hải Dương đến năm 2025?"),
        (HISTORY, "Thế còn TP.HCM thì sao?",
         "Mục tiêu tỷ trọng kinh tế số của Thành phố Hồ Chí Minh đến năm 2025?"),
        (HISTORY, "Ai chịu trách nhiệm việc đó?",
         "Ai chịu trách nhiệm mục tiêu tỷ trọng kinh tế số của Đồng Nai đến năm 2025?"),
        (HISTORY, "Ai chủ trì?", "Ai chủ trì mục tiêu tỷ trọng kinh tế số của Đồng Nai đến năm 2025?"),
        (HISTORY, "Còn tỷ lệ doanh nghiệp sử dụng hợp đồng điện tử?",
         "Tỷ lệ doanh nghiệp sử dụng hợp đồng điện tử của Đồng Nai đến năm 2025?"),
        ([*HISTORY, "Còn năm 2030 thì sao?"], "còn Hải Dương?",
         "Mục tiêu tỷ trọng kinh tế số của Hải Dương đến năm 2030?"),
        (["Bà Rịa - Vũng Tàu có những nhiệm vụ chuyển đổi số nào trong năm 2024?"],
         "Những nhiệm vụ đó do ai chủ trì?",
         "Những nhiệm vụ chuyển đổi số của Bà Rịa - Vũng Tàu trong năm 2024 do ai chủ trì?"),
        (["Kế hoạch 198 đặt mục tiêu gì về kinh tế số?"], "Ai ký?", "Ai ký Kế hoạch 198?"),
        (["Kế hoạch 198 đặt mục tiêu gì về kinh tế số?"], "còn Phú Yên?",
         "Kế hoạch của Phú Yên đặt mục tiêu gì về kinh tế số?"),
    ],
)
def test_rewrite_followup_makes_a_standalone_question(history, question, rewritten):
    assert rewrite_followup(question, history) == rewritten


@pytest.mark.parametrize(
    "question",
    ["Kế hoạch 780 do ai ký?", "Tỷ lệ doanh nghiệp sử dụng nền tảng số của Hải Dương là bao nhiêu?"],
)
def test_rewrite_followup_leaves_standalone_questions_alone(question):
    assert rewrite_followup(question, HISTORY) == question


def test_rewrite_followup_without_history_returns_the_question():
    assert rewrite_followup("  Còn năm 2030 thì sao? ", []) == "Còn năm 2030 thì sao?"


def test_merge_followup_inherits_province_topic_and_years():
    merged = merge_followup(understand("Ai chịu trách nhiệm việc đó?"), understand(HISTORY[0]))
    assert merged.provinces == ["Đồng Nai"]
    assert merged.years == [2025]
    assert merged.topic_terms == ["mục tiêu tỷ trọng kinh tế số"]
    assert merged.wants == "agency"
    assert merged.is_followup


def test_merge_followup_keeps_the_previous_intent_for_a_bare_slot():
    merged = merge_followup(understand("Còn năm 2030 thì sao?"), understand(HISTORY[0]))
    assert (merged.wants, merged.years, merged.provinces) == ("number", [2030], ["Đồng Nai"])


def test_merge_followup_switching_province_drops_the_previous_document():
    previous = understand("Kế hoạch 198/KH-UBND của Đồng Nai có mục tiêu gì về kinh tế số?")
    merged = merge_followup(understand("Còn Hải Dương thì sao?", CORPUS_PROVINCES), previous)
    assert merged.provinces == ["Hải Dương"]
    assert merged.doc_numbers == []
    assert merged.topic_terms == previous.topic_terms
    assert "198" not in merged.text and "Hải Dương" in merged.text


def test_merge_followup_carries_unknown_provinces_over():
    previous = understand("Kế hoạch chuyển đổi số của Nghệ An?", CORPUS_PROVINCES)
    merged = merge_followup(understand("Còn năm 2030 thì sao?", CORPUS_PROVINCES), previous)
    assert merged.unknown_provinces == ["Nghệ An"]


def test_merge_followup_returns_a_standalone_question_unchanged():
    current = understand("Tỷ lệ doanh nghiệp sử dụng nền tảng số của Hải Dương là bao nhiêu?")
    assert merge_followup(current, understand(HISTORY[0])) is current


def test_query_info_is_a_plain_record():
    info = understand("Mục tiêu của Đồng Nai đến năm 2025?")
    assert isinstance(info, QueryInfo)
    assert info.text == "Mục tiêu của Đồng Nai đến năm 2025?"


def test_query_cue_rows_name_a_known_role_intent_and_weight():
    from assistant.vi.resources import read_data

    roles = {"question", "cue", "hint", "followup", "followup_start", "demonstrative", "head", "generic"}
    for role, intent, weight, phrases in read_data("query_cues.tsv"):
        assert role in roles
        assert intent in {*INTENTS, "place", "-"}
        assert int(weight) >= 0 and phrases


@pytest.mark.parametrize("question", [
    "Mục tiêu tỷ trọng kinh tế số của Đồng Nai đến năm 2025?",
    "Sở Y tế Đồng Nai có nhiệm vụ gì?",
    "ai ky ke hoach 780 cua hai duong",
])
def test_a_question_is_analysed_once_per_answer(fast_assistant, monkeypatch, question):
    """The QueryInfo read at the start travels down: retrieval and answering never re-read the question."""
    import assistant.answer.cross_plan
    import assistant.answer.profile
    import assistant.retrieve.analysis
    import assistant.retrieve.followup
    import assistant.retrieve.plan_fields

    calls = []
    original = assistant.retrieve.analysis.analyze

    def counting(text):
        calls.append(text)
        return original(text)

    for module in (assistant.retrieve.analysis, assistant.retrieve.followup, assistant.retrieve.plan_fields,
                   assistant.answer.profile, assistant.answer.cross_plan):
        monkeypatch.setattr(module, "analyze", counting)
    fast_assistant.ask(question)
    assert len(calls) == 1
