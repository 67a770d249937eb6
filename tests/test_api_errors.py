"""Every error, the framework's own included, comes back as {"error": {"code", "message"}} in
Vietnamese, and no client input ends in a 500."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from assistant.api.app import create_app
from assistant.vi.normalize import sanitize


@pytest.fixture(scope="module")
def client(fast_settings, fast_assistant):
    with TestClient(create_app(fast_settings, assistant=fast_assistant), raise_server_exceptions=False) as c:
        yield c


def _shape(response) -> dict:
    body = response.json()
    assert set(body) == {"error"} and set(body["error"]) == {"code", "message"}
    return body["error"]


@pytest.mark.parametrize("raw", ['{"question": "M\\ud800ục tiêu của Đồng Nai?"}',
                                 '{"question": "\\udfff"}',
                                 '{"question": "Đồng Nai\\u0000 mục tiêu\\u0007?"}'])
def test_lone_surrogates_and_control_characters_are_cleaned_not_a_500(client, raw):
    response = client.post("/api/ask", content=raw.encode(), headers={"content-type": "application/json"})
    assert response.status_code in (200, 400)
    if response.status_code == 400:
        assert _shape(response)["code"] == "bad_question"


def test_deeply_nested_json_is_a_400(client):
    raw = '{"question": "x", "history": ' + "[" * 20_000 + "]" * 20_000 + "}"  # 40 KB, under the size cap
    response = client.post("/api/ask", content=raw.encode(), headers={"content-type": "application/json"})
    assert response.status_code in (400, 422)
    assert _shape(response)["message"]


@pytest.mark.parametrize("method, path, status, code", [
    ("get", "/khong-co-trang-nay", 404, "not_found"),
    ("get", "/api/ask", 405, "method_not_allowed"),
])
def test_framework_errors_use_the_error_shape(client, method, path, status, code):
    response = getattr(client, method)(path)
    assert response.status_code == status
    assert _shape(response)["code"] == code


def test_a_body_that_is_not_utf8_is_a_clear_error(client):
    response = client.post("/api/ask", content="{\"question\": \"Đồng Nai\"}".encode("latin-1", "replace")
                           + b"\xff\xfe", headers={"content-type": "application/json"})
    assert response.status_code in (400, 422)
    assert "JSON" in _shape(response)["message"]


def test_a_missing_query_parameter_is_named(client):
    response = client.get("/api/search")
    assert response.status_code == 422
    assert "câu hỏi (q)" in _shape(response)["message"]


def test_a_missing_field_is_named(client):
    response = client.post("/api/ask", json={"history": []})
    assert response.status_code == 422
    assert _shape(response)["message"] == "Yêu cầu không hợp lệ: kiểm tra câu hỏi."


def test_sanitize_keeps_vietnamese_and_drops_what_cannot_be_written():
    assert sanitize("Đồng Nai\x00\ud800 mục tiêu\u0007") == "Đồng Nai mục tiêu"
    assert sanitize("Đo\u0302\u0300ng") == "Đồng"  # NFC
    assert sanitize("dòng 1\ndòng 2\tcột") == "dòng 1\ndòng 2\tcột"


def test_a_megabyte_body_is_refused_at_once(client):
    import time

    raw = ('{"question": "Mục tiêu?", "history": ["' + "x" * 1_000_000 + '"]}').encode()
    started = time.perf_counter()
    response = client.post("/api/ask", content=raw, headers={"content-type": "application/json"})
    assert response.status_code == 413
    assert _shape(response)["code"] == "payload_too_large"
    assert time.perf_counter() - started < 2.0  # refused by its size, not after analysing it


def test_too_many_history_turns_are_refused_naming_the_field(client):
    response = client.post("/api/ask", json={"question": "Còn năm 2030?", "history": ["Mục tiêu?"] * 21})
    assert response.status_code == 422
    assert "lịch sử hội thoại" in _shape(response)["message"]
