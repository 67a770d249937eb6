"""Routes for operators: `/readyz` (may traffic come here?) and `/metrics` (Prometheus text format).

`/healthz` (alive, with index facts) stays in routes_api; readiness is stricter: an index is loaded
and a retrieval on it returns clauses. A load balancer takes the process out of rotation on 503.
"""

from __future__ import annotations

import logging
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, Response
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest

from assistant.api.observability import index_version
from assistant.api.schemas import ErrorResponse

log = logging.getLogger(__name__)

router = APIRouter(tags=["health"])

# A question every plan of the domain answers something to: retrieval on it must return clauses.
PROBE_QUESTION = "kế hoạch chuyển đổi số"
NOT_READY = "Trợ lý chưa sẵn sàng: {reason}. Vui lòng thử lại sau."


def not_ready(reason: str) -> JSONResponse:
    return JSONResponse({"error": {"code": "not_ready", "message": NOT_READY.format(reason=reason)}}, status_code=503)


@router.get("/readyz", summary="Readiness: 200 when an index is loaded and retrieval on it answers",
            responses={200: {"description": "Ready, with the index version."},
                       503: {"model": ErrorResponse, "description": "Not ready (no index, or retrieval fails)."}})
def readyz(request: Request) -> Any:
    assistant = getattr(request.app.state, "assistant", None)
    bundle = getattr(assistant, "bundle", None)
    if bundle is None or not bundle.chunks:
        return not_ready("chưa nạp chỉ mục")
    try:
        hits = assistant.search(PROBE_QUESTION, k=1).hits
    except Exception:  # any failure means "not ready"; the log says which
        log.exception("readiness probe failed")
        return not_ready("tìm kiếm trên chỉ mục bị lỗi")
    if not hits:
        return not_ready("chỉ mục không trả về đoạn văn nào")
    return {"status": "ready", "index_version": index_version(bundle), "chunks": len(bundle.chunks)}


@router.get("/metrics", summary="Prometheus metrics of this process", response_class=Response,
            responses={200: {"content": {CONTENT_TYPE_LATEST.split(";")[0]: {"schema": {"type": "string"}}},
                             "description": "Metrics in the Prometheus text format."}})
def metrics(request: Request) -> Response:
    return Response(generate_latest(request.app.state.metrics.registry), media_type=CONTENT_TYPE_LATEST)
