"""HTML pages rendered with jinja2 (autoescaped): chat, embeddable chat, documents, source view, widget.

They read the same assistant the JSON API does; only the rendering differs. Nothing a user or a
document supplies is ever marked safe: document text goes through the template as plain strings.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from itertools import zip_longest
from pathlib import Path
from typing import Any

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import FileResponse, HTMLResponse

from assistant.pipeline import Assistant
from assistant.records import Chunk, DocumentMeta
from assistant.settings import Settings
from assistant.api.deps import get_app_settings, get_assistant

router = APIRouter(include_in_schema=False)

QUOTE_ANCHOR = "trich-dan"
MAX_STARTERS = 4  # chips above the question box: a row or two, not a wall of text on a phone


def _templates(request: Request):
    return request.app.state.templates


def format_date(value: str) -> str:
    """ISO "2022-09-09" → "09/09/2022"; a bare year or anything else stays as written."""
    parts = (value or "").split("-")
    if len(parts) == 3 and all(p.isdigit() for p in parts):
        return f"{parts[2]}/{parts[1]}/{parts[0]}"
    return value or ""


def doc_label(meta: DocumentMeta) -> str:
    return meta.short_label or meta.number or meta.doc_id


def starter_questions(metas: Iterable[DocumentMeta], limit: int = MAX_STARTERS) -> list[str]:
    """The chips of the chat page, taken from each plan's metadata (its meta.json list, or a derived one).

    Newest plans first, one question per plan before any plan's second, so the few chips shown
    span as many plans as possible and a newly added plan is among them.
    """
    newest = sorted(metas, key=lambda m: (m.date, m.doc_id), reverse=True)
    rounds = zip_longest(*(m.starter_questions for m in newest))
    out: list[str] = []
    for question in (q for round_ in rounds for q in round_ if q):
        if question not in out:
            out.append(question)
    return out[:limit]


def _chat_context(assistant: Assistant) -> dict[str, Any]:
    docs = sorted(assistant.bundle.documents.values(), key=lambda d: (d.meta.province, d.meta.date))
    return {"documents": docs, "starters": starter_questions(d.meta for d in docs),
            "doc_label": doc_label, "max_chars": assistant.settings.max_question_chars}


@router.get("/", response_class=HTMLResponse)
def chat_page(request: Request, assistant: Assistant = Depends(get_assistant)):
    return _templates(request).TemplateResponse(request, "chat.html", _chat_context(assistant))


@router.get("/embed", response_class=HTMLResponse)
def embed_page(request: Request, title: str = Query("Trợ lý ảo", max_length=200),
               assistant: Assistant = Depends(get_assistant)):
    """The compact chat the widget's iframe shows; frameable by `settings.allowed_origins`."""
    context = {**_chat_context(assistant), "title": title.strip()[:60] or "Trợ lý ảo"}
    return _templates(request).TemplateResponse(request, "embed.html", context)


@router.get("/widget.js")
def widget_script(settings: Settings = Depends(get_app_settings)):
    return FileResponse(Path(settings.web_dir) / "static" / "widget.js", media_type="application/javascript; charset=utf-8",
                        headers={"Cache-Control": "public, max-age=300"})


@router.get("/widget", response_class=HTMLResponse)
def widget_guide(request: Request):
    """How to embed the widget, with the one line to copy and a live preview."""
    script_url = str(request.url_for("widget_script"))
    return _templates(request).TemplateResponse(request, "widget.html", {"script_url": script_url})


@router.get("/documents", response_class=HTMLResponse)
def documents_page(request: Request, assistant: Assistant = Depends(get_assistant)):
    counts: dict[str, int] = {}
    for chunk in assistant.bundle.chunks:
        counts[chunk.doc_id] = counts.get(chunk.doc_id, 0) + 1
    docs = sorted(assistant.bundle.documents.values(), key=lambda d: (d.meta.province, d.meta.date))
    return _templates(request).TemplateResponse(request, "documents.html", {
        "documents": docs, "counts": counts, "format_date": format_date, "doc_label": doc_label})


# --- the source view -----------------------------------------------------------------------------

def chunk_anchor(chunk_id: str) -> str:
    return "c-" + chunk_id.rsplit("#", 1)[-1]


@dataclass
class OutlineNode:
    heading: str
    anchor: str
    children: list["OutlineNode"] = field(default_factory=list)


def outline(chunks: list[Chunk]) -> list[OutlineNode]:
    """The plan's headings in reading order, each pointing at its first chunk."""
    roots: list[OutlineNode] = []
    seen: dict[tuple[str, ...], OutlineNode] = {}
    for chunk in sorted(chunks, key=lambda c: c.start):
        for depth in range(len(chunk.heading_path)):
            path = tuple(chunk.heading_path[:depth + 1])
            if path in seen or not path[-1].strip():
                continue
            node = seen[path] = OutlineNode(path[-1], chunk_anchor(chunk.chunk_id))
            parent = seen.get(path[:-1])
            (parent.children if parent else roots).append(node)
    return roots


def _valid_span(start: int | None, end: int | None, length: int) -> tuple[int, int] | None:
    if start is None or end is None or not (0 <= start < end <= length):
        return None
    return start, end


def text_events(text: str, chunks: list[Chunk], quote: tuple[int, int] | None,
                clause: tuple[int, int] | None) -> list[tuple[str, str]]:
    """The document text cut into ("text", s) runs with anchors and highlight open/close markers.

    The template turns markers into tags and autoescapes every text run. The clause span is widened
    to contain the quote so the `<mark>` always nests inside it.
    """
    if quote and clause:
        clause = (min(clause[0], quote[0]), max(clause[1], quote[1]))
    at: dict[int, list[tuple[int, str, str]]] = {}  # position -> (order, kind, value)

    def put(pos: int, order: int, kind: str, value: str = "") -> None:
        at.setdefault(pos, []).append((order, kind, value))

    for chunk in chunks:
        if 0 <= chunk.start <= len(text):
            put(chunk.start, 2, "anchor", chunk_anchor(chunk.chunk_id))
    if clause:
        put(clause[1], 1, "close_clause")
        put(clause[0], 3, "open_clause", "" if quote else QUOTE_ANCHOR)
    if quote:
        put(quote[1], 0, "close_mark")
        put(quote[0], 4, "open_mark", QUOTE_ANCHOR)
    events: list[tuple[str, str]] = []
    cursor = 0
    for pos in sorted(at):
        if pos > cursor:
            events.append(("text", text[cursor:pos]))
            cursor = pos
        seen_anchor = set()
        for _, kind, value in sorted(at[pos]):
            if kind == "anchor":
                if value in seen_anchor:
                    continue
                seen_anchor.add(value)
            events.append((kind, value))
    if cursor < len(text):
        events.append(("text", text[cursor:]))
    return events


@router.get("/documents/{doc_id}", response_class=HTMLResponse)
def document_page(request: Request, doc_id: str, start: int | None = Query(None), end: int | None = Query(None),
                  chunk: str | None = Query(None, max_length=300), assistant: Assistant = Depends(get_assistant)):
    """One plan: metadata, outline and full text; `start`/`end` highlight a quote, `chunk` its clause."""
    doc = assistant.bundle.documents.get(doc_id)
    if doc is None:
        return _templates(request).TemplateResponse(
            request, "not_found.html", {"message": f"Không có văn bản “{doc_id}”."}, status_code=404)
    chunks = sorted((c for c in assistant.bundle.chunks if c.doc_id == doc_id), key=lambda c: c.start)
    quote = _valid_span(start, end, len(doc.text))
    cited = next((c for c in chunks if c.chunk_id == chunk), None)
    clause = _valid_span(cited.start, cited.end, len(doc.text)) if cited else None
    return _templates(request).TemplateResponse(request, "document.html", {
        "doc": doc, "meta": doc.meta, "outline": outline(chunks), "events": text_events(doc.text, chunks, quote, clause),
        "highlighted": bool(quote or clause), "cited": cited, "quote_text": doc.text[quote[0]:quote[1]] if quote else "",
        "format_date": format_date, "doc_label": doc_label, "chunk_count": len(chunks)})
