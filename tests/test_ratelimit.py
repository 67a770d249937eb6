"""Pins assistant.api.ratelimit: a burst beyond the limit gets 429 with Retry-After, never a 5xx."""

from __future__ import annotations

from fastapi.testclient import TestClient

from assistant.api.app import create_app
from assistant.api.ratelimit import TokenBuckets


def test_a_bucket_allows_its_burst_then_refills_at_its_rate():
    now = [0.0]
    buckets = TokenBuckets(per_minute=60, burst=3, clock=lambda: now[0])
    assert [buckets.take("a") for _ in range(3)] == [0.0, 0.0, 0.0]
    assert buckets.take("a") == 1.0  # one token a second
    assert buckets.take("b") == 0.0  # other clients are not affected
    now[0] += 1.0
    assert buckets.take("a") == 0.0


def test_a_burst_of_requests_gets_429_with_retry_after_and_no_5xx(fast_settings, fast_assistant):
    settings = fast_settings.model_copy(update={"rate_limit_per_minute": 6, "rate_limit_burst": 5})
    with TestClient(create_app(settings, assistant=fast_assistant), raise_server_exceptions=False) as client:
        statuses = [client.get("/api/search", params={"q": "kinh tế số Đồng Nai"}) for _ in range(12)]
        codes = [r.status_code for r in statuses]
        assert codes[:5] == [200] * 5
        limited = [r for r in statuses if r.status_code == 429]
        assert limited and all(int(r.headers["retry-after"]) >= 1 for r in limited)
        assert limited[0].json()["error"]["code"] == "rate_limited"
        assert "thử lại sau" in limited[0].json()["error"]["message"]
        assert not [c for c in codes if c >= 500]
        assert client.get("/").status_code == 200  # pages are not limited
