"""BM25 over Vietnamese tokens (bm25s), with the heading path counted alongside the text.

bm25s's default tokenizer drops one-letter syllables and uses English stopwords, so the index is
fed our own token lists (`text.bm25_tokens`) for documents and queries alike.
"""

from __future__ import annotations

import logging
from pathlib import Path

import numpy as np

from assistant.records import Chunk
from assistant.indexing.views import sparse_text
from assistant.vi.tokens import bm25_tokens, bridge_tokens


class SparseIndex:
    """A bm25s index whose document ids are positions in the chunk list."""

    def __init__(self, bm25) -> None:
        self._bm25 = bm25
        self.size = int(bm25.scores["num_docs"])

    @classmethod
    def build(cls, chunks: list[Chunk], *, k1: float = 1.2, b: float = 0.75,
              tokens: list[list[str]] | None = None) -> "SparseIndex":
        """Index the chunks; `tokens` (from `document_tokens`, e.g. memoised by the build cache) skips tokenising."""
        import bm25s

        logging.getLogger("bm25s").setLevel(logging.WARNING)  # it logs every build at DEBUG to stderr
        corpus_tokens = tokens if tokens is not None else [document_tokens(sparse_text(c)) for c in chunks]
        bm25 = bm25s.BM25(k1=k1, b=b)
        bm25.index(corpus_tokens, show_progress=False)
        return cls(bm25)

    def save(self, folder: Path) -> None:
        self._bm25.save(str(folder), show_progress=False)

    @classmethod
    def load(cls, folder: Path, *, mmap: bool = True) -> "SparseIndex":
        """Read the index; the score matrix memory-mapped by default, shared between server workers."""
        import bm25s

        return cls(bm25s.BM25.load(str(folder), mmap=mmap, show_progress=False, verbosity=0))

    def scores(self, question: str, *, bridge_weight: float = 0.0) -> np.ndarray:
        """BM25 score of every chunk for the question (zeros when no query token is known).

        Args:
            bridge_weight: weight of the lexicon's other names for the question's concepts
                (`bridge_tokens`), added as a second, lighter query.
        """
        out = self._score(bm25_tokens(question, is_query=True))
        if bridge_weight:
            out = out + bridge_weight * self._score(bridge_tokens(question))
        return out

    def _score(self, tokens: list[str]) -> np.ndarray:
        ids = self._bm25.get_tokens_ids(tokens)
        if not ids:
            return np.zeros(self.size, dtype="float32")
        return np.asarray(self._bm25.get_scores_from_ids(ids), dtype="float32")


def document_tokens(text: str) -> list[str]:
    """What BM25 indexes for a chunk's sparse view (never empty: bm25s needs a token per document)."""
    return bm25_tokens(text) or [""]


def top_k(scores: np.ndarray, k: int) -> list[tuple[int, float]]:
    """Positions of the k largest positive scores, best first (stable for ties)."""
    positive = np.flatnonzero(scores > 0)
    if positive.size == 0:
        return []
    order = positive[np.argsort(-scores[positive], kind="stable")][:k]
    return [(int(i), float(scores[i])) for i in order]
