"""HTML pages rendered with jinja2: the chat page and the documents page."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse

from ..pipeline import Assistant
from .deps import get_assistant

router = APIRouter(include_in_schema=False)


@router.get("/", response_class=HTMLResponse)
def chat_page(request: Request, assistant: Assistant = Depends(get_assistant)):
    docs = sorted(assistant.bundle.documents.values(), key=lambda d: d.meta.province)
    return request.app.state.templates.TemplateResponse(request, "chat.html", {"documents": docs})
