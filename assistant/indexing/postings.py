"""The BM25 score matrix built from each chunk's term counts, kept as compact integer arrays.

bm25s's own `index()` needs every chunk's token list (Python strings) at once and loops over them in
Python; at 10^6 chunks that held ~150 million string objects and passed 10 GB. Here a chunk is its
distinct token ids and their counts (int32; the build cache stores exactly these, so a rebuild
decodes no strings at all), ids into a vocabulary that only grows, and the matrix is computed with
numpy. The arrays are exactly bm25s's ("lucene" BM25, its CSC layout, its vocabulary with the empty
token appended), so the result is saved, memory-mapped and queried by bm25s as before.
"""

from __future__ import annotations

import numpy as np

_SLICE = 8_000_000  # postings scored per numpy pass (bounds the float64 temporaries)


class TermCounts:
    """Every chunk's distinct tokens with their counts, as flat int32 ids into `tokens`."""

    def __init__(self, tokens: list[str] | None = None) -> None:
        self.tokens: list[str] = tokens if tokens is not None else []  # id -> token; only ever appended to
        self._index = {token: i for i, token in enumerate(self.tokens)}
        self._ids: list[np.ndarray] = []
        self._counts: list[np.ndarray] = []
        self._distinct: list[np.ndarray] = []

    def encode(self, token_list: list[str]) -> tuple[np.ndarray, np.ndarray]:
        """(distinct token ids ascending, their counts) of one chunk; unseen tokens get the next ids."""
        index = self._index
        for token in token_list:
            if token not in index:
                index[token] = len(self.tokens)
                self.tokens.append(token)
        ids = np.fromiter(map(index.__getitem__, token_list), dtype=np.int32, count=len(token_list))
        distinct, counts = np.unique(ids, return_counts=True)
        return distinct.astype(np.int32), counts.astype(np.int32)

    def add(self, chunks: list[tuple[np.ndarray, np.ndarray]]) -> None:
        """Append a batch of chunks' (ids, counts), in chunk order."""
        self._distinct.append(np.fromiter((len(ids) for ids, _ in chunks), dtype=np.int64, count=len(chunks)))
        if chunks:
            self._ids.append(np.concatenate([ids for ids, _ in chunks]).astype(np.int32, copy=False))
            self._counts.append(np.concatenate([counts for _, counts in chunks]).astype(np.int32, copy=False))

    def add_token_lists(self, token_lists: list[list[str]]) -> None:
        self.add([self.encode(tokens) for tokens in token_lists])

    def arrays(self) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        """(chunk, token id, count, postings per chunk) of every posting, by chunk. Takes them: the counts
        are emptied, so the returned arrays are the only copies (10^8 postings at 10^6 chunks)."""
        distinct = np.concatenate(self._distinct) if self._distinct else np.zeros(0, np.int64)
        ids = np.concatenate(self._ids) if self._ids else np.zeros(0, np.int32)
        counts = np.concatenate(self._counts) if self._counts else np.zeros(0, np.int32)
        self._ids, self._counts, self._distinct = [], [], []
        docs = np.repeat(np.arange(len(distinct), dtype=np.int32), distinct)
        return docs, ids, counts, distinct


def bm25_arrays(terms: TermCounts, *, k1: float, b: float) -> tuple[dict, dict[str, int]]:
    """bm25s's `scores` dict (CSC data/indices/indptr, num_docs) and vocabulary for these chunks.

    The same arithmetic as bm25s 0.3's "lucene" method (idf log(1 + (N - df + .5) / (df + .5)) in
    float32, term part in float64, product stored as float32), so scores equal a one-shot bm25s index.
    The vocabulary holds the tokens these chunks use, numbered in the order of their ids.
    """
    docs, toks, counts, distinct = terms.arrays()
    n_docs = len(distinct)
    present = np.flatnonzero(np.bincount(toks, minlength=len(terms.tokens)))
    local = np.zeros(len(terms.tokens), dtype=np.int32)
    local[present] = np.arange(len(present), dtype=np.int32)
    np.take(local, toks, out=toks)  # global ids -> this index's ids, in place (10^8 postings at 10^6 chunks)
    del local
    vocab = {terms.tokens[g]: i for i, g in enumerate(present.tolist())}
    lengths = np.bincount(docs, weights=counts, minlength=n_docs)
    df = np.bincount(toks, minlength=len(present))
    idf = np.log(1 + (n_docs - df + 0.5) / (df + 0.5)).astype(np.float32)
    avg_len = np.float64(lengths.mean()) if n_docs else np.float64(1.0)
    norm = k1 * ((1 - b) + b * lengths / avg_len)
    data = np.empty(len(toks), dtype=np.float32)
    for start in range(0, len(toks), _SLICE):
        part = slice(start, start + _SLICE)
        tf = counts[part].astype(np.float32)
        data[part] = idf[toks[part]] * (tf / (norm[docs[part]] + tf))
    del counts
    order = np.argsort(toks, kind="stable")  # by token, chunks ascending within each: CSC
    del toks
    indptr = np.concatenate([[0], np.cumsum(df)]).astype(np.int64)
    indices = docs[order]
    del docs
    data = data[order]
    del order
    scores = {"data": data, "indices": indices, "indptr": indptr, "num_docs": n_docs}
    if "" not in vocab:  # bm25s appends the empty token after building (create_empty_token)
        vocab[""] = len(vocab)
    return scores, vocab
