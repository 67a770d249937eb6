"""Answer shapes on a plan outside corpus/: a list asked for whole comes whole (the intro and every
item under it); a figure asked for survives when the sentence holding it must be clipped.

The plan is written here (a province the shipped corpus does not hold), so the behaviour is pinned
on structure, not on the shipped plans' wording; it joins a copy of the shipped corpus.
"""

from __future__ import annotations

import shutil

import pytest
from corpus_docs import CORPUS

from assistant.settings import Settings

PLAN = """ỦY BAN NHÂN DÂN
TỈNH GIA LAI
Số: 77/KH-UBND
KẾ HOẠCH
Chuyển đổi số tỉnh Gia Lai năm 2025
Căn cứ Luật Giao dịch điện tử năm 2023; Căn cứ Nghị định số 47/2020/NĐ-CP ngày 09/4/2020 của Chính phủ; Căn cứ Nghị quyết số 09-NQ/TU ngày 12/3/2022 của Tỉnh ủy Gia Lai.
I. NHIỆM VỤ
1. Nền tảng số
Xây dựng nền tảng bản đồ số dùng chung của tỉnh phục vụ quy hoạch và đầu tư. Nền tảng bản đồ số dùng chung cần bảo đảm các yêu cầu:
- Cập nhật lớp dữ liệu địa giới hành chính hằng quý.
- Cho phép các sở, ngành khai thác qua giao diện lập trình.
- Lưu vết mọi lần chỉnh sửa dữ liệu bản đồ.
- Công khai lớp dữ liệu quy hoạch cho người dân tra cứu.
2. Hạ tầng số
- Tỷ lệ người dân trưởng thành sử dụng dịch vụ tư vấn nông nghiệp trực tuyến, hỏi đáp kỹ thuật canh tác qua ứng dụng di động của tỉnh đạt trên 35% vào năm 2025;
- Phủ sóng 5G tại trung tâm các huyện, thị xã.
- Nâng cấp đường truyền số liệu chuyên dùng đến cấp xã.
3. Xã hội số
- 62% dân số trưởng thành có tài khoản định danh điện tử mức 2.
- 33% dân số trưởng thành có chữ ký số cá nhân.
- 71% dân số trưởng thành có tài khoản dịch vụ công trực tuyến.
- Phổ cập kỹ năng số cho người dân tại các buôn, làng.
II. NGUYÊN TẮC TRIỂN KHAI
Việc triển khai tuân theo các nguyên tắc sau đây:
1. Người dùng là trung tâm của mọi dịch vụ số
Mọi dịch vụ được thiết kế từ nhu cầu của người dân và doanh nghiệp.
2. Dữ liệu là tài nguyên dùng chung
Dữ liệu do cơ quan nhà nước tạo ra được chia sẻ theo quy định.
3. An toàn thông tin đi trước một bước
Mọi hệ thống được thẩm định an toàn trước khi đưa vào vận hành.
III. DỮ LIỆU VÀ NÔNG NGHIỆP SỐ
1. Cảm biến
Trong năm 2025, lắp thử nghiệm mạng cảm biến đo mưa trên một số lưu vực sông của tỉnh. Các việc cần làm:
- Xây dựng kho dữ liệu quan trắc thủy văn.
- Lắp trạm đo mực nước tự động tại các hồ chứa.
- Kết nối cảnh báo lũ tới điện thoại người dân.
2. Nông nghiệp số
- Xây dựng mô hình canh tác thông minh giai đoạn 2025 - 2030 theo hướng nâng cao giá trị sản phẩm, giảm chi phí đầu vào, thích ứng với biến đổi khí hậu, bảo đảm truy xuất nguồn gốc cho thị trường xuất khẩu, góp phần chuyển đổi mô hình tăng trưởng của ngành nông nghiệp tỉnh theo hướng hiện đại và bền vững; trong đó ưu tiên các sản phẩm chủ lực gồm: cà phê, hồ tiêu, chanh dây, bò thịt, cá tầm.
- Hỗ trợ hợp tác xã mở gian hàng trên sàn nông sản điện tử.
3. Điều hành số
- Vận hành nền tảng điều hành số theo dõi nhiệm vụ cho cơ quan nhà nước cấp tỉnh.
- Vận hành các nền tảng: Trung tâm giám sát an ninh mạng; Trợ lý ảo cho cán bộ; Kho dữ liệu dùng chung của tỉnh.
IV. DU LỊCH SỐ
- Số hóa các điểm du lịch cộng đồng, dựng tour thực tế ảo cho khách quốc tế.
+ Ưu tiên các làng Kon Sơ Lăng, Plei Ốp, Đê Tar.
+ Hoàn thành trong năm 2025.
V. TRUYỀN THÔNG
- Đẩy mạnh thông tin, tuyên truyền về chuyển đổi số trên Báo Gia Lai và Đài Phát thanh - Truyền hình tỉnh với chuyên mục riêng phát sóng hằng tuần; biên soạn sổ tay, video hướng dẫn dùng dịch vụ công trực tuyến bằng tiếng Việt và tiếng Jrai, Bahnar, Xơ Đăng; tổ chức hằng năm cuộc thi tìm hiểu về chuyển đổi số cho học sinh, đoàn viên thanh niên ở các trường trung học phổ thông trên địa bàn tỉnh, gắn với ngày Chuyển đổi số quốc gia 10 tháng 10.
"""


# Typed one row per line with "|" between cells; the columns are the years.
INDICATORS = """ỦY BAN NHÂN DÂN
TỈNH ĐẮK NÔNG
Số: 15/KH-UBND
KẾ HOẠCH
Chuyển đổi số tỉnh Đắk Nông năm 2024
I. MỤC TIÊU
1. Bảng chỉ tiêu
| STT | Chỉ tiêu | Đơn vị | 2024 | 2026 |
| 1 | Tỷ lệ trạm y tế xã dùng bệnh án điện tử | % | 35 | 80 |
| 2 | Số điểm phát wifi miễn phí tại chợ | điểm | 40 | 110 |
II. DANH MỤC DỰ ÁN
| TT | Nhiệm vụ | Cơ quan chủ trì | Thời gian | Kinh phí (triệu đồng) | Nguồn vốn |
| 1 | Xây dựng sàn nông sản điện tử của tỉnh | Sở Công Thương | 2024-2025 | 12.500 | Ngân sách tỉnh |
| 2 | Số hóa hồ sơ địa chính cấp xã | Sở Tài nguyên và Môi trường | 2024-2026 | 30.000 | Vốn sự nghiệp kinh tế; ngân sách huyện |
III. KINH PHÍ THEO LĨNH VỰC
| STT | Lĩnh vực | Tổng cộng (tỷ đồng) | Ngân sách nhà nước (tỷ đồng) | Xã hội hóa (tỷ đồng) |
| 1 | Nông nghiệp thông minh | 52,4 | 30,2 | 22,2 |
| 2 | Du lịch số | 18,6 | 7,5 | 11,1 |
"""


@pytest.fixture(scope="module")
def gia_lai(tmp_path_factory, fake_embedder):
    from assistant.pipeline import Assistant

    home = tmp_path_factory.mktemp("gialai")
    shutil.copytree(CORPUS, home / "corpus")  # the shipped plans plus one they do not hold
    (home / "corpus" / "gia-lai-kh-77-2025.txt").write_text(PLAN, encoding="utf-8")
    (home / "corpus" / "dak-nong-kh-15-2024.txt").write_text(INDICATORS, encoding="utf-8")
    return Assistant.open(Settings(home=home, retrieval_mode="bm25", embedding_model="test-hashing"),
                          embedder=fake_embedder)


def test_a_list_asked_for_whole_gets_every_item_under_its_intro(gia_lai):
    answer = gia_lai.ask("Bản đồ số dùng chung của Gia Lai phải đáp ứng những yêu cầu gì? kể hết giúp mình")
    assert not answer.refused
    for item in ("địa giới hành chính", "giao diện lập trình", "Lưu vết", "Công khai lớp dữ liệu quy hoạch"):
        assert item in answer.answer
    assert "5G" not in answer.answer  # the next section's bullets are another list


def test_a_question_about_one_item_of_a_list_is_not_answered_with_the_whole_list(gia_lai):
    answer = gia_lai.ask("Gia Lai cho các sở ngành khai thác bản đồ số qua những gì?")
    assert "giao diện lập trình" in answer.answer
    assert "Lưu vết" not in answer.answer


@pytest.mark.parametrize("question, items", [
    # a sentence of several grounds
    ("Kế hoạch chuyển đổi số của Gia Lai căn cứ vào những văn bản nào? liệt kê hết",
     ("Luật Giao dịch điện tử", "47/2020/NĐ-CP", "09-NQ/TU")),
    # an intro whose items are the numbered sections below it: their titles
    ("Gia Lai triển khai chuyển đổi số theo những nguyên tắc nào?",
     ("Người dùng là trung tâm", "Dữ liệu là tài nguyên dùng chung", "An toàn thông tin đi trước")),
    # "… trên một số lưu vực sông của tỉnh. Các việc cần làm:": the sentence matched is not the intro
    # itself, but the items under its line are what is asked
    ("Gia Lai lắp thử mạng cảm biến đo mưa thì gồm những việc cụ thể nào? kể hết",
     ("kho dữ liệu quan trắc thủy văn", "mực nước tự động", "cảnh báo lũ")),
    # a long sentence clipped for its list keeps the enumeration, not the clause before it
    ("Mô hình canh tác thông minh của Gia Lai ưu tiên những sản phẩm chủ lực nào?", ("cà phê", "chanh dây", "cá tầm")),
    # the clause that is the list wins over one item of it ("Vận hành nền tảng điều hành số …")
    ("Gia Lai vận hành những nền tảng nào cho điều hành số? kể hết giúp mình",
     ("giám sát an ninh mạng", "Trợ lý ảo cho cán bộ", "Kho dữ liệu dùng chung")),
])
def test_a_list_asked_for_comes_whole(gia_lai, question, items):
    answer = gia_lai.ask(question)
    for item in items:
        assert item in answer.answer, answer.answer


def test_a_comparison_keeps_each_side_s_figure_when_its_sentence_is_clipped(gia_lai):
    answer = gia_lai.ask("So sánh tỷ lệ người dân trưởng thành dùng dịch vụ tư vấn nông nghiệp trực tuyến "
                         "của Gia Lai và Đồng Nai")
    assert "trên 35%" in answer.answer


def test_a_question_asking_three_figures_gets_the_three_parallel_items(gia_lai):
    answer = gia_lai.ask("Gia Lai đặt mục tiêu bao nhiêu % người lớn có định danh điện tử, có chữ ký số "
                         "và có tài khoản dịch vụ công?")
    for figure in ("62%", "33%", "71%"):
        assert figure in answer.answer


def test_a_row_of_an_indicator_table_is_answered_with_its_columns(gia_lai):
    answer = gia_lai.ask("Đắk Nông muốn bao nhiêu điểm wifi miễn phí ở chợ vào năm 2026?")
    assert "2026: 110 điểm" in answer.answer and "STT" not in answer.answer, answer.answer
    assert answer.citations[0].doc_id == "dak-nong-kh-15-2024"
    assert "| 2 | Số điểm phát wifi miễn phí tại chợ | điểm | 40 | 110 |" in answer.citations[0].quote or \
        "Số điểm phát wifi miễn phí tại chợ" in answer.citations[0].quote


def test_a_task_row_answers_the_column_the_question_names(gia_lai):
    answer = gia_lai.ask("Sàn nông sản điện tử của Đắk Nông do ai chủ trì, kinh phí bao nhiêu?")
    assert "Sở Công Thương" in answer.answer and "12.500" in answer.answer, answer.answer
    assert "30.000" not in answer.answer


def test_a_money_question_is_answered_by_a_row_whose_column_names_the_currency(gia_lai):
    """"Kinh phí (triệu đồng) | 30.000": the unit is in the column's name, not next to the figure."""
    answer = gia_lai.ask("Việc số hóa hồ sơ địa chính cấp xã ở Đắk Nông dự kiến tốn bao nhiêu tiền?")
    assert not answer.refused and "30.000" in answer.answer, answer.answer


def test_a_column_named_in_other_words_is_shown(gia_lai):
    """"lấy vốn từ nguồn nào" names the column "Nguồn vốn" with its words in another order."""
    answer = gia_lai.ask("Việc số hóa hồ sơ địa chính cấp xã ở Đắk Nông lấy vốn từ nguồn nào?")
    assert "Vốn sự nghiệp kinh tế" in answer.answer, answer.answer


def test_an_indicator_row_s_figures_carry_the_unit_column(gia_lai):
    """"Đơn vị: % … 2026: 80" reads "2026: 80%": the unit said with each figure, not once apart."""
    answer = gia_lai.ask("Đắk Nông đặt chỉ tiêu bao nhiêu phần trăm trạm y tế xã dùng bệnh án điện tử năm 2026?")
    assert "2026: 80%" in answer.answer and "Đơn vị" not in answer.answer, answer.answer


def test_the_money_column_is_shown_when_money_is_asked_beside_who_and_when(gia_lai):
    """"ai chủ trì, bao giờ làm và dự toán bao nhiêu": the row answers who and when, and its money column."""
    answer = gia_lai.ask("Việc số hóa hồ sơ địa chính cấp xã ở Đắk Nông ai chủ trì, làm khi nào, dự toán bao nhiêu?")
    assert "Sở Tài nguyên và Môi trường" in answer.answer and "30.000" in answer.answer, answer.answer


def test_an_item_s_plus_sub_items_answer_with_it(gia_lai):
    """"- task" then "+ part" lines: the "+" items belong to the "-" item above them — asked for the
    list, the item comes with its parts (the part that names the places shares few words with the
    question; the item it hangs under holds the rest)."""
    reply = gia_lai.ask("Những làng nào ở Gia Lai được ưu tiên số hóa điểm du lịch cộng đồng, dựng tour thực tế ảo? Kể hết giúp mình")
    assert "Kon Sơ Lăng" in reply.answer and "Đê Tar" in reply.answer


def test_a_list_asked_of_one_part_of_a_long_clause_gets_that_part(gia_lai):
    """A long clause of "; "-parts, one of which is the list asked for: that part answers, not the
    clause's other tasks around it."""
    reply = gia_lai.ask("Sổ tay, video hướng dẫn dịch vụ công của Gia Lai được làm bằng những thứ tiếng nào?")
    assert "Bahnar" in reply.answer and "cuộc thi" not in reply.answer


def test_a_row_is_found_by_the_columns_the_question_names(gia_lai):
    """"… bảng kinh phí, mục du lịch số được ngân sách nhà nước bao nhiêu": the row itself says only
    "Du lịch số | 18,6 | 7,5 | 11,1" — the columns' names say what its figures are, so they count for it."""
    answer = gia_lai.ask("Bảng kinh phí theo lĩnh vực của Đắk Nông: mục du lịch số được ngân sách nhà nước "
                         "cấp bao nhiêu tỷ đồng, tổng cộng là bao nhiêu?")
    assert not answer.refused and "7,5" in answer.answer, answer.answer
