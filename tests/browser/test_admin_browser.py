"""The admin area in Chromium: login (and a wrong code), upload, preview, metadata, publish, reindex with
progress until done, feedback review and CSV export, removing a plan, logout.

Its own server: the admin area on (ASSISTANT_ADMIN_TOKEN), a writable copy of the corpus, the fake
embedder, everything in a temporary folder.
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from playwright.sync_api import expect

from servers import free_port, stop_process, wait_until_responds

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[2]
TOKEN = "ma-quan-tri-thu-789"
PLAN = ("ỦY BAN NHÂN DÂN\nTỈNH LÂM ĐỒNG\n-------\n|\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc\n|\n"
        "Số: 91/KH-UBND\n|\nLâm Đồng, ngày 10 tháng 03 năm 2024\n|\nKẾ HOẠCH\nChuyển đổi số tỉnh Lâm Đồng năm 2024\n"
        "Căn cứ Quyết định số 749/QĐ-TTg ngày 03/6/2020 của Thủ tướng Chính phủ;\n"
        "I. MỤC TIÊU\n1. Mục tiêu chung\nĐẩy mạnh chuyển đổi số toàn diện.\n"
        "2. Mục tiêu cụ thể\nTỷ lệ hồ sơ xử lý trực tuyến toàn trình đạt 68% vào năm 2024.\n"
        "II. NHIỆM VỤ\n1. Hạ tầng số\nPhủ sóng 5G tại Đà Lạt.\n")


@pytest.fixture(scope="module")
def admin_server(tmp_path_factory):
    """(url, home): the product's app with the admin area on, served by uvicorn on a free loopback port."""
    home = tmp_path_factory.mktemp("admin-server")
    shutil.copytree(ROOT / "corpus", home / "corpus")
    port = free_port()
    env = {**os.environ, "ASSISTANT_HOME": str(home), "ASSISTANT_CORPUS_DIR": str(home / "corpus"),
           "ASSISTANT_INDEX_DIR": str(home / "index"), "ASSISTANT_FEEDBACK_DB": str(home / "feedback.sqlite3"),
           "ASSISTANT_EMBEDDING_MODEL": "test-hashing", "ASSISTANT_ADMIN_TOKEN": TOKEN, "ASSISTANT_ANSWERER": "extractive",
           "PYTHONUNBUFFERED": "1"}
    env.pop("ASSISTANT_DATABASE_URL", None)
    process = subprocess.Popen(
        [sys.executable, "-m", "uvicorn", "tests.browser.server_app:create", "--factory", "--host", "127.0.0.1",
         "--port", str(port), "--log-level", "warning"], cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        try:
            wait_until_responds(url + "/healthz", 240, process)
        except (RuntimeError, TimeoutError) as exc:
            output = process.stdout.read().decode("utf-8", "replace")[-4000:] if process.poll() is not None else ""
            pytest.fail(f"{exc}\n{output}")
        yield url, home
    finally:
        stop_process(process)


def log_in(page, url: str, token: str = TOKEN) -> None:
    page.goto(url + "/admin")
    expect(page).to_have_url(re.compile(r"/admin/login$"))
    page.get_by_label("Mã truy cập hoặc mật khẩu").fill(token)
    page.get_by_role("button", name="Đăng nhập").click()


def test_a_wrong_code_keeps_the_operator_out(page, admin_server, shoot):
    url, _ = admin_server
    log_in(page, url, "khong-dung")
    expect(page.get_by_role("alert")).to_have_text("Mã truy cập hoặc mật khẩu không đúng.")
    expect(page).to_have_url(re.compile(r"/admin/login$"))
    shoot(page, "admin-01-wrong-code")
    page.goto(url + "/admin/feedback")
    expect(page).to_have_url(re.compile(r"/admin/login$"))


def test_an_operator_publishes_a_plan_reindexes_reviews_feedback_and_logs_out(page, admin_server, shoot, tmp_path):
    url, home = admin_server
    log_in(page, url)
    expect(page.get_by_role("heading", name="Văn bản trong kho")).to_be_visible()
    expect(page.locator("#plans tbody tr")).to_have_count(5)

    # upload → preview
    plan = tmp_path / "Kế hoạch CĐS Lâm Đồng.txt"
    plan.write_text(PLAN, encoding="utf-8")
    page.get_by_label("Tệp kế hoạch").set_input_files(str(plan))
    page.get_by_role("button", name="Tải lên và xem trước").click()
    expect(page).to_have_url(re.compile(r"/admin/staging/[0-9a-f]{16}\?ok=uploaded$"))
    expect(page.get_by_role("status").first).to_contain_text("Đã tải lên")
    outline = page.locator("#outline")
    expect(outline).to_contain_text("I. MỤC TIÊU")
    expect(outline).to_contain_text("II. NHIỆM VỤ")
    expect(page.locator("#preview-label")).to_have_text("KH 91/KH-UBND (Lâm Đồng)")
    shoot(page, "admin-02-preview")

    # metadata the text lacks → sidecar
    page.get_by_label("Câu hỏi gợi ý").fill("Lâm Đồng xử lý trực tuyến toàn trình bao nhiêu hồ sơ?")
    page.get_by_label("Người ký", exact=True).fill("Trần Văn Hiệp")
    page.get_by_role("button", name="Lưu thông tin").click()
    expect(page.get_by_role("status").first).to_have_text("Đã lưu thông tin văn bản.")
    expect(page.get_by_label("Người ký", exact=True)).to_have_value("Trần Văn Hiệp")

    # publish
    page.get_by_role("button", name="Xuất bản vào kho văn bản").click()
    expect(page).to_have_url(re.compile(r"/admin\?ok=published$"))
    row = page.locator('#plans tr[data-doc-id="ke-hoach-cds-lam-dong"]')
    expect(row).to_contain_text("chưa lập chỉ mục")
    meta = json.loads((home / "corpus" / "ke-hoach-cds-lam-dong.meta.json").read_text(encoding="utf-8"))
    assert meta == {"signer": "Trần Văn Hiệp", "starter_questions": ["Lâm Đồng xử lý trực tuyến toàn trình bao nhiêu hồ sơ?"]}

    # reindex with progress until done
    page.get_by_role("link", name="Chỉ mục", exact=True).click()
    with page.expect_response(lambda r: "/admin/index/status" in r.url):
        page.get_by_role("button", name="Xây dựng lại chỉ mục").click()
    expect(page.locator("#job-state")).to_contain_text("Hoàn tất: 6 văn bản", timeout=120_000)
    expect(page.locator("#rebuild")).to_have_attribute("data-state", "done")
    expect(page.get_by_role("button", name="Xây dựng lại chỉ mục")).to_be_enabled()
    shoot(page, "admin-03-reindexed")
    page.get_by_role("link", name="Văn bản", exact=True).click()
    expect(row).to_contain_text("đã lập chỉ mục")

    # the chat now answers from the new plan; its reader leaves a 👎 with a comment
    answer = page.request.post(url + "/api/ask", data={"question": "Tỷ lệ hồ sơ xử lý trực tuyến toàn trình của Lâm Đồng năm 2024?"}).json()
    assert answer["citations"][0]["doc_id"] == "ke-hoach-cds-lam-dong"
    for rating, comment in (("down", "Cần thêm số liệu năm 2025"), ("up", None)):
        stored = page.request.post(url + "/api/feedback", data={"question": answer["question"], "answer": answer["answer"],
                                                                 "rating": rating, "comment": comment,
                                                                 "citations": answer["citations"][:1]})
        assert stored.status == 201

    # feedback review, filtered, and CSV export
    page.get_by_role("link", name="Phản hồi", exact=True).click()
    page.get_by_label("Đánh giá").select_option("down")
    page.get_by_label("Văn bản được trích").select_option("ke-hoach-cds-lam-dong")
    page.get_by_role("button", name="Lọc").click()
    expect(page.locator("#feedback-count")).to_have_text("1")
    item = page.locator(".feedback-item").first
    expect(item).to_contain_text("Cần thêm số liệu năm 2025")
    item.get_by_text("Câu trả lời").click()
    expect(item.locator(".a")).to_contain_text("68%")
    shoot(page, "admin-04-feedback")
    with page.expect_download() as download:
        page.get_by_role("link", name="Tải CSV", exact=True).click()
    rows = list(csv.DictReader(io.StringIO(Path(download.value.path()).read_bytes().decode("utf-8-sig"))))
    assert [(r["rating"], r["comment"]) for r in rows] == [("down", "Cần thêm số liệu năm 2025")]
    assert download.value.suggested_filename.startswith("phan-hoi-")

    # remove the plan again (confirmed), then the audit log shows everything
    page.get_by_role("link", name="Văn bản", exact=True).click()
    page.once("dialog", lambda dialog: dialog.accept())
    row.get_by_role("button", name="Gỡ").click()
    expect(page).to_have_url(re.compile(r"/admin\?ok=removed$"))
    expect(page.locator('#plans tr[data-doc-id="ke-hoach-cds-lam-dong"]')).to_have_count(0)
    page.get_by_role("link", name="Nhật ký", exact=True).click()
    for action in ("upload", "edit_metadata", "publish", "reindex_started", "reindex_finished", "feedback_export", "remove"):
        expect(page.locator("#audit")).to_contain_text(action)

    # logout
    page.get_by_role("button", name="Đăng xuất").click()
    expect(page).to_have_url(re.compile(r"/admin/login\?ok=logged_out$"))
    expect(page.get_by_role("status")).to_have_text("Đã đăng xuất.")
    page.goto(url + "/admin")
    expect(page).to_have_url(re.compile(r"/admin/login$"))
