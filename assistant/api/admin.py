"""The admin area at /admin: login, plans and uploads (admin_plans.py), index rebuild, feedback review, audit log.

It exists only when an access code or password hash is configured (`install` is not called
otherwise, so every /admin address is a plain 404). Pages follow the chat pages' strict CSP: no
inline script, web/static/admin.js does the little scripting there is.
"""

from __future__ import annotations

from datetime import date

from fastapi import APIRouter, Depends, FastAPI, Request
from fastapi.responses import JSONResponse, RedirectResponse, Response

from assistant.api.admin_auth import AdminLoginRequired, AdminSession, TooManyAttempts, client_address
from assistant.api.admin_deps import AdminContext, AdminForm, admin_form, admin_session, get_admin, render
from assistant.api.feedback import FeedbackUnavailable, get_feedback_store
from assistant.api.feedback_store import FeedbackQuery, FeedbackStoreError, to_csv
from assistant.indexing.build import stale_reasons
from assistant.settings import Settings

router = APIRouter(prefix="/admin", include_in_schema=False)


def install(app: FastAPI, settings: Settings) -> None:
    """Mount the admin routes and the redirect-to-login handler on the app."""
    from assistant.api import admin_plans

    app.state.admin = AdminContext.create(settings)
    app.include_router(router)
    app.include_router(admin_plans.router)
    app.add_exception_handler(AdminLoginRequired, _login_required)


async def _login_required(request: Request, exc: AdminLoginRequired) -> Response:
    if request.method == "GET" and "application/json" not in request.headers.get("accept", ""):
        return RedirectResponse(request.url_for("admin_login_page").path, status_code=303)
    return JSONResponse({"error": {"code": exc.code, "message": exc.message}}, status_code=exc.status)


def _redirect(request: Request, route: str, ok: str | None = None, **params: str) -> RedirectResponse:
    url = request.url_for(route, **params).path + (f"?ok={ok}" if ok else "")
    return RedirectResponse(url, status_code=303)


# --- login ---------------------------------------------------------------------------------------

def _login_page(request: Request, admin: AdminContext, error: str | None, status_code: int) -> Response:
    token = admin.auth.login_token(request)
    response = render(request, "admin/login.html", {"error": error, "login_csrf": token}, status_code=status_code)
    admin.auth.set_login_cookie(request, response, token)
    return response


@router.get("/login", name="admin_login_page")
def login_page(request: Request, admin: AdminContext = Depends(get_admin)):
    if admin.auth.session(request):
        return _redirect(request, "admin_home")
    return _login_page(request, admin, None, 200)


@router.post("/login")
async def login(request: Request, admin: AdminContext = Depends(get_admin)):
    form = await request.form(max_files=0, max_fields=10, max_part_size=8 * 1024)
    admin.auth.check_login_csrf(request, form.get("csrf_token"))
    address = client_address(request)
    if admin.auth.locked_out(address):
        admin.record(request, "login", "admin", ok=False, reason="locked_out")
        raise TooManyAttempts("Đăng nhập sai quá nhiều lần; hãy thử lại sau 10 phút.")
    given = form.get("token")
    if not isinstance(given, str) or not admin.auth.credentials_ok(given):
        admin.auth.record_failure(address)
        admin.record(request, "login", "admin", ok=False, reason="wrong_credentials")
        return _login_page(request, admin, "Mã truy cập hoặc mật khẩu không đúng.", 401)
    admin.auth.clear_failures(address)
    response = _redirect(request, "admin_home")
    admin.auth.start_session(request, response)
    admin.record(request, "login", "admin")
    return response


@router.post("/logout")
def logout(request: Request, posted: AdminForm = Depends(admin_form), admin: AdminContext = Depends(get_admin)):
    response = _redirect(request, "admin_login_page", "logged_out")
    admin.auth.end_session(response)
    admin.record(request, "logout", "admin")
    return response


# --- dashboard -----------------------------------------------------------------------------------

@router.get("", name="admin_home")
def home(request: Request, session: AdminSession = Depends(admin_session), admin: AdminContext = Depends(get_admin)):
    assistant = getattr(request.app.state, "assistant", None)
    indexed = set(assistant.bundle.documents) if assistant is not None else set()
    return render(request, "admin/home.html", {
        "plans": admin.corpus.plans(), "indexed": indexed, "staged": admin.staging.list(),
        "stale": stale_reasons(admin.settings), "job": admin.job.snapshot(),
        "max_mb": admin.settings.admin_max_upload_bytes // (1024 * 1024),
        "max_bytes": admin.settings.admin_max_upload_bytes})


# --- index rebuild -------------------------------------------------------------------------------

@router.get("/index", name="admin_index")
def index_page(request: Request, session: AdminSession = Depends(admin_session), admin: AdminContext = Depends(get_admin)):
    return render(request, "admin/index.html", {"job": admin.job.snapshot(), "stale": stale_reasons(admin.settings)})


@router.get("/index/status", name="admin_index_status")
def index_status(session: AdminSession = Depends(admin_session), admin: AdminContext = Depends(get_admin)):
    return JSONResponse(admin.job.snapshot(), headers={"Cache-Control": "no-store"})


@router.post("/index/rebuild")
def start_rebuild(request: Request, posted: AdminForm = Depends(admin_form), admin: AdminContext = Depends(get_admin)):
    address = client_address(request)

    def finished(status) -> None:
        admin.audit.record("reindex_finished", "index", address, ok=status.state == "done",
                           **({"error": status.error} if status.error else status.result))

    if not admin.job.start(request.app, finished):
        return _redirect(request, "admin_index", "running")
    admin.record(request, "reindex_started", "index")
    return _redirect(request, "admin_index", "started")


# --- feedback review -----------------------------------------------------------------------------

def _feedback_query(request: Request, limit: int) -> tuple[FeedbackQuery, dict[str, str], str | None]:
    params = {k: request.query_params.get(k, "").strip()[:100] for k in ("rating", "from", "to", "doc_id")}
    error = None
    days: dict[str, date | None] = {}
    for key in ("from", "to"):
        try:
            days[key] = date.fromisoformat(params[key]) if params[key] else None
        except ValueError:
            days[key], params[key] = None, ""
            error = "Ngày lọc phải có dạng NNNN-TT-NN; bộ lọc ngày sai đã được bỏ qua."
    rating = params["rating"] if params["rating"] in ("up", "down") else None
    query = FeedbackQuery(rating=rating, date_from=days["from"], date_to=days["to"], doc_id=params["doc_id"] or None, limit=limit)
    return query, params, error


def _feedback_rows(request: Request, admin: AdminContext, query: FeedbackQuery) -> list[dict]:
    """The feedback matching `query`; FeedbackUnavailable (503, Vietnamese) when the store can't be read."""
    try:
        return get_feedback_store(request, admin.settings).list(query)
    except FeedbackStoreError as exc:
        raise FeedbackUnavailable(f"Không đọc được phản hồi ({exc}); vui lòng thử lại sau.") from exc


@router.get("/feedback", name="admin_feedback")
def feedback_page(request: Request, session: AdminSession = Depends(admin_session), admin: AdminContext = Depends(get_admin)):
    query, params, error = _feedback_query(request, limit=500)
    try:
        rows = _feedback_rows(request, admin, query)
    except FeedbackUnavailable as exc:  # the page still shows, with the reason
        rows, error = [], exc.message
    return render(request, "admin/feedback.html", {"rows": rows, "params": params, "error": error,
                                                    "plans": [p["doc_id"] for p in admin.corpus.plans()]})


@router.get("/feedback.csv", name="admin_feedback_csv")
def feedback_csv(request: Request, session: AdminSession = Depends(admin_session), admin: AdminContext = Depends(get_admin)):
    query, params, _ = _feedback_query(request, limit=1_000_000)
    rows = _feedback_rows(request, admin, query)
    admin.record(request, "feedback_export", "feedback", rows=len(rows), **{k: v for k, v in params.items() if v})
    return Response(to_csv(rows), media_type="text/csv; charset=utf-8", headers={
        "Content-Disposition": f'attachment; filename="phan-hoi-{date.today().isoformat()}.csv"',
        "Cache-Control": "no-store"})


@router.get("/audit", name="admin_audit")
def audit_page(request: Request, session: AdminSession = Depends(admin_session), admin: AdminContext = Depends(get_admin)):
    return render(request, "admin/audit.html", {"entries": admin.audit.recent(300)})
