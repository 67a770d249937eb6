"""Who may call the API and frame the widget: CORS on `/api/*`, CSP `frame-ancestors` on `/embed`.

Both follow `settings.allowed_origins` (`["*"]` = anyone). Every HTML page also gets a strict
Content-Security-Policy (scripts and styles only from this server) as a second line of defence
behind escaping: even if data slipped into the markup, inline scripts would not run.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from starlette.middleware.cors import CORSMiddleware
from starlette.types import ASGIApp, Message, Receive, Scope, Send

EMBED_PATH = "/embed"
API_PREFIX = "/api/"
# FastAPI's Swagger UI and ReDoc load their assets from a CDN with inline scripts: leave them be.
_CSP_EXEMPT = ("/docs", "/redoc")


def frame_ancestors(allowed_origins: Iterable[str]) -> str:
    """The `frame-ancestors` source list for the embeddable page."""
    origins = [o.strip().rstrip("/") for o in allowed_origins if o and o.strip()]
    if not origins or "*" in origins:
        return "*"
    return " ".join(["'self'", *origins])


def page_csp(ancestors: str) -> str:
    return ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
            "connect-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; "
            f"frame-ancestors {ancestors}")


class SecurityHeadersMiddleware:
    """Adds nosniff/referrer headers everywhere and CSP + framing rules to HTML pages."""

    def __init__(self, app: ASGIApp, allowed_origins: Iterable[str]) -> None:
        self.app = app
        self.embed_csp = page_csp(frame_ancestors(allowed_origins))
        self.page_csp = page_csp("'self'")

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path: str = scope.get("path", "")

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = [(k, v) for k, v in message.get("headers", [])]
                names = {k.lower() for k, _ in headers}
                extra = [(b"x-content-type-options", b"nosniff"),
                         (b"referrer-policy", b"strict-origin-when-cross-origin")]
                content_type = dict(headers).get(b"content-type", b"")
                if content_type.startswith(b"text/html") and not path.startswith(_CSP_EXEMPT):
                    if path == EMBED_PATH:
                        extra.append((b"content-security-policy", self.embed_csp.encode()))
                    else:
                        extra.append((b"content-security-policy", self.page_csp.encode()))
                        extra.append((b"x-frame-options", b"SAMEORIGIN"))
                headers += [(k, v) for k, v in extra if k not in names]
                message = {**message, "headers": headers}
            await send(message)

        await self.app(scope, receive, send_with_headers)


def wildcard_regex(origins: Iterable[str]) -> str | None:
    """`https://*.dongnai.gov.vn` entries (valid in CSP) as one regex for CORS; None when there are none."""
    patterns = [re.escape(o).replace(r"\*\.", r"([a-z0-9-]+\.)+") for o in origins if "*." in o]
    return "^(" + "|".join(patterns) + ")$" if patterns else None


class ApiCORSMiddleware:
    """Starlette's CORS handling, applied to `/api/*` only (pages and the widget script need none)."""

    def __init__(self, app: ASGIApp, allowed_origins: Iterable[str]) -> None:
        self.app = app
        origins = [o.strip().rstrip("/") for o in allowed_origins if o and o.strip()] or ["*"]
        self.cors = CORSMiddleware(app, allow_origins=[o for o in origins if "*." not in o],
                                   allow_origin_regex=wildcard_regex(origins),
                                   allow_methods=["GET", "POST", "OPTIONS"], allow_headers=["Content-Type", "Accept"],
                                   allow_credentials=False, max_age=600)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope.get("path", "").startswith(API_PREFIX):
            await self.cors(scope, receive, send)
        else:
            await self.app(scope, receive, send)


def install(app, allowed_origins: Iterable[str]) -> None:
    """Register both middlewares on a FastAPI app (CORS innermost so preflights get security headers too)."""
    origins = list(allowed_origins)
    app.add_middleware(ApiCORSMiddleware, allowed_origins=origins)
    app.add_middleware(SecurityHeadersMiddleware, allowed_origins=origins)
