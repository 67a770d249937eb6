"""Property: whatever text reaches `Assistant.ask` (question, history, plan filter), it answers or
raises `BadQuestion` — never anything else. Runs on the small real index with the fake embedder."""

from __future__ import annotations

from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from assistant.errors import BadQuestion
from assistant.records import answer_to_json
from test_text_properties import ANY_TEXT

DOC_IDS = ["dong-nai-kh-198-2022", "hai-duong-kh-780-2022", "khong-co-van-ban-nay"]


@settings(max_examples=120, deadline=None, derandomize=True, database=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(question=ANY_TEXT, history=st.lists(ANY_TEXT, max_size=3),
       doc_ids=st.none() | st.sets(st.sampled_from(DOC_IDS), max_size=2),
       mode=st.sampled_from([None, "bm25", "dense", "hybrid"]))
def test_ask_answers_any_text_or_raises_only_bad_question(fast_assistant, question, history, doc_ids, mode):
    try:
        answer = fast_assistant.ask(question, history=history, doc_ids=doc_ids, mode=mode)
    except BadQuestion as exc:
        assert exc.message  # a Vietnamese message the user can act on
        event("bad question")
        return
    event("refused" if answer.refused else "answered")
    body = answer_to_json(answer)
    assert isinstance(body["answer"], str) and body["answer"]
    assert not body["refused"] or body["citations"] == []  # CONTRACT: a refusal cites nothing
