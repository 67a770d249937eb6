"""Scale benchmark: build time (full and one-plan incremental), size on disk, serving memory, latency,
retrieval quality and ANN recall on synthetic corpora of 10^4, 10^5 … chunks (benchmarks/synth_corpus.py).

Prints numbers; asserts nothing. Also compares the two encoders on the real corpus (chunks/s, and
dense-mode Recall@10 on eval/questions_*.jsonl), and says which encoder each size used.

Usage: PYTHONPATH=. python benchmarks/bench_scale.py [--sizes 10000,100000] [--work /tmp/bench-scale]
       [--encoder static] [--compare-encoders] [--questions 150] [--embed-only]
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(REPO), str(REPO / "benchmarks")]

from assistant.indexing.build import build_index  # noqa: E402
from assistant.indexing.cache import CACHE_FILE  # noqa: E402
from assistant.indexing.embeddings import create_embedder  # noqa: E402
from assistant.settings import Settings  # noqa: E402
from synth_corpus import generate  # noqa: E402

DATASETS = sorted((REPO / "eval").glob("questions_*.jsonl"))


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


def folder_mb(path: Path, skip: str | None = None) -> float:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file() and (skip is None or skip not in p.parts)) / 2**20


def peak_rss_mb() -> float:
    """High-water resident memory of this process (the build runs in it)."""
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def eval_questions(limit: int) -> list[dict]:
    rows = [json.loads(line) for path in DATASETS for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    return rows[:limit]


def serving_memory(settings: Settings) -> str:
    """RSS and PSS of a fresh process that opens the index and answers one question (as a worker would)."""
    code = ("import sys; sys.path.insert(0, %r)\n"
            "from assistant.pipeline import Assistant\nfrom assistant.settings import Settings\n"
            "a = Assistant.open(Settings(corpus_dir=%r, index_dir=%r, embedding_backend=%r))\n"
            "a.ask('Mục tiêu tỷ trọng kinh tế số của Đồng Nai đến năm 2025?')\n"
            "m = {l.split(':')[0]: int(l.split()[1]) // 1024 for l in open('/proc/self/smaps_rollup') if l[:4] in ('Rss:', 'Pss:')}\n"
            "print(f\"RSS {m['Rss']} MB, PSS {m['Pss']} MB\")") % (
        str(REPO), str(settings.corpus_dir), str(settings.index_dir), settings.embedding_backend)
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=600).stdout.strip()


def ann_queries() -> list[str]:
    """Every development question (never the holdout): more queries than the answer run, for a steadier recall."""
    paths = [*DATASETS, *sorted((REPO / "eval").glob("questions_dev_*.jsonl")), *sorted((REPO / "eval" / "blind").rglob("*.jsonl"))]
    return sorted({json.loads(line)["question"] for path in paths
                   for line in path.read_text(encoding="utf-8").splitlines() if line.strip()})


def save_vectors(bundle, embedder, settings: Settings, folder: Path) -> None:
    """The chunk vectors the build used (IVF-PQ keeps only codes) and the query vectors, for the
    exact reference here and benchmarks/bench_ann.py's sweeps; saved right after the full build, so
    a run stopped later (time, memory) still leaves them."""
    from assistant.indexing.cache import BuildCache
    from assistant.indexing.views import passage_text

    cache = BuildCache(Path(settings.cache_dir))
    try:
        vectors = np.ascontiguousarray(cache.embeddings(embedder, [passage_text(c) for c in bundle.chunks]), dtype="float32")
    finally:
        cache.close()
    np.save(folder / "vectors.npy", vectors)
    np.save(folder / "queries.npy", np.ascontiguousarray(embedder.encode_queries(ann_queries()), dtype="float32"))


def ann_recall(dense, folder: Path) -> list[str]:
    """Tie-aware recall@10 of the built index (distinct vectors, each standing for its chunks) against exact
    search over every chunk's vector, and ms per query, for several efSearch / nprobe around the one in force.
    `dense` is the full build's index: vectors.npy holds its chunks' vectors (the one-plan rebuild has more)."""
    from assistant.evaluation.ann import exact_kth_scores, tie_aware_recall

    vectors = np.load(folder / "vectors.npy", mmap_mode="r")
    queries = np.load(folder / "queries.npy")
    head = f"{dense.kind}: {dense.vectors} distinct vectors for {dense.size} chunks"
    if dense.kind == "IndexFlatIP":
        return [f"{head}; exact: recall 1.0 by construction"]
    kth = exact_kth_scores(vectors, queries, 10)
    chosen = dense.breadth
    lines = [head]
    for breadth in sorted({16, 64, 256, 512, 1024, 2048, 4096, chosen}):
        dense.breadth = breadth
        started = time.perf_counter()
        found = [[i for i, _ in dense.search(q, 10)] for q in queries]
        ms = (time.perf_counter() - started) * 1000 / len(queries)
        ids = np.array([row + [-1] * (10 - len(row)) for row in found])
        lines.append(f"{'efSearch' if dense.kind == 'IndexHNSWFlat' else 'nprobe'}={breadth:4d}"
                     f"{' (in force)' if breadth == chosen else ''}: tie-aware recall@10 vs exact "
                     f"{tie_aware_recall(vectors, queries, ids, kth):.3f}, {ms:.2f} ms/query (n={len(queries)})")
    dense.breadth = chosen
    return lines


def run_size(size: int, work: Path, encoder: str, limit: int) -> None:
    from assistant.evaluation import run as evaluation
    from assistant.pipeline import Assistant

    folder = work / str(size)
    corpus = folder / "corpus"
    if not corpus.exists():
        generate(corpus, size - 436, seed=size)
    settings = Settings(corpus_dir=corpus, index_dir=folder / "index", embedding_backend=encoder,
                        cache_dir=work / "cache", rate_limit_per_minute=0)
    embedder = create_embedder(settings)
    (work / "cache" / CACHE_FILE).unlink(missing_ok=True)  # a cold build: only the static table is kept
    started = time.perf_counter()
    bundle = build_index(settings, embedder)
    full_s = time.perf_counter() - started
    m = bundle.manifest
    print(f"\n== {len(bundle.chunks)} chunks, {m['documents']} plans, encoder: {embedder.name} ==")
    print(f"full build (cold cache): {full_s:.1f} s; dense index {m['dense_index']} over {m['dense_vectors']} distinct "
          f"vectors; peak RSS of this process so far {peak_rss_mb():.0f} MB", flush=True)
    save_vectors(bundle, embedder, settings, folder)
    print(f"  phases (s): {m['build_phases']}", flush=True)
    extra = generate(folder / "extra", 87, seed=size + 1, plant_real=False)[0]
    shutil.copy(extra, corpus / f"added-{extra.name}")
    full_dense = bundle.dense  # memory-mapped; the recall below is measured on it, against vectors.npy
    bundle = None  # the full build's chunks are not held through the rebuild (10^6: GBs)
    started = time.perf_counter()
    bundle = build_index(settings, embedder)
    print(f"incremental build after adding one plan: {time.perf_counter() - started:.1f} s, "
          f"{bundle.manifest['embedded']} chunks embedded; phases (s): {bundle.manifest['build_phases']}; "
          f"peak RSS of this process so far {peak_rss_mb():.0f} MB", flush=True)
    # Measured on this version (one synthetic plan more): a third full build would double a 10^6 run.
    version = settings.index_dir / bundle.manifest["version"]  # the served version only, not the older ones kept
    print(f"index on disk: {folder_mb(version):.0f} MB (one version); build cache: {folder_mb(work / 'cache'):.0f} MB")
    print(f"serving process: {serving_memory(settings)}")
    assistant = Assistant(settings, bundle, embedder)
    qs = eval_questions(limit)
    for q in qs[:5]:
        assistant.ask(q["question"])
    retrieve, ask = [], []
    for q in qs:
        t = time.perf_counter()
        assistant.search(q["question"])
        retrieve.append((time.perf_counter() - t) * 1000)
        t = time.perf_counter()
        assistant.ask(q["question"])
        ask.append((time.perf_counter() - t) * 1000)
    print(f"hybrid retrieve p50 {statistics.median(retrieve):.1f} ms p95 {percentile(retrieve, 0.95):.1f} ms | "
          f"ask p50 {statistics.median(ask):.1f} ms p95 {percentile(ask, 0.95):.1f} ms  (n={len(qs)})")
    subset = folder / "questions.jsonl"
    subset.write_text("".join(json.dumps(q, ensure_ascii=False) + "\n" for q in qs), encoding="utf-8")
    overall = evaluation.run(assistant, [subset], modes=["hybrid", "dense"], progress=False).overall()
    for mode, metrics in overall.items():
        print(f"eval {mode:6s} (planted real plans): Recall@10 {metrics['recall@10']:.3f}  MRR@10 {metrics['mrr@10']:.3f}  "
              f"answers correct {metrics.get('answer_accuracy', float('nan')):.3f}")
    for line in ann_recall(full_dense, folder):
        print(line)
    (corpus / f"added-{extra.name}").unlink()  # the next run starts from the generated corpus again


def embed_only(size: int, work: Path, encoder: str) -> None:
    """Chunk vectors of the synthetic corpus without building the index, for bench_ann.py at sizes whose full
    build does not fit the machine (10^6: the build holds every chunk's BM25 token list in memory and passed
    10 GB while tokenising). Parses through the build cache, embeds in batches, saves vectors.npy/queries.npy."""
    from assistant.indexing.build import parse_corpus
    from assistant.indexing.cache import BuildCache
    from assistant.indexing.views import passage_text

    folder = work / str(size)
    corpus = folder / "corpus"
    if not corpus.exists():
        generate(corpus, size - 436, seed=size)
    settings = Settings(corpus_dir=corpus, index_dir=folder / "index", embedding_backend=encoder, cache_dir=work / "cache")
    embedder = create_embedder(settings)
    started = time.perf_counter()
    cache = BuildCache(Path(settings.cache_dir))
    try:
        _, chunks, _ = parse_corpus(corpus, max_chars=settings.chunk_max_chars, cache=cache)
    finally:
        cache.close()
    parse_s = time.perf_counter() - started
    vectors = np.lib.format.open_memmap(folder / "vectors.npy", mode="w+", dtype="float32",
                                        shape=(len(chunks), embedder.dimension))
    started = time.perf_counter()
    for start in range(0, len(chunks), 20_000):
        vectors[start:start + 20_000] = embedder.encode_passages([passage_text(c) for c in chunks[start:start + 20_000]])
    vectors.flush()
    np.save(folder / "queries.npy", np.ascontiguousarray(embedder.encode_queries(ann_queries()), dtype="float32"))
    print(f"== {len(chunks)} chunks (embeddings only, no index built): parse {parse_s:.0f} s, "
          f"embed {time.perf_counter() - started:.0f} s ({embedder.name}) -> {folder / 'vectors.npy'}", flush=True)


def compare_encoders(work: Path, limit: int) -> None:
    """Torch MiniLM against its static distillation on the real corpus: speed and dense retrieval."""
    from assistant.evaluation import run as evaluation
    from assistant.indexing.build import parse_corpus
    from assistant.indexing.views import passage_text
    from assistant.pipeline import Assistant

    _, chunks, _ = parse_corpus(REPO / "corpus", max_chars=900)
    texts = [passage_text(c) for c in chunks]
    subset = work / "questions-real.jsonl"
    subset.write_text("".join(json.dumps(q, ensure_ascii=False) + "\n" for q in eval_questions(limit)), encoding="utf-8")
    print("\n== encoders on the real corpus (436 chunks) ==")
    for encoder in ("torch", "static"):
        settings = Settings(corpus_dir=REPO / "corpus", index_dir=work / f"real-{encoder}", embedding_backend=encoder,
                            cache_dir=work / "cache")
        t = time.perf_counter()
        embedder = create_embedder(settings)
        load_s = time.perf_counter() - t
        sample = texts if encoder == "static" else texts[:128]
        t = time.perf_counter()
        embedder.encode_passages(sample)
        rate = len(sample) / (time.perf_counter() - t)
        assistant = Assistant(settings, build_index(settings, embedder), embedder)
        metrics = evaluation.run(assistant, [subset], modes=["dense"], progress=False).overall()["dense"]
        print(f"{embedder.name:28s} load {load_s:5.1f} s  {rate:8.0f} chunks/s  dense Recall@10 {metrics['recall@10']:.3f}  "
              f"MRR@10 {metrics['mrr@10']:.3f}  (n={limit})")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", default="10000,100000")
    parser.add_argument("--work", type=Path, default=Path("/tmp/bench-scale"))
    parser.add_argument("--encoder", default="static", choices=["static", "torch"])
    parser.add_argument("--questions", type=int, default=150)
    parser.add_argument("--compare-encoders", action="store_true")
    parser.add_argument("--embed-only", action="store_true", help="only save the chunk vectors (then run bench_ann.py on them)")
    args = parser.parse_args()
    args.work.mkdir(parents=True, exist_ok=True)
    if args.compare_encoders:
        compare_encoders(args.work, args.questions)
    for size in (int(s) for s in args.sizes.split(",") if s):
        if args.embed_only:
            embed_only(size, args.work, args.encoder)
        else:
            run_size(size, args.work, args.encoder, args.questions)


if __name__ == "__main__":
    main()
