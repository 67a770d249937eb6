"""Pydantic models of the HTTP API (only at the edge; the core speaks dataclasses)."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, Field


class Turn(BaseModel):
    question: str
    answer: str | None = None


class AskRequest(BaseModel):
    question: str = Field(..., description="The question, in Vietnamese (with or without diacritics).", examples=["Mục tiêu tỷ trọng kinh tế số của Đồng Nai đến năm 2025?"])
    history: list[Turn | str] = Field(default_factory=list, description="Previous turns, oldest first, for follow-up questions.")
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
