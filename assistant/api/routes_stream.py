"""`POST /api/ask/stream`: the answer of `POST /api/ask`, delivered as server-sent events.

Events, in order (each `data:` line is one JSON object):
  `contexts` {"contexts": [...]}  the retrieved clauses, as in the answer object
  `delta`    {"text": "..."}      a piece of the answer text, as it is produced (zero or more)
  `answer`   {...}                the final answer object, exactly what `POST /api/ask` returns
  `error`    {"error": {"code", "message"}}  instead of `answer` when something failed mid-way
The final `answer` is authoritative: a client replaces the text it assembled from `delta`s with it.
A bad question is refused before the stream starts, with the usual JSON error and status.
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import AsyncIterator, Callable, Iterator
from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import StreamingResponse
from starlette.concurrency import iterate_in_threadpool, run_in_threadpool

from assistant.errors import AssistantError
from assistant.pipeline import Assistant
from assistant.records import answer_to_json, hit_to_json
from assistant.api.deps import get_assistant
from assistant.api.observability import count_answer
from assistant.api.schemas import AskRequest, error_responses

log = logging.getLogger(__name__)

router = APIRouter(prefix="/api", tags=["api"])

_WORDS_PER_PIECE = 4
# One server-sent event, as OpenAPI tools (schemathesis among them) read an event stream's schema.
EVENT_SCHEMA = {"type": "object", "required": ["event", "data"],
                "properties": {"event": {"type": "string", "enum": ["contexts", "delta", "answer", "error"]},
                               "data": {"type": "string", "description": "One JSON object (see the module doc)."}}}


def sse(event: str, data: Any) -> str:
    """One server-sent event; json.dumps never emits a newline, so one `data:` line suffices."""
    return f"event: {event}\ndata: {json.dumps(data, ensure_ascii=False)}\n\n"


def pieces(text: str, words: int = _WORDS_PER_PIECE) -> Iterator[str]:
    """The text in small runs of words (whitespace kept), for answerers that produce it all at once."""
    tokens = re.findall(r"\s*\S+\s*", text)
    for i in range(0, len(tokens), words):
        yield "".join(tokens[i:i + words])


def answer_events(assistant: Assistant, body: AskRequest,
                  on_answer: Callable[[Any], None] | None = None) -> Iterator[str]:
    """Run the same core call as `POST /api/ask` and narrate it as events.

    An assistant offering `ask_stream(...)` (yielding ("contexts", hits), ("delta", text)…,
    ("answer", Answer)) is streamed as it goes; otherwise `ask` runs and its result is replayed.
    `on_answer` sees the final answer (the metrics count refusals with it).
    """
    on_answer = on_answer or (lambda answer: None)
    kwargs = dict(history=body.history_questions(), doc_ids=set(body.doc_ids) if body.doc_ids else None,
                  mode=body.mode, id=body.id)
    yield ": bắt đầu\n\n"  # a comment line: lets proxies and the browser see the stream open at once
    try:
        stream = getattr(assistant, "ask_stream", None)
        if callable(stream):
            for kind, value in stream(body.question, **kwargs):
                if kind == "contexts":
                    yield sse("contexts", {"contexts": [hit_to_json(h) for h in value]})
                elif kind == "delta":
                    yield sse("delta", {"text": value})
                elif kind == "answer":
                    on_answer(value)
                    yield sse("answer", answer_to_json(value))
            return
        answer = assistant.ask(body.question, **kwargs)
        yield sse("contexts", {"contexts": [hit_to_json(h) for h in answer.contexts]})
        for piece in pieces(answer.answer):
            yield sse("delta", {"text": piece})
        on_answer(answer)
        yield sse("answer", answer_to_json(answer))
    except AssistantError as exc:
        yield sse("error", {"error": {"code": exc.code, "message": exc.message}})
    except Exception:  # the status line is already sent: report in-band
        log.exception("unhandled error while streaming an answer")
        yield sse("error", {"error": {"code": "internal_error",
                                      "message": "Đã có lỗi không mong muốn; vui lòng thử lại sau."}})


async def threaded_events(assistant: Assistant, body: AskRequest,
                          on_answer: Callable | None = None) -> AsyncIterator[str]:
    """`answer_events` with its CPU-bound work in the thread pool, in as few hops as it allows.

    Iterating a sync generator costs one thread-pool hop per event (~15 for an answer), each queued
    behind every other request's: measured 130 req/s at 8 clients against 400 for `POST /api/ask`.
    An answer produced all at once is computed in one hop and its events replayed from the event
    loop; only an assistant that really streams (`ask_stream`) is iterated event by event.
    """
    events = answer_events(assistant, body, on_answer=on_answer)
    yield next(events)  # the opening comment, at once
    if callable(getattr(assistant, "ask_stream", None)):
        async for event in iterate_in_threadpool(events):
            yield event
        return
    for event in await run_in_threadpool(list, events):
        yield event


@router.post("/ask/stream", summary="Answer a question as server-sent events (contexts, text pieces, final answer)",
             response_class=StreamingResponse,
             responses={200: {"content": {"text/event-stream": {"schema": EVENT_SCHEMA}},
                              "description": "Events `contexts`, `delta`…, then `answer` (or `error`)."},
                        **error_responses(400, 413, 422, 429, 503)})
async def ask_stream(body: AskRequest, request: Request, assistant: Assistant = Depends(get_assistant)) -> StreamingResponse:
    assistant.check_question(body.question)  # a bad question is a plain JSON error, before any event
    state = request.app.state
    events = threaded_events(assistant, body, on_answer=lambda answer: count_answer(state, answer.refused))
    return StreamingResponse(events, media_type="text/event-stream",
                             headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"})
