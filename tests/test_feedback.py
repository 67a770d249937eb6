"""👍/👎 feedback: `POST /api/feedback` validates, stores in SQLite and never loses a row."""

from __future__ import annotations

import sqlite3
from concurrent.futures import ThreadPoolExecutor

import pytest
from fastapi.testclient import TestClient

from assistant.api.app import create_app
from assistant.api.feedback import FeedbackIn, FeedbackStore

GOOD = {"question": "Mục tiêu tỷ trọng kinh tế số của Đồng Nai đến năm 2025?",
        "answer": "Kinh tế số chiếm 20% GRDP.", "rating": "up",
        "citations": [{"doc_id": "dong-nai-kh-198-2022", "label": "KH 198/KH-UBND (Đồng Nai), mục II.1.a"}]}


@pytest.fixture
def settings(fast_settings, tmp_path):
    return fast_settings.model_copy(update={"feedback_db": tmp_path / "sub" / "feedback.sqlite3"})


@pytest.fixture
def client(settings, fast_assistant):
    with TestClient(create_app(settings, assistant=fast_assistant)) as c:
        yield c


def rows(path) -> list[dict]:
    conn = sqlite3.connect(path)
    conn.row_factory = sqlite3.Row
    try:
        return [dict(r) for r in conn.execute("SELECT * FROM feedback ORDER BY id")]
    finally:
        conn.close()


def test_feedback_is_stored_in_sqlite_and_read_back(client, settings):
    r = client.post("/api/feedback", json={**GOOD, "comment": "Rất rõ ràng <b>cảm ơn</b>"})
    assert r.status_code == 201
    body = r.json()
    assert body["rating"] == "up" and body["id"] == 1
    [row] = rows(settings.feedback_db)
    assert row["question"] == GOOD["question"]
    assert row["answer"] == GOOD["answer"]
    assert row["rating"] == "up"
    assert row["comment"] == "Rất rõ ràng <b>cảm ơn</b>"
    assert FeedbackStore(settings.feedback_db).all()[0]["citations"] == GOOD["citations"]


def test_a_comment_sent_later_with_the_same_feedback_id_updates_the_row(client, settings):
    client.post("/api/feedback", json={**GOOD, "rating": "down", "feedback_id": "abc12345-x"})
    r = client.post("/api/feedback", json={**GOOD, "rating": "down", "feedback_id": "abc12345-x", "comment": "Thiếu số liệu"})
    assert r.status_code == 201
    [row] = rows(settings.feedback_db)
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
    assert not settings.feedback_db.exists() or rows(settings.feedback_db) == []


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
    stored = rows(settings.feedback_db)
    assert sorted(r["question"] for r in stored) == sorted(f"câu hỏi {i}" for i in range(40))


def test_two_stores_on_one_file_both_write(settings):
    # two worker processes each open their own store on the same file
    a, b = FeedbackStore(settings.feedback_db), FeedbackStore(settings.feedback_db)
    a.add(FeedbackIn(**GOOD))
    b.add(FeedbackIn(**{**GOOD, "rating": "down"}))
    assert [r["rating"] for r in a.all()] == ["up", "down"]
