"""tables.py: task tables flattened one cell per line come back as rows with agency and period."""

from __future__ import annotations

import textwrap
from collections import Counter
from functools import lru_cache
from pathlib import Path

from assistant.ingest.lines import split_lines
from assistant.ingest.loaders import load_text
from assistant.records import ParsedDocument
from assistant.ingest.structure import iter_sections, parse_document
from assistant.ingest.tables import TableRow, parse_table, row_text

CORPUS = Path(__file__).resolve().parents[1] / "corpus"


@lru_cache(maxsize=None)
def parsed(doc_id: str) -> ParsedDocument:
    return parse_document(doc_id, load_text(CORPUS / f"{doc_id}.txt"))


def rows(doc_id: str) -> list[tuple[list[str], dict[str, str]]]:
    """(group headings, cells) of every rebuilt row, in document order."""
    out = []
    for node, path in iter_sections(parsed(doc_id).root):
        groups = [s.heading for s in path if s.kind == "group"]
        out += [(groups, b.cells) for b in node.blocks if b.kind == "table_row"]
    return out


def row_with(doc_id: str, task_start: str) -> tuple[list[str], dict[str, str]]:
    found = [r for r in rows(doc_id) if list(r[1].values())[1].startswith(task_start)]
    assert len(found) == 1, task_start
    return found[0]


def test_piped_table_of_dong_nai_is_rebuilt_row_by_row():
    all_rows = rows("dong-nai-kh-198-2022")
    assert len(all_rows) == 77
    assert {tuple(r[1]) for r in all_rows} == {("TT", "Tên nhiệm vụ", "Chủ trì", "Thời gian")}
    groups, cells = row_with("dong-nai-kh-198-2022", "Triển khai Chiến lược phát triển hạ tầng bưu")
    assert groups == ["A. PHÁT TRIỂN NỀN MÓNG CHO KINH TẾ SỐ VÀ XÃ HỘI SỐ", "I. Phát triển hạ tầng"]
    assert cells == {"TT": "2", "Tên nhiệm vụ": "Triển khai Chiến lược phát triển hạ tầng bưu chính",
                     "Chủ trì": "Sở Thông tin và Truyền thông", "Thời gian": "2022 - 2025"}


def test_piped_cells_wrapped_over_lines_are_rejoined():
    groups, cells = row_with("dong-nai-kh-198-2022", "Triển khai Chương trình dạy và học về kỹ năng số")
    assert groups[-1] == "V. Phát triển nhân lực số"
    assert cells["Chủ trì"] == "Sở Giáo dục và Đào tạo; UBND các huyện, thành phố"
    assert cells["Thời gian"] == "2022 - 2030"
    groups, cells = row_with("dong-nai-kh-198-2022", "Triển khai hệ thống quản lý phương tiện giao")
    assert groups == ["B. PHÁT TRIỂN KINH TẾ SỐ VÀ XÃ HỘI SỐ NGÀNH, LĨNH VỰC TRỌNG TÂM",
                      "VIII. Phát triển kinh tế số giao thông"]
    assert cells["Chủ trì"] == "Sở Giao thông vận tải"


def test_dong_nai_group_counts_follow_the_appendix():
    counts = Counter(" > ".join(g.split(".")[0] for g in groups) for groups, _ in rows("dong-nai-kh-198-2022"))
    assert dict(counts) == {"A > I": 13, "A > II": 1, "A > III": 1, "A > IV": 10, "A > V": 5, "A > VI": 6, "A > VII": 3,
                      "A > VIII": 5, "B > I": 4, "B > II": 9, "B > III": 3, "B > IV": 4, "B > V": 4, "B > VI": 4,
                      "B > VII": 3, "B > VIII": 2}


def test_table_without_separators_of_hcmc_is_rebuilt():
    all_rows = rows("tp-ho-chi-minh-kh-411-2023")
    assert len(all_rows) == 38
    groups, cells = row_with("tp-ho-chi-minh-kh-411-2023", "Xây dựng, hướng dẫn Quy chế thử nghiệm")
    assert groups == ["A. PHÁT TRIỂN NỀN MÓNG CHO KINH TẾ SỐ VÀ XÃ HỘI SỐ", "I. Hoàn thiện thể chế"]
    assert cells == {"TT": "2", "Nhiệm vụ, giải pháp": "Xây dựng, hướng dẫn Quy chế thử nghiệm có kiểm soát (sandbox) "
                     "đối với các sản phẩm, dịch vụ đổi mới sáng tạo.", "Chủ trì": "Sở Khoa học và Công nghệ",
                     "Thời gian": "2023-2025"}


def test_hcmc_row_numbered_with_a_dot_and_unnumbered_group_are_kept():
    groups, cells = row_with("tp-ho-chi-minh-kh-411-2023", "Triển khai các hoạt động hỗ trợ các doanh nghiệp nhỏ")
    assert cells["TT"] == "4" and cells["Chủ trì"] == "Sở Thông tin và Truyền thông"
    groups, cells = row_with("tp-ho-chi-minh-kh-411-2023", "Triển khai nghiên cứu “Giải pháp phát triển kinh tế số")
    assert groups == ["CÁC GIẢI PHÁP PHÁT TRIỂN KINH TẾ SỐ VÀ XÃ HỘI SỐ",
                      "IV. Nghiên cứu, phát triển về kinh tế số và xã hội số"]
    assert cells["Chủ trì"] == "Viện Nghiên cứu phát triển"


def test_bare_cells_wrapped_over_several_lines_give_the_same_rows():
    """The same appendix hard-wrapped at 75 columns (as a PDF export would) rebuilds identically."""
    text = load_text(CORPUS / "tp-ho-chi-minh-kh-411-2023.txt")
    wrapped = "\n".join(part for line in text.split("\n")
                        for part in (textwrap.wrap(line, width=75, break_long_words=False) or [""]))
    rewrapped = parse_document("hcmc-wrapped", wrapped)
    got = [(groups, cells) for node, path in iter_sections(rewrapped.root)
           for groups, cells in [([s.heading for s in path if s.kind == "group"], b.cells)
                                 for b in node.blocks if b.kind == "table_row"]]
    assert got == rows("tp-ho-chi-minh-kh-411-2023")


def test_table_ends_where_the_rows_stop():
    doc = parsed("tp-ho-chi-minh-kh-411-2023")
    appendix = doc.root.children[-1]
    assert appendix.blocks[-1].text == "Nguồn tra cứu: vanban.phaplyvn.com"


def test_header_and_signature_pipes_are_not_data_tables():
    for doc_id in ("dong-nai-kh-198-2022", "hai-duong-kh-780-2022", "phu-yen-qd-1728-2020"):
        doc = parsed(doc_id)
        body_tables = [n for n, _ in iter_sections(doc.root) if any(b.kind == "table_row" for b in n.blocks)]
        assert all(n.start > doc.root.children[0].end for n in body_tables)
        assert doc.root.children[0].kind == "header"
    assert rows("hai-duong-kh-780-2022") == [] and rows("phu-yen-qd-1728-2020") == []


def test_parse_table_reads_piped_cells_and_empty_group_cells():
    text = "TT\n|\nNội dung\n|\nChủ trì\n|\nA\n|\nNHÓM MỘT\n|\n|\n1\n|\nViệc thứ\nnhất\n|\nSở A\n|\nKết thúc ở đây."
    table = parse_table(split_lines(text), 0)
    assert table is not None and table.piped
    assert table.columns == ["TT", "Nội dung", "Chủ trì"]
    assert [(r.kind, r.number, r.level) for r in table.rows] == [("group", "A", 1), ("row", "1", 3)]
    assert table.rows[1].cells == {"TT": "1", "Nội dung": "Việc thứ nhất", "Chủ trì": "Sở A"}
    assert text[table.end - 4:table.end] == "Sở A"


def test_parse_table_stops_at_prose_after_bare_cells():
    text = "STT\nNội dung\nĐơn vị chủ trì\nThời gian\n1\nViệc một\nSở A\n2024\nII\nNhóm hai\n2\nViệc hai\nSở B\n2025\n" \
           "Ghi chú: các nhiệm vụ được cập nhật hằng năm."
    lines = split_lines(text)
    table = parse_table(lines, 0)
    assert table is not None and not table.piped
    assert [r.number for r in table.rows] == ["1", "II", "2"]
    assert lines[table.end_index].text.startswith("Ghi chú")


def test_roman_groups_without_letter_groups_are_siblings():
    text = ("PHỤ LỤC\nTT\n|\nNội dung\n|\nChủ trì\n|\nI\n|\nHạ tầng\n|\n|\n1\n|\nViệc một\n|\nSở A\n|\n"
            "II\n|\nDữ liệu\n|\n|\n1\n|\nViệc hai\n|\nSở B\n|\n")
    appendix = parse_document("mau", text).root.children[0]
    assert [g.heading for g in appendix.children] == ["I. Hạ tầng", "II. Dữ liệu"]
    assert [[b.cells["Nội dung"] for b in g.blocks if b.kind == "table_row"] for g in appendix.children] == [
        ["Việc một"], ["Việc hai"]]


def test_bare_cells_with_numbers_and_sub_numbered_rows():
    text = ("STT\nNội dung\nKinh phí (triệu đồng)\nThời gian\n1\nNhóm việc một\n500\n2024\n1.1\nViệc chi tiết\n"
            "1.5\n2024\n2\nViệc hai dài\nhơn một dòng\n20\n2025\nGhi chú: hết.")
    lines = split_lines(text)
    table = parse_table(lines, 0)
    assert [(r.number, r.cells["Nội dung"], r.cells["Kinh phí (triệu đồng)"]) for r in table.rows] == [
        ("1", "Nhóm việc một", "500"), ("1.1", "Việc chi tiết", "1.5"), ("2", "Việc hai dài hơn một dòng", "20")]
    assert lines[table.end_index].text == "Ghi chú: hết."


def test_parse_table_refuses_what_is_not_a_table():
    assert parse_table(split_lines("TT\nMột câu văn dài kết thúc bằng dấu chấm.\n1"), 0) is None
    assert parse_table(split_lines("Số: 12/KH-UBND\n|\nHà Nội"), 0) is None


def test_row_text_names_every_cell_and_keeps_it_verbatim():
    row = TableRow("row", "2", 3, {"TT": "2", "Tên nhiệm vụ": "Triển khai Chiến lược phát triển hạ tầng bưu chính",
                                  "Chủ trì": "Sở Thông tin và Truyền thông", "Thời gian": "2022 - 2025"}, 0, 1)
    assert row_text(row, ["TT", "Tên nhiệm vụ", "Chủ trì", "Thời gian"]) == (
        "Tên nhiệm vụ: Triển khai Chiến lược phát triển hạ tầng bưu chính. Chủ trì: Sở Thông tin và Truyền thông. "
        "Thời gian: 2022 - 2025.")


# --- rows written one per line with "|" between cells (plans typed, not extracted from PDF) ---------

def test_parse_table_reads_one_row_per_line():
    text = ("| STT | Chỉ tiêu | Đơn vị | 2024 | 2026 |\n|---|---|---|---|---|\n"
            "| 1 | Tỷ lệ hồ sơ xử lý trực tuyến | % | 40 | 75 |\n| 2 | Số điểm phát wifi miễn phí | điểm | 35 | 90 |\n"
            "Các chỉ tiêu được rà soát hằng năm.")
    lines = split_lines(text)
    table = parse_table(lines, 0)
    assert table is not None and table.columns == ["STT", "Chỉ tiêu", "Đơn vị", "2024", "2026"]
    assert [r.cells["2026"] for r in table.rows] == ["75", "90"]
    assert table.rows[1].source == "| 2 | Số điểm phát wifi miễn phí | điểm | 35 | 90 |"
    assert lines[table.end_index].text.startswith("Các chỉ tiêu")


def test_one_row_per_line_without_outer_pipes_and_with_groups():
    text = ("TT | Nhiệm vụ | Cơ quan chủ trì | Thời gian\nI | HẠ TẦNG SỐ | |\n1 | Nâng cấp mạng truyền số liệu | Sở A | 2025\n"
            "II | DỮ LIỆU SỐ | |\n2 | Xây dựng kho dữ liệu dùng chung | Sở B | 2026\n")
    appendix = parse_document("mau", "PHỤ LỤC\n" + text).root.children[0]
    assert [g.heading for g in appendix.children] == ["I. HẠ TẦNG SỐ", "II. DỮ LIỆU SỐ"]
    row = next(b for g in appendix.children for b in g.blocks if b.kind == "table_row")
    assert row.cells["Cơ quan chủ trì"] == "Sở A"
    assert row.text.endswith("1 | Nâng cấp mạng truyền số liệu | Sở A | 2025")  # the document's own words


def test_a_line_with_one_pipe_in_prose_is_no_table():
    assert parse_table(split_lines("STT | ghi chú ngắn\nMột đoạn văn bình thường."), 0) is None
