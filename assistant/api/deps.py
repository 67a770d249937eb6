"""Dependencies routes receive: the settings and the opened assistant (overridable in tests)."""

from __future__ import annotations

from fastapi import Request

from assistant.pipeline import Assistant
from assistant.settings import Settings


def get_app_settings(request: Request) -> Settings:
    return request.app.state.settings


def get_assistant(request: Request) -> Assistant:
    return request.app.state.assistant
