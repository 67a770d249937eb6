"""A per-client rate limit on the API: a token bucket keyed by the client's address.

Each address gets `burst` requests at once and `per_minute` more each minute; beyond that `/api/*`
answers 429 with `Retry-After` and a Vietnamese message, so one client cannot take the server's
cores from everyone else. Pages and static files are not limited.
"""

from __future__ import annotations

import json
import math
import time
from collections import OrderedDict

from starlette.types import ASGIApp, Receive, Scope, Send

MESSAGE = "Bạn gửi quá nhiều yêu cầu trong thời gian ngắn; vui lòng thử lại sau {seconds} giây."
MAX_CLIENTS = 10_000  # addresses remembered; the least recently seen are forgotten first


class TokenBuckets:
    """Tokens per key, refilled continuously at `rate` per second up to `burst`."""

    def __init__(self, per_minute: float, burst: int, clock=time.monotonic) -> None:
        self.rate = per_minute / 60.0
        self.burst = burst
        self.clock = clock
        self._buckets: OrderedDict[str, tuple[float, float]] = OrderedDict()

    def take(self, key: str) -> float:
        """0.0 when a request may go ahead, else the seconds until the next token."""
        now = self.clock()
        tokens, last = self._buckets.pop(key, (float(self.burst), now))
        tokens = min(self.burst, tokens + (now - last) * self.rate)
        wait = 0.0
        if tokens >= 1.0:
            tokens -= 1.0
        else:
            wait = (1.0 - tokens) / self.rate if self.rate > 0 else 60.0
        self._buckets[key] = (tokens, now)
        while len(self._buckets) > MAX_CLIENTS:
            self._buckets.popitem(last=False)
        return wait


class RateLimit:
    """ASGI middleware applying `TokenBuckets` to requests under `/api/`."""

    def __init__(self, app: ASGIApp, per_minute: float, burst: int) -> None:
        self.app = app
        self.buckets = TokenBuckets(per_minute, burst)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not scope.get("path", "").startswith("/api/"):
            await self.app(scope, receive, send)
            return
        client = (scope.get("client") or ("unknown", 0))[0]
        wait = self.buckets.take(client)
        if wait <= 0:
            await self.app(scope, receive, send)
            return
        seconds = max(1, math.ceil(wait))
        body = json.dumps({"error": {"code": "rate_limited", "message": MESSAGE.format(seconds=seconds)}},
                          ensure_ascii=False).encode()
        await send({"type": "http.response.start", "status": 429,
                    "headers": [(b"content-type", b"application/json"), (b"retry-after", str(seconds).encode()),
                                (b"content-length", str(len(body)).encode())]})
        await send({"type": "http.response.body", "body": body})
