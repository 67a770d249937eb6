"""ANN sweep: tie-aware recall@10 against exact search, ms per query, build time and size of HNSW
(M × efConstruction × efSearch) and IVF-PQ (nprobe) over one set of chunk vectors.

The vectors come from `bench_scale.py` (it saves `vectors.npy` and `queries.npy`, the real eval
questions' vectors, next to each synthetic corpus); recall is `assistant.evaluation.ann.tie_aware_recall`.
Prints numbers; asserts nothing. Queries run one at a time, as the server sends them.

Usage: PYTHONPATH=. python benchmarks/bench_ann.py /tmp/bench-scale/100000 [--m 16,32,48]
       [--ef-construction 40,80,200] [--ef-search 16,32,64,128,256] [--ivfpq] [--dedupe] [--threads 2]
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from assistant.evaluation.ann import exact_kth_scores, tie_aware_recall  # noqa: E402
from assistant.tuning import index_value  # noqa: E402

K = 10


def timed_search(index, queries: np.ndarray) -> tuple[np.ndarray, float]:
    """Ids for each query, searched one by one; mean ms per query."""
    ids = np.empty((len(queries), K), dtype="int64")
    started = time.perf_counter()
    for row, query in enumerate(queries):
        _, ids[row] = index.search(query.reshape(1, -1), K)
    return ids, (time.perf_counter() - started) * 1000 / len(queries)


def index_mb(index) -> float:
    import faiss

    return len(faiss.serialize_index(index)) / 2**20


def sweep_hnsw(vectors, queries, kth, ms, efcs, efss, *, dedupe: bool = False) -> None:
    """With `dedupe`, the graph holds each distinct vector once (an identical copy is an equally good answer,
    and thousands of identical points leave HNSW's neighbour lists full of each other); ids map back to one
    chunk holding that vector, which the tie-aware recall counts like any of its copies."""
    import faiss

    copies: list[np.ndarray] | None = None
    if dedupe:
        rows = vectors.view(np.dtype((np.void, vectors.dtype.itemsize * vectors.shape[1]))).ravel()
        _, first, inverse = np.unique(rows, return_index=True, return_inverse=True)
        order = np.argsort(inverse, kind="stable")
        copies = np.split(order, np.cumsum(np.bincount(inverse))[:-1])  # chunk ids of each distinct vector
        indexed = np.ascontiguousarray(vectors[first])
    else:
        indexed = vectors
    for m in ms:
        for efc in efcs:
            index = faiss.IndexHNSWFlat(vectors.shape[1], m, faiss.METRIC_INNER_PRODUCT)
            index.hnsw.efConstruction = efc
            started = time.perf_counter()
            index.add(indexed)
            build_s = time.perf_counter() - started
            size = index_mb(index)
            for efs in efss:
                index.hnsw.efSearch = efs
                ids, per_query = timed_search(index, queries)
                if copies is not None:  # each distinct vector found stands for all its chunks, best first
                    expanded = [np.concatenate([copies[i] for i in row if i >= 0] or [np.empty(0, "int64")])[:K]
                                for row in ids]
                    ids = np.stack([np.pad(row, (0, K - len(row)), constant_values=-1) for row in expanded])
                print(f"HNSW{' (distinct vectors)' if dedupe else ''} M={m:2d} efC={efc:3d} efS={efs:3d}: recall@10 "
                      f"{tie_aware_recall(vectors, queries, ids, kth):.3f}  {per_query:.2f} ms/q  build {build_s:5.1f} s  "
                      f"{size:.0f} MB", flush=True)
            del index


def sweep_ivfpq(vectors, queries, kth, nprobes) -> None:
    """The index dense.DenseIndex.build makes above ivfpq_threshold, with each nprobe."""
    from assistant.indexing.dense import DenseIndex

    started = time.perf_counter()
    dense = DenseIndex.build(vectors, hnsw_threshold=0, ivfpq_threshold=0)
    build_s = time.perf_counter() - started
    index = dense._index  # noqa: SLF001 - the benchmark varies the FAISS object's query breadth
    size = index_mb(index)
    for nprobe in nprobes:
        index.nprobe = nprobe
        ids, per_query = timed_search(index, queries)
        print(f"IVF-PQ lists={index.nlist} pq={index_value('pq_bytes')} nprobe={nprobe:3d}: recall@10 "
              f"{tie_aware_recall(vectors, queries, ids, kth):.3f}  {per_query:.2f} ms/q  build {build_s:5.1f} s  {size:.0f} MB",
              flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("folder", type=Path, help="holds vectors.npy and queries.npy (bench_scale.py writes them)")
    parser.add_argument("--m", default="16,32,48")
    parser.add_argument("--ef-construction", default="40,80,200")
    parser.add_argument("--ef-search", default="16,32,64,128,256")
    parser.add_argument("--ivfpq", action="store_true", help="also IVF-PQ, as built above ivfpq_threshold")
    parser.add_argument("--nprobe", default="8,16,32,64,128")
    parser.add_argument("--no-hnsw", action="store_true")
    parser.add_argument("--dedupe", action="store_true", help="HNSW over distinct vectors only (copies map back), as DenseIndex builds it")
    parser.add_argument("--threads", type=int, default=2, help="FAISS threads for building (queries run one at a time)")
    args = parser.parse_args()
    import faiss

    faiss.omp_set_num_threads(args.threads)
    vectors = np.ascontiguousarray(np.load(args.folder / "vectors.npy", mmap_mode="r"), dtype="float32")
    queries = np.ascontiguousarray(np.load(args.folder / "queries.npy"), dtype="float32")
    kth = exact_kth_scores(vectors, queries, K)
    flat = faiss.IndexFlatIP(vectors.shape[1])
    flat.add(vectors)
    _, exact_ms = timed_search(flat, queries)
    del flat
    unique = len(np.unique(vectors.view(np.dtype((np.void, vectors.dtype.itemsize * vectors.shape[1])))))
    print(f"{len(vectors)} vectors ({len(vectors) - unique} exact duplicates), {len(queries)} queries; "
          f"exact search {exact_ms:.2f} ms/q", flush=True)
    if not args.no_hnsw:
        sweep_hnsw(vectors, queries, kth, [int(x) for x in args.m.split(",")],
                   [int(x) for x in args.ef_construction.split(",")], [int(x) for x in args.ef_search.split(",")],
                   dedupe=args.dedupe)
    if args.ivfpq:
        sweep_ivfpq(vectors, queries, kth, [int(x) for x in args.nprobe.split(",")])


if __name__ == "__main__":
    main()
