"""Errors that carry a message a user can act on.

The CLI turns them into `click.ClickException`; the API has one handler that renders them as
`{"error": {"code": ..., "message": ...}}`. Messages are Vietnamese because end users read them.
"""

from __future__ import annotations


class AssistantError(Exception):
    """Base class: `message` is shown to the user as is; `status` is the HTTP status for the API."""

    status: int = 500
    code: str = "internal_error"

    def __init_subclass__(cls, *, status: int | None = None, code: str | None = None, **kwargs) -> None:
        """`class NotFound(AssistantError, status=404, code="not_found")`: one line per kind of error."""
        super().__init_subclass__(**kwargs)
        if status is not None:
            cls.status = status
        if code is not None:
            cls.code = code

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class DocumentError(AssistantError, status=422, code="document_error"):
    """A corpus file could not be read or parsed."""


class IndexError_(AssistantError, status=503, code="index_error"):
    """The index is missing, stale or broken and could not be (re)built."""


class BadQuestion(AssistantError, status=400, code="bad_question"):
    """The question is empty, too long or otherwise unusable."""


class ModelError(AssistantError, status=503, code="model_error"):
    """An embedding, reranking or generative model could not be loaded or run."""


class NotFound(AssistantError, status=404, code="not_found"):
    """A plan, page or route that does not exist."""


class MissingDependency(AssistantError, status=501, code="missing_dependency"):
    """An optional feature needs a package that is not installed; the message names it."""
