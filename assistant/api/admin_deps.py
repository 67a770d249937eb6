"""What every admin route shares: the admin context on `app.state.admin`, the session and CSRF checks, rendering.

POST routes take `AdminForm`: the session is checked first (so an anonymous upload is never read),
then the form is parsed and its CSRF token compared; a failure is 401/403 in the API's error shape.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from fastapi import Depends, Request
from fastapi.responses import HTMLResponse
from starlette.datastructures import FormData

from assistant.api.admin_audit import AuditLog
from assistant.api.admin_auth import AdminAuth, AdminSession, client_address
from assistant.api.admin_files import Corpus, Staging
from assistant.api.admin_jobs import RebuildJob
from assistant.settings import Settings

# Flash messages are chosen by a code in the redirect's query string, so no user text is ever reflected.
FLASH = {
    "uploaded": "Đã tải lên. Hãy xem trước cấu trúc và thông tin văn bản trước khi xuất bản.",
    "meta_saved": "Đã lưu thông tin văn bản.",
    "published": "Đã xuất bản vào kho văn bản. Hãy xây dựng lại chỉ mục để trợ lý dùng văn bản mới.",
    "discarded": "Đã hủy tệp chờ duyệt.",
    "removed": "Đã gỡ văn bản khỏi kho (bản sao được giữ trong thư mục removed). Hãy xây dựng lại chỉ mục.",
    "started": "Đã bắt đầu xây dựng lại chỉ mục.",
    "running": "Chỉ mục đang được xây dựng; hãy chờ lần này xong.",
    "logged_out": "Đã đăng xuất.",
}


@dataclass
class AdminContext:
    settings: Settings
    auth: AdminAuth
    audit: AuditLog
    staging: Staging
    corpus: Corpus
    job: RebuildJob

    @classmethod
    def create(cls, settings: Settings) -> "AdminContext":
        admin_dir = settings.admin_dir
        return cls(settings, AdminAuth(settings), AuditLog(admin_dir / "audit.jsonl"), Staging(admin_dir / "staging"),
                   Corpus(settings.corpus_dir, admin_dir), RebuildJob())

    def record(self, request: Request, action: str, target: str = "", *, ok: bool = True, **detail: Any) -> None:
        self.audit.record(action, target, client_address(request), ok=ok, **detail)


def get_admin(request: Request) -> AdminContext:
    return request.app.state.admin


def admin_session(request: Request, admin: AdminContext = Depends(get_admin)) -> AdminSession:
    return admin.auth.require(request)


@dataclass
class AdminForm:
    session: AdminSession
    form: FormData

    def text(self, name: str, limit: int = 2000) -> str:
        value = self.form.get(name)
        return value.strip()[:limit] if isinstance(value, str) else ""


async def admin_form(request: Request, admin: AdminContext = Depends(get_admin)) -> AdminForm:
    """A POST's form, once its session and CSRF token are proven."""
    session = admin.auth.require(request)
    admin.auth.check_origin(request)
    form = await request.form(max_files=1, max_fields=40, max_part_size=64 * 1024)
    admin.auth.check_csrf(request, session.csrf, form.get("csrf_token"))
    return AdminForm(session, form)


def render(request: Request, template: str, context: dict[str, Any], *, status_code: int = 200) -> HTMLResponse:
    """An admin page: never cached, with the flash message of `?ok=` and the CSRF token for its forms."""
    session = request.app.state.admin.auth.session(request)
    flash = FLASH.get(request.query_params.get("ok", ""))
    response = request.app.state.templates.TemplateResponse(
        request, template, {"flash": flash, "csrf": session.csrf if session else "", **context}, status_code=status_code)
    response.headers["Cache-Control"] = "no-store"
    return response
