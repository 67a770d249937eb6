"""Pydantic models of the HTTP API (only at the edge; the core speaks dataclasses)."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, BeforeValidator, Field

from assistant.vi.normalize import sanitize


def _clean(value: Any) -> Any:
    return sanitize(value) if isinstance(value, str) else value


# Text from clients, sanitised once at the edge (lone surrogates, NUL and control characters, NFC).
CleanText = Annotated[str, BeforeValidator(_clean)]


# Bounds on what one request may ask the assistant to read: follow-ups need a few turns, not hundreds.
MAX_HISTORY_TURNS = 20
MAX_TURN_CHARS = 2000
MAX_DOC_IDS = 100


class Turn(BaseModel):
    question: CleanText = Field(..., max_length=MAX_TURN_CHARS)
    answer: CleanText | None = Field(None, max_length=20 * MAX_TURN_CHARS)


class AskRequest(BaseModel):
    question: CleanText = Field(..., description="The question, in Vietnamese (with or without diacritics).", examples=["Mục tiêu tỷ trọng kinh tế số của Đồng Nai đến năm 2025?"])
    history: list[Turn | CleanText] = Field(default_factory=list, max_length=MAX_HISTORY_TURNS,
                                            description="Previous turns, oldest first, for follow-up questions.")
    doc_ids: list[str] | None = Field(None, max_length=MAX_DOC_IDS, description="Restrict the answer to these plans.")
    mode: Literal["bm25", "dense", "hybrid"] | None = Field(None, description="Retrieval mode (default: settings).")
    id: Any = Field(None, description="Echoed back in the answer.")

    def history_questions(self) -> list[str]:
        return [t if isinstance(t, str) else t.question for t in self.history]


class ErrorBody(BaseModel):
    code: str
    message: str


class ErrorResponse(BaseModel):
    error: ErrorBody


# Every error status a route can answer, for its OpenAPI `responses=`: the fuzz test holds each route
# to exactly these, always in the one error shape.
ERROR_DESCRIPTIONS = {
    400: "The question cannot be used (empty, too long) or the body cannot be read.",
    404: "No such plan.",
    413: "The request body is larger than the limit.",
    422: "A field is missing or invalid; the message names it.",
    429: "Too many requests from this client; see Retry-After.",
    503: "Busy (answer work bound and queue full; see Retry-After), or the index or model is unavailable.",
}


def error_responses(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """OpenAPI `responses=` entries for these error statuses, each with the error-shape model."""
    retry = {"Retry-After": {"description": "Seconds to wait before trying again (when the cause is passing).",
                             "schema": {"type": "integer", "minimum": 1}}}
    return {status: {"model": ErrorResponse, "description": ERROR_DESCRIPTIONS[status],
                     **({"headers": retry} if status in (429, 503) else {})} for status in statuses}
