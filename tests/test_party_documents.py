"""A Party committee's action programme, written here (Hà Giang, not in the shipped corpus): its header
("TỈNH ỦY …" beside "ĐẢNG CỘNG SẢN VIỆT NAM", "CHƯƠNG TRÌNH HÀNH ĐỘNG"), its numbering with hyphens
(A- → I- → 1- → a-) and the way users name it ("chương trình CĐS 2024 của BTV Tỉnh ủy").
"""

from __future__ import annotations

import pytest
from corpus_docs import assistant_with_plans

from assistant.retrieve.plan_naming import plan_words_of, without_plan_reference
from assistant.ingest.metadata import extract_metadata
from assistant.ingest.structure import parse_document
from assistant.vi.tokens import bm25_tokens

STEM = "ha-giang-ctr-15-2024"
PLAN = """TỈNH ỦY HÀ GIANG                                    ĐẢNG CỘNG SẢN VIỆT NAM
          *
Số 15-CTr/TU                                  Hà Giang, ngày 20 tháng 3 năm 2024

CHƯƠNG TRÌNH HÀNH ĐỘNG
thực hiện Nghị quyết số 52-NQ/TW của Bộ Chính trị và đẩy mạnh chuyển đổi số tỉnh Hà Giang đến năm 2025
-----

Thực hiện Nghị quyết số 52-NQ/TW ngày 27/9/2019 của Bộ Chính trị, Ban Thường vụ Tỉnh ủy ban hành Chương trình hành động như sau:

A- KẾT QUẢ BƯỚC ĐẦU

I- KẾT QUẢ ĐẠT ĐƯỢC

1- Về chính quyền số
Hệ thống quản lý văn bản được dùng ở 100% cơ quan cấp tỉnh; Ban Thường vụ Tỉnh ủy đã ban hành nhiều văn bản chỉ đạo về chuyển đổi số.

II- HẠN CHẾ

a- Hạ tầng ở vùng cao còn thiếu: 37 thôn chưa có sóng di động.
b- Nhân lực công nghệ thông tin của cấp xã còn mỏng.

B- MỤC TIÊU

I- MỤC TIÊU CHUNG
Đến năm 2025, Hà Giang cơ bản hình thành chính quyền số ở cấp tỉnh.

II- MỤC TIÊU CỤ THỂ

1- Đến năm 2025
a- Chính quyền số
- 85% hồ sơ thủ tục hành chính được xử lý trực tuyến toàn trình.
b- Kinh tế số
- Có ít nhất 120 doanh nghiệp công nghệ số đang hoạt động trên địa bàn.

C- NHIỆM VỤ, GIẢI PHÁP

1- Phát triển xã hội số
a- Trong du lịch: số hóa các điểm đến trên cao nguyên đá Đồng Văn.
b- Triển khai chương trình công dân số ở các thôn bản, bảo đảm mỗi hộ gia đình vùng cao được hướng dẫn và hỗ trợ để từng bước có đủ điện thoại thông minh, tài khoản định danh điện tử mức 2, tài khoản thanh toán điện tử, địa chỉ số của hộ, chữ ký số cá nhân cho chủ hộ kinh doanh, và được tổ công nghệ số cộng đồng tập huấn kỹ năng số cơ bản tại nhà văn hóa thôn, gắn với phong trào xây dựng nông thôn mới của tỉnh.

D- TỔ CHỨC THỰC HIỆN

1- Ban cán sự đảng Ủy ban nhân dân tỉnh lãnh đạo Ủy ban nhân dân tỉnh xây dựng kế hoạch thực hiện, hoàn thành trước ngày 30/5/2024.
2- Văn phòng Tỉnh ủy theo dõi, báo cáo Ban Thường vụ Tỉnh ủy trước ngày 15/12 hằng năm.

T/M BAN THƯỜNG VỤ
PHÓ BÍ THƯ THƯỜNG TRỰC

Hoàng Văn Sơn
"""


@pytest.fixture(scope="module")
def ha_giang(tmp_path_factory, fake_embedder):
    return assistant_with_plans(tmp_path_factory.mktemp("party"), fake_embedder, {STEM: PLAN})


def test_hyphen_numbering_nests_like_dots():
    """"A- / I- / 1- / a-": each level is a heading of its own — a lettered item is not glued to its
    parent's title, and "I- MỤC TIÊU CHUNG" after "B- MỤC TIÊU" opens a new part."""
    root = parse_document(STEM, PLAN).root
    parts = [c for c in root.children if c.kind == "group"]
    assert [p.heading for p in parts] == ["A- KẾT QUẢ BƯỚC ĐẦU", "B- MỤC TIÊU", "C- NHIỆM VỤ, GIẢI PHÁP",
                                         "D- TỔ CHỨC THỰC HIỆN"]
    goals = parts[1]
    assert [c.heading for c in goals.children] == ["I- MỤC TIÊU CHUNG", "II- MỤC TIÊU CỤ THỂ"]
    by_2025 = goals.children[1].children[0]
    assert by_2025.heading == "1- Đến năm 2025"
    assert [(c.kind, c.heading) for c in by_2025.children] == [("letter", "a- Chính quyền số"),
                                                                ("letter", "b- Kinh tế số")]
    assert [c.number for c in parts[0].children[1].children] == ["a", "b"]


def test_the_party_header_names_committee_province_kind_and_title():
    meta = extract_metadata(STEM, PLAN)
    assert (meta.issuer, meta.province, meta.number, meta.date) == \
        ("Tỉnh ủy Hà Giang", "Hà Giang", "15-CTr/TU", "2024-03-20")
    assert meta.doc_type == "Chương trình"
    assert meta.title.startswith("Chương trình hành động thực hiện Nghị quyết số 52-NQ/TW")
    assert meta.short_label == "CTr 15-CTr/TU (Hà Giang)"


def test_btv_and_ctr_are_spelled_out():
    assert {"ban", "thuong", "vu"} <= set(bm25_tokens("BTV Tỉnh ủy"))
    assert {"chuong", "trinh"} <= set(bm25_tokens("theo CTr CĐS", is_query=True))


@pytest.mark.parametrize("question, gone", [
    ("chương trình hành động CĐS 2024 của Ban Thường vụ Tỉnh ủy Hà Giang có số hiệu là gì", "Thường vụ"),
    ("mục tiêu doanh nghiệp theo chương trình CĐS 2024 của BTV Tỉnh ủy là bao nhiêu", "BTV"),
    ("thấy chương trình hành động CĐS 2024 của tỉnh ủy có nói gì về du lịch", "ủy"),
])
def test_the_issuer_named_after_a_plan_reference_is_part_of_it(question, gone):
    words = plan_words_of([extract_metadata(STEM, PLAN).title])
    assert gone not in without_plan_reference(question, words)


def test_the_province_alone_after_a_reference_stays():
    words = plan_words_of([extract_metadata(STEM, PLAN).title])
    assert "du lịch" in without_plan_reference("chương trình hành động CĐS của tỉnh về du lịch", words)


def test_who_signed_is_answered_from_the_signature_when_the_question_names_the_committee(ha_giang):
    """"… của BTV Tỉnh ủy … ai ký (thay mặt BTV à)?": the plan is signed on behalf of the Standing Board,
    so the preamble citing another text of the Board does not describe the question better than it."""
    reply = ha_giang.ask("chương trình chuyển đổi số 2024 của BTV Tỉnh ủy Hà Giang ai ký vậy, thay mặt BTV à?")
    assert "Hoàng Văn Sơn" in reply.answer


def test_a_deadline_question_naming_the_committee_finds_the_duty(ha_giang):
    reply = ha_giang.ask("UBND tỉnh Hà Giang phải xây dựng kế hoạch thực hiện chương trình CĐS 2024 "
                         "của BTV Tỉnh ủy xong trước ngày nào?")
    assert "30/5/2024" in reply.answer


def test_a_list_question_keeps_the_items_that_fill_the_room(ha_giang):
    """A long clause cut to fit: for a list question the enumeration goes on while there is room,
    even past items that share no word with the question."""
    reply = ha_giang.ask("Theo chương trình của Tỉnh ủy Hà Giang, mỗi hộ gia đình vùng cao cần có "
                         "những gì để thành công dân số?")
    assert "tài khoản thanh toán điện tử" in reply.answer
    assert "địa chỉ số của hộ" in reply.answer
