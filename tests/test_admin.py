"""The admin area over HTTP: upload → preview → metadata → publish → reindex → the assistant cites the new
plan; refusals keep corpus/ intact; feedback review and CSV export; every action in the audit log."""

from __future__ import annotations

import csv
import io
import json
import re

import pytest

from admin_helpers import admin_client, admin_settings, logged_in

LAM_DONG = (
    "ỦY BAN NHÂN DÂN\nTỈNH LÂM ĐỒNG\n-------\n|\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc\n|\n"
    "Số: 77/KH-UBND\n|\nLâm Đồng, ngày 01 tháng 02 năm 2024\n|\nKẾ HOẠCH\nChuyển đổi số tỉnh Lâm Đồng năm 2024\n"
    "Căn cứ Quyết định số 749/QĐ-TTg ngày 03/6/2020 của Thủ tướng Chính phủ;\n"
    "I. MỤC TIÊU\n1. Mục tiêu chung\nĐẩy mạnh chuyển đổi số toàn diện trên địa bàn tỉnh.\n"
    "2. Mục tiêu cụ thể\nTỷ lệ hồ sơ thủ tục hành chính được xử lý trực tuyến toàn trình đạt 68% vào năm 2024.\n"
    "II. NHIỆM VỤ\n1. Phát triển hạ tầng số\nPhủ sóng 5G tại thành phố Đà Lạt.\n"
).encode("utf-8")


@pytest.fixture
def settings(tmp_path, corpus_copy, fast_settings, fast_assistant):
    return admin_settings(tmp_path, corpus_copy, fast_settings.index_dir, admin_max_upload_bytes=4096)


@pytest.fixture
def client(settings, fake_embedder):
    with admin_client(settings, fake_embedder) as c:
        yield c


def audit(settings) -> list[dict]:
    return [json.loads(line) for line in (settings.admin_dir / "audit.jsonl").read_text(encoding="utf-8").splitlines()]


def upload(client, csrf, data: bytes, filename: str, doc_id: str = ""):
    return client.post("/admin/plans/upload", data={"csrf_token": csrf, "doc_id": doc_id},
                       files={"file": (filename, data, "application/octet-stream")}, follow_redirects=False)


def staging_id(response) -> str:
    return re.search(r"/admin/staging/([0-9a-f]{16})", response.headers["location"]).group(1)


def test_a_plan_goes_from_upload_to_cited_answers(client, settings):
    csrf = logged_in(client)
    r = upload(client, csrf, LAM_DONG, "Kế hoạch CĐS Lâm Đồng 2024.txt")
    assert r.status_code == 303 and r.headers["location"].endswith("?ok=uploaded")
    sid = staging_id(r)
    preview = client.get(f"/admin/staging/{sid}")
    assert preview.status_code == 200
    assert "ke-hoach-cds-lam-dong-2024" in preview.text
    for heading in ("I. MỤC TIÊU", "2. Mục tiêu cụ thể", "II. NHIỆM VỤ"):
        assert heading in preview.text
    assert 'placeholder="77/KH-UBND"' in preview.text  # the number the parser read, offered as the default
    assert not (settings.corpus_dir / "ke-hoach-cds-lam-dong-2024.txt").exists()  # nothing published yet

    r = client.post(f"/admin/staging/{sid}/meta", data={"csrf_token": csrf, "province": "Lâm Đồng", "date": "2024-02-01",
                                                        "starter_questions": "Lâm Đồng xử lý trực tuyến bao nhiêu hồ sơ?\n"},
                    follow_redirects=False)
    assert r.status_code == 303
    r = client.post(f"/admin/staging/{sid}/publish", data={"csrf_token": csrf}, follow_redirects=False)
    assert (r.status_code, r.headers["location"]) == (303, "/admin?ok=published")
    assert (settings.corpus_dir / "ke-hoach-cds-lam-dong-2024.txt").read_bytes() == LAM_DONG
    assert json.loads((settings.corpus_dir / "ke-hoach-cds-lam-dong-2024.meta.json").read_text(encoding="utf-8")) == {
        "province": "Lâm Đồng", "date": "2024-02-01", "starter_questions": ["Lâm Đồng xử lý trực tuyến bao nhiêu hồ sơ?"]}
    assert "chưa lập chỉ mục" in client.get("/admin").text

    assert client.post("/admin/index/rebuild", data={"csrf_token": csrf}, follow_redirects=False).status_code == 303
    client.app.state.admin.job.wait(120)
    status = client.get("/admin/index/status").json()
    assert status["state"] == "done" and status["step"] == status["steps"] == 2
    assert status["result"]["documents"] == 6
    answer = client.post("/api/ask", json={"question": "Tỷ lệ hồ sơ xử lý trực tuyến toàn trình của Lâm Đồng năm 2024?"}).json()
    assert answer["citations"][0]["doc_id"] == "ke-hoach-cds-lam-dong-2024"
    assert "68%" in answer["answer"]

    r = client.post("/admin/plans/ke-hoach-cds-lam-dong-2024/remove", data={"csrf_token": csrf}, follow_redirects=False)
    assert r.status_code == 303 and not (settings.corpus_dir / "ke-hoach-cds-lam-dong-2024.txt").exists()
    actions = [(e["action"], e["target"], e["ok"]) for e in audit(settings)]
    assert actions == [("login", "admin", True), ("upload", "ke-hoach-cds-lam-dong-2024", True),
                       ("edit_metadata", "ke-hoach-cds-lam-dong-2024", True), ("publish", "ke-hoach-cds-lam-dong-2024", True),
                       ("reindex_started", "index", True), ("reindex_finished", "index", True),
                       ("remove", "ke-hoach-cds-lam-dong-2024", True)]
    entry = audit(settings)[1]
    assert entry["client"] == "testclient" and re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+00:00", entry["time"])
    assert entry["detail"]["file"] == "Kế hoạch CĐS Lâm Đồng 2024.txt" and len(entry["detail"]["sha256"]) == 64


@pytest.mark.parametrize("data, filename, message", [
    (b"%PDF-1.4 not text", "ke-hoach.txt", "Nội dung tệp là PDF, không khớp với đuôi .txt"),
    (b"MZ\x90\x00" + b"\x00" * 64, "ke-hoach.pdf", "Nội dung tệp là chương trình máy tính"),
    (b"x", "ke-hoach.exe", "Chỉ nhận tệp .txt, .md, .pdf, .docx"),
    (LAM_DONG * 12, "ke-hoach.txt", "Tệp quá lớn"),
])
def test_a_refused_upload_says_why_and_leaves_nothing_behind(client, settings, data, filename, message):
    csrf = logged_in(client)
    before = sorted(p.name for p in settings.corpus_dir.iterdir())
    r = upload(client, csrf, data, filename)
    assert r.status_code == 422
    assert message in r.text
    assert sorted(p.name for p in settings.corpus_dir.iterdir()) == before
    assert not any((settings.admin_dir / "staging").glob("*/*"))
    last = audit(settings)[-1]
    assert (last["action"], last["ok"]) == ("upload", False) and message in last["detail"]["reason"]


def test_a_body_far_over_the_upload_cap_is_refused_before_it_is_read(client):
    csrf = logged_in(client)
    r = upload(client, csrf, b"a" * 200_000, "ke-hoach.txt")
    assert r.status_code == 413 and r.json()["error"]["code"] == "payload_too_large"


def test_the_larger_upload_limit_is_for_the_upload_alone(client):
    r = client.post("/api/feedback", content=b"{" + b" " * (70 * 1024) + b"}", headers={"Content-Type": "application/json"})
    assert r.status_code == 413


def test_a_weird_file_name_becomes_a_safe_doc_id(client, settings):
    csrf = logged_in(client)
    r = upload(client, csrf, LAM_DONG, "..\\..\\<script>ĐÀ LẠT</script>.txt")
    staged = client.app.state.admin.staging.get(staging_id(r))
    assert staged.doc_id == "script"  # "/" ends a path part: only "script>.txt" is the name
    assert staged.folder.parent == settings.admin_dir / "staging"


def test_publishing_over_an_existing_plan_needs_confirmation(client, settings):
    csrf = logged_in(client)
    original = (settings.corpus_dir / "dong-nai-kh-198-2022.txt").read_bytes()
    sid = staging_id(upload(client, csrf, LAM_DONG, "x.txt", doc_id="dong-nai-kh-198-2022"))
    assert "Kho đã có văn bản cùng mã" in client.get(f"/admin/staging/{sid}").text
    r = client.post(f"/admin/staging/{sid}/publish", data={"csrf_token": csrf})
    assert r.status_code == 409 and "Thay thế văn bản cũ" in r.text
    assert (settings.corpus_dir / "dong-nai-kh-198-2022.txt").read_bytes() == original
    r = client.post(f"/admin/staging/{sid}/publish", data={"csrf_token": csrf, "replace": "1"}, follow_redirects=False)
    assert r.status_code == 303
    backup = audit(settings)[-1]["detail"]["replaced_into"]
    assert (settings.admin_dir / "removed").exists() and backup.startswith(str(settings.admin_dir / "removed"))


def test_bad_metadata_is_refused_with_the_reason(client, settings):
    csrf = logged_in(client)
    sid = staging_id(upload(client, csrf, LAM_DONG, "lam-dong.txt"))
    r = client.post(f"/admin/staging/{sid}/meta", data={"csrf_token": csrf, "date": "ngày mai"})
    assert r.status_code == 422 and "Ngày ban hành phải có dạng NNNN-TT-NN" in r.text


def test_discarding_an_upload_removes_it_from_staging(client, settings):
    csrf = logged_in(client)
    sid = staging_id(upload(client, csrf, LAM_DONG, "lam-dong.txt"))
    r = client.post(f"/admin/staging/{sid}/discard", data={"csrf_token": csrf}, follow_redirects=False)
    assert r.status_code == 303 and client.get(f"/admin/staging/{sid}").status_code == 404


FEEDBACK = [
    {"question": "Đồng Nai kinh tế số 2025?", "answer": "20% GRDP.", "rating": "up",
     "citations": [{"doc_id": "dong-nai-kh-198-2022", "label": "KH 198/KH-UBND (Đồng Nai), mục II.1.a"}]},
    {"question": "Hải Dương cáp quang?", "answer": "Chưa rõ.", "rating": "down", "comment": "Thiếu số liệu <b>năm</b>",
     "citations": [{"doc_id": "hai-duong-kh-780-2022", "label": "KH 780/KH-UBND (Hải Dương)"}]},
]


def test_feedback_is_reviewed_with_filters_and_exported_as_csv(client, settings):
    for item in FEEDBACK:
        assert client.post("/api/feedback", json=item).status_code == 201
    csrf = logged_in(client)
    assert csrf
    page = client.get("/admin/feedback", params={"rating": "down"})
    assert "Hải Dương cáp quang?" in page.text and "Đồng Nai kinh tế số 2025?" not in page.text
    assert "Thiếu số liệu &lt;b&gt;năm&lt;/b&gt;" in page.text  # escaped, never markup
    page = client.get("/admin/feedback", params={"doc_id": "dong-nai-kh-198-2022", "from": "2000-01-01"})
    assert "Đồng Nai kinh tế số 2025?" in page.text and "Hải Dương cáp quang?" not in page.text
    assert "Ngày lọc phải có dạng" in client.get("/admin/feedback", params={"from": "hôm qua"}).text

    r = client.get("/admin/feedback.csv", params={"rating": "down"})
    assert r.headers["content-type"].startswith("text/csv") and "attachment" in r.headers["content-disposition"]
    [row] = list(csv.DictReader(io.StringIO(r.text.lstrip("\ufeff"))))
    assert (row["question"], row["comment"], row["rating"]) == ("Hải Dương cáp quang?", "Thiếu số liệu <b>năm</b>", "down")
    last = audit(settings)[-1]
    assert (last["action"], last["detail"]) == ("feedback_export", {"rows": 1, "rating": "down"})


def test_the_audit_page_lists_actions_newest_first(client):
    logged_in(client)
    client.get("/admin/feedback.csv")
    html = client.get("/admin/audit").text
    assert html.index("feedback_export") < html.index(">login<")
