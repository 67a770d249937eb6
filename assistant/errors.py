"""Errors that carry a message a user can act on.

The CLI turns them into `click.ClickException`; the API has one handler that renders them as
`{"error": {"code": ..., "message": ...}}`. Messages are Vietnamese because end users read them.
"""

from __future__ import annotations


class AssistantError(Exception):
    """Base class: `message` is shown to the user as is; `status` is the HTTP status for the API."""

    status: int = 500
    code: str = "internal_error"

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class DocumentError(AssistantError):
    """A corpus file could not be read or parsed."""

    status = 422
    code = "document_error"


class IndexError_(AssistantError):
    """The index is missing, stale or broken and could not be (re)built."""

    status = 503
    code = "index_error"


class BadQuestion(AssistantError):
    """The question is empty, too long or otherwise unusable."""

    status = 400
    code = "bad_question"


class ModelError(AssistantError):
    """An embedding, reranking or generative model could not be loaded or run."""

    status = 503
    code = "model_error"


class NotFound(AssistantError):
    status = 404
    code = "not_found"


class MissingDependency(AssistantError):
    """An optional feature needs a package that is not installed; the message names it."""

    status = 501
    code = "missing_dependency"
