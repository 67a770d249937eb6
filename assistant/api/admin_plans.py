"""Admin routes for plans: upload into staging, preview the parsed outline and metadata, edit the
sidecar, publish into corpus/, discard an upload, remove a published plan. Every action is audited.

The preview runs the same loaders, parser and chunker the index uses, so what the operator sees is
what the assistant will cite.
"""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from fastapi.responses import RedirectResponse, Response
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile

from assistant.api.admin_deps import AdminContext, AdminForm, admin_form, admin_session, get_admin, render
from assistant.api.admin_files import META_FIELDS, PlanExists, StagedPlan, UploadRejected
from assistant.api.admin_auth import AdminSession
from assistant.api.routes_pages import outline as heading_tree
from assistant.errors import DocumentError
from assistant.ingest import chunking, loaders, outline, structure

router = APIRouter(prefix="/admin", include_in_schema=False)

FIELD_LABELS = {"title": "Tiêu đề", "number": "Số hiệu", "doc_type": "Loại văn bản", "issuer": "Cơ quan ban hành",
                "province": "Tỉnh/thành phố", "date": "Ngày ban hành (NNNN-TT-NN hoặc NNNN)", "signer": "Người ký",
                "signer_title": "Chức vụ người ký", "short_label": "Nhãn trích dẫn ngắn"}
MAX_STARTERS = 10


def _to(request: Request, route: str, ok: str, **params: str) -> RedirectResponse:
    return RedirectResponse(request.url_for(route, **params).path + f"?ok={ok}", status_code=303)


def _rejected(request: Request, message: str, status_code: int) -> Response:
    return render(request, "admin/rejected.html", {"message": message}, status_code=status_code)


@router.post("/plans/upload", name="admin_upload")
async def upload(request: Request, posted: AdminForm = Depends(admin_form), admin: AdminContext = Depends(get_admin)):
    file = posted.form.get("file")
    if not isinstance(file, UploadFile) or not file.filename:
        return _rejected(request, "Chưa chọn tệp để tải lên.", 422)
    data = await file.read(admin.settings.admin_max_upload_bytes + 1)
    try:
        staged = await run_in_threadpool(admin.staging.add, data, file.filename, doc_id=posted.text("doc_id", 200),
                                         max_bytes=admin.settings.admin_max_upload_bytes)
    except UploadRejected as exc:
        admin.record(request, "upload", (file.filename or "")[:200], ok=False, reason=exc.message)
        return _rejected(request, exc.message, exc.status)
    admin.record(request, "upload", staged.doc_id, file=staged.original_name, size=staged.size, sha256=staged.sha256,
                 staging_id=staged.staging_id)
    return _to(request, "admin_preview", "uploaded", staging_id=staged.staging_id)


def _preview(request: Request, admin: AdminContext, staged: StagedPlan, error: str | None = None,
             status_code: int = 200) -> Response:
    """Parse the staged file as the index would and show its metadata, outline and chunks."""
    try:
        text = loaders.load_text(staged.path)
        override = staged.override()
        parsed = structure.parse_document(staged.doc_id, text, override)
        chunks = chunking.chunk_document(parsed, max_chars=admin.settings.chunk_max_chars)
        extracted = structure.parse_document(staged.doc_id, text, {}).meta if override else parsed.meta
    except DocumentError as exc:
        return _rejected(request, exc.message, 422)
    exists = [p.name for p in admin.corpus.files_of(staged.doc_id) if p.suffix != ".json"]
    return render(request, "admin/preview.html", {
        "staged": staged, "meta": parsed.meta, "extracted": extracted, "override": override, "labels": FIELD_LABELS,
        "fields": META_FIELDS, "tree": heading_tree(chunks), "chunks": chunks, "text_outline": outline.format_outline(parsed, chunks),
        "exists": exists, "error": error}, status_code=status_code)


@router.get("/staging/{staging_id}", name="admin_preview")
def preview(request: Request, staging_id: str, session: AdminSession = Depends(admin_session),
            admin: AdminContext = Depends(get_admin)):
    return _preview(request, admin, admin.staging.get(staging_id))


@router.post("/staging/{staging_id}/meta", name="admin_save_meta")
def save_meta(request: Request, staging_id: str, posted: AdminForm = Depends(admin_form),
              admin: AdminContext = Depends(get_admin)):
    staged = admin.staging.get(staging_id)
    fields: dict = {name: posted.text(name, 500) for name in META_FIELDS}
    starters = [line.strip() for line in posted.text("starter_questions", 5000).splitlines() if line.strip()]
    fields["starter_questions"] = [q[:300] for q in starters[:MAX_STARTERS]]
    try:
        admin.staging.save_meta(staged, fields)
    except UploadRejected as exc:
        admin.record(request, "edit_metadata", staged.doc_id, ok=False, reason=exc.message)
        return _preview(request, admin, staged, exc.message, 422)
    admin.record(request, "edit_metadata", staged.doc_id, fields=sorted(k for k, v in fields.items() if v))
    return _to(request, "admin_preview", "meta_saved", staging_id=staging_id)


@router.post("/staging/{staging_id}/publish", name="admin_publish")
def publish(request: Request, staging_id: str, posted: AdminForm = Depends(admin_form),
            admin: AdminContext = Depends(get_admin)):
    staged = admin.staging.get(staging_id)
    try:
        backup = admin.corpus.publish(staged, replace=posted.text("replace") == "1")
    except PlanExists as exc:
        admin.record(request, "publish", staged.doc_id, ok=False, reason="exists")
        return _preview(request, admin, staged, exc.message, exc.status)
    admin.record(request, "publish", staged.doc_id, file=staged.path.name, sha256=staged.sha256,
                 **({"replaced_into": str(backup)} if backup else {}))
    return _to(request, "admin_home", "published")


@router.post("/staging/{staging_id}/discard", name="admin_discard")
def discard(request: Request, staging_id: str, posted: AdminForm = Depends(admin_form),
            admin: AdminContext = Depends(get_admin)):
    staged = admin.staging.get(staging_id)
    admin.staging.discard(staged)
    admin.record(request, "discard_upload", staged.doc_id, staging_id=staging_id)
    return _to(request, "admin_home", "discarded")


@router.post("/plans/{doc_id}/remove", name="admin_remove")
def remove(request: Request, doc_id: str, posted: AdminForm = Depends(admin_form),
           admin: AdminContext = Depends(get_admin)):
    try:
        moved_to = admin.corpus.remove(doc_id)
    except UploadRejected as exc:
        admin.record(request, "remove", doc_id, ok=False, reason=exc.message)
        return _rejected(request, exc.message, exc.status)
    admin.record(request, "remove", doc_id, moved_to=str(moved_to))
    return _to(request, "admin_home", "removed")
