"""metadata.py: what each plan says about itself, the meta.json override, and the citation label scheme."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import pytest

from assistant.errors import DocumentError
from assistant.ingest.loaders import load_text
from assistant.ingest.metadata import (
    apply_override, extract_metadata, load_meta_override, recase_title, short_label,
)
from assistant.records import DocumentMeta

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "corpus"
FIELDS = ("doc_type", "number", "date", "province", "issuer", "signer", "signer_title", "short_label")

EXTRACTED = {
    "dong-nai-kh-198-2022": ("Kế hoạch", "198/KH-UBND", "2022-09-09", "Đồng Nai", "UBND tỉnh Đồng Nai",
                             "Nguyễn Sơn Hùng", "TM. ỦY BAN NHÂN DÂN KT. CHỦ TỊCH PHÓ CHỦ TỊCH",
                             "KH 198/KH-UBND (Đồng Nai)"),
    "hai-duong-kh-780-2022": ("Kế hoạch", "780/KH-UBND", "2022-03-24", "Hải Dương", "UBND tỉnh Hải Dương",
                              "Nguyễn Minh Hùng", "KT. CHỦ TỊCH PHÓ CHỦ TỊCH", "KH 780/KH-UBND (Hải Dương)"),
    "phu-yen-qd-1728-2020": ("Quyết định", "1728/QĐ-UBND", "2020-09-30", "Phú Yên", "UBND tỉnh Phú Yên",
                             "Phan Đình Phùng", "KT. CHỦ TỊCH PHÓ CHỦ TỊCH", "QĐ 1728/QĐ-UBND (Phú Yên)"),
    # blank number and day in the header, no signature: only the year and the place are known
    "ba-ria-vung-tau-kh-cds-2024": ("Kế hoạch", "", "2024", "Bà Rịa - Vũng Tàu", "UBND tỉnh Bà Rịa - Vũng Tàu",
                                    "", "", "KH CĐS 2024 (Bà Rịa - Vũng Tàu)"),
    # no administrative header: number and date come from the appendix note "Công văn số 2649/KH-UBND ngày …"
    "tp-ho-chi-minh-kh-411-2023": ("Kế hoạch", "2649/KH-UBND", "2023-06-16", "Thành phố Hồ Chí Minh", "",
                                   "Dương Anh Đức", "KT. CHỦ TỊCH PHÓ CHỦ TỊCH", "KH 2649/KH-UBND (TP. Hồ Chí Minh)"),
}

TITLES = {
    "dong-nai-kh-198-2022": "Kế hoạch phát triển kinh tế số và xã hội số tỉnh Đồng Nai đến năm 2025, "
                            "định hướng đến năm 2030",
    "hai-duong-kh-780-2022": "Kế hoạch phát triển kinh tế số và xã hội số tỉnh Hải Dương năm 2022",
    "phu-yen-qd-1728-2020": "Quyết định phê duyệt Chương trình Chuyển đổi số của tỉnh Phú Yên đến năm 2025, "
                            "định hướng đến năm 2030",
    "ba-ria-vung-tau-kh-cds-2024": "Kế hoạch chuyển đổi số tỉnh Bà Rịa - Vũng Tàu năm 2024",
    "tp-ho-chi-minh-kh-411-2023": "Kế hoạch triển khai Quyết định số 411/QĐ-TTg ngày 31 tháng 3 năm 2022 của Thủ "
                                  "tướng Chính phủ về phê duyệt Chiến lược quốc gia phát triển kinh tế số và xã hội "
                                  "số đến năm 2025, định hướng đến năm 2030 trên địa bàn Thành phố Hồ Chí Minh",
}


@pytest.mark.parametrize("doc_id", sorted(EXTRACTED))
def test_extracts_what_the_plan_states(doc_id):
    meta = extract_metadata(doc_id, load_text(CORPUS / f"{doc_id}.txt"))
    assert tuple(getattr(meta, f) for f in FIELDS) == EXTRACTED[doc_id]
    assert meta.title == TITLES[doc_id]
    assert meta.doc_id == doc_id


@pytest.mark.parametrize("doc_id", sorted(EXTRACTED))
def test_every_plan_has_a_meta_file_with_known_fields_only(doc_id):
    override = load_meta_override(CORPUS, doc_id)
    assert override, doc_id
    assert set(override) <= {f.name for f in dataclasses.fields(DocumentMeta)} - {"doc_id"}


def test_override_fills_what_the_text_lacks():
    doc_id = "tp-ho-chi-minh-kh-411-2023"
    meta = apply_override(extract_metadata(doc_id, load_text(CORPUS / f"{doc_id}.txt")),
                          load_meta_override(CORPUS, doc_id))
    assert meta.issuer == "UBND Thành phố Hồ Chí Minh"
    assert meta.short_label == "KH 2649/KH-UBND (TP. Hồ Chí Minh)"
    assert meta.signer == "Dương Anh Đức"  # extracted fields the override does not mention survive


def test_override_agrees_with_extraction_where_both_exist():
    for doc_id in EXTRACTED:
        extracted = extract_metadata(doc_id, load_text(CORPUS / f"{doc_id}.txt"))
        for field, value in load_meta_override(CORPUS, doc_id).items():
            if getattr(extracted, field):
                assert getattr(extracted, field) == value, (doc_id, field)


def test_override_can_set_the_label_itself():
    meta = apply_override(DocumentMeta("x", doc_type="Kế hoạch", number="1/KH-UBND", province="Huế"),
                          {"short_label": "KH 1 (Huế)"})
    assert meta.short_label == "KH 1 (Huế)"


@pytest.mark.parametrize("meta,label", [
    (DocumentMeta("a", doc_type="Kế hoạch", number="198/KH-UBND", province="Đồng Nai"), "KH 198/KH-UBND (Đồng Nai)"),
    (DocumentMeta("b", doc_type="Quyết định", number="1728/QĐ-UBND", province="Phú Yên"), "QĐ 1728/QĐ-UBND (Phú Yên)"),
    (DocumentMeta("c", doc_type="Kế hoạch", number="", date="2024", province="Bà Rịa - Vũng Tàu",
                  title="Kế hoạch chuyển đổi số tỉnh Bà Rịa - Vũng Tàu năm 2024"), "KH CĐS 2024 (Bà Rịa - Vũng Tàu)"),
    (DocumentMeta("d", doc_type="Kế hoạch", number="2649/KH-UBND", province="Thành phố Hồ Chí Minh"),
     "KH 2649/KH-UBND (TP. Hồ Chí Minh)"),
    (DocumentMeta("e", doc_type="Đề án", number="", date="2023-05-01", title="Đề án đô thị thông minh"), "ĐA ĐTTM 2023"),
])
def test_short_label_scheme(meta, label):
    assert short_label(meta) == label


def test_missing_meta_file_is_an_empty_override(tmp_path):
    assert load_meta_override(tmp_path, "khong-co") == {}


@pytest.mark.parametrize("content,message", [
    ("{không phải json", "Không đọc được tệp thông tin văn bản x.meta.json"),
    ('["Kế hoạch"]', "Tệp x.meta.json phải chứa một đối tượng JSON"),
    ('{"so_hieu": "1/KH"}', "Tệp x.meta.json có trường không hợp lệ: so_hieu."),
    ('{"starter_questions": "Mục tiêu?"}', "Tệp x.meta.json: 'starter_questions' phải là một danh sách câu hỏi"),
    ('{"starter_questions": ["Mục tiêu?", ""]}', "Tệp x.meta.json: 'starter_questions' phải là một danh sách câu hỏi"),
])
def test_bad_meta_file_is_a_document_error(tmp_path, content, message):
    (tmp_path / "x.meta.json").write_text(content, encoding="utf-8")
    with pytest.raises(DocumentError) as info:
        load_meta_override(tmp_path, "x")
    assert info.value.message.startswith(message)


def test_recase_title_borrows_the_body_casing():
    body = "UBND tỉnh Đồng Nai ban hành Kế hoạch phát triển kinh tế số tỉnh Đồng Nai đến năm 2025."
    assert recase_title("PHÁT TRIỂN KINH TẾ SỐ TỈNH ĐỒNG NAI ĐẾN NĂM 2025", body) == \
        "phát triển kinh tế số tỉnh Đồng Nai đến năm 2025"
    assert recase_title("KẾ HOẠCH 5/KH-UBND MỚI", "") == "kế hoạch 5/KH-UBND mới"


def test_metadata_of_a_plan_without_header_is_empty_not_wrong():
    meta = extract_metadata("ghi-chu", "I. MỤC TIÊU\n- Phát triển kinh tế số.\n")
    assert (meta.number, meta.date, meta.doc_type, meta.signer, meta.province) == ("", "", "", "", "")
    assert meta.short_label == "VB"


def test_meta_files_are_plain_utf8_json():
    for path in CORPUS.glob("*.meta.json"):
        assert json.loads(path.read_text(encoding="utf-8"))


def test_a_resolution_names_its_council_and_its_chair_as_signer():
    """A People's Council resolution: issued by the council (HĐND), signed "CHỦ TỊCH" with no "TM."
    before it; a published decision may print "(Đã ký)" between the office and the name."""
    resolution = ("HỘI ĐỒNG NHÂN DÂN\nTỈNH LAI CHÂU\n\nSố: 12/2023/NQ-HĐND\n\nLai Châu, ngày 14 tháng 7 năm 2023\n\n"
                  "NGHỊ QUYẾT\nVề chuyển đổi số tỉnh Lai Châu\n\nCăn cứ Luật Tổ chức chính quyền địa phương;\n\n"
                  "Điều 1. Phạm vi điều chỉnh\nNghị quyết này quy định về chuyển đổi số.\n\n"
                  "CHỦ TỊCH\n\nLò Văn Hùng\n\nNơi nhận:\n- Như Điều 1;\n")
    meta = extract_metadata("lai-chau-nq-12-2023", resolution)
    assert (meta.issuer, meta.signer, meta.signer_title) == ("HĐND tỉnh Lai Châu", "Lò Văn Hùng", "CHỦ TỊCH")
    decision = resolution.replace("HỘI ĐỒNG NHÂN DÂN", "ỦY BAN NHÂN DÂN").replace(
        "CHỦ TỊCH\n\nLò Văn Hùng", "KT. CHỦ TỊCH\nPHÓ CHỦ TỊCH\n\n(Đã ký)\n\nLò Văn Hùng")
    meta = extract_metadata("lai-chau-qd-12-2023", decision)
    assert (meta.issuer, meta.signer, meta.signer_title) == ("UBND tỉnh Lai Châu", "Lò Văn Hùng", "KT. CHỦ TỊCH PHÓ CHỦ TỊCH")
