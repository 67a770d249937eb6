"""BM25 over Vietnamese tokens (bm25s), with the heading path counted alongside the text.

bm25s's default tokenizer drops one-letter syllables and uses English stopwords, so the index is
fed our own token lists (`text.bm25_tokens`) for documents and queries alike. The score matrix is
built by `postings` from token batches (compact ids, never every chunk's strings at once) and
saved, memory-mapped and queried in bm25s's format.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from pathlib import Path

import numpy as np

from assistant.indexing.postings import TermCounts, bm25_arrays
from assistant.indexing.views import document_tokens, sparse_text
from assistant.records import Chunk
from assistant.vi.tokens import bm25_tokens, bridge_tokens


_FEW_RUNS = 32  # up to this many stretches of allowed chunks, postings are cut by binary search


class SparseIndex:
    """A bm25s index whose document ids are positions in the chunk list."""

    def __init__(self, bm25) -> None:
        self._bm25 = bm25
        self.size = int(bm25.scores["num_docs"])

    @classmethod
    def build(cls, chunks: list[Chunk], *, k1: float = 1.2, b: float = 0.75,
              tokens: list[list[str]] | None = None) -> "SparseIndex":
        """Index the chunks; `tokens` (from `document_tokens`, e.g. memoised by the build cache) skips tokenising."""
        corpus_tokens = tokens if tokens is not None else [document_tokens(sparse_text(c)) for c in chunks]
        return cls.from_token_batches([corpus_tokens], k1=k1, b=b)

    @classmethod
    def from_token_batches(cls, batches: Iterable[list[list[str]]], *, k1: float = 1.2,
                           b: float = 0.75) -> "SparseIndex":
        """Index chunks whose token lists arrive batch by batch, in chunk order; each batch is turned
        into term counts and released, so the token strings are never all in memory."""
        terms = TermCounts()
        for batch in batches:
            terms.add_token_lists(batch)
        return cls.from_term_counts(terms, k1=k1, b=b)

    @classmethod
    def from_term_counts(cls, terms: TermCounts, *, k1: float = 1.2, b: float = 0.75) -> "SparseIndex":
        """Index chunks given as term counts (the build cache keeps them, so a rebuild tokenises nothing)."""
        import bm25s

        logging.getLogger("bm25s").setLevel(logging.WARNING)  # it logs at DEBUG to stderr
        bm25 = bm25s.BM25(k1=k1, b=b)
        bm25.scores, bm25.vocab_dict = bm25_arrays(terms, k1=k1, b=b)
        bm25.unique_token_ids_set = set(bm25.vocab_dict.values())
        bm25.nonoccurrence_array = None  # "lucene" BM25 needs none
        return cls(bm25)

    def save(self, folder: Path) -> None:
        self._bm25.save(str(folder), show_progress=False)

    @classmethod
    def load(cls, folder: Path, *, mmap: bool = True) -> "SparseIndex":
        """Read the index; the score matrix memory-mapped by default, shared between server workers."""
        import bm25s

        return cls(bm25s.BM25.load(str(folder), mmap=mmap, show_progress=False, verbosity=0))

    def scores(self, question: str, *, bridge_weight: float = 0.0, mask: np.ndarray | None = None) -> np.ndarray:
        """BM25 score of every chunk for the question (zeros when no query token is known).

        Args:
            bridge_weight: weight of the lexicon's other names for the question's concepts
                (`bridge_tokens`), added as a second, lighter query.
            mask: score only these chunks (the rest stay 0). A question naming a province is searched
                in its plans only; at 10^6 chunks a common syllable's postings run to hundreds of
                thousands, and skipping the other plans' postings is most of a question's BM25 time.
        """
        out = self.token_scores(bm25_tokens(question, is_query=True), mask)
        if bridge_weight:
            out = out + bridge_weight * self.token_scores(bridge_tokens(question), mask)
        return out

    def token_scores(self, tokens: list[str], mask: np.ndarray | None = None) -> np.ndarray:
        """Sum of the query tokens' columns, token by token, as bm25s's `get_scores_from_ids` adds them
        (so every chunk's float32 score is the same whether or not a mask is given)."""
        runs = _runs(mask) if mask is not None else None
        out = np.zeros(self.size, dtype="float32")
        matrix = self._bm25.scores
        data, indices, indptr = matrix["data"], matrix["indices"], matrix["indptr"]
        for token in self._bm25.get_tokens_ids(tokens):
            if token + 1 >= len(indptr):  # bm25s's appended empty token has no column
                continue
            start, end = int(indptr[token]), int(indptr[token + 1])
            rows = indices[start:end]
            if runs is None:
                np.add.at(out, rows, data[start:end])
            elif len(runs) <= _FEW_RUNS:  # a column's chunks are ascending: cut each run out of it
                bounds = np.searchsorted(rows, runs.ravel()).reshape(-1, 2)
                for lo, hi in bounds[bounds[:, 1] > bounds[:, 0]]:
                    np.add.at(out, rows[lo:hi], data[start + lo:start + hi])
            else:
                keep = np.flatnonzero(mask[rows])
                np.add.at(out, rows[keep], data[start:end][keep])
        return out


def _runs(mask: np.ndarray) -> np.ndarray:
    """[start, stop) of each stretch of consecutive True positions (a plan's chunks are consecutive)."""
    edges = np.flatnonzero(np.diff(np.concatenate([[False], mask, [False]]).astype(np.int8)))
    return edges.reshape(-1, 2)


def top_k(scores: np.ndarray, k: int) -> list[tuple[int, float]]:
    """Positions of the k largest positive scores, best first (stable for ties).

    Partitions before sorting: at 10^6 chunks a common word scores most of them, and sorting them
    all cost more than the rest of retrieval. Every score tied with the k-th is kept for the stable
    sort, so the order is exactly that of a full stable sort.
    """
    positive = np.flatnonzero(scores > 0)
    if positive.size == 0 or k <= 0:
        return []
    values = scores[positive]
    if positive.size > 4 * k:
        kth = np.partition(values, positive.size - k)[positive.size - k]
        keep = values >= kth
        positive, values = positive[keep], values[keep]
    order = positive[np.argsort(-values, kind="stable")][:k]
    return [(int(i), float(scores[i])) for i in order]
