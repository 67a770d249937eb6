"""JSON API: ask, search, documents, health. Same core calls as the CLI; only rendering differs."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from fastapi import APIRouter, Depends, Query, Request
from starlette.concurrency import run_in_threadpool

from assistant.errors import NotFound
from assistant.pipeline import Assistant
from assistant.records import answer_to_json, hit_to_json
from assistant.api.answer_cache import AnswerCache, answer_key, cacheable, personalised
from assistant.api.deps import get_assistant
from assistant.api.observability import count_answer
from assistant.api.schemas import AskRequest, CleanText, error_responses

router = APIRouter(prefix="/api", tags=["api"])


@router.post("/ask", summary="Answer a question with citations (answer object of CONTRACT.md)",
             responses=error_responses(400, 413, 422, 429, 503))
async def ask(body: AskRequest, request: Request, assistant: Assistant = Depends(get_assistant)) -> dict[str, Any]:
    # Async so that a cached answer costs no thread-pool hop; the work itself runs in the pool.
    cache: AnswerCache | None = getattr(request.app.state, "answer_cache", None)
    history = body.history_questions()
    key = answer_key(assistant.bundle, body.question, history, body.doc_ids, body.mode) if cache is not None else None
    cached = cache.get(key) if cache is not None else None
    if cached is not None:
        count_answer(request.app.state, cached["refused"], cached=True)
        return personalised(cached, body.question.strip(), body.id)

    def work() -> dict[str, Any]:
        answer = assistant.ask(body.question, history=history, doc_ids=set(body.doc_ids) if body.doc_ids else None,
                               mode=body.mode, id=body.id)
        return answer_to_json(answer)

    rendered = await run_in_threadpool(work)
    count_answer(request.app.state, rendered["refused"])
    if cache is not None:
        cache.put(key, cacheable(rendered))
    return rendered


@router.get("/search", summary="Retrieved clauses for a question", responses=error_responses(400, 422, 429, 503))
def search(q: CleanText = Query(..., description="Câu hỏi"), k: int = Query(10, ge=1, le=100),
           mode: str | None = Query(None, pattern="^(bm25|dense|hybrid)$"),
           assistant: Assistant = Depends(get_assistant)) -> dict[str, Any]:
    retrieval = assistant.search(q, k=k, mode=mode)
    return {"question": q, "contexts": [hit_to_json(h) for h in retrieval.hits]}


@router.get("/documents", summary="The plans the assistant knows, with their metadata", responses=error_responses(429))
def documents(assistant: Assistant = Depends(get_assistant)) -> dict[str, Any]:
    counts: dict[str, int] = {}
    for chunk in assistant.bundle.chunks:
        counts[chunk.doc_id] = counts.get(chunk.doc_id, 0) + 1
    return {"documents": [{**asdict(d.meta), "chunks": counts.get(doc_id, 0)}
                          for doc_id, d in sorted(assistant.bundle.documents.items())]}


@router.get("/documents/{doc_id}", summary="One plan: metadata, full text and its chunks (for the source view)",
            responses=error_responses(404, 422, 429))
def document(doc_id: str, assistant: Assistant = Depends(get_assistant)) -> dict[str, Any]:
    doc = assistant.bundle.documents.get(doc_id)
    if doc is None:
        raise NotFound(f"Không có văn bản '{doc_id}'.")
    chunks = [{"chunk_id": c.chunk_id, "section": c.section, "label": c.label, "start": c.start, "end": c.end, "kind": c.kind}
              for c in assistant.bundle.chunks if c.doc_id == doc_id]
    return {"meta": asdict(doc.meta), "text": doc.text, "chunks": chunks}


health_router = APIRouter(tags=["health"])


@health_router.get("/healthz", summary="Liveness and index facts")
def healthz(assistant: Assistant = Depends(get_assistant)) -> dict[str, Any]:
    m = assistant.bundle.manifest
    return {"status": "ok", "documents": len(assistant.bundle.documents), "chunks": len(assistant.bundle.chunks),
            "model": m.get("model"), "built_at": m.get("built_at"), "version": m.get("version")}
