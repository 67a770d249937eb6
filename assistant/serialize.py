"""The JSON shapes of shared/CONTRACT.md, in one place for the CLI, the API and the evaluator."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from .records import Answer, Hit


def hit_to_json(hit: Hit) -> dict[str, Any]:
    chunk = hit.chunk
    return {
        "doc_id": chunk.doc_id, "section": chunk.section, "text": chunk.text, "score": round(float(hit.score), 6),
        "chunk_id": chunk.chunk_id, "label": chunk.label, "start": chunk.start, "end": chunk.end, "ranks": hit.ranks,
    }


def answer_to_json(answer: Answer) -> dict[str, Any]:
    data: dict[str, Any] = {}
    if answer.id is not None:
        data["id"] = answer.id
    data.update({
        "question": answer.question,
        "answer": answer.answer,
        "refused": answer.refused,
        "citations": [asdict(c) for c in answer.citations],
        "contexts": [hit_to_json(h) for h in answer.contexts],
        "timings_ms": {k: round(v, 2) for k, v in answer.timings_ms.items()},
    })
    return data
