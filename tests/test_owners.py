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
