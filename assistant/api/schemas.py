"""Pydantic models of the HTTP API (only at the edge; the core speaks dataclasses)."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, BeforeValidator, Field

from assistant.vi.normalize import sanitize


def _clean(value: Any) -> Any:
    return sanitize(value) if isinstance(value, str) else value


# Text from clients, sanitised once at the edge (lone surrogates, NUL and control characters, NFC).
CleanText = Annotated[str, BeforeValidator(_clean)]


class Turn(BaseModel):
    question: CleanText
    answer: CleanText | None = None


class AskRequest(BaseModel):
    question: CleanText = Field(..., description="The question, in Vietnamese (with or without diacritics).", examples=["Mục tiêu tỷ trọng kinh tế số của Đồng Nai đến năm 2025?"])
    history: list[Turn | CleanText] = Field(default_factory=list, description="Previous turns, oldest first, for follow-up questions.")
    doc_ids: list[str] | None = Field(None, description="Restrict the answer to these plans.")
    mode: Literal["bm25", "dense", "hybrid"] | None = Field(None, description="Retrieval mode (default: settings).")
    id: Any = Field(None, description="Echoed back in the answer.")

    def history_questions(self) -> list[str]:
        return [t if isinstance(t, str) else t.question for t in self.history]


class ErrorBody(BaseModel):
    code: str
    message: str


class ErrorResponse(BaseModel):
    error: ErrorBody
