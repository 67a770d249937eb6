"""/api/ask answers a repeated question from its LRU, keyed by all that determines an answer,
and forgets everything when another index version is served."""

from __future__ import annotations

import copy

import pytest
from fastapi.testclient import TestClient

from assistant.api.answer_cache import AnswerCache, answer_key
from assistant.api.app import create_app

QUESTION = "Mục tiêu tỷ trọng kinh tế số của Đồng Nai đến năm 2025?"


class Counting:
    """The real assistant, counting how often it is asked; `bundle` can be swapped for another version's."""

    def __init__(self, assistant, bundle=None) -> None:
        self._assistant = assistant
        self.bundle = bundle or assistant.bundle
        self.asked = 0

    def ask(self, *args, **kwargs):
        self.asked += 1
        return self._assistant.ask(*args, **kwargs)

    def __getattr__(self, name):
        return getattr(self._assistant, name)


@pytest.fixture
def served(fast_settings, fast_assistant):
    counting = Counting(fast_assistant)
    app = create_app(fast_settings.model_copy(update={"answer_cache_size": 8}), assistant=counting)
    with TestClient(app) as client:
        yield client, app, counting


def test_a_repeated_question_is_answered_once_and_gets_the_same_body_with_its_own_id(served):
    client, _, counting = served
    first = client.post("/api/ask", json={"question": QUESTION, "id": 1}).json()
    second = client.post("/api/ask", json={"question": "  " + QUESTION.replace(" ", "  "), "id": 2}).json()
    assert counting.asked == 1
    assert second == {**first, "id": 2, "question": "  ".join(QUESTION.split(" "))}
    assert list(second)[:2] == ["id", "question"]


@pytest.mark.parametrize("variant", [
    {"history": ["Kế hoạch của Hải Dương có những mục tiêu nào?"]},
    {"doc_ids": ["dong-nai-kh-198-2022"]},
    {"mode": "bm25"},
    {"question": QUESTION.lower()},
])
def test_anything_else_that_shapes_the_answer_is_a_different_key(served, variant):
    client, _, counting = served
    client.post("/api/ask", json={"question": QUESTION})
    client.post("/api/ask", json={"question": QUESTION, **variant})
    assert counting.asked == 2


def test_serving_another_index_version_empties_the_cache(served, fast_assistant):
    client, app, counting = served
    client.post("/api/ask", json={"question": QUESTION})
    other = copy.copy(fast_assistant.bundle)
    other.manifest = {**fast_assistant.bundle.manifest, "version": "20991231T000000000000Z-00000000"}
    switched = Counting(fast_assistant, bundle=other)
    app.state.assistant = switched  # what the index watcher does on a hot switch
    client.post("/api/ask", json={"question": QUESTION})
    assert switched.asked == 1
    assert len(app.state.answer_cache) == 1  # the old version's answer was dropped, not kept beside


def test_size_zero_turns_the_cache_off(fast_settings, fast_assistant):
    counting = Counting(fast_assistant)
    app = create_app(fast_settings.model_copy(update={"answer_cache_size": 0}), assistant=counting)
    with TestClient(app) as client:
        for _ in range(2):
            assert client.post("/api/ask", json={"question": QUESTION}).status_code == 200
    assert counting.asked == 2 and app.state.answer_cache is None


def test_the_least_recently_used_answer_goes_first(fast_assistant):
    cache = AnswerCache(2)
    keys = [answer_key(fast_assistant.bundle, q, [], None, None) for q in ("một", "hai", "ba")]
    cache.get(keys[0])
    cache.put(keys[0], {"answer": "1"})
    cache.put(keys[1], {"answer": "2"})
    assert cache.get(keys[0]) == {"answer": "1"}  # now the most recent
    cache.put(keys[2], {"answer": "3"})
    assert cache.get(keys[1]) is None and cache.get(keys[0]) == {"answer": "1"}
