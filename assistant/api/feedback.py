"""👍/👎 feedback on answers: `POST /api/feedback` validates and hands the row to the feedback store.

The store is SQLite at `settings.feedback_db`, or PostgreSQL when `settings.database_url` is set
(assistant/api/feedback_store.py). The browser sends a random `feedback_id` per answer: a later
comment on the same answer updates that row instead of adding a second vote, and a retried request
cannot count twice.
"""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from fastapi.responses import JSONResponse
from pydantic import ValidationError
from starlette.concurrency import run_in_threadpool

from assistant.errors import AssistantError
from assistant.settings import Settings
from assistant.api.deps import get_app_settings
from assistant.api.feedback_sqlite import SCHEMA, SQLiteFeedbackStore
from assistant.api.feedback_store import FeedbackIn, FeedbackStore, FeedbackStoreError, create_feedback_store
from assistant.api.schemas import error_responses

__all__ = ["SCHEMA", "FeedbackIn", "FeedbackStore", "SQLiteFeedbackStore", "get_feedback_store", "router"]

_FIELD_NAMES = {
    "question": "câu hỏi", "answer": "câu trả lời", "rating": "đánh giá", "comment": "góp ý",
    "citations": "trích dẫn", "feedback_id": "mã phản hồi", "refused": "refused", "page": "trang",
}


class InvalidFeedback(AssistantError, status=422, code="invalid_feedback"):
    """Feedback that breaks its schema (the message names the field)."""


class FeedbackUnavailable(AssistantError, status=503, code="feedback_unavailable"):
    """The feedback store cannot be reached."""


def get_feedback_store(request: Request, settings: Settings = Depends(get_app_settings)) -> FeedbackStore:
    """The app's store, made once per backend location (tests swap settings between requests)."""
    store = getattr(request.app.state, "feedback_store", None)
    wanted = settings.database_url.get_secret_value() if settings.database_url else str(settings.feedback_db)
    if store is None or getattr(request.app.state, "feedback_store_key", None) != wanted:
        store = request.app.state.feedback_store = create_feedback_store(settings)
        request.app.state.feedback_store_key = wanted
    return store


def _validation_message(exc: ValidationError) -> str:
    fields = []
    for err in exc.errors():
        name = str(err.get("loc", ("body",))[0])
        label = _FIELD_NAMES.get(name, name)
        if label not in fields:
            fields.append(label)
    return (f"Phản hồi không hợp lệ ({', '.join(fields)}): cần 'question', 'answer' và 'rating' là "
            f"\"up\" hoặc \"down\"; góp ý tối đa 2000 ký tự.")


router = APIRouter(prefix="/api", tags=["api"])


@router.post("/feedback", status_code=201, summary="Store a 👍/👎 rating (and optional comment) of an answer",
             response_model=None, responses=error_responses(413, 422, 429, 503),
             openapi_extra={"requestBody": {"required": True,
                                            "content": {"application/json": {"schema": FeedbackIn.model_json_schema()}}}})
async def post_feedback(request: Request, store: FeedbackStore = Depends(get_feedback_store)) -> JSONResponse:
    try:
        payload = await request.json()
    except ValueError:
        raise InvalidFeedback("Phản hồi không hợp lệ: nội dung gửi lên không phải JSON.") from None
    if not isinstance(payload, dict):
        raise InvalidFeedback("Phản hồi không hợp lệ: cần một đối tượng JSON.")
    try:
        item = FeedbackIn.model_validate(payload)
    except ValidationError as exc:
        raise InvalidFeedback(_validation_message(exc)) from None
    try:
        stored = await run_in_threadpool(store.add, item)
    except FeedbackStoreError as exc:
        raise FeedbackUnavailable(f"Chưa lưu được phản hồi ({exc}); vui lòng thử lại sau.") from exc
    return JSONResponse(stored, status_code=201)
