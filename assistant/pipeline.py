"""The assistant as one object: index → retrieve → answer, shared by the CLI, the API and the evaluator.

Opening it loads (or builds) the index and the embedding model once; every question after that
only pays for retrieval and answering.
"""

from __future__ import annotations

import time
from typing import Any

from assistant.answer.extractive import ExtractiveAnswerer
from assistant.answer.cross_plan import answer_cross, is_cross
from assistant.indexing.embeddings import create_embedder
from assistant.errors import BadQuestion
from assistant.retrieve.followup import resolve
from assistant.indexing.build import IndexBundle, ensure_index
from assistant.records import Answer
from assistant.retrieve.retriever import HybridRetriever, Retrieval
from assistant.settings import Settings
from assistant.vi.spelling import Speller


class Assistant:
    def __init__(self, settings: Settings, bundle: IndexBundle, embedder=None) -> None:
        self.settings = settings
        self.bundle = bundle
        self._embedder = embedder
        self.retriever = HybridRetriever(bundle, settings, self.embedder)
        self.answerer = create_answerer(settings, bundle)
        # Cross-plan comparisons are composed from per-province extractive answers.
        self.extractive: ExtractiveAnswerer = getattr(self.answerer, "fallback", None) or self.answerer
        # Typos are fixed against the plans' own words before anything reads the question.
        self.speller = Speller(chunk.text for chunk in bundle.chunks)

    @classmethod
    def open(cls, settings: Settings, *, embedder=None, progress: bool = False) -> "Assistant":
        """Load the index (building it when missing or stale) and the embedding model."""
        holder: dict[str, Any] = {"embedder": embedder}

        def provide():
            if holder["embedder"] is None:
                holder["embedder"] = create_embedder(settings)
            return holder["embedder"]

        bundle = ensure_index(settings, provide, progress=progress)
        assistant = cls(settings, bundle, holder["embedder"])
        if holder["embedder"] is None and assistant.retriever.uses_dense():
            assistant.embedder()  # load now, not on the first question; never when no question needs it
        return assistant

    def switch_to(self, bundle: IndexBundle) -> "Assistant":
        """The same assistant over another index version, sharing the loaded embedding model.

        A new object rather than a mutation, so a request already running keeps the version it
        started with while later ones get the new one.
        """
        return type(self)(self.settings, bundle, self._embedder)

    def embedder(self):
        if self._embedder is None:
            self._embedder = create_embedder(self.settings)
        return self._embedder

    def understood_text(self, question: str) -> str:
        """The question as retrieval and answering read it: typos of the plans' words fixed."""
        return self.speller.correct(question)

    def check_question(self, question: str) -> str:
        question = (question or "").strip()
        if not question:
            raise BadQuestion("Câu hỏi trống: hãy nhập nội dung cần hỏi.")
        if len(question) > self.settings.max_question_chars:
            raise BadQuestion(f"Câu hỏi quá dài (tối đa {self.settings.max_question_chars} ký tự).")
        return question

    def search(self, question: str, *, k: int | None = None, mode: str | None = None,
               doc_ids: set[str] | None = None, history: list[str] | None = None) -> Retrieval:
        question = self.understood_text(self.check_question(question))
        info = resolve(question, history, self.retriever.understand)
        return self._retrieve(question, info, k=k, mode=mode, doc_ids=doc_ids)

    def _retrieve(self, question: str, info, *, k: int | None, mode: str | None,
                  doc_ids: set[str] | None) -> Retrieval:
        """Retrieve for the standalone question: a follow-up's rewrite, else the question as asked."""
        query = info.text if info.is_followup and info.text else question
        return self.retriever.retrieve(query, k=k, mode=mode, doc_ids=doc_ids, info=info)

    def ask(self, question: str, *, history: list[str] | None = None, doc_ids: set[str] | None = None,
            mode: str | None = None, id: Any = None) -> Answer:
        """Answer with citations; `history` (earlier questions, oldest first) completes follow-ups,
        and a question naming two or more provinces is answered per province."""
        started = time.perf_counter()
        k = max(self.settings.top_k, 10)
        question = self.check_question(question)
        read = self.understood_text(question)
        info = resolve(read, history, self.retriever.understand)
        if is_cross(info, self.retriever.province_docs):
            drafted, hits, retrieve_ms = answer_cross(self, info.text or read, info, mode=mode, doc_ids=doc_ids, k=k)
            answer_ms = (time.perf_counter() - started) * 1000 - retrieve_ms
            return Answer(question=question, answer=drafted.text, refused=drafted.refused, citations=drafted.citations,
                          contexts=hits, timings_ms={"retrieve": retrieve_ms, "answer": answer_ms}, id=id)
        retrieval = self._retrieve(read, info, k=k, mode=mode, doc_ids=doc_ids)
        retrieve_ms = (time.perf_counter() - started) * 1000
        t = time.perf_counter()
        drafted = self.answerer.answer(retrieval.info.text or read, retrieval.info, retrieval.hits)
        answer_ms = (time.perf_counter() - t) * 1000
        return Answer(question=question, answer=drafted.text, refused=drafted.refused, citations=drafted.citations,
                      contexts=retrieval.hits, timings_ms={"retrieve": retrieve_ms, "answer": answer_ms}, id=id,
                      confidence=getattr(drafted, "confidence", None))


def create_answerer(settings: Settings, bundle: IndexBundle):
    """Answerer backend by setting: 'extractive' (default, offline) or 'generative' (LangChain)."""
    if settings.answerer == "generative":
        from assistant.answer.generative import GenerativeAnswerer

        return GenerativeAnswerer(bundle, settings, fallback=ExtractiveAnswerer(bundle, settings))
    return ExtractiveAnswerer(bundle, settings)
