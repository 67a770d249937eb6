"""A bound on concurrent answer work, with a short queue and an immediate 503 beyond it.

Answering is CPU-bound (retrieval, scoring, the embedding model) and runs in the threadpool; on a few
cores, forty answers at once take forty times as long each, and every client times out together.
So at most `max_concurrent` answer requests (/api/ask, /api/search, /api/ask/stream) are worked on
at once per process, `max_queue` more wait for a slot (at most `queue_timeout_s`), and any further
request is told at once — 503, `Retry-After`, a Vietnamese message in the one error shape — instead
of piling up. Health, readiness, metrics, pages and documents are never held back by it.
"""

from __future__ import annotations

import asyncio
import json
from collections import deque

from starlette.types import ASGIApp, Receive, Scope, Send

from assistant.api.observability import Metrics

BOUNDED_PATHS = frozenset({"/api/ask", "/api/search", "/api/ask/stream"})
BOUNDED_METHODS = frozenset({"GET", "POST"})  # CORS preflights (OPTIONS) take no slot
RETRY_AFTER_S = 2  # a typical answer takes well under a second: a slot is usually free by then
CODE = "overloaded"
MESSAGE = "Hệ thống đang bận trả lời nhiều câu hỏi cùng lúc; vui lòng thử lại sau {seconds} giây."


class AnswerSlots:
    """`limit` slots and a FIFO of at most `queue` waiters, all on the event loop (no locks needed).

    A released slot is handed straight to the oldest waiter, so a newcomer never overtakes the queue.
    Waiters are plain futures, so one instance works under any event loop (tests start several).
    """

    def __init__(self, limit: int, queue: int) -> None:
        self.limit = limit
        self.queue = queue
        self.active = 0
        self._waiters: deque[asyncio.Future[None]] = deque()

    @property
    def waiting(self) -> int:
        return sum(1 for f in self._waiters if not f.done())

    async def acquire(self, timeout_s: float) -> bool:
        """True once a slot is held (release it after); False at once when the queue is full, or after the timeout."""
        if self.active < self.limit and not self.waiting:
            self.active += 1
            return True
        if self.waiting >= self.queue:
            return False
        future: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self._waiters.append(future)
        try:
            await asyncio.wait_for(asyncio.shield(future), timeout_s)
            return True
        except BaseException as exc:
            if future.done() and not future.cancelled():  # handed a slot just as we gave up: pass it on
                self.release()
            else:
                future.cancel()
            if isinstance(exc, TimeoutError):
                return False
            raise
        finally:
            try:
                self._waiters.remove(future)
            except ValueError:
                pass

    def release(self) -> None:
        while self._waiters:
            future = self._waiters.popleft()
            if not future.done():
                future.set_result(None)  # the slot moves to this waiter; `active` stays the same
                return
        self.active -= 1


def overloaded_body(seconds: int = RETRY_AFTER_S) -> bytes:
    return json.dumps({"error": {"code": CODE, "message": MESSAGE.format(seconds=seconds)}}, ensure_ascii=False).encode()


class AnswerBound:
    """ASGI middleware holding a slot of `AnswerSlots` for the whole of an answer request, stream included."""

    def __init__(self, app: ASGIApp, max_concurrent: int, max_queue: int, queue_timeout_s: float,
                 metrics: Metrics | None = None) -> None:
        self.app = app
        self.slots = AnswerSlots(max_concurrent, max_queue)
        self.queue_timeout_s = queue_timeout_s
        self.metrics = metrics
        if metrics is not None:
            metrics.answer_work.set_function(lambda: self.slots.active)
            metrics.answer_queue.set_function(lambda: self.slots.waiting)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if (scope["type"] != "http" or scope.get("path") not in BOUNDED_PATHS
                or scope.get("method") not in BOUNDED_METHODS):
            await self.app(scope, receive, send)
            return
        if not await self.slots.acquire(self.queue_timeout_s):
            if self.metrics is not None:
                self.metrics.overload_rejected.inc()
            body = overloaded_body()
            await send({"type": "http.response.start", "status": 503,
                        "headers": [(b"content-type", b"application/json"), (b"retry-after", str(RETRY_AFTER_S).encode()),
                                    (b"content-length", str(len(body)).encode())]})
            await send({"type": "http.response.body", "body": body})
            return
        try:
            await self.app(scope, receive, send)
        finally:
            self.slots.release()
