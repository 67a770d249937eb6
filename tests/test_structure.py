"""structure.parse_document on the real plans: every extraction defect they contain is pinned here."""

from __future__ import annotations


import pytest

from assistant.vi.normalize import squash
from assistant.ingest.loaders import load_text
from assistant.records import ParsedDocument, Section
from assistant.ingest.structure import is_hard_wrapped, iter_sections, parse_document
from assistant.ingest.lines import match_marker, split_lines
from corpus_docs import CORPUS, DATA, DOC_IDS, parsed

def section(doc: ParsedDocument, *headings: str) -> Section:
    """Follow headings from the root; each step matches a child's full heading."""
    node = doc.root
    for heading in headings:
        matches = [c for c in node.children if c.heading == heading]
        assert matches, f"{heading!r} not among {[c.heading for c in node.children]}"
        node = matches[0]
    return node


def top(doc: ParsedDocument, kind: str) -> list[str]:
    return [c.number for c in doc.root.children if c.kind == kind]


def test_text_is_kept_identical():
    for doc_id in DOC_IDS:
        doc = parsed(doc_id)
        assert doc.text == load_text(CORPUS / f"{doc_id}.txt")
        assert (doc.root.start, doc.root.end) == (0, len(doc.text))


def test_dong_nai_jumps_from_iv_to_vi_without_inventing_v():
    assert top(parsed("dong-nai-kh-198-2022"), "roman") == ["I", "II", "III", "IV", "VI"]


def test_dong_nai_vi_has_its_24_agencies_as_siblings():
    vi = section(parsed("dong-nai-kh-198-2022"), "VI. TỔ CHỨC THỰC HIỆN")
    assert [c.number for c in vi.children] == [str(n) for n in range(1, 25)]


def test_ba_ria_vung_tau_keeps_both_sections_numbered_11_as_siblings():
    nhiem_vu = section(parsed("ba-ria-vung-tau-kh-cds-2024"), "II. NHIỆM VỤ")
    numbers = [c.number for c in nhiem_vu.children]
    assert numbers == [str(n) for n in range(1, 12)] + ["11", "12", "13"]
    first, second = nhiem_vu.children[10], nhiem_vu.children[11]
    assert (first.heading, second.heading) == ("11. Chính quyền số", "11. Kinh tế số")
    assert not first.children and not second.children
    assert first.end < second.start
    assert any("GRDP) đạt 16%" in b.text for b in second.blocks)
    assert not any("GRDP) đạt 16%" in b.text for b in first.blocks)


def test_ba_ria_vung_tau_has_no_section_iii():
    assert top(parsed("ba-ria-vung-tau-kh-cds-2024"), "roman") == ["I", "II", "IV", "V"]


@pytest.mark.parametrize("doc_id,path", [
    ("phu-yen-qd-1728-2020", ["I. ĐÁNH GIÁ HIỆN TRẠNG",
                              "1. Về nhận thức, thể chế, môi trường pháp lý triển khai công nghệ thông tin (CNTT)"]),
    ("phu-yen-qd-1728-2020", ["I. ĐÁNH GIÁ HIỆN TRẠNG", "4. Về ứng dụng CNTT phát triển kinh tế"]),
    ("phu-yen-qd-1728-2020", ["III. TẦM NHÌN ĐẾN NĂM 2030"]),
    ("phu-yen-qd-1728-2020", ["IV. MỤC TIÊU", "1. Mục tiêu tổng quát đến năm 2030 để hiện thực hóa tầm nhìn"]),
    ("phu-yen-qd-1728-2020", ["V. NHIỆM VỤ VÀ GIẢI PHÁP", "1. Phát triển nền tảng cho chuyển đổi số",
                              "1.3. Phát triển hạ tầng số", "b) Hạ tầng Internet vạn vật (IoT)"]),
    ("phu-yen-qd-1728-2020", ["V. NHIỆM VỤ VÀ GIẢI PHÁP", "1. Phát triển nền tảng cho chuyển đổi số",
                              "1.5. Xây dựng nền tảng số", "đ) Nền tảng chuỗi khối (blockchain)"]),
    ("phu-yen-qd-1728-2020", ["V. NHIỆM VỤ VÀ GIẢI PHÁP", "3. Phát triển kinh tế số",
                              "3.3. Đổi mới Sáng tạo – Khởi nghiệp"]),
    ("phu-yen-qd-1728-2020", ["V. NHIỆM VỤ VÀ GIẢI PHÁP", "4. Phát triển xã hội số", "4.1. Chuyển đổi số trong y tế"]),
    ("phu-yen-qd-1728-2020", ["VII. TỔ CHỨC THỰC HIỆN", "6. Sở Tài chính, Sở Kế hoạch và Đầu tư"]),
    ("dong-nai-kh-198-2022", ["III. NHIỆM VỤ TRỌNG TÂM", "1. Phát triển nền móng kinh tế số và xã hội số"]),
    ("dong-nai-kh-198-2022", ["VI. TỔ CHỨC THỰC HIỆN", "18. Báo Đồng Nai, Đài Phát thanh và Truyền hình Đồng Nai"]),
    ("dong-nai-kh-198-2022", ["VI. TỔ CHỨC THỰC HIỆN",
                              "21. Liên đoàn Lao động tỉnh, Hội Nông dân tỉnh, Liên minh Hợp tác xã tỉnh"]),
    ("dong-nai-kh-198-2022", ["VI. TỔ CHỨC THỰC HIỆN", "5. Sở Lao động - Thương binh và Xã hội"]),
    ("hai-duong-kh-780-2022", ["IV. TỔ CHỨC THỰC HIỆN", "5. Sở Giáo dục và Đào tạo, Sở Lao động, Thương binh và Xã hội"]),
])
def test_headings_wrapped_over_several_lines_are_rejoined(doc_id, path):
    node = section(parsed(doc_id), *path)
    assert node.heading == path[-1]


def test_a_body_line_after_a_short_heading_stays_body():
    doc = parsed("phu-yen-qd-1728-2020")
    b = section(doc, "V. NHIỆM VỤ VÀ GIẢI PHÁP", "1. Phát triển nền tảng cho chuyển đổi số", "1.5. Xây dựng nền tảng số",
                "b) Nền tảng Internet vạn vật (IoT)")
    assert b.blocks[0].text.startswith("Trong giai đoạn 2022-2025, triển khai thí điểm")


def test_heading_with_inline_body_splits_title_from_text():
    doc = parsed("phu-yen-qd-1728-2020")
    item = section(doc, "II. NGUYÊN TẮC CHỦ ĐẠO TRONG CHUYỂN ĐỔI SỐ",
                   "5. Bảo đảm an toàn, an ninh mạng là yếu tố then chốt để chuyển đổi số")
    assert item.blocks[0].text.startswith("An toàn, an ninh mạng bảo đảm sự thành công và bền vững")
    assert doc.text[item.blocks[0].start:].startswith("An toàn, an ninh mạng")


def test_phu_yen_decision_wrapper_comes_before_the_attached_program():
    doc = parsed("phu-yen-qd-1728-2020")
    kinds = [c.kind for c in doc.root.children]
    assert kinds[:6] == ["header", "dieu", "dieu", "dieu", "signature", "group"]
    assert [c.number for c in doc.root.children[1:4]] == ["Điều 1", "Điều 2", "Điều 3"]
    assert doc.root.children[2].heading == "Điều 2. Quyết định này có hiệu lực thi hành kể từ ngày ký"
    program = doc.root.children[5]
    assert program.heading == "CHƯƠNG TRÌNH CHUYỂN ĐỔI SỐ CỦA TỈNH PHÚ YÊN ĐẾN NĂM 2025, ĐỊNH HƯỚNG ĐẾN NĂM 2030"
    assert program.blocks[-1].text.startswith("UBND tỉnh ban hành Chương trình chuyển đổi số tỉnh Phú Yên")
    assert top(doc, "roman") == ["I", "II", "III", "IV", "V", "VI", "VII"]  # program sections are top level
    assert doc.root.blocks[0].text == "Căn cứ Luật Tổ chức chính quyền địa phương ngày 19/6/2015;"
    assert doc.root.blocks[-1].text == "QUYẾT ĐỊNH:"


def test_phu_yen_decimal_sections_nest_under_their_arabic_parent():
    goals = section(parsed("phu-yen-qd-1728-2020"), "IV. MỤC TIÊU", "2. Mục tiêu cơ bản")
    assert [c.heading for c in goals.children] == ["2.1. Mục tiêu đến năm 2025", "2.2. Mục tiêu đến năm 2030"]


@pytest.mark.parametrize("doc_id,path", [
    # "Mục tiêu cơ bản đến năm 2025:" stands where "a)" is missing before "b) Mục tiêu cơ bản đến năm 2030"
    ("dong-nai-kh-198-2022", ["II. MỤC TIÊU CỤ THỂ", "2. Phát triển xã hội số"]),
    # an unpunctuated short line over a list of bullets
    ("tp-ho-chi-minh-kh-411-2023", ["II. HỆ THỐNG CÁC CHỈ TIÊU", "1. Phát triển kinh tế số"]),
])
def test_unnumbered_subheading_becomes_a_section_of_its_bullets(doc_id, path):
    parent = section(parsed(doc_id), *path)
    sub = parent.children[0]
    assert (sub.kind, sub.number, sub.heading) == ("group", "", "Mục tiêu cơ bản đến năm 2025")
    assert parent.blocks == [] and sub.blocks and all(b.kind == "bullet" for b in sub.blocks)


def test_lead_in_sentences_are_not_promoted_to_headings():
    doc = parsed("phu-yen-qd-1728-2020")
    security = section(doc, "V. NHIỆM VỤ VÀ GIẢI PHÁP", "1. Phát triển nền tảng cho chuyển đổi số",
                       "1.6. Bảo đảm an toàn, an ninh mạng")
    assert security.children == []
    assert security.blocks[0].text == "Bảo đảm an toàn, an ninh mạng trong mọi thành phần của chuyển đổi số:"


def test_lines_that_only_look_like_headings_stay_in_their_sentence():
    doc = parsed("dong-nai-kh-198-2022")
    kinds = {s.kind for s, _ in iter_sections(doc.root)}
    assert "chuong" not in kinds
    assert [c.kind for c in doc.root.children].count("appendix") == 1
    nong_nghiep = section(doc, "III. NHIỆM VỤ TRỌNG TÂM", "2. Phát triển kinh tế số và xã hội số ngành, lĩnh vực",
                          "a) Nông nghiệp và nông thôn")
    assert any(b.text.endswith("gắn kết phát triển thương mại điện tử với Chương trình quốc gia mỗi xã một sản phẩm.")
               for b in nong_nghiep.blocks)
    ldtbxh = section(doc, "VI. TỔ CHỨC THỰC HIỆN", "5. Sở Lao động - Thương binh và Xã hội")
    assert ldtbxh.blocks[0].text == ("Thực hiện các nhiệm vụ, giải pháp theo phân công tại Phụ lục và các nội dung "
                                     "khác thuộc Kế hoạch phù hợp chức năng, nhiệm vụ được giao.")


def test_a_number_alone_on_a_line_inside_a_title_is_not_a_heading():
    doc = parsed("dong-nai-kh-198-2022")
    header = doc.root.children[0]
    assert header.kind == "header"
    assert header.blocks[-1].text == ("PHÁT TRIỂN KINH TẾ SỐ VÀ XÃ HỘI SỐ TỈNH ĐỒNG NAI ĐẾN NĂM 2025, "
                                      "ĐỊNH HƯỚNG ĐẾN NĂM 2030")


def test_wrapped_en_dash_continuation_is_not_a_bullet():
    doc = parsed("phu-yen-qd-1728-2020")
    y_te = section(doc, "V. NHIỆM VỤ VÀ GIẢI PHÁP", "4. Phát triển xã hội số", "4.1. Chuyển đổi số trong y tế")
    assert "giai đoạn 2019 – 2025; Quyết định số 704/QĐ-UBND" in y_te.blocks[0].text


def test_bullets_keep_their_kind_and_drop_the_marker_from_block_text():
    doc = parsed("dong-nai-kh-198-2022")
    targets = section(doc, "II. MỤC TIÊU CỤ THỂ", "1. Phát triển kinh tế số", "a) Mục tiêu cơ bản đến năm 2025")
    assert targets.blocks[0].kind == "bullet"
    assert targets.blocks[0].text == "Tỷ trọng kinh tế số đạt 20% GDP."
    assert doc.text[targets.blocks[0].start:targets.blocks[0].end] == "- Tỷ trọng kinh tế số đạt 20% GDP."
    assert targets.blocks[1].text == "Tỷ trọng kinh tế số trong từng ngành, lĩnh vực đạt tối thiểu 10%."


def test_hcmc_has_a_title_block_but_no_administrative_header():
    doc = parsed("tp-ho-chi-minh-kh-411-2023")
    header = doc.root.children[0]
    assert header.kind == "header"
    assert squash(doc.text[header.start:header.end]).startswith("KẾ HOẠCH TRIỂN KHAI QUYẾT ĐỊNH SỐ 411/QĐ-TTG")
    assert doc.root.children[1].heading == "I. MỤC ĐÍCH, YÊU CẦU"
    kinds = [c.kind for c in doc.root.children]
    assert kinds[-2:] == ["signature", "appendix"]


def test_signature_blocks_hold_recipients_title_and_name():
    doc = parsed("dong-nai-kh-198-2022")
    signature = next(c for c in doc.root.children if c.kind == "signature")
    texts = [b.text for b in signature.blocks]
    assert texts[0] == "Nơi nhận:"
    assert texts[-3:] == ["TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH PHÓ CHỦ TỊCH", "Nguyễn Sơn Hùng"]
    assert doc.text[signature.end - len("Nguyễn Sơn Hùng"):signature.end] == "Nguyễn Sơn Hùng"


def test_hard_wrap_is_detected_per_document():
    wrapped = {d: is_hard_wrapped(split_lines(parsed(d).text)) for d in DOC_IDS}
    assert wrapped == {"dong-nai-kh-198-2022": True, "ba-ria-vung-tau-kh-cds-2024": False,
                       "tp-ho-chi-minh-kh-411-2023": False, "hai-duong-kh-780-2022": True,
                       "phu-yen-qd-1728-2020": True}


@pytest.mark.parametrize("doc_id", DOC_IDS)
def test_offsets_point_at_what_they_describe(doc_id):
    doc = parsed(doc_id)
    for node, _ in iter_sections(doc.root):
        assert 0 <= node.start < node.end <= len(doc.text)
        if node.kind not in ("header", "signature"):
            # table groups read "A. title" in paths, while the source has the cells "A" | "title"
            first_word = node.number if node.kind == "group" and node.number else node.heading.split()[0]
            assert doc.text[node.start:].startswith(first_word), node.heading
        for block in node.blocks:
            source = squash(doc.text[block.start:block.end].replace("\n|\n", " "))
            assert node.start <= block.start < block.end <= node.end
            if block.kind == "table_row":
                assert all(squash(v) in source for v in block.cells.values())
            else:
                assert source.endswith(squash(block.text)), (source, block.text)
        for child in node.children:
            assert node.start <= child.start and child.end <= node.end


@pytest.mark.parametrize("doc_id", DOC_IDS)
def test_sibling_sections_do_not_overlap(doc_id):
    for node, _ in iter_sections(parsed(doc_id).root):
        for a, b in zip(node.children, node.children[1:]):
            assert a.end <= b.start, (a.heading, b.heading)


@pytest.mark.parametrize("line,expected", [
    ("II. MỤC TIÊU CỤ THỂ", ("roman", "II", "MỤC TIÊU CỤ THỂ")),
    ("I- MỤC TIÊU", ("roman", "I", "MỤC TIÊU")),
    ("1.1.  Về hoàn thiện thể chế", ("decimal", "1.1", "Về hoàn thiện thể chế")),
    ("2.1 Mục tiêu đến năm 2025", ("decimal", "2.1", "Mục tiêu đến năm 2025")),
    ("1/ Mục tiêu chung", ("arabic", "1", "Mục tiêu chung")),
    ("đ) An toàn thông tin mạng", ("letter", "đ", "An toàn thông tin mạng")),
    ("b. Dữ liệu số", ("letter", "b", "Dữ liệu số")),
    ("-100% công tác quản lý", ("bullet", "", "100% công tác quản lý")),
    ("(2). Y tế", ("bullet", "", "Y tế")),
    ("Điều 3. Chánh Văn", ("dieu", "Điều 3", "Chánh Văn")),
    ("PHẦN I. ĐÁNH GIÁ", ("chuong", "Phần I", "ĐÁNH GIÁ")),
    ("PHỤ LỤC II", ("appendix", "II", "")),
    ("A. PHÁT TRIỂN NỀN MÓNG", ("group", "A", "PHÁT TRIỂN NỀN MÓNG")),
    ("Đ. TỔ CHỨC THỰC HIỆN", ("group", "Đ", "TỔ CHỨC THỰC HIỆN")),  # Vietnamese order: D, Đ, E
    ("Chương trình quốc gia mỗi xã một sản phẩm.", None),
    ("Phụ lục và các nội dung khác thuộc Kế hoạch", None),
    ("2030 để hiện thực hóa tầm nhìn", None),
    ("14862/CTr-UBND ngày 01/12/2021", None),
    ("2.002 thủ tục", None),
    ("15-20% doanh nghiệp", None),
    ("V/v triển khai Kế hoạch", None),
    ("------", None),
    ("## II. MỤC TIÊU", ("roman", "II", "MỤC TIÊU")),
])
def test_marker_shapes(line, expected):
    marker = match_marker(line)
    got = (marker.kind, marker.number, marker.rest) if marker else None
    assert got == expected


def test_a_new_plan_with_other_conventions_parses_the_same_way():
    text = load_text(DATA / "ke-hoach-mau-lam-dong.txt")
    doc = parse_document("ke-hoach-mau-lam-dong", text)
    assert [c.kind for c in doc.root.children] == ["header", "roman", "roman", "roman", "signature", "appendix"]
    assert [c.heading for c in section(doc, "II. NHIỆM VỤ", "1. Hạ tầng số").children] == [
        "1.1. Mạng di động", "1.2. Trung tâm dữ liệu"]
    data_centre = section(doc, "II. NHIỆM VỤ", "1. Hạ tầng số", "1.2. Trung tâm dữ liệu")
    assert data_centre.blocks[0].text.endswith("kết nối với Chương trình Chương trình quốc gia về dữ liệu số.")
    appendix = doc.root.children[-1]
    assert (appendix.number, appendix.heading) == ("I", "PHỤ LỤC I DANH MỤC NHIỆM VỤ NĂM 2024")
    rows = [b.cells for b in appendix.children[0].blocks if b.kind == "table_row"]
    assert rows[0] == {"STT": "1", "Nội dung": "Phủ sóng 5G tại trung tâm các huyện",
                       "Đơn vị chủ trì": "Sở Thông tin và Truyền thông",
                       "Đơn vị phối hợp": "Các doanh nghiệp viễn thông", "Thời gian hoàn thành": "Quý IV/2024"}


def test_top_level_letters_follow_the_vietnamese_alphabet():
    """A plan lettered "A. … D. … Đ. …": Đ opens its own part, so "I. Trách nhiệm …" under it is not
    filed under D (the agencies' duties would lose their "TỔ CHỨC THỰC HIỆN" heading)."""
    text = ("ỦY BAN NHÂN DÂN\nTỈNH KIÊN GIANG\nSố: 5/KH-UBND\nKẾ HOẠCH\nChuyển đổi số tỉnh Kiên Giang năm 2024\n"
            "Căn cứ Quyết định số 749/QĐ-TTg ngày 03/6/2020 của Thủ tướng Chính phủ.\nA. MỤC TIÊU\nI. MỤC TIÊU CHUNG\nHoàn thành chính quyền số.\nB. NHIỆM VỤ\nI. HẠ TẦNG SỐ\nPhủ sóng 5G.\n"
            "D. KINH PHÍ THỰC HIỆN\nI. NGUỒN KINH PHÍ\nNgân sách tỉnh bố trí hằng năm.\n"
            "Đ. TỔ CHỨC THỰC HIỆN\nI. TRÁCH NHIỆM CỦA CÁC CƠ QUAN\n1. Sở Tài chính\n"
            "- Bố trí kinh phí chi thường xuyên cho các nhiệm vụ.\n")
    doc = parse_document("x", text)
    parts = [c for c in doc.root.children if c.kind == "group"]
    assert [p.number for p in parts] == ["A", "B", "D", "Đ"]
    assert [c.heading for c in parts[-1].children] == ["I. TRÁCH NHIỆM CỦA CÁC CƠ QUAN"]


def test_meta_override_reaches_the_parsed_document():
    doc = parse_document("x", load_text(CORPUS / "tp-ho-chi-minh-kh-411-2023.txt"), {"issuer": "UBND Thành phố X"})
    assert doc.meta.issuer == "UBND Thành phố X"
    assert doc.meta.short_label == "KH 2649/KH-UBND (TP. Hồ Chí Minh)"


def test_a_sentence_wrapped_inside_brackets_after_a_colon_stays_one_paragraph():
    text = ("KẾ HOẠCH\nI. HIỆN TRẠNG\nSố cán bộ chuyên trách là 65 người (Đại học: 44 người; Thạc sĩ:\n"
            "21 người); tại cấp tỉnh: 45 người.\nCác cơ sở đào tạo mở thêm lớp.\n")
    blocks = [b.text for s, _ in iter_sections(parse_document("x", text).root) for b in s.blocks]
    assert any("Thạc sĩ: 21 người); tại cấp tỉnh: 45 người." in b for b in blocks)


def test_a_stray_bracket_does_not_swallow_the_following_paragraphs():
    body = "Nội dung (chưa đóng ngoặc:\n" + "".join(f"Câu số {i} hoàn chỉnh.\n" for i in range(12))
    blocks = [b.text for s, _ in iter_sections(parse_document("x", "KẾ HOẠCH\nI. HIỆN TRẠNG\n" + body).root)
              for b in s.blocks]
    assert len(blocks) > 2


def test_a_numbered_task_label_keeps_its_title_after_the_colon():
    """"3.1. Nhiệm vụ 1: Nâng cao nhận thức" is a label and its title: the heading says what the task is
    about. A heading whose colon opens body text ("1.4. Phát triển dữ liệu: Xác định …") stays split."""
    text = (
        "KẾ HOẠCH\nChuyển đổi số tỉnh Trà Vinh\n"
        "3. Nhiệm vụ, giải pháp\n"
        "3.1. Nhiệm vụ 1: Nâng cao nhận thức về chuyển đổi số\n"
        "a) Mở chuyên mục chuyển đổi số trên Báo Trà Vinh.\n"
        "3.2. Giải pháp thứ hai: Phát triển hạ tầng số\n"
        "a) Xóa các ấp lõm sóng di động.\n"
        "3.3. Phát triển dữ liệu: Xác định danh mục cơ sở dữ liệu dùng chung của tỉnh.\n"
    )
    doc = parse_document("x", text)
    tasks = section(doc, "3. Nhiệm vụ, giải pháp")
    assert [c.heading for c in tasks.children] == [
        "3.1. Nhiệm vụ 1: Nâng cao nhận thức về chuyển đổi số",
        "3.2. Giải pháp thứ hai: Phát triển hạ tầng số",
        "3.3. Phát triển dữ liệu",
    ]
