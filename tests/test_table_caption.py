"""A table's caption line ("Bảng 1. Một số chỉ số hiện trạng đến hết năm 2025") says what every row
states and as of when: the rows carry it (and the table belongs to the section, not to the point
written just above it), so "tỷ lệ … hết năm 2025 là bao nhiêu" is answered by the
row of that table even when the section above it names other years. Pinned on a scheme outside the
shipped corpus (a Lai Châu Đề án in "Phần thứ …" parts, written here).
"""

from __future__ import annotations

import pytest
from corpus_docs import assistant_with_plans

from assistant.ingest.chunking import chunk_document
from assistant.ingest.structure import parse_document

PLAN = """ỦY BAN NHÂN DÂN
TỈNH LAI CHÂU
Số: 903/QĐ-UBND
Lai Châu, ngày 3 tháng 6 năm 2026
QUYẾT ĐỊNH
Phê duyệt Đề án Phát triển đô thị thông minh và dữ liệu số tỉnh Lai Châu giai đoạn 2026 - 2030
CHỦ TỊCH ỦY BAN NHÂN DÂN TỈNH LAI CHÂU
Căn cứ Luật Dữ liệu ngày 30 tháng 11 năm 2024;
Xét đề nghị của Giám đốc Sở Khoa học và Công nghệ tại Tờ trình số 88/TTr-SKHCN ngày 20 tháng 5 năm 2026.
QUYẾT ĐỊNH:
Điều 1. Phê duyệt Đề án Phát triển đô thị thông minh và dữ liệu số tỉnh Lai Châu giai đoạn 2026 - 2030 (có Đề án kèm theo).
Điều 2. Quyết định này có hiệu lực kể từ ngày ký. Chánh Văn phòng UBND tỉnh, Giám đốc Sở Khoa học và Công nghệ và Chủ tịch UBND các xã, phường chịu trách nhiệm thi hành Quyết định này.
KT. CHỦ TỊCH
PHÓ CHỦ TỊCH
Lò Văn Thắng
ĐỀ ÁN
Phát triển đô thị thông minh và dữ liệu số tỉnh Lai Châu giai đoạn 2026 - 2030
(Kèm theo Quyết định số 903/QĐ-UBND ngày 3/6/2026 của UBND tỉnh Lai Châu)
Phần thứ nhất
SỰ CẦN THIẾT XÂY DỰNG ĐỀ ÁN
I. SỰ CẦN THIẾT
Dữ liệu là tài nguyên mới, là động lực phát triển kinh tế - xã hội của tỉnh; đô thị Lai Châu đang mở rộng nhanh, áp lực về giao thông, môi trường ngày càng lớn.
Phần thứ hai
THỰC TRẠNG
I. KẾT QUẢ ĐẠT ĐƯỢC
1. Hạ tầng số
1.1. Trung tâm dữ liệu
Trung tâm dữ liệu tỉnh có 42 máy chủ, dung lượng lưu trữ 300 TB; chưa có trung tâm dự phòng.
1.2. Trung tâm giám sát, điều hành thông minh
Trung tâm IOC tỉnh đã kết nối 215 camera giám sát giao thông, an ninh trật tự tại phường Tân Phong và phường Đoàn Kết.
2. Dữ liệu số
a) Nền tảng LGSP của tỉnh đã kết nối 18 hệ thống thông tin.
b) Tỉnh đã công bố 36 bộ dữ liệu mở trên Cổng dữ liệu mở.
Bảng 1. Một số chỉ số hiện trạng đến hết năm 2025
STT | Chỉ số | Đơn vị | Kết quả
1 | Hộ gia đình có cáp quang | % | 71
2 | Thanh toán không dùng tiền mặt tại bệnh viện tỉnh | % | 64
3 | Điểm wifi công cộng miễn phí | điểm | 48
II. HẠN CHẾ VÀ NGUYÊN NHÂN
1. Hạn chế
Dữ liệu còn phân tán, chưa được làm sạch; nhiều cơ sở dữ liệu chuyên ngành chưa kết nối với kho dữ liệu dùng chung.
2. Nguyên nhân
a) Nguyên nhân khách quan: địa hình đồi núi, chi phí đầu tư hạ tầng cao.
b) Nguyên nhân chủ quan: nhân lực công nghệ thông tin còn thiếu, kinh phí bố trí chưa tương xứng.
Phần thứ ba
QUAN ĐIỂM, MỤC TIÊU
I. MỤC TIÊU CỤ THỂ
1. Đến năm 2028
- Kết nối tối thiểu 600 camera về Trung tâm IOC tỉnh;
- Phấn đấu 85% hộ gia đình có cáp quang.
2. Đến năm 2030
- Công bố tối thiểu 200 bộ dữ liệu mở;
- 100% phường có hệ thống đèn chiếu sáng thông minh.
Phần thứ tư
NHIỆM VỤ VÀ GIẢI PHÁP
I. NHIỆM VỤ
1. Phát triển hạ tầng đô thị số
Sở Xây dựng chủ trì xây dựng hệ thống đèn chiếu sáng thông minh tại các phường; Công an tỉnh chủ trì mở rộng hệ thống camera giám sát giao thông.
2. Phát triển dữ liệu
Sở Khoa học và Công nghệ chủ trì xây dựng kho dữ liệu dùng chung của tỉnh, hoàn thành trong năm 2027.
Phần thứ năm
KINH PHÍ VÀ TỔ CHỨC THỰC HIỆN
I. KINH PHÍ
Tổng kinh phí dự kiến 1.240 tỷ đồng, trong đó: ngân sách tỉnh 620 tỷ đồng; ngân sách cấp xã 95 tỷ đồng; vốn xã hội hóa 525 tỷ đồng.
II. CHẾ ĐỘ BÁO CÁO
Các sở, ngành, UBND các xã, phường báo cáo tình hình thực hiện Đề án 6 tháng trước ngày 15 tháng 6, hằng năm trước ngày 15 tháng 12; sơ kết giữa kỳ vào năm 2028.
Phụ lục
DANH MỤC CÁC DỰ ÁN, NHIỆM VỤ ƯU TIÊN
STT | Tên dự án, nhiệm vụ | Cơ quan chủ trì | Cơ quan phối hợp | Thời gian thực hiện | Kinh phí dự kiến (tỷ đồng) | Nguồn vốn
I | Hạ tầng đô thị số | | | | |
1 | Xây dựng trung tâm dữ liệu dự phòng | Sở Khoa học và Công nghệ | Viettel Lai Châu | 2026-2027 | 85 | Ngân sách tỉnh
2 | Hệ thống giám sát ngập lụt đô thị | Sở Nông nghiệp và Môi trường | UBND phường Tân Phong | 2027-2028 | 40 | Ngân sách tỉnh
II | Dữ liệu số | | | | |
3 | Sàn giao dịch dữ liệu thí điểm | Sở Khoa học và Công nghệ | Sở Tài chính | 2028-2030 | 30 | Xã hội hóa
"""


@pytest.fixture(scope="module")
def lai_chau(tmp_path_factory, fake_embedder):
    return assistant_with_plans(tmp_path_factory.mktemp("laichau_scheme"), fake_embedder, {"lai-chau-qd-903-2026": PLAN})


def test_the_rows_of_a_captioned_table_carry_its_caption():
    chunks = chunk_document(parse_document("lai-chau-qd-903-2026", PLAN, None))
    rows = [c for c in chunks if c.kind == "table_row"]
    captioned = [c for c in rows if c.extra.get("caption")]
    assert [c.extra["cells"]["Chỉ số"] for c in captioned] == [
        "Hộ gia đình có cáp quang", "Thanh toán không dùng tiền mặt tại bệnh viện tỉnh", "Điểm wifi công cộng miễn phí"]
    assert captioned[0].extra["caption"].startswith("Bảng 1.")
    assert len(rows) == len(captioned) + 3  # the annex table has no caption line


def test_a_figure_as_of_the_captions_year_is_answered_from_the_table(lai_chau):
    answer = lai_chau.ask("Tỷ lệ hộ có cáp quang ở Lai Châu hết năm 2025 là bao nhiêu?")
    assert not answer.refused and "71" in answer.answer, answer.answer
    assert answer.citations[0].doc_id == "lai-chau-qd-903-2026"


def test_the_point_above_a_captioned_table_keeps_its_own_statement(lai_chau):
    # the caption is the table's, not the last line of "b) Tỉnh đã công bố 36 bộ dữ liệu mở …"
    answer = lai_chau.ask("Lai Châu có bao nhiêu bộ dữ liệu mở hiện nay?")
    assert not answer.refused and "36" in answer.answer, answer.answer


def test_the_parts_of_a_scheme_head_its_sections():
    chunks = chunk_document(parse_document("lai-chau-qd-903-2026", PLAN, None))
    paths = [" > ".join(c.heading_path) for c in chunks]
    assert any(p.startswith("Phần thứ hai THỰC TRẠNG > I. KẾT QUẢ ĐẠT ĐƯỢC > 1. Hạ tầng số > 1.1.") for p in paths), paths
