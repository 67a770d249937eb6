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

from assistant.errors import AssistantError
from assistant.settings import Settings, get_settings

log = logging.getLogger(__name__)


def _error(status: int, code: str, message: str) -> JSONResponse:
    return JSONResponse({"error": {"code": code, "message": message}}, status_code=status)


def create_app(settings: Settings | None = None, *, assistant=None) -> FastAPI:
    """Build the app; the assistant (index + model) is opened in the lifespan unless one is given."""
    settings = settings or get_settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI):
        if getattr(app.state, "assistant", None) is None:
            from assistant.pipeline import Assistant

            app.state.assistant = Assistant.open(settings)
        yield

    app = FastAPI(title="Trợ lý ảo chuyển đổi số", version="0.1.0", lifespan=lifespan,
                  description="Hỏi đáp có trích dẫn về các kế hoạch chuyển đổi số của tỉnh, thành phố.")
    app.state.settings = settings
    app.state.assistant = assistant
    web_dir = Path(settings.web_dir)
    app.state.templates = Jinja2Templates(directory=str(web_dir / "templates"))
    app.mount("/static", StaticFiles(directory=str(web_dir / "static")), name="static")

    @app.exception_handler(AssistantError)
    async def assistant_error(request: Request, exc: AssistantError):
        return _error(exc.status, exc.code, exc.message)

    @app.exception_handler(RequestValidationError)
    async def validation_error(request: Request, exc: RequestValidationError):
        fields = ", ".join(".".join(str(p) for p in e.get("loc", ())[1:]) or "body" for e in exc.errors())
        return _error(422, "invalid_request", f"Yêu cầu không hợp lệ ({fields}): hãy gửi JSON có trường 'question'.")

    @app.exception_handler(Exception)
    async def unexpected_error(request: Request, exc: Exception):
        log.exception("unhandled error on %s", request.url.path)
        return _error(500, "internal_error", "Đã có lỗi không mong muốn; vui lòng thử lại sau.")

    from assistant.api import feedback, routes_api, routes_pages, routes_stream, security

    app.include_router(routes_api.router)
    app.include_router(routes_stream.router)
    app.include_router(feedback.router)
    app.include_router(routes_api.health_router)
    app.include_router(routes_pages.router)
    security.install(app, settings.allowed_origins)
    return app
