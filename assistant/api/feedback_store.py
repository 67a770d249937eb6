"""Where 👍/👎 feedback is kept: one small protocol, two backends (SQLite, PostgreSQL), one factory.

SQLite (`settings.feedback_db`) is the embedded default; `settings.database_url` moves feedback to
PostgreSQL so several servers can share it. Both behave the same — add (a known `feedback_id`
updates its row), list with filters newest first, export as CSV — and the same test suite runs on both.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone
from typing import Any, Literal, Protocol

from pydantic import BaseModel, ConfigDict, Field

from assistant.settings import Settings

# The columns every backend returns, in export order.
COLUMNS = ("id", "feedback_id", "created_at", "updated_at", "rating", "question", "answer", "comment",
           "citations", "refused", "page")


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


class FeedbackStoreError(Exception):
    """The backend could not be reached or refused the statement; the text is the driver's own."""


@dataclass(frozen=True)
class FeedbackQuery:
    """Filters of the feedback review; None means "any". Dates are whole UTC days, both inclusive."""

    rating: Literal["up", "down"] | None = None
    date_from: date | None = None
    date_to: date | None = None
    doc_id: str | None = None  # rows citing this plan
    limit: int = 500

    def since(self) -> datetime | None:
        return datetime.combine(self.date_from, time.min, timezone.utc) if self.date_from else None

    def before(self) -> datetime | None:
        """The first instant after `date_to` (exclusive upper bound)."""
        return datetime.combine(self.date_to + timedelta(days=1), time.min, timezone.utc) if self.date_to else None


class FeedbackStore(Protocol):
    """What the API and the admin area need of a feedback backend."""

    def add(self, item: FeedbackIn) -> dict[str, Any]:
        """Insert, or update the row of a known `feedback_id`, and commit; returns id, rating, stored_at."""
        ...

    def list(self, query: FeedbackQuery) -> list[dict[str, Any]]:
        """Rows matching the query, newest first, as dicts with COLUMNS (citations a list, refused bool|None)."""
        ...

    def all(self) -> list[dict[str, Any]]:
        """Every row, oldest first."""
        ...

    @property
    def location(self) -> str:
        """Where the rows are (a file path or a database URL without its password), for caching and messages."""
        ...


def now_utc() -> datetime:
    return datetime.now(timezone.utc).replace(microsecond=0)


def iso(moment: datetime) -> str:
    """One timestamp format for both backends: UTC, seconds, "+00:00"."""
    return moment.astimezone(timezone.utc).isoformat(timespec="seconds")


def create_feedback_store(settings: Settings) -> FeedbackStore:
    """PostgreSQL when `database_url` is set, else the SQLite file `feedback_db`."""
    if settings.database_url:
        from assistant.api.feedback_postgres import PostgresFeedbackStore

        return PostgresFeedbackStore(settings.database_url.get_secret_value())
    from assistant.api.feedback_sqlite import SQLiteFeedbackStore

    return SQLiteFeedbackStore(settings.feedback_db)


def _cell(value: Any) -> str:
    """A CSV cell a spreadsheet will not run: text starting with = + - @ gets a leading apostrophe."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    text = str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def to_csv(rows: list[dict[str, Any]]) -> str:
    """Rows as CSV with a BOM (Excel then reads the Vietnamese as UTF-8); citations as "doc_id: label" lines."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    for row in rows:
        cites = "\n".join(f"{c.get('doc_id', '')}: {c.get('label', '')}".strip(": ") for c in row.get("citations") or [])
        writer.writerow([_cell(cites if name == "citations" else row.get(name)) for name in COLUMNS])
    return "\ufeff" + out.getvalue()
