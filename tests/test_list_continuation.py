"""A list the chunker cut in two still comes whole when it is asked for whole, each item cited in the
chunk that holds it; a long item of such a list is shown by its head. The plan is written here (a
province the shipped corpus does not hold)."""

from __future__ import annotations

import pytest
from corpus_docs import assistant_with_plans

from assistant.answer.continuation import continued_chunks
from assistant.ingest.chunking import chunk_document
from assistant.ingest.structure import parse_document

PLAN = """ỦY BAN NHÂN DÂN
TỈNH LÀO CAI
Số: 41/KH-UBND
KẾ HOẠCH
Chuyển đổi số tỉnh Lào Cai năm 2025
I. NHIỆM VỤ
1. Nhận thức số
Các sở, ban, ngành và Ủy ban nhân dân các huyện, thị xã, thành phố chủ động tổ chức các hoạt động thông tin, tuyên truyền để thay đổi cách nghĩ, cách làm của cán bộ, công chức, viên chức về chuyển đổi số; người đứng đầu trực tiếp chỉ đạo, kiểm tra, đôn đốc và chịu trách nhiệm về kết quả chuyển đổi số tại cơ quan, đơn vị mình; lấy sự hài lòng của người dân, doanh nghiệp làm thước đo hiệu quả.
Những hoạt động mỗi cơ quan, đơn vị phải đưa vào kế hoạch năm của mình:
- Mở lớp bồi dưỡng kiến thức nền tảng về chuyển đổi số cho toàn bộ cán bộ, công chức, viên chức của cơ quan, đơn vị trong quý đầu tiên của năm.
- Tổ chức diễn đàn, tọa đàm chia sẻ kinh nghiệm chuyển đổi số giữa các xã vùng cao với các phường ở trung tâm thành phố Lào Cai.
- Tổ chức khóa học ngắn hạn về quản trị số cho chủ hợp tác xã, chủ hộ kinh doanh du lịch cộng đồng ở Sa Pa, Bắc Hà và Bát Xát.
- Đưa tin định kỳ về tiến độ chuyển đổi số của tỉnh trên Đài Phát thanh và Truyền hình Lào Cai và trang thông tin điện tử của các huyện.
- Vận động người dân các bản, thôn dùng ứng dụng dịch vụ công trên điện thoại, gồm các nội dung: cài đặt ứng dụng, đăng ký tài khoản định danh điện tử, nộp hồ sơ trực tuyến, thanh toán phí, lệ phí không dùng tiền mặt, tra cứu kết quả giải quyết hồ sơ, đánh giá mức độ hài lòng với cán bộ tiếp nhận, gửi phản ánh kiến nghị qua tổng đài 1022 của tỉnh.
2. Hạ tầng số
- Phủ sóng di động 4G đến toàn bộ thôn, bản vùng cao.
"""


@pytest.fixture(scope="module")
def lao_cai(tmp_path_factory, fake_embedder):
    return assistant_with_plans(tmp_path_factory.mktemp("laocai"), fake_embedder, {"lao-cai-kh-41-2025": PLAN})


def _plan_chunks(assistant):
    return [c for c in assistant.retriever.bundle.chunks if c.doc_id == "lao-cai-kh-41-2025"]


def test_the_plan_s_list_is_cut_across_two_chunks_and_joined_for_reading(lao_cai):
    chunks = [c for c in _plan_chunks(lao_cai) if c.heading_path and c.heading_path[-1] == "1. Nhận thức số"]
    assert len(chunks) >= 2  # the premise: the chunker cut the section inside the list
    joined = continued_chunks(chunks)
    assert chunks[0].chunk_id in joined
    first = joined[chunks[0].chunk_id]
    assert "Mở lớp bồi dưỡng" in first.text and "tổng đài 1022" in first.text
    assert first.start == chunks[0].start and first.end >= chunks[1].end


def test_a_list_cut_by_the_chunker_comes_whole_when_asked_for_whole(lao_cai):
    answer = lao_cai.ask("Kế hoạch CĐS Lào Cai bắt mỗi cơ quan phải đưa những hoạt động gì vào kế hoạch năm? kể hết giúp mình")
    assert not answer.refused
    for item in ("bồi dưỡng kiến thức nền tảng", "diễn đàn, tọa đàm", "quản trị số", "Đài Phát thanh", "Vận động người dân"):
        assert item in answer.answer, answer.answer
    # each item is cited in the chunk that holds it
    chunks = {c.chunk_id: c for c in _plan_chunks(lao_cai)}
    for citation in answer.citations:
        if citation.doc_id == "lao-cai-kh-41-2025" and citation.start is not None and citation.start >= 0:
            chunk = chunks[citation.chunk_id]
            assert chunk.start <= citation.start < chunk.end


def test_a_long_item_of_a_whole_list_is_shown_by_its_head(lao_cai):
    answer = lao_cai.ask("Kế hoạch CĐS Lào Cai bắt mỗi cơ quan phải đưa những hoạt động gì vào kế hoạch năm? kể hết giúp mình")
    assert "Vận động người dân" in answer.answer
    assert "tổng đài 1022" not in answer.answer  # the tail of the last, long item


def test_one_item_asked_about_is_not_answered_from_a_chunk_it_is_not_in(lao_cai):
    # Not a list question: the joined reading is for lists asked whole; the item's own chunk answers.
    answer = lao_cai.ask("Ở Lào Cai, khóa học quản trị số dành cho chủ hợp tác xã được tổ chức ở những nơi nào?")
    assert "Sa Pa" in answer.answer


def test_chunks_of_other_sections_are_not_joined():
    chunks = chunk_document(parse_document("lao-cai-kh-41-2025", PLAN))
    joined = continued_chunks(chunks)
    for chunk in joined.values():
        assert all(part.startswith("lao-cai") for part in chunk.extra["continued_by"])
        assert "4G" not in chunk.text  # "2. Hạ tầng số" is another section
