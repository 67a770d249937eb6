"""Fuzzing every route of /openapi.json with schemathesis, in process (ASGI), bounded and seeded:
no response is a server error, and every response — status, content type, headers, body — is one
the schema documents. Errors therefore always come in the one documented error shape.

The app is built at import (schemathesis parametrizes at collection) from the schema alone; the
fixture below gives it the fast assistant before any request, so its lifespan opens nothing.
(`schemathesis.pytest.from_fixture` would be the lazy way, but it breaks on pytest 9.)
"""

from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import (content_type_conformance, not_a_server_error, response_headers_conformance,
                                 response_schema_conformance, status_code_conformance)

from assistant.api.app import create_app
from assistant.settings import Settings

CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_headers_conformance,
          response_schema_conformance]
MAX_EXAMPLES = 60  # per route, fixed; derandomized below so every run tries the same cases

# The rate limit is off so the fuzzer reaches the routes (429 is documented, and pinned in test_ratelimit).
APP = create_app(Settings(rate_limit_per_minute=0, embedding_model="test-hashing"))
schema = schemathesis.openapi.from_dict(APP.openapi())
schema.app = APP


@pytest.fixture(scope="module", autouse=True)
def serve_the_fast_assistant(fast_settings, fast_assistant, tmp_path_factory):
    APP.state.assistant = fast_assistant
    APP.state.settings = fast_settings.model_copy(update={
        "rate_limit_per_minute": 0, "feedback_db": tmp_path_factory.mktemp("fuzz") / "feedback.sqlite3"})
    yield


def test_the_fuzzed_schema_covers_every_api_route():
    paths = {(op.method.upper(), op.path) for op in (r.ok() for r in schema.get_all_operations())}
    assert {("POST", "/api/ask"), ("POST", "/api/ask/stream"), ("GET", "/api/search"), ("GET", "/api/documents"),
            ("GET", "/api/documents/{doc_id}"), ("POST", "/api/feedback"), ("GET", "/healthz"), ("GET", "/readyz"),
            ("GET", "/metrics")} <= paths


def test_every_documented_error_status_has_the_one_error_shape():
    spec = APP.openapi()
    wrong = [f"{method.upper()} {path} {status}"
             for path, item in spec["paths"].items() for method, operation in item.items()
             for status, response in operation["responses"].items() if int(status) >= 400
             and response.get("content", {}).get("application/json", {}).get("schema", {}).get("$ref")
             != "#/components/schemas/ErrorResponse"]
    assert wrong == []
    assert "HTTPValidationError" not in spec["components"]["schemas"]  # FastAPI's own 422 shape is never sent


@pytest.mark.fuzz
@schema.parametrize()
@settings(max_examples=MAX_EXAMPLES, deadline=None, derandomize=True, database=None, suppress_health_check=list(HealthCheck))
def test_every_route_answers_as_documented_and_never_with_a_server_error(case):
    case.call_and_validate(checks=CHECKS)
