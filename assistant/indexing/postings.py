"""The BM25 score matrix built from token lists that arrive in batches and are kept as compact ids.

bm25s's own `index()` needs every chunk's token list (Python strings) at once and loops over them in
Python; at 10^6 chunks that held ~150 million string objects and passed 10 GB. Here each batch is
turned into int32 token ids at once (the strings are dropped), and the matrix is computed with numpy
from those ids: ~4 bytes a token instead of ~60, and seconds instead of minutes. The arrays are
exactly bm25s's ("lucene" BM25, its CSC layout, its vocabulary with the empty token appended), so
the result is saved, memory-mapped and queried by bm25s as before.
"""

from __future__ import annotations

from itertools import chain

import numpy as np

_COUNT_BATCH = 100_000  # chunks whose (chunk, token) pairs are counted in one numpy pass


class TokenIds:
    """Every chunk's tokens as ids into one growing vocabulary, in flat int32 arrays."""

    def __init__(self) -> None:
        self.vocab: dict[str, int] = {}
        self._ids: list[np.ndarray] = []
        self._lengths: list[np.ndarray] = []

    def add(self, token_lists: list[list[str]]) -> None:
        """Append one batch of chunks. New tokens get the next ids in sorted order (deterministic; bm25s's
        own order is a set's), then every token is looked up in C (`map`), not in a Python loop."""
        vocab = self.vocab
        flat = list(chain.from_iterable(token_lists))
        for token in sorted(set(flat).difference(vocab)):
            vocab[token] = len(vocab)
        self._ids.append(np.fromiter(map(vocab.__getitem__, flat), dtype=np.int32, count=len(flat)))
        self._lengths.append(np.fromiter(map(len, token_lists), dtype=np.int64, count=len(token_lists)))

    def arrays(self) -> tuple[np.ndarray, np.ndarray]:
        """(flat token ids, tokens per chunk); the batches are merged and released."""
        ids = np.concatenate(self._ids) if self._ids else np.zeros(0, np.int32)
        lengths = np.concatenate(self._lengths) if self._lengths else np.zeros(0, np.int64)
        self._ids, self._lengths = [ids], [lengths]
        return ids, lengths


def _term_counts(ids: np.ndarray, lengths: np.ndarray, n_vocab: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(chunk, token, count) of every distinct token of every chunk, ordered by chunk then token."""
    offsets = np.concatenate([[0], np.cumsum(lengths)])
    docs, toks, counts = [], [], []
    for first in range(0, len(lengths), _COUNT_BATCH):
        last = min(first + _COUNT_BATCH, len(lengths))
        part = ids[offsets[first]:offsets[last]].astype(np.int64)
        local = np.repeat(np.arange(last - first, dtype=np.int64), lengths[first:last])
        keys, count = np.unique(local * n_vocab + part, return_counts=True)
        docs.append((keys // n_vocab + first).astype(np.int32))
        toks.append((keys % n_vocab).astype(np.int32))
        counts.append(count.astype(np.float32))
    if not docs:
        return np.zeros(0, np.int32), np.zeros(0, np.int32), np.zeros(0, np.float32)
    return np.concatenate(docs), np.concatenate(toks), np.concatenate(counts)


def bm25_arrays(token_ids: TokenIds, *, k1: float, b: float) -> tuple[dict, dict[str, int]]:
    """bm25s's `scores` dict (CSC data/indices/indptr, num_docs) and vocabulary for these chunks.

    The same arithmetic as bm25s 0.3's "lucene" method (idf log(1 + (N - df + .5) / (df + .5)) in
    float32, term part in float64, product stored as float32), so scores equal a one-shot bm25s index.
    """
    ids, lengths = token_ids.arrays()
    vocab = dict(token_ids.vocab)
    n_docs, n_vocab = len(lengths), len(vocab)
    docs, toks, tf = _term_counts(ids, lengths, max(n_vocab, 1))
    del ids
    df = np.bincount(toks, minlength=n_vocab)
    idf = np.log(1 + (n_docs - df + 0.5) / (df + 0.5)).astype(np.float32)
    avg_len = np.float64(lengths.mean()) if n_docs else np.float64(1.0)
    norm = k1 * ((1 - b) + b * lengths.astype(np.float64) / avg_len)
    data = (idf[toks] * (tf / (norm[docs] + tf))).astype(np.float32)
    del tf, norm
    order = np.argsort(toks, kind="stable")  # by token, chunks ascending within each: CSC
    indptr = np.concatenate([[0], np.cumsum(df)]).astype(np.int64)
    scores = {"data": data[order], "indices": docs[order], "indptr": indptr, "num_docs": n_docs}
    if "" not in vocab:  # bm25s appends the empty token after building (create_empty_token)
        vocab[""] = max(vocab.values(), default=-1) + 1
    return scores, vocab
