"""LangChain adapter: the assistant's hybrid retrieval as a `BaseRetriever`, to compose in LCEL chains.

Province/document filtering, BM25 + dense fusion and padding happen exactly as for `assistant search`;
each hit becomes a `Document` whose metadata is enough to cite it.
"""

from __future__ import annotations

from typing import Any

from langchain_core.callbacks import CallbackManagerForRetrieverRun
from langchain_core.documents import Document
from langchain_core.retrievers import BaseRetriever
from pydantic import ConfigDict

from assistant.records import Hit


def hit_to_document(hit: Hit) -> Document:
    """A retrieved chunk as a LangChain Document (text + what a citation needs)."""
    chunk = hit.chunk
    return Document(page_content=chunk.text, id=chunk.chunk_id,
                    metadata={"doc_id": chunk.doc_id, "chunk_id": chunk.chunk_id, "section": chunk.section,
                              "label": chunk.label, "score": float(hit.score), "start": chunk.start, "end": chunk.end})


def format_docs(docs: list[Document]) -> str:
    """Documents as numbered, labelled passages, the usual input of a prompt's context slot."""
    return "\n\n".join(f"[C{i}] ({doc.metadata.get('label', '')})\n{doc.page_content}" for i, doc in enumerate(docs, 1))


class AssistantRetriever(BaseRetriever):
    """Wraps an `Assistant` (question checks, follow-ups) or a bare `HybridRetriever`.

    Example: `AssistantRetriever(source=assistant, k=5, mode="bm25") | RunnableLambda(format_docs)`.
    """

    model_config = ConfigDict(arbitrary_types_allowed=True)

    source: Any
    """An `assistant.pipeline.Assistant` or an `assistant.retriever.HybridRetriever`."""
    k: int = 5
    mode: str | None = None
    """'bm25', 'dense' or 'hybrid'; None = the settings' retrieval_mode."""
    doc_ids: list[str] | None = None
    """Restrict retrieval to these documents (within what the question itself names)."""

    def _get_relevant_documents(self, query: str, *, run_manager: CallbackManagerForRetrieverRun) -> list[Document]:
        doc_ids = set(self.doc_ids) if self.doc_ids else None
        search = getattr(self.source, "search", None) or self.source.retrieve
        retrieval = search(query, k=self.k, mode=self.mode, doc_ids=doc_ids)
        return [hit_to_document(hit) for hit in retrieval.hits[: self.k]]
