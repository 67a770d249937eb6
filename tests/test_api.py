"""The HTTP API over the fast assistant (real corpus, fake embedder)."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from assistant.api.app import create_app

CONTRACT_KEYS = {"question", "answer", "refused", "citations", "contexts", "timings_ms"}


@pytest.fixture(scope="module")
def client(fast_settings, fast_assistant):
    with TestClient(create_app(fast_settings, assistant=fast_assistant)) as c:
        yield c


def test_ask_returns_the_contract_answer_object_citing_dong_nai(client):
    r = client.post("/api/ask", json={"question": "Mục tiêu tỷ trọng kinh tế số của Đồng Nai đến năm 2025?", "id": "q1"})
    assert r.status_code == 200
    body = r.json()
    assert CONTRACT_KEYS <= body.keys()
    assert body["id"] == "q1"
    assert body["refused"] is False
    assert body["citations"][0]["doc_id"] == "dong-nai-kh-198-2022"
    assert {"doc_id", "title", "section", "label", "quote"} <= body["citations"][0].keys()
    assert len(body["contexts"]) >= 10
    assert {"doc_id", "section", "text", "score"} <= body["contexts"][0].keys()


def test_search_returns_k_contexts(client):
    r = client.get("/api/search", params={"q": "hạ tầng số Hải Dương", "k": 12})
    assert r.status_code == 200
    assert len(r.json()["contexts"]) == 12


def test_healthz_reports_the_index(client):
    body = client.get("/healthz").json()
    assert body["status"] == "ok"
    assert body["documents"] == 5
    assert body["chunks"] > 100


@pytest.mark.parametrize("payload, status, code", [
    ({"question": ""}, 400, "bad_question"),
    ({"question": "   "}, 400, "bad_question"),
    ({"question": "x" * 5000}, 400, "bad_question"),
    ({}, 422, "invalid_request"),
    ({"question": 12}, 422, "invalid_request"),
])
def test_bad_questions_get_one_vietnamese_error_shape(client, payload, status, code):
    r = client.post("/api/ask", json=payload)
    assert r.status_code == status
    body = r.json()
    assert body["error"]["code"] == code
    assert body["error"]["message"]


def test_malformed_json_body_is_a_clear_error_not_a_crash(client):
    r = client.post("/api/ask", content=b"{not json", headers={"Content-Type": "application/json"})
    assert r.status_code == 422
    assert r.json()["error"]["code"] == "invalid_request"


def test_unknown_document_is_404_with_message(client):
    r = client.get("/api/documents/khong-co")
    assert r.status_code == 404
    assert r.json() == {"error": {"code": "not_found", "message": "Không có văn bản 'khong-co'."}}


def test_documents_lists_the_five_plans_with_metadata(client):
    docs = client.get("/api/documents").json()["documents"]
    assert {d["doc_id"] for d in docs} == {
        "dong-nai-kh-198-2022", "ba-ria-vung-tau-kh-cds-2024", "tp-ho-chi-minh-kh-411-2023",
        "hai-duong-kh-780-2022", "phu-yen-qd-1728-2020"}
    assert all(d["province"] and d["title"] for d in docs)


def test_chat_page_renders(client):
    r = client.get("/")
    assert r.status_code == 200
    assert "Trợ lý ảo" in r.text


def test_openapi_docs_are_served(client):
    assert client.get("/docs").status_code == 200
    assert "/api/ask" in client.get("/openapi.json").json()["paths"]
