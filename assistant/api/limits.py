"""Request-size limits at the edge: an oversized body is refused before it is read whole.

A 1 MB `history` or body is answered 413 at once (by its Content-Length, or as soon as a chunked body
passes the limit), so no single request can keep a core busy analysing megabytes of text.
"""

from __future__ import annotations

import json

from starlette.types import ASGIApp, Message, Receive, Scope, Send

TOO_LARGE = {"error": {"code": "payload_too_large",
                       "message": "Yêu cầu quá lớn (tối đa {limit} KB); hãy rút gọn câu hỏi hoặc lịch sử hội thoại."}}


class _TooLarge(Exception):
    pass


class BodySizeLimit:
    """Refuses request bodies longer than `max_bytes` with 413 in the API's error shape."""

    def __init__(self, app: ASGIApp, max_bytes: int, path_limits: dict[str, int] | None = None) -> None:
        """`path_limits` gives single paths (the admin area's upload) a larger limit of their own."""
        self.app = app
        self.max_bytes = max_bytes
        self.path_limits = dict(path_limits or {})

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit = self.path_limits.get(scope.get("path", ""), self.max_bytes)
        declared = dict(scope.get("headers") or []).get(b"content-length")
        if declared is not None and declared.isdigit() and int(declared) > limit:
            await self._refuse(send, limit)
            return
        seen = 0
        started = False

        async def counting_receive() -> Message:
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > limit:
                    raise _TooLarge
            return message

        async def tracking_send(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, counting_receive, tracking_send)
        except _TooLarge:
            if not started:
                await self._refuse(send, limit)

    async def _refuse(self, send: Send, limit: int) -> None:
        body = json.dumps(TOO_LARGE, ensure_ascii=False).replace("{limit}", str(limit // 1024)).encode()
        await send({"type": "http.response.start", "status": 413,
                    "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]})
        await send({"type": "http.response.body", "body": body})
