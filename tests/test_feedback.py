"""👍/👎 feedback: `POST /api/feedback` validates, stores and never loses a row — in SQLite and in PostgreSQL.

Every test runs on both backends (the `feedback_backend` fixture of conftest.py); the PostgreSQL
cases use a throwaway server on loopback and skip with the reason when PostgreSQL is not installed.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import pytest
from fastapi.testclient import TestClient

from assistant.api.app import create_app
from assistant.api.feedback import FeedbackIn, SQLiteFeedbackStore
from assistant.api.feedback_store import create_feedback_store

GOOD = {"question": "Mục tiêu tỷ trọng kinh tế số của Đồng Nai đến năm 2025?",
        "answer": "Kinh tế số chiếm 20% GRDP.", "rating": "up",
        "citations": [{"doc_id": "dong-nai-kh-198-2022", "label": "KH 198/KH-UBND (Đồng Nai), mục II.1.a"}]}


@pytest.fixture
def settings(fast_settings, feedback_backend):
    return fast_settings.model_copy(update=feedback_backend)


@pytest.fixture
def client(settings, fast_assistant):
    with TestClient(create_app(settings, assistant=fast_assistant)) as c:
        yield c


def rows(settings) -> list[dict]:
    """What the backend holds, read through a store of its own (as another worker process would)."""
    return create_feedback_store(settings).all()


def test_feedback_is_stored_and_read_back(client, settings):
    r = client.post("/api/feedback", json={**GOOD, "comment": "Rất rõ ràng <b>cảm ơn</b>"})
    assert r.status_code == 201
    body = r.json()
    assert body["rating"] == "up" and body["id"] == 1
    [row] = rows(settings)
    assert row["question"] == GOOD["question"]
    assert row["answer"] == GOOD["answer"]
    assert row["rating"] == "up"
    assert row["comment"] == "Rất rõ ràng <b>cảm ơn</b>"
    assert row["citations"] == GOOD["citations"]
    assert row["created_at"] == row["updated_at"] == body["stored_at"]


def test_a_comment_sent_later_with_the_same_feedback_id_updates_the_row(client, settings):
    client.post("/api/feedback", json={**GOOD, "rating": "down", "feedback_id": "abc12345-x"})
    r = client.post("/api/feedback", json={**GOOD, "rating": "down", "feedback_id": "abc12345-x", "comment": "Thiếu số liệu"})
    assert r.status_code == 201
    [row] = rows(settings)
    assert (row["rating"], row["comment"], row["feedback_id"]) == ("down", "Thiếu số liệu", "abc12345-x")


@pytest.mark.parametrize("payload, field", [
    ({**GOOD, "rating": "meh"}, "đánh giá"),
    ({**GOOD, "rating": None}, "đánh giá"),
    ({k: v for k, v in GOOD.items() if k != "question"}, "câu hỏi"),
    ({**GOOD, "question": "   "}, "câu hỏi"),
    ({**GOOD, "comment": "x" * 2001}, "góp ý"),
    ({**GOOD, "feedback_id": "<script>"}, "mã phản hồi"),
])
def test_bad_feedback_is_422_with_a_vietnamese_message_and_nothing_stored(client, settings, payload, field):
    r = client.post("/api/feedback", json=payload)
    assert r.status_code == 422
    error = r.json()["error"]
    assert error["code"] == "invalid_feedback"
    assert error["message"].startswith("Phản hồi không hợp lệ (")
    assert field in error["message"]
    assert rows(settings) == []


@pytest.mark.parametrize("content", [b"{not json", b"[1, 2]"])
def test_feedback_that_is_not_a_json_object_is_422(client, content):
    r = client.post("/api/feedback", content=content, headers={"Content-Type": "application/json"})
    assert r.status_code == 422
    assert r.json()["error"]["code"] == "invalid_feedback"


def test_concurrent_feedback_loses_nothing(settings, fast_assistant):
    # Forty readers at once, not one client bursting: the rate limit (tests/test_ratelimit.py) is not the subject.
    settings = settings.model_copy(update={"rate_limit_burst": 100})
    client = TestClient(create_app(settings, assistant=fast_assistant))

    def post(i: int) -> int:
        return client.post("/api/feedback", json={**GOOD, "question": f"câu hỏi {i}",
                                                  "rating": "up" if i % 2 else "down"}).status_code

    with ThreadPoolExecutor(max_workers=8) as pool:
        statuses = list(pool.map(post, range(40)))
    assert statuses == [201] * 40
    stored = rows(settings)
    assert sorted(r["question"] for r in stored) == sorted(f"câu hỏi {i}" for i in range(40))


def test_two_stores_on_one_backend_both_write(settings):
    # two worker processes each open their own store on the same file or database
    a, b = create_feedback_store(settings), create_feedback_store(settings)
    a.add(FeedbackIn(**GOOD))
    b.add(FeedbackIn(**{**GOOD, "rating": "down"}))
    assert [r["rating"] for r in a.all()] == ["up", "down"]


def test_without_a_database_url_feedback_goes_to_the_sqlite_file(fast_settings, tmp_path):
    store = create_feedback_store(fast_settings.model_copy(update={"feedback_db": tmp_path / "f.sqlite3", "database_url": None}))
    assert isinstance(store, SQLiteFeedbackStore)
    store.add(FeedbackIn(**GOOD))
    assert (tmp_path / "f.sqlite3").exists()


def test_an_unreachable_postgresql_is_503_in_vietnamese(fast_settings, fast_assistant):
    from pydantic import SecretStr

    from servers import free_port  # nothing listens there

    settings = fast_settings.model_copy(update={"database_url": SecretStr(f"postgresql://u@127.0.0.1:{free_port()}/x?connect_timeout=2")})
    r = TestClient(create_app(settings, assistant=fast_assistant)).post("/api/feedback", json=GOOD)
    assert r.status_code == 503
    error = r.json()["error"]
    assert error["code"] == "feedback_unavailable"
    assert error["message"].startswith("Chưa lưu được phản hồi (")
