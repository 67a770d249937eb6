"""Pins assistant.api.observability and routes_ops: request ids, text/JSON logs, metrics, readiness."""

from __future__ import annotations

import json
import logging
import re

import pytest
from fastapi.testclient import TestClient
from prometheus_client.parser import text_string_to_metric_families

from assistant.api.app import create_app
from assistant.api.observability import JsonFormatter, accept_request_id, built_timestamp, index_version

GENERATED_ID = re.compile(r"[0-9a-f]{32}")


@pytest.fixture(scope="module")
def app(fast_settings, fast_assistant):
    return create_app(fast_settings.model_copy(update={"rate_limit_per_minute": 0}), assistant=fast_assistant)


@pytest.fixture(scope="module")
def client(app):
    with TestClient(app, raise_server_exceptions=False) as c:
        yield c


def samples(client, name: str) -> dict[tuple, float]:
    """{(sorted label items): value} of one metric sample name, read from /metrics as Prometheus would."""
    response = client.get("/metrics")
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/plain")
    out = {}
    for family in text_string_to_metric_families(response.text):
        for sample in family.samples:
            if sample.name == name:
                out[tuple(sorted(sample.labels.items()))] = sample.value
    return out


# --------------------------------------------------------------------------- request ids

def test_a_sane_incoming_request_id_is_echoed(client):
    response = client.get("/healthz", headers={"X-Request-ID": "portal-42.abc"})
    assert response.headers["x-request-id"] == "portal-42.abc"


@pytest.mark.parametrize("incoming", [None, "", "x" * 200, "có dấu", "<script>", "a b"])
def test_a_missing_or_unsafe_request_id_is_replaced_by_a_generated_one(client, incoming):
    headers = {"X-Request-ID": incoming.encode("utf-8")} if incoming is not None else {}
    response = client.get("/healthz", headers=headers)
    assert GENERATED_ID.fullmatch(response.headers["x-request-id"])


def test_each_request_gets_its_own_generated_id(client):
    ids = {client.get("/healthz").headers["x-request-id"] for _ in range(3)}
    assert len(ids) == 3


@pytest.mark.parametrize("method, path, kwargs, status", [
    ("get", "/khong-co", {}, 404),
    ("post", "/api/ask", {"json": {}}, 422),
    ("post", "/api/ask", {"json": {"question": " "}}, 400),
    ("post", "/api/ask", {"content": b"x" * 70_000, "headers": {"content-type": "application/json"}}, 413),
])
def test_errors_carry_the_request_id_too(client, method, path, kwargs, status):
    headers = {**kwargs.pop("headers", {}), "X-Request-ID": "err-1"}
    response = getattr(client, method)(path, headers=headers, **kwargs)
    assert response.status_code == status
    assert response.headers["x-request-id"] == "err-1"
    assert set(response.json()) == {"error"}


def test_accept_request_id_keeps_sane_ids_only():
    assert accept_request_id(b"abc-123_x:y") == "abc-123_x:y"
    assert GENERATED_ID.fullmatch(accept_request_id(b"-starts-with-dash"))
    assert GENERATED_ID.fullmatch(accept_request_id(None))


# --------------------------------------------------------------------------- logs

def test_the_access_log_line_carries_request_id_route_template_status_and_duration(client, caplog):
    caplog.set_level(logging.INFO, logger="assistant.access")
    client.get("/api/documents/khong-co", headers={"X-Request-ID": "log-1"})
    record = next(r for r in caplog.records if r.name == "assistant.access" and r.request_id == "log-1")
    assert (record.route, record.status, record.method) == ("/api/documents/{doc_id}", 404, "GET")
    assert record.duration_ms >= 0
    assert "GET /api/documents/khong-co 404" in record.getMessage()


def test_json_log_lines_are_one_object_with_the_request_id(client, caplog):
    caplog.set_level(logging.INFO, logger="assistant.access")
    client.get("/healthz", headers={"X-Request-ID": "json-1"})
    record = next(r for r in caplog.records if r.name == "assistant.access" and r.request_id == "json-1")
    line = JsonFormatter().format(record)
    assert "\n" not in line
    entry = json.loads(line)
    assert entry["request_id"] == "json-1" and entry["level"] == "INFO" and entry["logger"] == "assistant.access"
    assert entry["route"] == "/healthz" and entry["status"] == 200 and entry["message"].startswith("GET /healthz 200")


def test_an_unexpected_error_is_a_500_in_the_error_shape_and_its_log_names_the_request(fast_settings, fast_assistant, caplog):
    app = create_app(fast_settings, assistant=fast_assistant)

    def boom() -> None:
        raise RuntimeError("hỏng")

    app.add_api_route("/boom", boom)
    with TestClient(app, raise_server_exceptions=False) as client:
        response = client.get("/boom", headers={"X-Request-ID": "boom-1"})
    assert response.status_code == 500
    assert response.json() == {"error": {"code": "internal_error", "message": "Đã có lỗi không mong muốn; vui lòng thử lại sau."}}
    assert response.headers["x-request-id"] == "boom-1"
    logged = [r for r in caplog.records if r.exc_info and r.levelno == logging.ERROR]
    assert logged and all(r.request_id == "boom-1" for r in logged)


def test_configured_json_logging_writes_json_to_stderr(fast_settings, fast_assistant, capfd):
    settings = fast_settings.model_copy(update={"log_format": "json", "log_level": "INFO"})
    try:
        with TestClient(create_app(settings, assistant=fast_assistant)) as client:
            client.get("/healthz", headers={"X-Request-ID": "stderr-1"})
        lines = [json.loads(line) for line in capfd.readouterr().err.splitlines() if line.startswith("{")]
        assert any(e["request_id"] == "stderr-1" and e["route"] == "/healthz" for e in lines)
    finally:
        with TestClient(create_app(fast_settings, assistant=fast_assistant)):
            pass  # back to the defaults (text, WARNING) for the tests after this one


# --------------------------------------------------------------------------- health and readiness

def test_healthz_keeps_its_fields(client):
    body = client.get("/healthz").json()
    assert {"status", "documents", "chunks", "model", "built_at"} <= body.keys()
    assert body["status"] == "ok"


def test_readyz_is_200_when_the_index_answers(client, fast_assistant):
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.json() == {"status": "ready", "index_version": index_version(fast_assistant.bundle),
                               "chunks": len(fast_assistant.bundle.chunks)}


def test_readyz_is_503_in_the_error_shape_without_an_index(fast_settings):
    app = create_app(fast_settings)  # the lifespan (which would open the index) is not run here
    response = TestClient(app).get("/readyz")
    assert response.status_code == 503
    assert response.json() == {"error": {"code": "not_ready",
                                         "message": "Trợ lý chưa sẵn sàng: chưa nạp chỉ mục. Vui lòng thử lại sau."}}


# --------------------------------------------------------------------------- metrics

def test_requests_are_counted_by_route_template_and_status(app):
    with TestClient(app) as client:
        before = samples(client, "assistant_http_requests_total")
        for doc_id in ("a", "b", "c"):
            client.get(f"/api/documents/{doc_id}")
        client.get("/api/search", params={"q": "kinh tế số Đồng Nai"})
        after = samples(client, "assistant_http_requests_total")
    key = (("method", "GET"), ("route", "/api/documents/{doc_id}"), ("status", "404"))
    assert after[key] - before.get(key, 0) == 3
    search = (("method", "GET"), ("route", "/api/search"), ("status", "200"))
    assert after[search] - before.get(search, 0) == 1
    assert not [k for k in after if dict(k)["route"].startswith("/api/documents/") and dict(k)["route"] != "/api/documents/{doc_id}"]


def test_latency_is_a_histogram_per_route(client):
    client.get("/api/search", params={"q": "hạ tầng số Hải Dương"})
    counts = samples(client, "assistant_http_request_duration_seconds_count")
    assert counts[(("method", "GET"), ("route", "/api/search"))] >= 1
    buckets = samples(client, "assistant_http_request_duration_seconds_bucket")
    assert (("le", "+Inf"), ("method", "GET"), ("route", "/api/search")) in buckets


def test_answers_and_refusals_are_counted_from_the_api_and_the_stream(client):
    before = samples(client, "assistant_answers_total")
    client.post("/api/ask", json={"question": "Mục tiêu tỷ trọng kinh tế số của Đồng Nai đến năm 2025?"})
    refused = client.post("/api/ask", json={"question": "Kế hoạch chuyển đổi số của tỉnh Nghệ An có mục tiêu gì?"}).json()
    assert refused["refused"] is True
    client.post("/api/ask/stream", json={"question": "Kế hoạch chuyển đổi số của tỉnh Nghệ An có mục tiêu gì?"})
    after = samples(client, "assistant_answers_total")
    assert after[(("refused", "true"),)] - before.get((("refused", "true"),), 0) == 2
    assert after[(("refused", "false"),)] - before.get((("refused", "false"),), 0) == 1


def test_rate_limited_requests_are_counted(fast_settings, fast_assistant):
    settings = fast_settings.model_copy(update={"rate_limit_per_minute": 1, "rate_limit_burst": 1})
    with TestClient(create_app(settings, assistant=fast_assistant)) as client:
        statuses = [client.get("/api/documents").status_code for _ in range(3)]
        assert statuses == [200, 429, 429]
        assert samples(client, "assistant_rate_limited_requests_total") == {(): 2.0}


def test_the_index_version_and_age_are_exported(client, fast_assistant):
    manifest = fast_assistant.bundle.manifest
    info = samples(client, "assistant_index_info")
    assert info == {(("model", manifest["model"]), ("version", index_version(fast_assistant.bundle))): 1.0}
    assert samples(client, "assistant_index_chunks") == {(): float(len(fast_assistant.bundle.chunks))}
    assert samples(client, "assistant_index_built_timestamp_seconds") == {(): built_timestamp(manifest)}
    assert samples(client, "assistant_index_age_seconds")[()] >= 0


def test_each_app_has_its_own_registry(fast_settings, fast_assistant):
    one, two = (create_app(fast_settings, assistant=fast_assistant) for _ in range(2))
    with TestClient(one) as a, TestClient(two) as b:
        a.get("/healthz")
        a.get("/healthz")
        key = (("method", "GET"), ("route", "/healthz"), ("status", "200"))
        assert samples(a, "assistant_http_requests_total")[key] == 2
        assert key not in samples(b, "assistant_http_requests_total")


@pytest.mark.parametrize("manifest, expected", [
    ({"version": "v7", "built_at": "2026-01-01T00:00:00", "corpus_hash": "ab"}, "v7"),
    ({"index_version": "20260101-000000"}, "20260101-000000"),
    ({"built_at": "2026-01-01T00:00:00", "corpus_hash": "ab12"}, "ab12@2026-01-01T00:00:00"),
    ({}, "unknown"),
])
def test_index_version_prefers_the_manifest_version_then_corpus_and_build_time(manifest, expected):
    class Bundle:  # only the manifest matters here
        pass

    bundle = Bundle()
    bundle.manifest = manifest
    assert index_version(bundle) == expected
