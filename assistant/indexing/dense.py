"""Nearest-neighbour search over normalised chunk embeddings with FAISS, the index type chosen by size.

Plans copy sentences from one another, so many chunks share one vector exactly. FAISS holds each
distinct vector once (`dense.chunks.npy` maps every chunk to its vector) and a vector found stands
for all its chunks, in chunk order: thousands of identical points otherwise fill HNSW's neighbour
lists with each other (recall@10 0.72 instead of 0.98 at 10^6 chunks) and cost memory for nothing.

Exact inner product (`IndexFlatIP`) is both fastest and exact for a few hundred thousand vectors;
above `hnsw_threshold` an HNSW graph keeps queries sub-linear, its query breadth growing with the
number of vectors; above `ivfpq_threshold` IVF-PQ keeps memory at ~48 bytes a vector instead of
1.5 KB. Vectors are L2-normalised, so inner product is cosine similarity. The shape parameters are
tuned numbers (`tuning.INDEX_TUNED`, from bench_scale and bench_ann).
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import numpy as np

from assistant.tuning import index_value

INDEX_FILE = "dense.faiss"
MAP_FILE = "dense.chunks.npy"


def ef_search(vectors: int) -> int:
    """HNSW query breadth for a graph of this many vectors: the 10^5 choice, widened in proportion above it."""
    return max(index_value("hnsw_ef_search"), -(-vectors // index_value("hnsw_vectors_per_ef")))


def distinct_rows(vectors: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(each distinct row once, in order of first appearance; the distinct row of every input row).

    Rows are grouped by a 64-bit hash of their bytes, then checked equal to their group's first row,
    so a hash collision can never merge two different vectors (it falls back to exact grouping).
    """
    vectors = np.ascontiguousarray(vectors, dtype="float32")
    first_of: dict[bytes, int] = {}
    mapping = np.fromiter((first_of.setdefault(hashlib.blake2b(row, digest_size=8).digest(), len(first_of))
                           for row in vectors), dtype=np.int64, count=len(vectors))
    firsts = np.zeros(len(first_of), dtype=np.int64)
    firsts[mapping[::-1]] = np.arange(len(vectors) - 1, -1, -1)  # the earliest row of each group wins
    same = np.ones(len(vectors), dtype=bool)
    for start in range(0, len(vectors), 65_536):
        part = slice(start, start + 65_536)
        same[part] = (vectors[part] == vectors[firsts[mapping[part]]]).all(axis=1)
    if not same.all():  # a hash collision (never seen): group exactly instead
        rows = vectors.view(np.dtype((np.void, vectors.dtype.itemsize * vectors.shape[1]))).ravel()
        _, firsts, inverse = np.unique(rows, return_index=True, return_inverse=True)
        rank = np.empty(len(firsts), dtype=np.int64)
        rank[np.argsort(firsts)] = np.arange(len(firsts))
        firsts, mapping = np.sort(firsts), rank[inverse.ravel()]
    return vectors[firsts], mapping


class DenseIndex:
    """A FAISS index over distinct vectors plus the chunks each vector stands for."""

    def __init__(self, index, vector_of_chunk: np.ndarray | None = None) -> None:
        vectors = int(index.ntotal)
        mapping = np.arange(vectors, dtype=np.int64) if vector_of_chunk is None else np.asarray(vector_of_chunk, np.int64)
        if mapping.ndim != 1 or (len(mapping) and (mapping.min() < 0 or mapping.max() >= vectors)):
            raise ValueError("dense chunk map does not fit the FAISS index")
        # Query breadth is not part of the index's shape: the tuned value applies without a rebuild.
        if hasattr(index, "hnsw"):
            index.hnsw.efSearch = ef_search(vectors)
        if hasattr(index, "nprobe"):
            index.nprobe = index_value("ivf_nprobe")
        self._index = index
        self._vector_of_chunk = mapping
        self._identity = len(mapping) == vectors and bool((mapping == np.arange(vectors)).all())
        self._members = np.argsort(mapping, kind="stable")  # chunks grouped by vector, ascending in a group
        self._starts = np.concatenate([[0], np.cumsum(np.bincount(mapping, minlength=vectors))])
        # Vectors of a grown graph that no chunk uses any more: still useful to navigate, never returned.
        self._orphans = np.flatnonzero(np.diff(self._starts) == 0)
        self._not_orphans = None
        if len(self._orphans):
            import faiss

            inner = faiss.IDSelectorBatch(self._orphans)
            self._not_orphans = (inner, faiss.IDSelectorNot(inner))  # the pair: the outer one points into the inner
        self.size = len(mapping)  # chunks
        self.vectors = vectors  # distinct vectors FAISS holds
        self.dimension = int(index.d)

    @classmethod
    def build(cls, vectors: np.ndarray, *, hnsw_threshold: int = 50_000, ivfpq_threshold: int = 500_000,
              previous: Path | None = None) -> "DenseIndex":
        """Index the distinct rows of `vectors` (row i: chunk i); the thresholds count distinct vectors.

        Args:
            previous: the folder of the version this one replaces. When both are HNSW graphs, its graph is
                grown by the vectors it lacks instead of rebuilt (`grow_previous`): a one-plan rebuild at
                10^6 chunks then adds a hundred vectors, not 600k.
        """
        import faiss

        distinct, mapping = distinct_rows(vectors)
        del vectors
        count, dimension = distinct.shape
        wants_hnsw = hnsw_threshold < count and not (count > ivfpq_threshold and dimension % index_value("pq_bytes") == 0)
        if previous is not None and wants_hnsw:
            grown = grow_previous(previous, distinct, mapping)
            if grown is not None:
                return grown
        if count > ivfpq_threshold and dimension % index_value("pq_bytes") == 0:
            lists = int(index_value("ivf_lists_per_sqrt") * np.sqrt(count))
            index = faiss.IndexIVFPQ(faiss.IndexFlatIP(dimension), dimension, lists, index_value("pq_bytes"), 8,
                                     faiss.METRIC_INNER_PRODUCT)
            sample = np.random.default_rng(0).choice(count, size=min(count, 64 * lists), replace=False)
            index.train(distinct[np.sort(sample)])
        elif count > hnsw_threshold:
            index = faiss.IndexHNSWFlat(dimension, index_value("hnsw_m"), faiss.METRIC_INNER_PRODUCT)
            index.hnsw.efConstruction = index_value("hnsw_ef_construction")
        else:
            index = faiss.IndexFlatIP(dimension)
        index.add(distinct)
        return cls(index, mapping)

    @property
    def kind(self) -> str:
        return type(self._index).__name__

    @property
    def breadth(self) -> int:
        """efSearch (HNSW) or nprobe (IVF) in force; 0 for exact search."""
        if hasattr(self._index, "hnsw"):
            return int(self._index.hnsw.efSearch)
        return int(getattr(self._index, "nprobe", 0))

    @breadth.setter
    def breadth(self, value: int) -> None:
        """Benchmarks sweep the query breadth of a built index."""
        if hasattr(self._index, "hnsw"):
            self._index.hnsw.efSearch = int(value)
        elif hasattr(self._index, "nprobe"):
            self._index.nprobe = int(value)

    def save(self, folder: Path) -> None:
        import faiss

        faiss.write_index(self._index, str(folder / INDEX_FILE))
        np.save(folder / MAP_FILE, self._vector_of_chunk.astype(np.int32 if self.vectors < 2**31 else np.int64))

    @classmethod
    def load(cls, folder: Path, *, mmap: bool = True) -> "DenseIndex":
        """Read the index; memory-mapped by default, so N server workers share one copy of the vectors.

        `IO_FLAG_MMAP_IFC` maps the codes (flat and HNSW storage, graph included) as page-cache pages
        shared between processes; plain `IO_FLAG_MMAP` copies them into each process (measured:
        faiss 1.15, 200k×384 flat index, private memory 294 MB → 1 MB). A rebuild replaces the file by
        rename, so a mapped file is never rewritten under a running server.
        """
        import faiss

        flags = faiss.IO_FLAG_MMAP_IFC if mmap else 0
        mapping = np.load(folder / MAP_FILE, allow_pickle=False)
        return cls(faiss.read_index(str(folder / INDEX_FILE), flags), mapping)

    def search(self, query_vector: np.ndarray, k: int, allowed_ids: np.ndarray | None = None) -> list[tuple[int, float]]:
        """Top-k (chunk position, cosine) for one query vector, optionally restricted to some chunk ids.

        The k best distinct vectors hold at least k chunks between them, so asking FAISS for k is enough;
        chunks sharing a vector come out together, in chunk order.
        """
        import faiss

        if self.size == 0 or k <= 0:
            return []
        query = np.ascontiguousarray(query_vector.reshape(1, -1), dtype="float32")
        params, allowed = None, None
        wanted = min(k, self.vectors)
        if allowed_ids is not None:
            if len(allowed_ids) == 0:
                return []
            allowed = np.unique(np.asarray(allowed_ids, dtype=np.int64))
            vectors = np.unique(self._vector_of_chunk[allowed])
            wanted = min(k, len(vectors))
            selector = faiss.IDSelectorBatch(vectors)
            if self.kind == "IndexHNSWFlat":
                params = faiss.SearchParametersHNSW(sel=selector, efSearch=self._index.hnsw.efSearch)
            elif self.kind == "IndexIVFPQ":
                params = faiss.SearchParametersIVF(sel=selector, nprobe=self._index.nprobe)
            else:
                params = faiss.SearchParameters(sel=selector)
        elif self._not_orphans is not None:
            selector = self._not_orphans[1]
            params = (faiss.SearchParametersHNSW(sel=selector, efSearch=self._index.hnsw.efSearch)
                      if self.kind == "IndexHNSWFlat" else faiss.SearchParameters(sel=selector))
            wanted = min(k, self.vectors - len(self._orphans))
        scores, ids = self._index.search(query, wanted, params=params)
        if self._identity:
            return [(int(i), float(s)) for i, s in zip(ids[0], scores[0]) if i >= 0][:k]
        out: list[tuple[int, float]] = []
        for vector, score in zip(ids[0], scores[0]):
            if vector < 0:
                continue
            members = self._members[self._starts[vector]:self._starts[vector + 1]]
            if allowed is not None:
                members = members[np.isin(members, allowed, assume_unique=True)]
            out.extend((int(c), float(score)) for c in members[:k - len(out)])
            if len(out) >= k:
                break
        return out


def grow_previous(folder: Path, distinct: np.ndarray, mapping: np.ndarray) -> DenseIndex | None:
    """The HNSW graph of the version in `folder` plus the vectors of `distinct` it lacks, or None when a
    fresh build is due: no HNSW there, another dimension, or unused plus new vectors above
    `hnsw_max_orphans_pct` of it (a removed plan's vectors stay in the graph as orphans until then; past
    that share the graph is as much new as old, and building afresh costs about the same)."""
    import faiss

    try:
        old = faiss.read_index(str(folder / INDEX_FILE))  # a private, writable copy: the mapped one is shared
    except (OSError, RuntimeError):
        return None
    if type(old).__name__ != "IndexHNSWFlat" or old.d != distinct.shape[1]:
        return None
    held = faiss.rev_swig_ptr(faiss.downcast_index(old.storage).get_xb(), old.ntotal * old.d)
    held = np.asarray(held).reshape(old.ntotal, old.d)
    position = {hashlib.blake2b(row, digest_size=8).digest(): i for i, row in enumerate(held)}
    known = np.fromiter((position.get(hashlib.blake2b(row, digest_size=8).digest(), -1) for row in distinct),
                        dtype=np.int64, count=len(distinct))
    hit = np.flatnonzero(known >= 0)
    for start in range(0, len(hit), 65_536):  # compared in slices: two full copies would be 2 GB at 10^6 chunks
        part = hit[start:start + 65_536]
        if not (held[known[part]] == distinct[part]).all():  # a hash collision: play safe
            return None
    fresh = np.flatnonzero(known < 0)
    orphans = old.ntotal - len(np.unique(known[hit]))
    if orphans + len(fresh) > index_value("hnsw_max_orphans_pct") * old.ntotal / 100:
        return None
    new_ids = known.copy()
    new_ids[fresh] = old.ntotal + np.arange(len(fresh))
    if len(fresh):
        old.add(np.ascontiguousarray(distinct[fresh]))
    return DenseIndex(old, new_ids[mapping])
