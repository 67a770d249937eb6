"""`create_app(settings)`: the FastAPI application serving the API, the pages and the widget."""

from __future__ import annotations

import logging
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from starlette.exceptions import HTTPException as StarletteHTTPException

from assistant.api.admin_auth import admin_enabled
from assistant.api.answer_cache import AnswerCache
from assistant.api.limits import BodySizeLimit
from assistant.api.observability import INTERNAL_ERROR, Metrics, ObservabilityMiddleware, configure_logging
from assistant.api.overload import AnswerBound
from assistant.api.ratelimit import RateLimit
from assistant.errors import AssistantError
from assistant.settings import Settings, get_settings

log = logging.getLogger(__name__)

ADMIN_UPLOAD_PATH = "/admin/plans/upload"


def _error(status: int, code: str, message: str) -> JSONResponse:
    return JSONResponse({"error": {"code": code, "message": message}}, status_code=status)


# Errors raised by the framework itself, in the one error shape, in Vietnamese.
HTTP_MESSAGES = {
    400: ("invalid_body", "Không đọc được nội dung yêu cầu: hãy gửi JSON mã hóa UTF-8."),
    404: ("not_found", "Không tìm thấy địa chỉ này."),
    405: ("method_not_allowed", "Phương thức này không được hỗ trợ tại địa chỉ này."),
    413: ("payload_too_large", "Yêu cầu quá lớn."),
    415: ("unsupported_media_type", "Kiểu nội dung không được hỗ trợ: hãy gửi application/json."),
    429: ("rate_limited", "Quá nhiều yêu cầu; vui lòng thử lại sau."),
}
_FIELD_NAMES = {"question": "câu hỏi", "q": "câu hỏi (q)", "history": "lịch sử hội thoại", "doc_ids": "danh sách văn bản",
                "mode": "chế độ tìm kiếm", "k": "số kết quả (k)", "body": "nội dung JSON"}


def validation_message(errors: list[dict]) -> str:
    """A Vietnamese message naming the fields at fault ("câu hỏi (q)", "lịch sử hội thoại")."""
    fields = []
    for e in errors:
        loc = [str(p) for p in e.get("loc", ()) if p not in ("body", "query", "path")]
        name = _FIELD_NAMES.get(loc[0], loc[0]) if loc else "nội dung JSON"
        if e.get("type") == "json_invalid":
            name = "nội dung JSON (không đúng cú pháp)"
        if name not in fields:
            fields.append(name)
    return f"Yêu cầu không hợp lệ: kiểm tra {', '.join(fields) or 'nội dung yêu cầu'}."


def create_app(settings: Settings | None = None, *, assistant=None, serving: bool = False) -> FastAPI:
    """Build the app; the assistant (index + model) is opened in the lifespan unless one is given.

    `serving`: a real server process (`assistant serve`), which warms up and freezes its heap before
    it listens (assistant/api/warmup.py); tests building many apps in one process leave it off.
    """
    settings = settings or get_settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI):
        configure_logging(settings.log_format, settings.log_level)
        if getattr(app.state, "assistant", None) is None:
            from assistant.pipeline import Assistant

            app.state.assistant = Assistant.open(settings)
        if serving:
            from assistant.api.warmup import prepare_for_traffic

            prepare_for_traffic(app.state.assistant)
        from assistant.api.live import IndexWatcher

        app.state.index_watcher = IndexWatcher(app, settings)  # hot switch to newly published index versions
        app.state.index_watcher.start()
        yield
        app.state.index_watcher.stop()

    app = FastAPI(title="Trợ lý ảo chuyển đổi số", version="0.1.0", lifespan=lifespan,
                  description="Hỏi đáp có trích dẫn về các kế hoạch chuyển đổi số của tỉnh, thành phố.")
    app.state.settings = settings
    app.state.assistant = assistant
    app.state.metrics = Metrics(app.state)
    app.state.metrics.set_worker(settings.worker)
    app.state.answer_cache = AnswerCache(settings.answer_cache_size) if settings.answer_cache_size > 0 else None
    web_dir = Path(settings.web_dir)
    app.state.templates = Jinja2Templates(directory=str(web_dir / "templates"))
    app.mount("/static", StaticFiles(directory=str(web_dir / "static")), name="static")

    @app.exception_handler(AssistantError)
    async def assistant_error(request: Request, exc: AssistantError):
        return _error(exc.status, exc.code, exc.message)

    @app.exception_handler(RequestValidationError)
    async def validation_error(request: Request, exc: RequestValidationError):
        return _error(422, "invalid_request", validation_message(exc.errors()))

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException):
        code, message = HTTP_MESSAGES.get(exc.status_code, ("http_error", "Yêu cầu không thực hiện được."))
        return _error(exc.status_code, code, message)

    @app.exception_handler(RecursionError)
    async def too_deep(request: Request, exc: RecursionError):
        return _error(400, "invalid_json", "Dữ liệu JSON lồng nhau quá sâu; hãy gửi một đối tượng JSON phẳng.")

    @app.exception_handler(Exception)
    async def unexpected_error(request: Request, exc: Exception):
        log.exception("unhandled error on %s", request.url.path)
        return _error(500, *INTERNAL_ERROR)

    from assistant.api import feedback, routes_api, routes_ops, routes_pages, routes_stream, security

    app.include_router(routes_api.router)
    app.include_router(routes_stream.router)
    app.include_router(feedback.router)
    app.include_router(routes_api.health_router)
    app.include_router(routes_ops.router)
    app.include_router(routes_pages.router)
    upload_limits: dict[str, int] = {}
    if admin_enabled(settings):  # off unless an access code or password hash is configured: /admin is a 404
        from assistant.api import admin

        admin.install(app, settings)
        upload_limits[ADMIN_UPLOAD_PATH] = settings.admin_max_upload_bytes + 64 * 1024  # + the multipart envelope
    # Middleware added last runs first: request id and metrics see every response, 413 and 429 included;
    # the answer bound sits inside CORS so its 503 reaches browsers readable.
    if settings.max_concurrent > 0:
        app.add_middleware(AnswerBound, max_concurrent=settings.max_concurrent, max_queue=settings.max_queue,
                           queue_timeout_s=settings.queue_timeout_s, metrics=app.state.metrics)
    security.install(app, settings.allowed_origins)
    app.add_middleware(BodySizeLimit, max_bytes=settings.max_body_bytes, path_limits=upload_limits)
    if settings.rate_limit_per_minute > 0:
        app.add_middleware(RateLimit, per_minute=settings.rate_limit_per_minute, burst=settings.rate_limit_burst)
    app.add_middleware(ObservabilityMiddleware, metrics=app.state.metrics, worker=settings.worker)
    return app


def app_from_env() -> FastAPI:
    """The app with settings read from `ASSISTANT_*` variables: the factory each uvicorn worker calls.

    `assistant serve --workers N` hands its settings over through the environment, since uvicorn
    starts workers as fresh processes that import the app by name.
    """
    return create_app(Settings(), serving=True)
