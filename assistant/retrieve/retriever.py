"""Find the clause: filter by what the question names, rank with BM25 and embeddings, fuse.

The five plans share most of their wording (they all implement the same national strategy), so the
typical miss is the right clause of the wrong province. Query understanding therefore restricts the
search to the plans of the province(s) or document number a question names before ranking.
"""

from __future__ import annotations

import functools
import re
import time
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

from assistant.indexing.embeddings import default_dense_weight
from assistant.retrieve.fusion import reciprocal_rank_fusion
from assistant.indexing.build import IndexBundle
from assistant.retrieve.analysis import QueryInfo, understand, without_places
from assistant.retrieve.plan_fields import meta_fields
from assistant.retrieve.plan_naming import plan_words_of, without_plan_reference
from assistant.records import Hit
from assistant.indexing.sparse import top_k

MODES = ("bm25", "dense", "hybrid")


@dataclass
class Retrieval:
    """The hits for one question, with what was understood and how long it took."""

    hits: list[Hit]
    info: QueryInfo
    doc_filter: set[str] | None
    timings_ms: dict[str, float] = field(default_factory=dict)


def _digits(number: str) -> str:
    match = re.search(r"\d+", number or "")
    return match.group(0) if match else ""


class HybridRetriever:
    def __init__(self, bundle: IndexBundle, settings, embedder_provider: Callable[[], object] | None = None) -> None:
        self.bundle = bundle
        self.settings = settings
        self._embedder_provider = embedder_provider
        self._embedder = None
        self._reranker = None
        # Canonical province name -> doc ids, canonicalised by the same query parser users go through.
        self.province_docs: dict[str, set[str]] = {}
        for doc_id, doc in bundle.documents.items():
            names = understand(doc.meta.province).provinces if doc.meta.province else []
            for name in names[:1] or [doc.meta.province]:
                self.province_docs.setdefault(name, set()).add(doc_id)
        # Header/signature chunks repeat the plan's title, province and year, which questions name as
        # context; they should win only when the question is about the document itself.
        self._is_header = np.fromiter((c.kind in ("header", "signature") for c in bundle.chunks), dtype=bool,
                                      count=len(bundle.chunks))
        self.dense_weight = settings.dense_weight if settings.dense_weight is not None else default_dense_weight(settings.embedding_model)
        self.number_docs: dict[str, set[str]] = {}
        for doc_id, doc in bundle.documents.items():
            if _digits(doc.meta.number):
                self.number_docs.setdefault(_digits(doc.meta.number), set()).add(doc_id)

    @functools.cached_property
    def plan_words(self) -> frozenset[str]:
        """Syllables of the plans' titles (and their abbreviations), to tell a plan's name in a question."""
        return plan_words_of([d.meta.title for d in self.bundle.documents.values() if d.meta.title])

    @property
    def known_provinces(self) -> list[str]:
        return sorted(self.province_docs)

    def uses_dense(self, mode: str | None = None) -> bool:
        """Whether questions in this mode run the dense channel (and so need the embedding model)."""
        mode = mode or self.settings.retrieval_mode
        return mode == "dense" or (mode == "hybrid" and self.dense_weight > 0)

    def embedder(self):
        if self._embedder is None:
            if self._embedder_provider is None:
                raise RuntimeError("dense retrieval needs an embedder")
            self._embedder = self._embedder_provider()
        return self._embedder

    def understand(self, question: str) -> QueryInfo:
        return understand(question, self.known_provinces)

    def document_filter(self, info: QueryInfo, doc_ids: set[str] | None = None) -> set[str] | None:
        """Plans the question is about: those of named provinces or numbers, within an explicit filter."""
        scope: set[str] | None = set(doc_ids) if doc_ids else None
        named: set[str] = set()
        if self.settings.filter_by_province:
            for province in info.provinces:
                named |= self.province_docs.get(province, set())
            for number in info.doc_numbers:
                named |= self.number_docs.get(_digits(number), set())
        if named:
            scope = named if scope is None else (scope & named) or scope
        return scope

    def retrieve(self, question: str, *, k: int | None = None, mode: str | None = None,
                 doc_ids: set[str] | None = None, info: QueryInfo | None = None) -> Retrieval:
        k = k or self.settings.top_k
        mode = mode or self.settings.retrieval_mode
        if mode not in MODES:
            raise ValueError(f"unknown retrieval mode {mode!r}; choose one of {', '.join(MODES)}")
        timings: dict[str, float] = {}
        started = time.perf_counter()
        info = info or self.understand(question)
        scope = self.document_filter(info, doc_ids)
        mask = self.bundle.doc_mask(scope)
        allowed_ids = np.flatnonzero(mask) if mask is not None else None
        timings["understand"] = (time.perf_counter() - started) * 1000
        n = max(self.settings.candidates, k)

        rankings: dict[str, list[int]] = {}
        if mode in ("bm25", "hybrid"):
            t = time.perf_counter()
            found = self._sparse_search(question, info, scope, n, mask)
            rankings["bm25"] = [i for i, _ in found]
            timings["bm25"] = (time.perf_counter() - t) * 1000
        if self.uses_dense(mode):
            t = time.perf_counter()
            vector = self.embedder().encode_queries([question])[0]
            found = self.bundle.dense.search(vector, n, allowed_ids)
            rankings["dense"] = [i for i, _ in found]
            timings["dense"] = (time.perf_counter() - t) * 1000

        weights = {"bm25": self.settings.bm25_weight, "dense": self.dense_weight}
        if mode != "hybrid":
            weights = {mode: 1.0}
        fused = reciprocal_rank_fusion(rankings, weights, k=self.settings.rrf_k)
        hits = [Hit(self.bundle.chunks[i], score, ranks) for i, score, ranks in fused]
        if self.settings.reranker_model and hits:
            t = time.perf_counter()
            hits = self._rerank(question, hits)
            timings["rerank"] = (time.perf_counter() - t) * 1000
        hits = self._pad(hits, k, mask)[:k]
        timings["total"] = (time.perf_counter() - started) * 1000
        return Retrieval(hits=hits, info=info, doc_filter=scope, timings_ms=timings)

    def _sparse_search(self, question: str, info: QueryInfo, scope: set[str] | None, n: int,
                       mask: np.ndarray | None) -> list[tuple[int, float]]:
        """BM25 over the question minus the province names that already chose the plans to search, and
        minus the words naming the plan ("theo kế hoạch CĐS 2023-2025") unless the plan itself is asked
        about: within the chosen plans they match its title, header and preamble, not the clause."""
        query = question
        if scope is not None and info.provinces:
            stripped = without_places(info)
            if info.wants != "meta" and not meta_fields(info):  # "theo KH CĐS 2023-2025": which plan, not what
                stripped = without_plan_reference(stripped, self.plan_words)
            if stripped.strip():
                query = stripped
        scores = self.bundle.sparse.scores(query, bridge_weight=self.settings.bridge_weight, mask=mask)
        if not scores.any() and query != question:
            scores = self.bundle.sparse.scores(question, mask=mask)
        # Header/signature chunks are down-weighted unless the question is about the plan itself.
        if not meta_fields(info) and info.wants != "meta" and self.settings.header_weight != 1.0:
            scores = np.where(self._is_header, scores * self.settings.header_weight, scores)
        if mask is not None:
            scores = np.where(mask, scores, 0.0)
        return top_k(scores, n)

    def _pad(self, hits: list[Hit], k: int, mask: np.ndarray | None) -> list[Hit]:
        """Top up to k contexts (the contract promises 10 when the corpus has them) in document order."""
        if len(hits) >= k:
            return hits
        seen = {h.chunk.chunk_id for h in hits}
        for position, chunk in enumerate(self.bundle.chunks):
            if len(hits) >= k:
                break
            if chunk.chunk_id not in seen and (mask is None or mask[position]):
                hits.append(Hit(chunk, 0.0, {}))
        return hits

    def _rerank(self, question: str, hits: list[Hit]) -> list[Hit]:
        """Rescore the fused head with a cross-encoder; the tail keeps its fused order."""
        from assistant.retrieve.rerank import load_reranker

        if self._reranker is None:
            self._reranker = load_reranker(self.settings.reranker_model, self.settings.embedding_device)
        head, tail = hits[: self.settings.rerank_top], hits[self.settings.rerank_top:]
        scores = self._reranker.predict([(question, h.chunk.text) for h in head])
        order = sorted(range(len(head)), key=lambda i: -float(scores[i]))
        reranked = [Hit(head[i].chunk, float(scores[i]), {**head[i].ranks, "rerank": r + 1}) for r, i in enumerate(order)]
        return reranked + tail


