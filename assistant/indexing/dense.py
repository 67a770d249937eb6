"""Nearest-neighbour search over normalised chunk embeddings with FAISS, the index type chosen by size.

Exact inner product (`IndexFlatIP`) is both fastest and exact for a few thousand chunks; above
`hnsw_threshold` an HNSW graph keeps queries sub-linear; above `ivfpq_threshold` IVF-PQ keeps memory
at ~48 bytes a chunk instead of 1.5 KB. Vectors are L2-normalised, so inner product is cosine
similarity. The shape parameters are tuned numbers (`tuning.INDEX_TUNED`, from bench_scale).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from assistant.tuning import index_value

INDEX_FILE = "dense.faiss"


class DenseIndex:
    def __init__(self, index) -> None:
        # Query breadth is not part of the index's shape: the tuned value applies without a rebuild.
        if hasattr(index, "hnsw"):
            index.hnsw.efSearch = index_value("hnsw_ef_search")
        if hasattr(index, "nprobe"):
            index.nprobe = index_value("ivf_nprobe")
        self._index = index
        self.size = int(index.ntotal)
        self.dimension = int(index.d)

    @classmethod
    def build(cls, vectors: np.ndarray, *, hnsw_threshold: int = 50_000,
              ivfpq_threshold: int = 500_000) -> "DenseIndex":
        import faiss

        vectors = np.ascontiguousarray(vectors, dtype="float32")
        count, dimension = vectors.shape
        if count > ivfpq_threshold and dimension % index_value("pq_bytes") == 0:
            lists = int(index_value("ivf_lists_per_sqrt") * np.sqrt(count))
            index = faiss.IndexIVFPQ(faiss.IndexFlatIP(dimension), dimension, lists, index_value("pq_bytes"), 8,
                                     faiss.METRIC_INNER_PRODUCT)
            sample = np.random.default_rng(0).choice(count, size=min(count, 64 * lists), replace=False)
            index.train(vectors[np.sort(sample)])
            index.nprobe = index_value("ivf_nprobe")
        elif count > hnsw_threshold:
            index = faiss.IndexHNSWFlat(dimension, index_value("hnsw_m"), faiss.METRIC_INNER_PRODUCT)
            index.hnsw.efConstruction = index_value("hnsw_ef_construction")
            index.hnsw.efSearch = index_value("hnsw_ef_search")
        else:
            index = faiss.IndexFlatIP(dimension)
        index.add(vectors)
        return cls(index)

    @property
    def kind(self) -> str:
        return type(self._index).__name__

    def save(self, folder: Path) -> None:
        import faiss

        faiss.write_index(self._index, str(folder / INDEX_FILE))

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
        return cls(faiss.read_index(str(folder / INDEX_FILE), flags))

    def search(self, query_vector: np.ndarray, k: int, allowed_ids: np.ndarray | None = None) -> list[tuple[int, float]]:
        """Top-k (chunk position, cosine) for one query vector, optionally restricted to some ids."""
        import faiss

        if self.size == 0 or k <= 0:
            return []
        query = np.ascontiguousarray(query_vector.reshape(1, -1), dtype="float32")
        params = None
        if allowed_ids is not None:
            if len(allowed_ids) == 0:
                return []
            selector = faiss.IDSelectorBatch(np.ascontiguousarray(allowed_ids, dtype="int64"))
            if self.kind == "IndexHNSWFlat":
                params = faiss.SearchParametersHNSW(sel=selector, efSearch=self._index.hnsw.efSearch)
            elif self.kind == "IndexIVFPQ":
                params = faiss.SearchParametersIVF(sel=selector, nprobe=self._index.nprobe)
            else:
                params = faiss.SearchParameters(sel=selector)
        k = min(k, self.size)
        scores, ids = self._index.search(query, k, params=params)
        return [(int(i), float(s)) for i, s in zip(ids[0], scores[0]) if i >= 0]
