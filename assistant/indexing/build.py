"""Build, publish and open index versions: chunks, BM25, FAISS and a manifest that says what built them.

The manifest records the corpus fingerprint, the embedding model, the chunker version, a hash of
the code that turns text into chunks and tokens, and the size and sha256 of every file; any
difference from what the settings and the code would build makes the index stale, so `search`,
`ask` and `serve` rebuild it instead of answering from an outdated one. A version is published
(`current` switched) only after it has been read back, verified and has answered a smoke test;
opening checks the checksums and falls back to the newest good older version when `current` is
damaged. Folder layout and the pointer: `versions`; checksums: `integrity`; the files: `bundle`.
"""

from __future__ import annotations

import json
import logging
import shutil
import time
from pathlib import Path
from typing import Any, Callable

import numpy as np

from assistant.ingest import chunking
from assistant.indexing import integrity, versions
from assistant.indexing.bundle import IndexBundle, read_files, smoke_test, write_files, write_sparse
from assistant.indexing.cache import BuildCache
from assistant.indexing.corpus import (code_fingerprint, corpus_files, corpus_fingerprint,  # noqa: F401 - public here
                                      parse_corpus, require_corpus)
from assistant.indexing.dense import INDEX_FILE, DenseIndex
from assistant.indexing.embeddings import Embedder, model_key
from assistant.errors import IndexError_
from assistant.records import Chunk
from assistant.indexing.views import document_tokens, passage_text, sparse_text
from assistant.indexing.postings import TermCounts
from assistant.indexing.sparse import SparseIndex

log = logging.getLogger(__name__)

INDEX_FORMAT = 3  # 3: FAISS over distinct vectors + dense.chunks.npy; 2: versioned folders with checksums; 1: one flat folder
MANIFEST = integrity.MANIFEST
Progress = Callable[[str], None]
_BATCH = 20_000  # chunks tokenised or embedded at a time: bounds the build's transient memory


def expected_manifest(settings) -> dict[str, Any]:
    """The fields of a manifest that must match for an index to be current."""
    return {
        "format": INDEX_FORMAT,
        "corpus_hash": corpus_fingerprint(Path(settings.corpus_dir), settings.max_document_bytes),
        "model": model_key(settings),
        "chunker_version": chunking.CHUNKER_VERSION,
        "code_hash": code_fingerprint(),
        "chunk_max_chars": settings.chunk_max_chars,
    }


def current_version(index_dir: Path) -> str | None:
    """The version `current` names (a cheap read of one small file), None when there is none."""
    return versions.read_pointer(Path(index_dir))


def read_manifest(index_dir: Path) -> dict[str, Any] | None:
    """The manifest of the current version (unverified), None when there is none."""
    version = current_version(index_dir)
    return integrity.read_manifest(Path(index_dir) / version) if version else None


def _differences(manifest: dict[str, Any], want: dict[str, Any]) -> list[str]:
    return [f"{key} changed" for key, value in want.items() if manifest.get(key) != value]


def stale_reasons(settings) -> list[str]:
    """Why the current index cannot be used as is (empty list: it is current)."""
    manifest = read_manifest(Path(settings.index_dir))
    if manifest is None:
        return ["no index"]
    return _differences(manifest, expected_manifest(settings))


def incompatible_reasons(manifest: dict[str, Any], settings) -> list[str]:
    """Why a server with these settings and this code must not answer from a version built elsewhere.

    Everything but the corpus: a replica switches to a version another process built from a changed
    corpus, never to one built for another model, chunker or text code.
    """
    want = {k: v for k, v in expected_manifest(settings).items() if k != "corpus_hash"}
    return _differences(manifest, want)


def _term_counts(cache: BuildCache, chunks: list[Chunk]) -> TermCounts:
    """Every chunk's BM25 term counts, a batch at a time, memoised by the cache: only one batch of token
    strings (the chunks it has to tokenise) is ever alive, whatever the corpus size."""
    salt = code_fingerprint()
    terms = TermCounts(cache.vocabulary(salt))

    def encode(text: str) -> tuple[np.ndarray, np.ndarray]:
        return terms.encode(document_tokens(text))

    for start in range(0, len(chunks), _BATCH):
        terms.add(cache.term_counts(salt, [sparse_text(c) for c in chunks[start:start + _BATCH]], encode, terms.tokens))
    return terms


def _embed(cache: BuildCache, embedder: Embedder, chunks: list[Chunk], show_bars: bool) -> np.ndarray:
    """Every chunk's vector, a batch at a time, so the cache's rows are never all in memory beside the result."""
    vectors = np.empty((len(chunks), int(embedder.dimension)), dtype="float32")
    for start in range(0, len(chunks), _BATCH):
        part = chunks[start:start + _BATCH]
        vectors[start:start + len(part)] = cache.embeddings(embedder, [passage_text(c) for c in part],
                                                            progress=show_bars)
    return vectors


def _reusable_dense(index_dir: Path) -> Path | None:
    """The current version's folder when it holds an HNSW graph whose file is intact, for `DenseIndex.build`
    to grow (exact indexes are rebuilt: adding every vector to a flat index is a copy)."""
    version = versions.read_pointer(index_dir)
    if version is None:
        return None
    folder = index_dir / version
    if (integrity.read_manifest(folder) or {}).get("dense_index") != "IndexHNSWFlat":
        return None
    return folder if integrity.file_intact(folder, INDEX_FILE) else None


def _publish_locked(settings, embedder_factory: Callable[[], Embedder], progress: Progress | None,
                    show_bars: bool) -> IndexBundle:
    """Build a new version next to the others, verify it, then point `current` at it. Holds the lock."""
    step = progress or (lambda stage: None)
    index_dir = Path(settings.index_dir)
    started = time.perf_counter()
    versions.remove_abandoned(index_dir)
    phases: dict[str, float] = {}  # seconds per stage, in the manifest: where a rebuild's time goes
    clock = time.perf_counter()

    def lap(name: str) -> None:
        nonlocal clock
        phases[name] = round(time.perf_counter() - clock, 2)
        clock = time.perf_counter()

    want = expected_manifest(settings)
    version = versions.new_version_name(index_dir, want["corpus_hash"])
    staging = versions.staging_folder(index_dir, version)
    staging.mkdir(parents=True)
    try:
        cache = BuildCache(Path(settings.cache_dir))  # memo of parses, tokens and vectors across rebuilds
        try:
            step("parse")
            documents, chunks, skipped = parse_corpus(Path(settings.corpus_dir), max_chars=settings.chunk_max_chars,
                                                      progress=show_bars, max_bytes=settings.max_document_bytes,
                                                      cache=cache)
            if not chunks:
                raise IndexError_("Không có văn bản nào đọc được trong thư mục văn bản; chưa thể xây dựng chỉ mục.")
            lap("parse")
            step("embed")
            sparse = SparseIndex.from_term_counts(_term_counts(cache, chunks))
            # On disk and out of memory before the vectors arrive (at 10^6 chunks: 1.2 GB of postings).
            write_sparse(staging, sparse, step)
            del sparse
            lap("bm25")
            embedder = embedder_factory()
            vectors = _embed(cache, embedder, chunks, show_bars)
            embedded = cache.embedded
            cache.prune()
            lap("embed")
        finally:
            cache.close()
        dense = DenseIndex.build(vectors, hnsw_threshold=settings.hnsw_threshold,
                                 ivfpq_threshold=settings.ivfpq_threshold, previous=_reusable_dense(index_dir))
        lap("dense")
        write_files(staging, chunks, documents, dense, step)
        step(f"write {MANIFEST}")
        manifest = {
            **want,
            "version": version,
            "dimension": dense.dimension,
            "dense_index": dense.kind,
            "dense_vectors": dense.vectors,
            "documents": len(documents),
            "chunks": len(chunks),
            "skipped": skipped,
            "built_at": time.strftime("%Y-%m-%dT%H:%M:%S"),
            "build_seconds": round(time.perf_counter() - started, 2),
            "embedded": embedded,
            "files": integrity.file_digests(staging),
        }
        lap("write")
        manifest["build_phases"] = phases
        # What was built is on disk now and is read back from there: holding both copies would double
        # the build's peak memory at 10^6 chunks.
        del documents, chunks, dense
        (staging / MANIFEST).write_text(json.dumps(manifest, ensure_ascii=False, indent=2), encoding="utf-8")
        versions.seal(staging)
        step("verify")
        bundle = _open_folder(staging, version)
        failures = smoke_test(bundle, vectors, embedder)
        if failures:
            raise IndexError_(f"Chỉ mục mới không vượt qua kiểm tra ({'; '.join(failures)}); vẫn dùng phiên bản cũ.")
        final = index_dir / version
        staging.rename(final)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    bundle.folder = final
    step("publish")
    versions.write_pointer(index_dir, version)
    versions.remove_legacy(index_dir)
    step("prune")
    versions.prune(index_dir, settings.index_keep_versions, lambda folder: not integrity.problems(folder))
    log.info("published index version %s (%d documents, %d chunks)", version, manifest["documents"], manifest["chunks"])
    return bundle


def publish_new_version(settings, embedder_factory: Callable[[], Embedder], *, progress: Progress | None = None,
                        show_bars: bool = False) -> str:
    """Build the corpus into a new version and make it current; return the version id.

    Safe to call from a background thread while servers answer: builders queue on the lock, the
    old version serves until the new one is verified, and a failure leaves it serving.

    Args:
        embedder_factory: called once, after parsing, to get the embedding model.
        progress: called with each stage's name ("parse", "embed", "write <file>", "write manifest.json",
            "verify", "publish", "prune") as it starts.
        show_bars: tqdm progress bars on stderr (the CLI).
    """
    require_corpus(Path(settings.corpus_dir))
    with versions.build_lock(Path(settings.index_dir)):
        return _publish_locked(settings, embedder_factory, progress, show_bars).manifest["version"]


def build_index(settings, embedder: Embedder, *, progress: bool = False) -> IndexBundle:
    """Publish a new version from settings.corpus_dir with this embedder and return it loaded."""
    require_corpus(Path(settings.corpus_dir))
    with versions.build_lock(Path(settings.index_dir)):
        return _publish_locked(settings, lambda: embedder, None, progress)


def _open_folder(folder: Path, version: str) -> IndexBundle:
    problems = integrity.problems(folder, version=version)
    if problems:
        raise IndexError_(f"Chỉ mục phiên bản {version} bị hỏng ({'; '.join(problems[:3])}).")
    chunks, documents, sparse, dense = read_files(folder)
    return IndexBundle(integrity.read_manifest(folder) or {}, chunks, documents, sparse, dense, folder=folder)


def open_version(settings, version: str) -> IndexBundle:
    """Load one version after checking every file against its manifest; IndexError_ if damaged."""
    return _open_folder(Path(settings.index_dir) / version, version)


def open_current(settings) -> IndexBundle:
    """The version `current` names, verified; when it is damaged, the newest good older version.

    A fallback carries `fallback_reason` (and is logged) so a server can rebuild in the background.
    Raises IndexError_ (Vietnamese) when no good version exists: answering from bad data is never
    an option.
    """
    index_dir = Path(settings.index_dir)
    pointer = versions.read_pointer(index_dir)
    reason = None
    if pointer is not None:
        try:
            return open_version(settings, pointer)
        except IndexError_ as exc:
            reason = exc.message
    elif versions.pointer_exists(index_dir):
        reason = "tệp con trỏ `current` bị hỏng"
    for version in versions.list_versions(index_dir):
        if version == pointer:
            continue
        try:
            bundle = open_version(settings, version)
        except IndexError_:
            continue
        bundle.fallback_reason = reason or "chưa có con trỏ `current`"
        log.warning("index: %s; answering from the previous good version %s until the index is rebuilt",
                    bundle.fallback_reason, version)
        return bundle
    if reason:
        raise IndexError_(f"{reason}; không còn phiên bản chỉ mục tốt nào: hãy chạy lại `assistant index`.")
    raise IndexError_("Chưa có chỉ mục: hãy chạy `assistant index`.")


def load_index(settings) -> IndexBundle:
    """Load a current index, or raise IndexError_ saying why it cannot be used."""
    reasons = stale_reasons(settings)
    if reasons:
        raise IndexError_(f"Chỉ mục chưa sẵn sàng ({', '.join(reasons)}): hãy chạy `assistant index`.")
    return open_current(settings)


def _usable(settings) -> IndexBundle | None:
    """The best good version if it matches what these settings would build, else None."""
    try:
        bundle = open_current(settings)
    except IndexError_:
        return None
    return None if _differences(bundle.manifest, expected_manifest(settings)) else bundle


def ensure_index(settings, embedder_factory, *, progress: bool = False) -> IndexBundle:
    """Load the index, building it first when it is missing, stale or has no good version."""
    require_corpus(Path(settings.corpus_dir))  # before an empty index/ is created in a wrong folder
    bundle = _usable(settings)
    if bundle is not None:
        return bundle
    with versions.build_lock(Path(settings.index_dir)):
        bundle = _usable(settings)  # another process may have built it while we waited for the lock
        if bundle is not None:
            return bundle
        log.info("building index: %s", ", ".join(stale_reasons(settings)) or "no good version")
        return _publish_locked(settings, embedder_factory, None, progress)


def allowed_mask(chunks: list[Chunk], doc_ids: set[str] | None) -> np.ndarray | None:
    """Boolean mask over chunk positions for a document filter (None: no filter).

    Walks every chunk; a retriever with a bundle uses `IndexBundle.doc_mask`, which does not.
    """
    if doc_ids is None:
        return None
    return np.fromiter((c.doc_id in doc_ids for c in chunks), dtype=bool, count=len(chunks))
