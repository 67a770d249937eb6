"""Who leads a section the plan assigns by number ("… triển khai các nội dung tại mục 2"): the agency
whose duties in "TỔ CHỨC THỰC HIỆN" cite it. Pinned on a plan outside the shipped corpus (Kon Tum,
written here), whose task sections name no agency themselves.
"""

from __future__ import annotations


import pytest
from corpus_docs import assistant_with_plans

from assistant.answer.owners import SectionOwners

PLAN = """ỦY BAN NHÂN DÂN
TỈNH KON TUM
Số: 52/KH-UBND
KẾ HOẠCH
Chuyển đổi số tỉnh Kon Tum năm 2025
I. NHIỆM VỤ
1. Hạ tầng viễn thông
Phủ sóng di động tới các làng vùng sâu, vùng xa.
2. Thanh toán không tiền mặt
Mở rộng chấp nhận thanh toán bằng mã QR tại chợ và bệnh viện huyện.
3. Du lịch thông minh
Số hóa bản đồ các điểm du lịch cộng đồng Măng Đen.
4. Y tế số
Phát triển nền tảng khám, chữa bệnh từ xa, phối hợp chặt chẽ với Bộ Y tế để kết nối các trạm y tế xã.
II. TỔ CHỨC THỰC HIỆN
1. Sở Thông tin và Truyền thông
Chủ trì, phối hợp với các đơn vị liên quan triển khai các nội dung tại mục 1 của Kế hoạch.
2. Ngân hàng Nhà nước chi nhánh tỉnh
Chủ trì, phối hợp với các đơn vị liên quan triển khai các nội dung tại mục 2 của Kế hoạch.
3. Sở Văn hóa, Thể thao và Du lịch
Chủ trì, phối hợp với các đơn vị liên quan triển khai các nội dung tại mục 3 của Kế hoạch.
4. Sở Y tế
Chủ trì, phối hợp với các đơn vị liên quan triển khai các nội dung tại mục 4 của Kế hoạch.
"""


@pytest.fixture(scope="module")
def plans(tmp_path_factory, fake_embedder):
    """One assistant over the shipped plans plus both plans of this module (PLAN, TWICE)."""
    return assistant_with_plans(tmp_path_factory.mktemp("kontum_owners"), fake_embedder,
                                {"kon-tum-kh-52-2025": PLAN, "dak-lak-kh-61-2025": TWICE})


def test_each_numbered_section_has_the_agency_citing_it(plans):
    chunks = [c for c in plans.bundle.chunks if c.doc_id == "kon-tum-kh-52-2025"]
    owners = SectionOwners(chunks)
    payment = next(c for c in chunks if "mã QR" in c.text)
    assert owners.of(payment).agency.startswith("Ngân hàng Nhà nước")
    duty = next(c for c in chunks if "mục 2" in c.text)
    assert owners.of(duty) is None  # a duty clause has its own agency


@pytest.mark.parametrize("question, agency", [
    ("Ở Kon Tum mảng thanh toán quét mã QR do đơn vị nào chủ trì?", "Ngân hàng Nhà nước"),
    ("kon tum: so hoa ban do diem du lich cong dong thi so nao lo?", "Sở Văn hóa, Thể thao và Du lịch"),
    # the clause names an agency it works with ("phối hợp với Bộ Y tế"), not who leads it
    ("Kon Tum: nền tảng khám bệnh từ xa do sở nào chủ trì?", "Sở Y tế"),
])
def test_who_leads_a_section_is_its_owner(plans, question, agency):
    answer = plans.ask(question)
    assert answer.answer.startswith(agency), answer.answer
    assert answer.citations[0].doc_id == "kon-tum-kh-52-2025"


# --- duties under a nested "TỔ CHỨC THỰC HIỆN > I. Trách nhiệm của các cơ quan > 3. Sở Tài chính" ---

NESTED = """ỦY BAN NHÂN DÂN
TỈNH KON TUM
Số: 77/KH-UBND
KẾ HOẠCH
Chuyển đổi số tỉnh Kon Tum giai đoạn 2024 - 2025
Phần I. MỤC TIÊU
Phủ sóng di động tới mọi làng.
Phần II. TỔ CHỨC THỰC HIỆN
I. TRÁCH NHIỆM CỦA CÁC CƠ QUAN, ĐƠN VỊ
1. Sở Tài chính
- Thẩm định dự toán kinh phí chi thường xuyên thực hiện Kế hoạch.
- Tham mưu trình Hội đồng nhân dân tỉnh mức thu phí đối với hồ sơ nộp trực tuyến.
2. Văn phòng UBND tỉnh
- Vận hành tổng đài tiếp nhận phản ánh 1022 của tỉnh.
II. CHẾ ĐỘ BÁO CÁO
Các sở báo cáo trước ngày 10/12 hằng năm.
"""


@pytest.fixture(scope="module")
def nested(tmp_path_factory, fake_embedder):
    return assistant_with_plans(tmp_path_factory.mktemp("kontum_nested"), fake_embedder, {"kon-tum-kh-77-2024": NESTED})


def test_an_agency_heading_nested_under_responsibilities_owns_its_clauses(nested):
    answer = nested.ask("Ở Kon Tum cơ quan nào vận hành tổng đài phản ánh 1022?")
    assert answer.answer.startswith("Văn phòng UBND tỉnh"), answer.answer


def test_duties_of_an_agency_nested_under_responsibilities_come_whole(nested):
    answer = nested.ask("Sở Tài chính Kon Tum có những nhiệm vụ gì?")
    assert "Thẩm định dự toán" in answer.answer and "mức thu phí" in answer.answer, answer.answer


@pytest.mark.parametrize("question", [
    "Sở Tài chính Kon Tum phải làm những việc gì?",  # "làm những việc gì" asks the duties too
    "Sở Tài chính Kon Tum được giao gì ở phần tổ chức thực hiện của kế hoạch?",  # where it is said, not a topic
    "so tai chinh kon tum duoc giao lam gi trong ke hoach trien khai chien luoc chuyen doi so?",
])
def test_duties_asked_in_other_words_come_whole(nested, question):
    answer = nested.ask(question)
    assert "Thẩm định dự toán" in answer.answer and "mức thu phí" in answer.answer, answer.answer


def test_a_duty_to_issue_a_document_is_a_deadline_not_the_plans_own_date(nested):
    """"các huyện phải ban hành kế hoạch … trước ngày nào" asks the deadline the plan sets."""
    from assistant.retrieve.analysis import understand
    from assistant.retrieve.plan_fields import meta_fields

    assert meta_fields(understand("Các huyện phải ban hành kế hoạch của mình trước ngày nào?")) == []
    assert meta_fields(understand("Kế hoạch này được ban hành ngày nào?")) == ["date"]


# --- a number used twice: "2. Mục tiêu cụ thể" under MỤC TIÊU, "2. Thanh toán số" under NHIỆM VỤ ---

TWICE = """ỦY BAN NHÂN DÂN
TỈNH ĐẮK LẮK
Số: 61/KH-UBND
KẾ HOẠCH
Chuyển đổi số tỉnh Đắk Lắk năm 2025
I. MỤC TIÊU
1. Mục tiêu chung
Đắk Lắk trở thành tỉnh khá về chuyển đổi số của khu vực Tây Nguyên.
2. Mục tiêu cụ thể
- Tỷ lệ người trưởng thành có ví điện tử hoặc tài khoản thanh toán đạt 75%.
II. NHIỆM VỤ
1. Hạ tầng số
Phủ sóng 5G tại trung tâm thành phố Buôn Ma Thuột.
2. Thanh toán số
Mở rộng mạng lưới điểm chấp nhận ví điện tử và tài khoản thanh toán tại các xã để tăng tỷ lệ người trưởng thành có ví điện tử.
III. TỔ CHỨC THỰC HIỆN
1. Sở Thông tin và Truyền thông
Chủ trì triển khai các nội dung tại mục 1 của Kế hoạch.
2. Ngân hàng Nhà nước chi nhánh tỉnh
Chủ trì triển khai các nội dung tại mục 2 của Kế hoạch.
"""


def test_a_cited_number_means_the_task_section_not_the_target_numbered_alike(plans):
    chunks = [c for c in plans.bundle.chunks if c.doc_id == "dak-lak-kh-61-2025"]
    owners = SectionOwners(chunks)
    target = next(c for c in chunks if "75%" in c.text)
    assert owners.of(target) is None  # "2. Mục tiêu cụ thể" is not the "mục 2" the bank's duty cites
    task = next(c for c in chunks if "điểm chấp nhận ví điện tử" in c.text)
    assert owners.of(task).agency.startswith("Ngân hàng Nhà nước")


def test_a_duty_that_cites_a_section_is_indexed_under_that_section_s_title(plans):
    duty = next(c for c in plans.bundle.chunks if c.doc_id == "dak-lak-kh-61-2025" and "mục 2" in c.text)
    assert duty.extra["refers"] == "Thanh toán số"


def test_who_leads_a_target_is_the_owner_of_the_task_on_the_same_topic(plans):
    answer = plans.ask("Đắk Lắk: đơn vị nào lo việc tăng tỷ lệ người trưởng thành có ví điện tử, tài khoản thanh toán?")
    assert answer.answer.startswith("Ngân hàng Nhà nước"), answer.answer


# --- the part duties point at is the one holding the numbers they cite, whatever its name ("NỘI DUNG") ---

CONTENT = """ỦY BAN NHÂN DÂN
TỈNH HÀ GIANG
Số: 19/KH-UBND
KẾ HOẠCH
Phát triển kinh tế số tỉnh Hà Giang năm 2025
I. MỤC ĐÍCH, YÊU CẦU
1. Mục đích
Nâng cao năng lực số của người dân vùng cao.
2. Yêu cầu
Bảo đảm đồng bộ, thống nhất giữa các cấp.
II. NỘI DUNG
1. Truyền thông
Phát thanh một chuyên đề về chuyển đổi số mỗi tuần.
2. Hạ tầng số
Lắp điểm phát sóng không dây miễn phí tại 30 phiên chợ vùng cao.
III. TỔ CHỨC THỰC HIỆN
1. Sở Thông tin và Truyền thông
Chủ trì, phối hợp với các cơ quan liên quan triển khai các nội dung mục 1, mục 2 của Kế hoạch.
2. Sở Công Thương
Phối hợp tổ chức các phiên chợ.
"""

# --- articles ("tại Điều 5"), several agencies in one duty clause, "Trách nhiệm của <agency>" headings,
# and a lettered part's sections ("tại Mục II.1 Phần B") ---

ARTICLES = """ỦY BAN NHÂN DÂN
TỈNH TUYÊN QUANG
Số: 406/QĐ-UBND
QUYẾT ĐỊNH
Ban hành Chương trình chuyển đổi số tỉnh Tuyên Quang giai đoạn 2025 - 2027
Chương II
NHIỆM VỤ
Điều 5. Du lịch số
Phát hành vé điện tử tại khu di tích Tân Trào.
Điều 6. Nông nghiệp số
Gắn tem truy xuất nguồn gốc cho cam sành Hàm Yên.
Điều 7. Y tế số
Triển khai sổ sức khỏe điện tử tại trạm y tế xã.
Chương III
TỔ CHỨC THỰC HIỆN
Điều 9. Trách nhiệm của Sở Văn hóa, Thể thao và Du lịch
Chủ trì triển khai nhiệm vụ tại Điều 5 Chương trình này.
Điều 10. Trách nhiệm của các sở, ngành khác
Sở Nông nghiệp và Phát triển nông thôn chủ trì triển khai nhiệm vụ tại Điều 6; Sở Y tế chủ trì triển khai nhiệm vụ tại Điều 7.
"""

PARTS = """ỦY BAN NHÂN DÂN
TỈNH YÊN BÁI
Số: 88/KH-UBND
Yên Bái, ngày 14 tháng 01 năm 2025
KẾ HOẠCH
Chuyển đổi số tỉnh Yên Bái năm 2025
Căn cứ Quyết định số 749/QĐ-TTg ngày 03/6/2020 của Thủ tướng Chính phủ; Ủy ban nhân dân tỉnh ban hành Kế hoạch như sau:
A. MỤC TIÊU
I. MỤC TIÊU CHUNG
Yên Bái thuộc nhóm khá về chuyển đổi số.
B. NHIỆM VỤ
I. NHIỆM VỤ CHUNG
Tập huấn kỹ năng số cho cán bộ xã.
II. NHIỆM VỤ THEO LĨNH VỰC
1. Du lịch thông minh
Số hóa thuyết minh tại ruộng bậc thang Mù Cang Chải.
2. Nông nghiệp thông minh
Lắp cảm biến độ ẩm cho vùng quế Văn Yên.
C. TỔ CHỨC THỰC HIỆN
1. Sở Văn hóa, Thể thao và Du lịch
Chủ trì triển khai các nhiệm vụ tại Mục II.1 Phần B.
2. Sở Nông nghiệp và Phát triển nông thôn
Chủ trì triển khai các nhiệm vụ tại Mục II.2 Phần B.
"""


@pytest.fixture(scope="module")
def references(tmp_path_factory, fake_embedder):
    return assistant_with_plans(tmp_path_factory.mktemp("references"), fake_embedder,
                                {"ha-giang-kh-19-2025": CONTENT, "tuyen-quang-qd-406-2025": ARTICLES,
                                 "yen-bai-kh-88-2025": PARTS})


@pytest.mark.parametrize("question, agency", [
    ("Hà Giang: điểm wifi free tại phiên chợ vùng cao do sở nào chủ trì?", "Sở Thông tin và Truyền thông"),
    ("Tuyên Quang: vé điện tử ở khu di tích Tân Trào do sở nào chủ trì?", "Sở Văn hóa, Thể thao và Du lịch"),
    ("tuyen quang gan tem truy xuat nguon goc cam sanh Ham Yen thi so nao chu tri?",
     "Sở Nông nghiệp và Phát triển nông thôn"),
    ("Tuyên Quang: sổ sức khỏe điện tử ở trạm y tế xã do cơ quan nào chủ trì?", "Sở Y tế"),
    ("Yên Bái: cảm biến độ ẩm cho vùng quế Văn Yên do sở nào chủ trì?", "Sở Nông nghiệp và Phát triển nông thôn"),
    ("Yên Bái: số hóa thuyết minh ở Mù Cang Chải thì sở nào chủ trì?", "Sở Văn hóa, Thể thao và Du lịch"),
])
def test_who_leads_a_section_cited_by_number_article_or_part(references, question, agency):
    answer = references.ask(question)
    assert answer.answer.startswith(agency), answer.answer


def test_section_keys_of_numbers_articles_and_lettered_parts():
    from assistant.ingest.references import path_keys, section_numbers

    assert section_numbers("nhiệm vụ tại Điều 6; Sở Y tế chủ trì nhiệm vụ tại Điều 7") == {"dieu 6", "dieu 7"}
    assert section_numbers("theo Điều 5 Nghị định số 47/2020/NĐ-CP") == frozenset()  # another document's article
    assert section_numbers("các nhiệm vụ tại Mục II.2 Phần B") == {"B.II.2"}
    assert [k for _, k in path_keys(["B. NHIỆM VỤ", "II. NHIỆM VỤ THEO LĨNH VỰC", "2. Nông nghiệp"])] == \
        ["B.II", "2", "B.II.2"]
