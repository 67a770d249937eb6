"""Follow-up questions: "Còn năm 2030 thì sao?", "Ai chịu trách nhiệm việc đó?" become standalone
questions that inherit the province, years, document and topic of the conversation so far."""

from __future__ import annotations

from collections.abc import Callable

from .query import QueryInfo, merge_followup


def resolve(question: str, history: list[str] | None, understand: Callable[[str], QueryInfo]) -> QueryInfo:
    """What `question` asks given the user's earlier questions (oldest first).

    Each earlier question is itself resolved against the ones before it, so a chain of follow-ups
    ("… Đồng Nai 2025?" → "Còn 2030?" → "Ai chủ trì việc đó?") keeps the province and topic.
    `info.text` is the standalone question to retrieve with.
    """
    current = understand(question)
    if not history:
        return current
    context: QueryInfo | None = None
    for earlier in history:
        info = understand(earlier)
        context = info if context is None else merge_followup(info, context)
    assert context is not None
    return merge_followup(current, context)
