""""Có bao nhiêu chỉ tiêu …?" is answered by counting the asked list's items when no clause states the
number: the bullets of the section the question names, at the list's first level (the "+" details
under an item are not items of their own). A count of the document's parts ("mấy nhóm nhiệm vụ")
still counts numbered sections, and "Sở X chủ trì bao nhiêu nhiệm vụ?" counts the rows of the plan's
task table that agency leads (in the group asked about, alone when asked so). Pinned on a plan outside
the shipped corpus (Sơn La, written here).
"""

from __future__ import annotations

import pytest
from corpus_docs import assistant_with_plans

from assistant.answer.row_counts import counts_rows
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
PHỤ LỤC
DANH MỤC NHIỆM VỤ NĂM 2026
TT | Nhiệm vụ | Cơ quan chủ trì | Thời gian hoàn thành
I | HẠ TẦNG SỐ | |
1 | Xóa điểm lõm sóng tại các bản vùng cao biên giới | Sở Khoa học và Công nghệ | Quý IV/2026
2 | Nâng cấp mạng truyền số liệu chuyên dùng đến cấp xã | Sở Khoa học và Công nghệ | Quý III/2026
3 | Lắp camera giám sát giao thông tại đèo Pha Đin | Công an tỉnh | Quý IV/2026
II | DỮ LIỆU SỐ | |
4 | Xây dựng kho dữ liệu dùng chung của tỉnh | Sở Khoa học và Công nghệ | Quý II/2026
5 | Số hóa sổ hộ tịch | Sở Tư pháp | Quý IV/2026
6 | Xây dựng cơ sở dữ liệu nông sản (xoài, mận, cà phê) | Sở Nông nghiệp và Môi trường, Sở Khoa học và Công nghệ | Quý IV/2026
III | CHUYỂN ĐỔI SỐ CÁC NGÀNH | |
7 | Triển khai bệnh án điện tử tại bệnh viện đa khoa tỉnh | Sở Y tế | Quý IV/2026
8 | Triển khai học bạ số cấp trung học cơ sở | Sở Giáo dục và Đào tạo | Quý III/2026
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


@pytest.mark.parametrize(("question", "count", "task"), [
    ("Trong phụ lục KH chuyển đổi số 2026 Sơn La, Sở KH&CN chủ trì bao nhiêu nhiệm vụ?", "4 nhiệm vụ", "kho dữ liệu"),
    ("Phụ lục KH CĐS 2026 của Sơn La: Sở Khoa học và Công nghệ là đơn vị chủ trì duy nhất của mấy nhiệm vụ?",
     "3 nhiệm vụ", "mạng truyền số liệu"),  # the co-led row is not its alone
    ("Bảng nhiệm vụ KH CĐS 2026 Sơn La, nhóm dữ liệu số có bao nhiêu nhiệm vụ?", "3 nhiệm vụ", "hộ tịch"),
    # two groups named: the one right after "nhóm" is counted, the other only places it
    ("Phụ lục KH CĐS 2026 Sơn La, nhóm dữ liệu số (sau phần hạ tầng số) có mấy nhiệm vụ?", "3 nhiệm vụ", "hộ tịch"),
    ("Phụ lục KH CĐS 2026 Sơn La, phần các ngành có mấy nhiệm vụ?", "2 nhiệm vụ", "học bạ số"),
    ("Sở nào chủ trì nhiều nhiệm vụ nhất trong phụ lục KH chuyển đổi số 2026 của Sơn La, bao nhiêu nhiệm vụ?",
     "3 nhiệm vụ", "Sở Khoa học và Công nghệ"),
])
def test_how_many_tasks_counts_the_rows_of_the_task_table(son_la, question, count, task):
    answer = son_la.ask(question)
    assert not answer.refused and answer.answer.startswith(count) and task in answer.answer, answer.answer
    assert answer.citations and all(c.doc_id == "son-la-kh-57-2026" for c in answer.citations)


def test_a_sum_of_money_is_no_row_count():
    assert counts_rows("Sở Tư pháp chủ trì bao nhiêu dòng trong phụ lục?")
    assert not counts_rows("phi toi da bao nhieu dong")  # "đồng" typed bare: money, not rows


def test_which_tasks_an_agency_leads_lists_the_rows_it_leads(son_la):
    answer = son_la.ask("Trong phụ lục KH CĐS 2026 của Sơn La, Sở KH&CN chủ trì những nhiệm vụ nào?")
    assert not answer.refused and answer.answer.startswith("4 nhiệm vụ"), answer.answer
    for task in ("lõm sóng", "mạng truyền số liệu", "kho dữ liệu", "nông sản"):
        assert task in answer.answer, answer.answer


def test_a_list_not_asked_of_a_table_is_no_row_list():
    assert counts_rows("Sở Y tế chủ trì những nhiệm vụ nào trong phụ lục?")
    assert not counts_rows("Sở Y tế có những nhiệm vụ gì?")  # its duties in the plan's body, answered elsewhere


def test_which_tasks_a_table_group_holds_lists_its_rows(son_la):
    answer = son_la.ask("Phụ lục KH CĐS 2026 của Sơn La, nhóm dữ liệu số gồm những nhiệm vụ nào?")
    assert not answer.refused and answer.answer.startswith("3 nhiệm vụ"), answer.answer
    assert "hộ tịch" in answer.answer and "nông sản" in answer.answer and "lõm sóng" not in answer.answer
