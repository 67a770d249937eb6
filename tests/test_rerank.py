"""The optional cross-encoder reranker: it reorders the fused head and fails clearly when absent offline."""

from __future__ import annotations

import pytest

from assistant.retrieve import rerank
from assistant.errors import ModelError
from assistant.retrieve.retriever import HybridRetriever


class PrefersShortChunks:
    """A stand-in cross-encoder: scores a (question, chunk) pair by how short the chunk is."""

    def predict(self, pairs):
        return [-len(text) for _, text in pairs]


def test_the_reranker_reorders_the_fused_head(fast_assistant, monkeypatch):
    monkeypatch.setattr(rerank, "load_reranker", lambda name, device="cpu": PrefersShortChunks())
    settings = fast_assistant.settings.model_copy(update={"reranker_model": "stand-in", "rerank_top": 5})
    retriever = HybridRetriever(fast_assistant.bundle, settings, fast_assistant.embedder)
    plain = HybridRetriever(fast_assistant.bundle, fast_assistant.settings, fast_assistant.embedder)
    question = "Đồng Nai phát triển hạ tầng số"
    head = [h.chunk.chunk_id for h in plain.retrieve(question, k=10).hits[:5]]
    reranked = retriever.retrieve(question, k=10).hits
    assert sorted(h.chunk.chunk_id for h in reranked[:5]) == sorted(head)
    lengths = [len(h.chunk.text) for h in reranked[:5]]
    assert lengths == sorted(lengths)
    assert [h.ranks["rerank"] for h in reranked[:5]] == [1, 2, 3, 4, 5]


def test_a_reranker_missing_offline_is_a_clear_model_error():
    with pytest.raises(ModelError, match="xếp hạng lại"):
        rerank.load_reranker("no-such-org/no-such-cross-encoder")
