"""The HTML side: chat page, embeddable chat, documents and source view, widget script, security headers."""

from __future__ import annotations

import json
import re
import shutil
from html import unescape

import pytest
from fastapi.testclient import TestClient

from assistant.api.app import create_app
from assistant.api.routes_pages import outline, starter_questions, text_events
from assistant.records import Chunk, DocumentMeta
from corpus_docs import DATA, ROOT

DONG_NAI = "dong-nai-kh-198-2022"
XSS_SCRIPT = "<script>window.__xss=1</script>"
XSS_IMG = '<img src=x onerror="window.__xss=1">'


@pytest.fixture(scope="module")
def client(fast_settings, fast_assistant):
    with TestClient(create_app(fast_settings, assistant=fast_assistant)) as c:
        yield c


def test_chat_page_has_the_question_box_filter_starters_and_live_region(client):
    r = client.get("/")
    assert r.status_code == 200
    html = r.text
    assert '<html lang="vi">' in html
    assert '<label for="question"' in html and '<textarea id="question"' in html
    assert 'role="log" aria-live="polite"' in html
    assert 'aria-label="Gửi câu hỏi"' in html
    assert '<select id="doc-filter">' in html
    assert f'<option value="{DONG_NAI}">Đồng Nai — KH 198/KH-UBND (Đồng Nai)</option>' in html
    assert html.count('class="starter"') >= 3
    assert "Tỷ lệ người trưởng thành dùng smartphone ở Đồng Nai mục tiêu năm 2025 là bao nhiêu?" in html
    assert 'data-stream-url="/api/ask/stream"' in html and 'data-feedback-url="/api/feedback"' in html
    assert '<script src="/static/chat.js" defer></script>' in html


def test_pages_use_only_local_assets(client):
    for path in ["/", "/embed", "/documents", f"/documents/{DONG_NAI}", "/widget"]:
        html = client.get(path).text
        for url in re.findall(r'(?:src|href)="([^"]+)"', html):
            assert url.startswith(("/", "#", "http://testserver/widget.js")), (path, url)


def test_static_assets_are_served(client):
    for name, kind in [("app.css", "text/css"), ("chat.js", "javascript"), ("document.js", "javascript"),
                       ("favicon.svg", "image/svg+xml")]:
        r = client.get(f"/static/{name}")
        assert r.status_code == 200 and kind in r.headers["content-type"], name


def test_embed_page_is_the_compact_chat_with_an_escaped_title(client):
    r = client.get("/embed", params={"title": XSS_SCRIPT})
    assert r.status_code == 200
    assert 'class="chat compact"' in r.text and 'data-embed="true"' in r.text
    assert XSS_SCRIPT not in r.text
    assert "&lt;script&gt;window.__xss=1&lt;/script&gt;" in r.text
    assert 'class="site-header"' not in r.text


def test_widget_script_is_served_as_javascript(client):
    r = client.get("/widget.js")
    assert r.status_code == 200
    assert r.headers["content-type"] == "application/javascript; charset=utf-8"
    assert "attachShadow" in r.text and "embed?title=" in r.text and "document.currentScript" in r.text


def test_widget_guide_shows_the_one_line_to_embed(client):
    html = client.get("/widget").text
    assert '<code>&lt;script src="http://testserver/widget.js" data-title="Trợ lý ảo" defer&gt;&lt;/script&gt;</code>' in html
    assert '<script src="http://testserver/widget.js" data-title="Trợ lý ảo" defer></script>' in html  # live preview


def test_documents_page_lists_every_plan_with_its_metadata(client, fast_assistant):
    html = client.get("/documents").text
    for doc_id, doc in fast_assistant.bundle.documents.items():
        assert f'href="/documents/{doc_id}"' in html
        assert doc.meta.province in unescape(html)
    for label in ["Số hiệu", "Loại văn bản", "Cơ quan ban hành", "Tỉnh/thành phố", "Ngày ban hành", "Người ký"]:
        assert label in html
    assert "198/KH-UBND" in html and "Nguyễn Sơn Hùng" in html


def test_document_page_shows_the_outline_and_the_full_text(client, fast_assistant):
    r = client.get(f"/documents/{DONG_NAI}")
    assert r.status_code == 200
    doc = fast_assistant.bundle.documents[DONG_NAI]
    body = re.search(r'<div class="doc-body" id="doc-body">(.*?)</div>\s*</article>', r.text, re.S).group(1)
    assert unescape(re.sub(r"<[^>]+>", "", body)) == doc.text  # every character, nothing added
    assert 'aria-labelledby="outline-title"' in r.text
    first = next(c for c in fast_assistant.bundle.chunks if c.doc_id == DONG_NAI and c.heading_path)
    assert f'<a href="#c-{first.chunk_id.rsplit("#", 1)[-1]}">' in r.text
    assert "<mark" not in r.text


def test_a_citation_link_lands_on_the_quote_highlighted_in_its_clause(client, fast_assistant):
    answer = client.post("/api/ask", json={"question": "Mục tiêu tỷ trọng kinh tế số của Đồng Nai đến năm 2025?"}).json()
    c = answer["citations"][0]
    assert c["start"] >= 0
    r = client.get(f"/documents/{c['doc_id']}", params={"start": c["start"], "end": c["end"], "chunk": c["chunk_id"]})
    marked = re.search(r'<mark id="trich-dan" tabindex="-1" aria-label="Đoạn được trích dẫn">(.*?)</mark>', r.text, re.S)
    assert marked
    text = fast_assistant.bundle.documents[c["doc_id"]].text
    assert unescape(re.sub(r"<[^>]+>", "", marked.group(1))) == text[c["start"]:c["end"]]
    assert '<span class="clause">' in r.text
    assert c["label"] in unescape(r.text)


@pytest.mark.parametrize("params", [{"start": -1, "end": 5}, {"start": 10, "end": 5}, {"start": 0, "end": 10**9}])
def test_offsets_outside_the_text_highlight_nothing(client, params):
    r = client.get(f"/documents/{DONG_NAI}", params=params)
    assert r.status_code == 200 and "<mark" not in r.text


def test_unknown_document_page_is_a_vietnamese_404_page(client):
    r = client.get("/documents/" + "%3Cscript%3Ex")
    assert r.status_code == 404
    assert r.headers["content-type"].startswith("text/html")
    assert "Không có văn bản “&lt;script&gt;x”." in r.text


def test_text_events_nest_the_mark_inside_the_clause_and_keep_the_text():
    chunks = [Chunk("d#0000", "d", "", ["I. A"], "", 0, 10), Chunk("d#0001", "d", "", ["I. A", "1. B"], "", 10, 30)]
    text = "0123456789abcdefghijklmnopqrst"
    events = text_events(text, chunks, quote=(12, 35 - 10), clause=(10, 20))
    assert "".join(v for k, v in events if k == "text") == text
    kinds = [k for k, _ in events]
    assert kinds.index("open_clause") < kinds.index("open_mark") < kinds.index("close_mark") < kinds.index("close_clause")
    assert [n.heading for n in outline(chunks)] == ["I. A"] and outline(chunks)[0].children[0].anchor == "c-0001"


# ---- documents carrying markup are shown as text ---------------------------------------------

@pytest.fixture(scope="module")
def xss_client(tmp_path_factory, fast_settings, fake_embedder):
    from assistant.pipeline import Assistant

    root = tmp_path_factory.mktemp("xss")
    corpus = root / "corpus"
    corpus.mkdir()
    (corpus / "xss-plan.txt").write_text(
        "ỦY BAN NHÂN DÂN\nTỈNH THỬ NGHIỆM\n\nKẾ HOẠCH\nChuyển đổi số tỉnh Thử Nghiệm\n\n"
        "I. MỤC TIÊU\n1. Mục tiêu chung\nPhát triển hạ tầng số " + XSS_SCRIPT + " và dịch vụ số " + XSS_IMG + ".\n"
        "2. Mục tiêu cụ thể\nĐến năm 2025, 80% dịch vụ công trực tuyến toàn trình.\n", encoding="utf-8")
    (corpus / "xss-plan.meta.json").write_text(
        '{"title": "Kế hoạch <script>window.__xss=1</script>", "province": "Thử <b>Nghiệm</b>", "signer": "<img src=x onerror=alert(1)>"}',
        encoding="utf-8")
    settings = fast_settings.model_copy(update={"corpus_dir": corpus, "index_dir": root / "index",
                                                "feedback_db": root / "feedback.sqlite3"})
    assistant = Assistant.open(settings, embedder=fake_embedder)
    with TestClient(create_app(settings, assistant=assistant)) as c:
        yield c


@pytest.mark.parametrize("path", ["/documents", "/documents/xss-plan", "/documents/xss-plan?start=0&end=40", "/", "/embed"])
def test_markup_in_documents_and_metadata_renders_as_text(xss_client, path):
    html = xss_client.get(path).text
    assert "<script>window.__xss" not in html
    assert "<img src=x" not in html and "<b>Nghiệm</b>" not in html
    assert len(re.findall(r"<script\b", html)) == len(re.findall(r'<script src="[^"]+" defer></script>', html))


def test_document_text_with_markup_keeps_every_character(xss_client):
    html = xss_client.get("/documents/xss-plan").text
    assert "&lt;script&gt;window.__xss=1&lt;/script&gt;" in html
    assert "&lt;img src=x onerror=&#34;window.__xss=1&#34;&gt;" in html


# ---- who may call and frame ---------------------------------------------------------------------

def test_default_settings_let_any_origin_call_the_api_and_frame_the_embed(client):
    r = client.get("/api/documents", headers={"Origin": "https://portal.example.gov.vn"})
    assert r.headers["access-control-allow-origin"] == "*"
    pre = client.options("/api/ask/stream", headers={"Origin": "https://portal.example.gov.vn",
                                                     "Access-Control-Request-Method": "POST",
                                                     "Access-Control-Request-Headers": "content-type"})
    assert pre.status_code == 200 and "POST" in pre.headers["access-control-allow-methods"]
    embed = client.get("/embed")
    assert "frame-ancestors *" in embed.headers["content-security-policy"]
    assert "x-frame-options" not in embed.headers


@pytest.fixture(scope="module")
def strict_client(fast_settings, fast_assistant):
    settings = fast_settings.model_copy(update={"allowed_origins": ["https://dongnai.gov.vn", "http://127.0.0.1:9000"]})
    with TestClient(create_app(settings, assistant=fast_assistant)) as c:
        yield c


def test_listed_origins_only_may_call_the_api(strict_client):
    ok = strict_client.get("/api/documents", headers={"Origin": "https://dongnai.gov.vn"})
    assert ok.headers["access-control-allow-origin"] == "https://dongnai.gov.vn"
    other = strict_client.get("/api/documents", headers={"Origin": "https://evil.example"})
    assert "access-control-allow-origin" not in other.headers
    pre = strict_client.options("/api/ask", headers={"Origin": "https://evil.example", "Access-Control-Request-Method": "POST"})
    assert pre.status_code == 400


def test_listed_origins_only_may_frame_the_embed(strict_client):
    csp = strict_client.get("/embed").headers["content-security-policy"]
    assert "frame-ancestors 'self' https://dongnai.gov.vn http://127.0.0.1:9000" in csp


def test_wildcard_subdomains_are_allowed_for_both_fetches_and_framing(fast_settings, fast_assistant):
    settings = fast_settings.model_copy(update={"allowed_origins": ["https://*.dongnai.gov.vn"]})
    with TestClient(create_app(settings, assistant=fast_assistant)) as c:
        ok = c.get("/api/documents", headers={"Origin": "https://sotttt.dongnai.gov.vn"})
        assert ok.headers["access-control-allow-origin"] == "https://sotttt.dongnai.gov.vn"
        for origin in ["https://dongnai.gov.vn.evil.example", "https://evil-dongnai.gov.vn", "http://sotttt.dongnai.gov.vn"]:
            assert "access-control-allow-origin" not in c.get("/api/documents", headers={"Origin": origin}).headers, origin
        assert "frame-ancestors 'self' https://*.dongnai.gov.vn" in c.get("/embed").headers["content-security-policy"]


def test_cors_is_for_the_api_only(strict_client, client):
    for c in (client, strict_client):
        r = c.get("/", headers={"Origin": "https://dongnai.gov.vn"})
        assert "access-control-allow-origin" not in r.headers


@pytest.mark.parametrize("path", ["/", "/documents", f"/documents/{DONG_NAI}", "/widget"])
def test_other_pages_cannot_be_framed_and_run_only_local_scripts(client, path):
    r = client.get(path)
    csp = r.headers["content-security-policy"]
    assert "frame-ancestors 'self'" in csp and "script-src 'self'" in csp
    assert r.headers["x-frame-options"] == "SAMEORIGIN"
    assert r.headers["x-content-type-options"] == "nosniff"


def test_api_docs_keep_working_without_the_page_policy(client):
    r = client.get("/docs")
    assert r.status_code == 200 and "content-security-policy" not in r.headers


def test_every_shipped_plan_has_starters_answered_from_that_plan(client, fast_assistant):
    for doc_id, doc in fast_assistant.bundle.documents.items():
        assert doc.meta.starter_questions, doc_id
        for question in doc.meta.starter_questions:
            body = client.post("/api/ask", json={"question": question}).json()
            assert not body["refused"], question
            assert body["citations"][0]["doc_id"] == doc_id, question


def test_starters_take_one_question_per_plan_newest_first_up_to_the_cap():
    metas = [DocumentMeta("old", date="2020-01-01", starter_questions=["O1", "O2"]),
             DocumentMeta("new", date="2024", starter_questions=["N1"]),
             DocumentMeta("mid", date="2022-05-01", starter_questions=["M1", "M2", "M3"]),
             DocumentMeta("none", date="2023-01-01")]
    assert starter_questions(metas) == ["N1", "M1", "O1", "M2"]
    assert starter_questions(metas, limit=10) == ["N1", "M1", "O1", "M2", "O2", "M3"]


def test_chat_page_offers_a_derived_starter_for_a_new_plan_and_a_meta_json_list_verbatim(tmp_path, fast_settings, fake_embedder):
    from assistant.pipeline import Assistant

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    shutil.copy(DATA / "ke-hoach-mau-lam-dong.txt", corpus / "lam-dong-kh-45-2024.txt")  # no meta.json
    shutil.copy(ROOT / "corpus" / "hai-duong-kh-780-2022.txt", corpus)
    (corpus / "hai-duong-kh-780-2022.meta.json").write_text(json.dumps(
        {"province": "Hải Dương", "starter_questions": ["Hải Dương có bao nhiêu   chỉ tiêu cho năm 2022?"]},
        ensure_ascii=False), encoding="utf-8")
    settings = fast_settings.model_copy(update={"corpus_dir": corpus, "index_dir": tmp_path / "index",
                                                "feedback_db": tmp_path / "feedback.sqlite3"})
    with TestClient(create_app(settings, assistant=Assistant.open(settings, embedder=fake_embedder))) as c:
        chips = [unescape(q) for q in re.findall(r'<button type="button" class="starter">([^<]*)</button>', c.get("/").text)]
        assert chips == ["Bao nhiêu % hồ sơ công việc cấp tỉnh được xử lý trên môi trường mạng ở Lâm Đồng năm 2024?",
                         "Hải Dương có bao nhiêu   chỉ tiêu cho năm 2022?"]
        body = c.post("/api/ask", json={"question": chips[0]}).json()
        assert not body["refused"] and body["citations"][0]["doc_id"] == "lam-dong-kh-45-2024"
