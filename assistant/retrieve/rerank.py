"""Optional cross-encoder reranking (off by default: no cross-encoder ships offline)."""

from __future__ import annotations

from functools import lru_cache

from assistant.indexing.embeddings import resolve_model_path
from assistant.errors import ModelError


@lru_cache(maxsize=2)
def load_reranker(model_name: str, device: str = "cpu"):
    """Load a sentence-transformers CrossEncoder once per process, from a local path or package."""
    import os

    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    try:
        from sentence_transformers import CrossEncoder

        return CrossEncoder(resolve_model_path(model_name), device=device)
    except Exception as exc:
        raise ModelError(f"Không tải được mô hình xếp hạng lại '{model_name}' (offline): {exc}") from exc
