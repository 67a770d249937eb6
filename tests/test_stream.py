"""`POST /api/ask/stream`: server-sent events whose final answer is the answer of `POST /api/ask`."""

from __future__ import annotations

import json

import pytest
from fastapi.testclient import TestClient

from assistant.api.app import create_app
from assistant.api.routes_stream import pieces

QUESTION = "Mục tiêu tỷ trọng kinh tế số của Đồng Nai đến năm 2025?"


@pytest.fixture(scope="module")
def client(fast_settings, fast_assistant):
    with TestClient(create_app(fast_settings, assistant=fast_assistant)) as c:
        yield c


def parse_events(body: str) -> list[tuple[str, dict]]:
    events = []
    for block in body.split("\n\n"):
        lines = [line for line in block.split("\n") if line and not line.startswith(":")]
        if not lines:
            continue
        name = next(line[len("event: "):] for line in lines if line.startswith("event: "))
        data = "\n".join(line[len("data: "):] for line in lines if line.startswith("data: "))
        events.append((name, json.loads(data)))
    return events


def without_timings(answer: dict) -> dict:
    return {k: v for k, v in answer.items() if k != "timings_ms"}


def test_stream_sends_contexts_then_text_pieces_then_the_same_answer_as_api_ask(client):
    payload = {"question": QUESTION, "id": "s1"}
    r = client.post("/api/ask/stream", json=payload)
    assert r.status_code == 200
    assert r.headers["content-type"].startswith("text/event-stream")
    assert r.headers["cache-control"] == "no-cache"
    events = parse_events(r.text)
    names = [name for name, _ in events]
    assert names[0] == "contexts" and names[-1] == "answer"
    assert set(names[1:-1]) == {"delta"}
    final = events[-1][1]
    expected = client.post("/api/ask", json=payload).json()
    assert without_timings(final) == without_timings(expected)
    assert final.keys() == expected.keys()
    assert final["citations"][0]["doc_id"] == "dong-nai-kh-198-2022"
    assert "".join(data["text"] for name, data in events if name == "delta") == final["answer"]
    assert events[0][1]["contexts"] == final["contexts"]


def test_stream_passes_history_and_document_filter_like_api_ask(client):
    payload = {"question": "Còn về xã hội số thì sao?", "history": [{"question": QUESTION, "answer": "…"}],
               "doc_ids": ["dong-nai-kh-198-2022"]}
    final = parse_events(client.post("/api/ask/stream", json=payload).text)[-1][1]
    expected = client.post("/api/ask", json=payload).json()
    assert without_timings(final) == without_timings(expected)
    assert {c["doc_id"] for c in final["contexts"]} == {"dong-nai-kh-198-2022"}


@pytest.mark.parametrize("payload, status, code", [
    ({"question": ""}, 400, "bad_question"),
    ({"question": "x" * 5000}, 400, "bad_question"),
    ({}, 422, "invalid_request"),
])
def test_a_bad_question_is_a_json_error_before_any_event(client, payload, status, code):
    r = client.post("/api/ask/stream", json=payload)
    assert r.status_code == status
    assert r.headers["content-type"].startswith("application/json")
    assert r.json()["error"]["code"] == code


def test_a_failure_mid_stream_is_reported_as_an_error_event(fast_settings):
    class Broken:
        def check_question(self, question):
            return question

        def ask(self, *args, **kwargs):
            raise RuntimeError("boom")

    with TestClient(create_app(fast_settings, assistant=Broken())) as c:
        events = parse_events(c.post("/api/ask/stream", json={"question": "?"}).text)
    assert events == [("error", {"error": {"code": "internal_error",
                                           "message": "Đã có lỗi không mong muốn; vui lòng thử lại sau."}})]


def test_an_assistant_that_streams_is_relayed_as_it_goes(fast_settings, fast_assistant):
    answer = fast_assistant.ask(QUESTION)

    class Streaming:
        def check_question(self, question):
            return question

        def ask_stream(self, question, **kwargs):
            yield "contexts", answer.contexts
            yield "delta", "Một "
            yield "delta", "phần"
            yield "answer", answer

    with TestClient(create_app(fast_settings, assistant=Streaming())) as c:
        events = parse_events(c.post("/api/ask/stream", json={"question": QUESTION}).text)
    assert [name for name, _ in events] == ["contexts", "delta", "delta", "answer"]
    assert events[-1][1]["answer"] == answer.answer


def test_pieces_keep_every_character():
    text = "Đến năm 2025, kinh tế số chiếm  20% GRDP;\nxã hội số phát triển."
    assert "".join(pieces(text)) == text
    assert len(list(pieces(text))) > 1
