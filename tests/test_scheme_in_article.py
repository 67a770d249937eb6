"""A decision whose scheme is written inside its Điều 1 in "Mục 1." → "1)" → "a." → "–", with Điều 2 in
"Khoản 1." per agency: each level is a section of its own, cited "Điều 1, mục 2.2" / "Điều 2, khoản 2";
a list question naming a section's title ("những quan điểm gì") gets that section's items; the duties
of an agency come from its Khoản. Pinned on a plan outside the shipped corpus (Hà Nam, written here).
"""

from __future__ import annotations

import pytest
from corpus_docs import assistant_with_plans

from assistant.ingest.structure import parse_document

STEM = "ha-nam-qd-900-2025"
PLAN = """ỦY BAN NHÂN DÂN
TỈNH HÀ NAM
Số: 900/QĐ-UBND
Hà Nam, ngày 10 tháng 7 năm 2025
QUYẾT ĐỊNH
Phê duyệt Đề án Phát triển kinh tế số tỉnh Hà Nam đến năm 2030
ỦY BAN NHÂN DÂN TỈNH HÀ NAM
Căn cứ Luật Tổ chức chính quyền địa phương;
Căn cứ Quyết định số 411/QĐ-TTg ngày 31/3/2022 của Thủ tướng Chính phủ;
Theo đề nghị của Giám đốc Sở Khoa học và Công nghệ tại Tờ trình số 55/TTr-SKHCN ngày 01/7/2025.
QUYẾT ĐỊNH:
Điều 1. Phê duyệt Đề án Phát triển kinh tế số tỉnh Hà Nam đến năm 2030 với các nội dung chủ yếu sau:
Mục 1. Thực trạng phát triển kinh tế số
1) Kết quả đạt được
a. Về quy mô kinh tế số: năm 2024 kinh tế số chiếm 11,2% GRDP của tỉnh.
b. Về thương mại điện tử: có 320 sản phẩm OCOP được đưa lên sàn thương mại điện tử.
2) Hạn chế, nguyên nhân
Hạ tầng số ở vùng nông thôn còn yếu; nguồn nhân lực số còn thiếu.
Mục 2. Quan điểm và mục tiêu
1) Quan điểm
– Kinh tế số là động lực tăng trưởng mới.
– Doanh nghiệp là trung tâm.
2) Mục tiêu cụ thể
a. Đến năm 2025: kinh tế số chiếm 14% GRDP; tỷ lệ thanh toán không dùng tiền mặt đạt 70%; 60% doanh nghiệp nhỏ và vừa sử dụng nền tảng số.
b. Đến năm 2030: kinh tế số chiếm 25% GRDP; 100% hợp tác xã sử dụng nền tảng số.
Mục 3. Nhiệm vụ và giải pháp
1) Phát triển hạ tầng số
Sở Khoa học và Công nghệ chủ trì, phối hợp với các doanh nghiệp viễn thông phủ sóng 5G tại các khu công nghiệp Đồng Văn, hoàn thành trước quý IV/2026.
2) Chuyển đổi số nông nghiệp
Sở Nông nghiệp và Môi trường chủ trì xây dựng nền tảng truy xuất nguồn gốc cho sản phẩm chuối ngự Đại Hoàng và cá kho Nhân Hậu.
Mục 4. Kinh phí thực hiện
Tổng kinh phí dự kiến 1.250 tỷ đồng, trong đó ngân sách nhà nước 350 tỷ đồng, doanh nghiệp 900 tỷ đồng.
Điều 2. Tổ chức thực hiện
Khoản 1. Sở Khoa học và Công nghệ (cơ quan thường trực)
– Chủ trì theo dõi, đôn đốc thực hiện Đề án.
– Tổng hợp báo cáo UBND tỉnh trước ngày 15/12 hằng năm.
Khoản 2. Sở Công Thương
– Chủ trì phát triển thương mại điện tử, hỗ trợ doanh nghiệp đưa sản phẩm lên sàn.
Điều 3. Quyết định này có hiệu lực kể từ ngày ký.
Chánh Văn phòng UBND tỉnh, Giám đốc các sở, ngành và Chủ tịch UBND các huyện chịu trách nhiệm thi hành Quyết định này.
Nơi nhận:
- Như Điều 3;
- Lưu: VT.
TM. ỦY BAN NHÂN DÂN
KT. CHỦ TỊCH
PHÓ CHỦ TỊCH
Nguyễn Văn A
PHỤ LỤC
CHỈ TIÊU VÀ NHIỆM VỤ TRỌNG TÂM PHÁT TRIỂN KINH TẾ SỐ
(Kèm theo Quyết định số 900/QĐ-UBND ngày 10/7/2025 của UBND tỉnh Hà Nam)
TT | Nội dung | Chỉ tiêu 2025 | Chỉ tiêu 2030 | Cơ quan chủ trì | Cơ quan phối hợp
A | CHỈ TIÊU
1 | Tỷ lệ hợp tác xã sử dụng nền tảng số | 40% | 100% | Sở Nông nghiệp và Môi trường | Liên minh HTX tỉnh
B | NHIỆM VỤ TRỌNG TÂM
1 | Xây dựng sàn giao dịch nông sản tỉnh | 2025 | 2026 | Sở Công Thương | Sở Khoa học và Công nghệ
"""


@pytest.fixture(scope="module")
def ha_nam(tmp_path_factory, fake_embedder):
    return assistant_with_plans(tmp_path_factory.mktemp("hanam"), fake_embedder, {STEM: PLAN})


def _headings(section, depth=0):
    for child in section.children:
        yield depth, child.kind, child.heading
        yield from _headings(child, depth + 1)


def test_muc_and_khoan_are_levels_of_their_own():
    outline = list(_headings(parse_document(STEM, PLAN).root))
    kinds = {heading.split(".")[0]: (depth, kind) for depth, kind, heading in outline}
    assert kinds["Mục 2"] == (1, "muc") and kinds["Mục 4"] == (1, "muc")
    assert kinds["Khoản 1"] == (1, "khoan") and kinds["Khoản 2"] == (1, "khoan")
    # "1) Quan điểm" sits under Mục 2, not beside the "2)" of Mục 1
    at = [h for _, _, h in outline].index("1) Quan điểm")
    assert [h for _, _, h in outline][at - 1].startswith("Mục 2")


def test_a_sentence_naming_a_muc_is_no_heading():
    text = PLAN.replace("Hạ tầng số ở vùng nông thôn", "Mục 2 của Đề án nêu hạ tầng số ở vùng nông thôn")
    assert "muc" not in {k for _, k, h in _headings(parse_document(STEM, text).root) if h.startswith("Mục 2 của")}


@pytest.mark.parametrize("question, needle, label", [
    ("Hà Nam muốn năm 2025 bao nhiêu % giao dịch thanh toán không dùng tiền mặt?", "70%", "Điều 1, mục 2.2"),
    ("Sở Công Thương tỉnh Hà Nam được giao những việc gì?", "thương mại điện tử", "Điều 2, khoản 2"),
    ("Tổng số tiền dự kiến cho đề án kinh tế số Hà Nam?", "1.250 tỷ đồng", "Điều 1, mục 4"),
])
def test_answers_are_cited_by_article_muc_and_khoan(ha_nam, question, needle, label):
    answer = ha_nam.ask(question)
    assert needle in answer.answer, answer.answer
    assert answer.citations and answer.citations[0].label.endswith(label), answer.citations[0].label


def test_a_list_named_by_a_section_title_comes_whole(ha_nam):
    answer = ha_nam.ask("Đề án phát triển kinh tế số của Hà Nam nêu những quan điểm gì?")
    assert "động lực tăng trưởng mới" in answer.answer and "Doanh nghiệp là trung tâm" in answer.answer, answer.answer
    assert "14%" not in answer.answer  # the targets of the next item


def test_a_list_about_a_topic_beyond_the_title_is_not_the_whole_section(ha_nam):
    answer = ha_nam.ask("Hà Nam có những nhiệm vụ gì về truy xuất nguồn gốc chuối ngự?")
    assert "chuối ngự Đại Hoàng" in answer.answer, answer.answer
    assert "5G" not in answer.answer


def test_a_muc_titled_on_the_next_line_sits_between_chapter_and_article():
    """The legal order Chương → Mục → Điều, each number on its own line above its title."""
    text = ("QUYẾT ĐỊNH\nChương III\nNHIỆM VỤ VÀ GIẢI PHÁP\nMục 1\nNHIỆM VỤ CHUNG\n"
            "Điều 7. Phát triển nguồn nhân lực số\n1. Mở lớp kỹ năng số cho cán bộ xã.\n"
            "Mục 2\nNHIỆM VỤ CỤ THỂ\nĐiều 8. Hạ tầng số\n1. Phủ sóng 4G toàn tỉnh.\n")
    outline = list(_headings(parse_document("ha-nam-ctr-1-2025", text).root))
    depth = {heading.split(" ")[0] + " " + heading.split(" ")[1].rstrip("."): d for d, _, heading in outline}
    assert depth["Chương III"] == 0 and depth["Mục 1"] == 1 and depth["Điều 7"] == 2 and depth["Điều 8"] == 2


def test_a_clause_aiming_at_another_year_does_not_answer(ha_nam):
    """"Đến 2035 …" asks a target no clause sets: the 2025 and 2030 targets are other years' figures."""
    answer = ha_nam.ask("Đến năm 2035 hợp tác xã ở Hà Nam dùng nền tảng số ra sao?")
    assert "100% hợp tác xã" not in answer.answer and "60% doanh nghiệp" not in answer.answer, answer.answer
    kept = ha_nam.ask("Đến năm 2030 hợp tác xã ở Hà Nam dùng nền tảng số ra sao?")
    assert "100% hợp tác xã" in kept.answer, kept.answer
