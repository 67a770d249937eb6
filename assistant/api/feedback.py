"""👍/👎 feedback on answers, kept in SQLite at `settings.feedback_db`.

Each write is its own committed transaction (WAL journal, busy timeout), so concurrent requests from
several workers queue instead of failing, and a 201 means the row is on disk. The browser sends a
random `feedback_id` per answer: a later comment on the same answer updates that row instead of
adding a second vote, and a retried request cannot count twice.
"""

from __future__ import annotations

import json
import sqlite3
import threading
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Literal

from fastapi import APIRouter, Depends, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, Field, ValidationError
from starlette.concurrency import run_in_threadpool

from assistant.errors import AssistantError
from assistant.settings import Settings
from assistant.api.deps import get_app_settings
from assistant.api.schemas import error_responses

SCHEMA = """
CREATE TABLE IF NOT EXISTS feedback (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    feedback_id TEXT UNIQUE,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    rating TEXT NOT NULL CHECK (rating IN ('up', 'down')),
    question TEXT NOT NULL,
    answer TEXT NOT NULL,
    comment TEXT,
    citations TEXT NOT NULL DEFAULT '[]',
    refused INTEGER,
    page TEXT
)
"""

_FIELD_NAMES = {
    "question": "câu hỏi", "answer": "câu trả lời", "rating": "đánh giá", "comment": "góp ý",
    "citations": "trích dẫn", "feedback_id": "mã phản hồi", "refused": "refused", "page": "trang",
}


class InvalidFeedback(AssistantError, status=422, code="invalid_feedback"):
    """Feedback that breaks its schema (the message names the field)."""


class FeedbackUnavailable(AssistantError, status=503, code="feedback_unavailable"):
    """The feedback store cannot be reached."""


class FeedbackIn(BaseModel):
    """What the chat page sends when a reader rates an answer."""

    model_config = ConfigDict(extra="ignore", str_strip_whitespace=True)

    question: str = Field(..., min_length=1, max_length=5000, description="The question that was asked.")
    answer: str = Field(..., max_length=20000, description="The answer text that was rated.")
    rating: Literal["up", "down"] = Field(..., description="'up' (hữu ích) or 'down' (chưa tốt).")
    comment: str | None = Field(None, max_length=2000, description="Optional free-text comment.")
    citations: list[dict[str, Any]] | None = Field(None, max_length=20, description="The answer's citations, as shown.")
    feedback_id: str | None = Field(None, pattern=r"^[A-Za-z0-9_-]{8,64}$",
                                    description="Client-chosen id per answer: resending it updates the same row.")
    refused: bool | None = Field(None, description="Whether the rated answer was a refusal.")
    page: str | None = Field(None, max_length=500, description="Where the reader was (chat page or widget).")


class FeedbackStore:
    """A small SQLite table; one connection per call so it is safe from any thread or process."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self._ready = False
        self._lock = threading.Lock()

    def _connect(self) -> sqlite3.Connection:
        conn = sqlite3.connect(self.path, timeout=30, isolation_level=None)
        conn.execute("PRAGMA busy_timeout = 30000")
        return conn

    def _ensure(self) -> None:
        if self._ready:
            return
        with self._lock:
            if self._ready:
                return
            self.path.parent.mkdir(parents=True, exist_ok=True)
            conn = self._connect()
            try:
                conn.execute("PRAGMA journal_mode = WAL")
                conn.execute(SCHEMA)
            finally:
                conn.close()
            self._ready = True

    def add(self, item: FeedbackIn) -> dict[str, Any]:
        """Insert (or update, for a known feedback_id) and commit; returns the stored row."""
        self._ensure()
        now = datetime.now(timezone.utc).isoformat(timespec="seconds")
        values = {
            "feedback_id": item.feedback_id, "created_at": now, "updated_at": now, "rating": item.rating,
            "question": item.question, "answer": item.answer, "comment": item.comment or None,
            "citations": json.dumps(item.citations or [], ensure_ascii=False),
            "refused": None if item.refused is None else int(item.refused), "page": item.page,
        }
        conn = self._connect()
        try:
            conn.execute("BEGIN IMMEDIATE")
            cursor = conn.execute(
                """INSERT INTO feedback (feedback_id, created_at, updated_at, rating, question, answer, comment,
                                         citations, refused, page)
                   VALUES (:feedback_id, :created_at, :updated_at, :rating, :question, :answer, :comment,
                           :citations, :refused, :page)
                   ON CONFLICT(feedback_id) DO UPDATE SET
                       updated_at = excluded.updated_at, rating = excluded.rating,
                       comment = COALESCE(excluded.comment, feedback.comment),
                       question = excluded.question, answer = excluded.answer, citations = excluded.citations,
                       refused = excluded.refused, page = COALESCE(excluded.page, feedback.page)""",
                values)
            if item.feedback_id is None:
                row_id = cursor.lastrowid
            else:
                row_id = conn.execute("SELECT id FROM feedback WHERE feedback_id = ?", (item.feedback_id,)).fetchone()[0]
            conn.execute("COMMIT")
        except BaseException:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise
        finally:
            conn.close()
        return {"id": row_id, "feedback_id": item.feedback_id, "rating": item.rating, "stored_at": now}

    def all(self) -> list[dict[str, Any]]:
        """Every row, oldest first (for exports and tests)."""
        self._ensure()
        conn = self._connect()
        conn.row_factory = sqlite3.Row
        try:
            rows = conn.execute("SELECT * FROM feedback ORDER BY id").fetchall()
        finally:
            conn.close()
        return [{**dict(r), "citations": json.loads(r["citations"] or "[]")} for r in rows]


def get_feedback_store(request: Request, settings: Settings = Depends(get_app_settings)) -> FeedbackStore:
    store = getattr(request.app.state, "feedback_store", None)
    if store is None or store.path != Path(settings.feedback_db):
        store = request.app.state.feedback_store = FeedbackStore(settings.feedback_db)
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
    except sqlite3.Error as exc:
        raise FeedbackUnavailable(f"Chưa lưu được phản hồi ({exc}); vui lòng thử lại sau.") from exc
    return JSONResponse(stored, status_code=201)
