""""Có bao nhiêu chỉ tiêu …?" is answered by counting the asked list's items when no clause states the
number: the bullets of the section the question names, at the list's first level (the "+" details
under an item are not items of their own). A count of the document's parts ("mấy nhóm nhiệm vụ")
still counts numbered sections. Pinned on a plan outside the shipped corpus (Sơn La, written here).
"""

from __future__ import annotations

import pytest
from corpus_docs import assistant_with_plans

from assistant.answer.section_outline import counts_parts, counts_parts_of_document

PLAN = """ỦY BAN NHÂN DÂN
TỈNH SƠN LA
Số: 57/KH-UBND
Sơn La, ngày 9 tháng 2 năm 2026
KẾ HOẠCH
Chuyển đổi số tỉnh Sơn La năm 2026
I. MỤC ĐÍCH
Đẩy mạnh chuyển đổi số toàn diện trên cả ba trụ cột chính quyền số, kinh tế số và xã hội số.
II. CHỈ TIÊU
1. Chính quyền số
Chỉ tiêu đến hết năm 2026
- 100% hồ sơ công việc cấp tỉnh được xử lý trên môi trường mạng;
- 90% thủ tục hành chính đủ điều kiện được cung cấp trực tuyến toàn trình;
- 80% hồ sơ trực tuyến được số hóa kết quả giải quyết;
- 100% xã, phường có bộ phận một cửa kết nối Cổng dịch vụ công.
2. Kinh tế số
Chỉ tiêu đến hết năm 2026
- Tỷ trọng kinh tế số đạt 12% GRDP, trong đó:
+ kinh tế số ngành công nghệ thông tin và viễn thông đạt 4%;
+ kinh tế số trong các ngành, lĩnh vực đạt 8%;
- 70% hợp tác xã nông nghiệp bán sản phẩm (xoài, mận, cà phê Arabica) trên sàn thương mại điện tử;
- 60% doanh nghiệp nhỏ và vừa sử dụng nền tảng số.
III. NHIỆM VỤ
1. Hoàn thiện thể chế
Ban hành quy chế khai thác, chia sẻ dữ liệu dùng chung của tỉnh trong quý II/2026.
2. Phát triển hạ tầng số
Phủ sóng 4G đến 100% bản vùng cao, xóa các điểm lõm sóng dọc biên giới.
3. Phát triển nhân lực số
Tập huấn kỹ năng số cho thành viên Tổ công nghệ số cộng đồng tại tất cả các bản.
IV. TỔ CHỨC THỰC HIỆN
Sở Khoa học và Công nghệ chủ trì theo dõi, đôn đốc thực hiện Kế hoạch.
"""


@pytest.fixture(scope="module")
def son_la(tmp_path_factory, fake_embedder):
    return assistant_with_plans(tmp_path_factory.mktemp("sonla"), fake_embedder, {"son-la-kh-57-2026": PLAN})


@pytest.mark.parametrize(("question", "count", "item"), [
    ("KH chuyển đổi số 2026 của Sơn La có bao nhiêu chỉ tiêu về chính quyền số vậy?", "4 mục", "toàn trình"),
    ("Chỉ tiu kinh tế số năm 2026 của Sơn La có mấy chỉ tiêu?", "3 mục", "nền tảng số"),  # "+" details are no items
])
def test_how_many_items_counts_the_list_the_question_names(son_la, question, count, item):
    answer = son_la.ask(question)
    assert not answer.refused and count in answer.answer and item in answer.answer, answer.answer
    assert answer.citations and answer.citations[0].doc_id == "son-la-kh-57-2026"


def test_how_many_groups_counts_the_numbered_sections(son_la):
    answer = son_la.ask("Phần nhiệm vụ trong kế hoạch chuyển đổi số năm 2026 của Sơn La chia làm mấy nhóm?")
    assert not answer.refused and "3 mục" in answer.answer and "nhân lực số" in answer.answer, answer.answer


def test_which_nouns_count_items_and_which_count_parts():
    assert counts_parts("có bao nhiêu chỉ tiêu về kinh tế số") and counts_parts("mấy dự án")
    assert not counts_parts("giá tối đa bao nhiêu đồng")  # "đồng" is money, never a row
    assert counts_parts_of_document("chia làm mấy nhóm") and counts_parts_of_document("có bao nhiêu mục")
    assert not counts_parts_of_document("có bao nhiêu chỉ tiêu")
