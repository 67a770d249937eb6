"""loaders.load_text: every supported format comes back as NFC text with \\n line ends, or a Vietnamese error."""

from __future__ import annotations

import unicodedata
from pathlib import Path

import pytest

from assistant.errors import DocumentError
from assistant.ingest.loaders import SUPPORTED_SUFFIXES, load_text
from assistant.ingest.structure import parse_document

CORPUS = Path(__file__).resolve().parents[1] / "corpus"
DEJAVU = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")
SENTENCE = "Kế hoạch chuyển đổi số tỉnh Đồng Nai năm 2024"
_TONES = "\u0300\u0301\u0303\u0309\u0323"


def _cp1258_bytes(text: str) -> bytes:
    """Windows-1258 stores vowels with their hats precomposed and tone marks as separate combining bytes."""
    out, base, tones = [], "", ""
    for ch in unicodedata.normalize("NFD", text) + " ":
        if unicodedata.combining(ch):
            if ch in _TONES:
                tones += ch
            else:
                base += ch
            continue
        if base:
            out.append(unicodedata.normalize("NFC", base) + tones)
        base, tones = ch, ""
    return "".join(out).encode("cp1258")


def test_supported_suffixes_are_text_docx_and_pdf():
    assert SUPPORTED_SUFFIXES == (".txt", ".md", ".docx", ".pdf")


@pytest.mark.parametrize("payload", [
    ("\ufeff" + SENTENCE + "\r\nDòng hai\r\n").encode("utf-8"),
    (SENTENCE + "\r\nDòng hai\r\n").encode("utf-16"),
    (SENTENCE + "\nDòng hai\n").encode("utf-16-le"),
    unicodedata.normalize("NFD", SENTENCE + "\nDòng hai\n").encode("utf-8"),
    _cp1258_bytes(SENTENCE + "\r\nDòng hai\r\n"),
], ids=["utf8-bom-crlf", "utf16-bom", "utf16le-no-bom", "utf8-nfd", "cp1258"])
def test_text_files_decode_to_nfc_with_unix_newlines(tmp_path, payload):
    path = tmp_path / "ke-hoach.txt"
    path.write_bytes(payload)
    text = load_text(path)
    assert text.splitlines()[:2] == [SENTENCE, "Dòng hai"]
    assert "\r" not in text and "\ufeff" not in text
    assert text == unicodedata.normalize("NFC", text)


def test_markdown_is_read_as_text(tmp_path):
    path = tmp_path / "ghi-chu.md"
    path.write_text("# Tiêu đề\n\n- Mục một\n", encoding="utf-8")
    assert load_text(path) == "# Tiêu đề\n\n- Mục một\n"


def test_shipped_plans_load_unchanged():
    for path in sorted(CORPUS.glob("*.txt")):
        assert load_text(path) == path.read_text(encoding="utf-8"), path.name


@pytest.mark.parametrize("name,payload,reason", [
    ("rong.txt", b"", "tệp rỗng"),
    ("trang.txt", b"  \n\t\n", "tệp rỗng"),
    ("rac.txt", bytes(range(256)) * 8, "dữ liệu nhị phân"),
    ("hong.pdf", b"%PDF-1.4 not really a pdf", "tệp PDF hỏng"),
    ("hong.docx", b"PK\x03\x04 not a zip", "tệp .docx hỏng"),
])
def test_unreadable_files_raise_document_error_in_vietnamese(tmp_path, name, payload, reason):
    path = tmp_path / name
    path.write_bytes(payload)
    with pytest.raises(DocumentError) as info:
        load_text(path)
    assert info.value.message.startswith(f"Không đọc được tệp {name}: ")
    assert reason in info.value.message


def test_unsupported_suffix_is_refused_with_the_allowed_list(tmp_path):
    path = tmp_path / "bang-tinh.xlsx"
    path.write_bytes(b"anything")
    with pytest.raises(DocumentError) as info:
        load_text(path)
    assert info.value.message == "Không hỗ trợ định dạng tệp bang-tinh.xlsx: chỉ nhận .txt, .md, .docx, .pdf."


def test_missing_file_is_a_document_error(tmp_path):
    with pytest.raises(DocumentError, match="Không tìm thấy tệp"):
        load_text(tmp_path / "khong-co.txt")


def _write_docx(path: Path) -> None:
    docx = pytest.importorskip("docx")
    document = docx.Document()
    document.add_paragraph("KẾ HOẠCH")
    document.add_paragraph("Chuyển đổi số tỉnh Lâm Đồng năm 2024")
    document.add_paragraph("I. NHIỆM VỤ")
    document.add_paragraph("1. Hạ tầng số")
    document.add_paragraph("- Phủ sóng 5G tại trung tâm các huyện.")
    document.add_paragraph("PHỤ LỤC")
    table = document.add_table(rows=4, cols=4)
    rows = [
        ["TT", "Tên nhiệm vụ", "Chủ trì", "Thời gian"],
        ["A", "PHÁT TRIỂN HẠ TẦNG SỐ", None, None],
        ["1", "Phủ sóng 5G tại trung tâm các huyện", "Sở Thông tin và Truyền thông", "2024 - 2025"],
        ["2", "Xây dựng Trung tâm dữ liệu tỉnh", "Sở Thông tin và Truyền thông; Sở Tài chính", "2024"],
    ]
    for r, values in enumerate(rows):
        for c, value in enumerate(values):
            if value is not None:
                table.cell(r, c).text = value
    table.cell(1, 1).merge(table.cell(1, 3))  # a group title spanning the row, as Word tables have them
    document.add_paragraph("Nguồn: Sở Thông tin và Truyền thông")
    document.save(str(path))


def test_docx_keeps_paragraph_order_and_flattens_tables_like_the_seeds(tmp_path):
    path = tmp_path / "ke-hoach.docx"
    _write_docx(path)
    text = load_text(path)
    lines = text.split("\n")
    assert lines[:5] == ["KẾ HOẠCH", "Chuyển đổi số tỉnh Lâm Đồng năm 2024", "I. NHIỆM VỤ", "1. Hạ tầng số",
                         "- Phủ sóng 5G tại trung tâm các huyện."]
    assert lines[6:10] == ["TT", "|", "Tên nhiệm vụ", "|"]
    assert "A\n|\nPHÁT TRIỂN HẠ TẦNG SỐ\n|\n|\n|\n1\n|" in text  # merged cells become empty cells
    assert lines[-1] == "Nguồn: Sở Thông tin và Truyền thông"


def test_docx_table_rows_are_rebuilt_by_the_parser(tmp_path):
    path = tmp_path / "ke-hoach.docx"
    _write_docx(path)
    doc = parse_document("docx-mau", load_text(path))
    appendix = next(s for s in doc.root.children if s.kind == "appendix")
    group = appendix.children[0]
    assert group.heading == "A. PHÁT TRIỂN HẠ TẦNG SỐ"
    rows = [b.cells for b in group.blocks if b.kind == "table_row"]
    assert rows == [
        {"TT": "1", "Tên nhiệm vụ": "Phủ sóng 5G tại trung tâm các huyện", "Chủ trì": "Sở Thông tin và Truyền thông",
         "Thời gian": "2024 - 2025"},
        {"TT": "2", "Tên nhiệm vụ": "Xây dựng Trung tâm dữ liệu tỉnh",
         "Chủ trì": "Sở Thông tin và Truyền thông; Sở Tài chính", "Thời gian": "2024"},
    ]


def _write_pdf(path: Path, lines: list[str], font: str) -> None:
    pytest.importorskip("reportlab")
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    pdf = canvas.Canvas(str(path), pagesize=A4)
    if font != "Helvetica":
        from reportlab.pdfbase import pdfmetrics
        from reportlab.pdfbase.ttfonts import TTFont

        pdfmetrics.registerFont(TTFont("DejaVuSans", font))
        font = "DejaVuSans"
    pdf.setFont(font, 11)
    y = 800
    for line in lines:
        pdf.drawString(60, y, line)
        y -= 16
    pdf.showPage()
    pdf.setFont(font, 11)
    pdf.drawString(60, 800, lines[0])
    pdf.save()


def test_pdf_text_is_extracted_page_by_page(tmp_path):
    if DEJAVU.exists():
        font, lines = str(DEJAVU), ["KẾ HOẠCH Chuyển đổi số tỉnh Lâm Đồng", "Số: 45/KH-UBND",
                                    "I. MỤC TIÊU", "- Kinh tế số chiếm 15% GRDP."]
    else:  # no font with Vietnamese glyphs: the same plan without diacritics
        font, lines = "Helvetica", ["KE HOACH Chuyen doi so tinh Lam Dong", "So: 45/KH-UBND",
                                    "I. MUC TIEU", "- Kinh te so chiem 15% GRDP."]
    path = tmp_path / "ke-hoach.pdf"
    _write_pdf(path, lines, font)
    text = load_text(path)
    got = [line.strip() for line in text.split("\n") if line.strip()]
    assert got == lines + [lines[0]]
    assert text == unicodedata.normalize("NFC", text)


def test_pdf_without_text_layer_is_reported(tmp_path):
    pytest.importorskip("reportlab")
    from reportlab.pdfgen import canvas

    path = tmp_path / "ban-scan.pdf"
    pdf = canvas.Canvas(str(path))
    pdf.rect(50, 50, 100, 100)  # drawing only, like a scanned page
    pdf.save()
    with pytest.raises(DocumentError, match="tệp rỗng"):
        load_text(path)
