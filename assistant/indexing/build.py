"""Build, save and load the index folder: chunks, BM25, FAISS and a manifest that says what built them.

The manifest records the corpus fingerprint, the embedding model, the chunker version and a hash of
the code that turns text into chunks and tokens; any difference makes the index stale, so `search`,
`ask` and `serve` rebuild it instead of answering from an outdated one. Files are written next to
the old ones and the manifest last, under a lock, so a crash mid-build never leaves a half index
that looks complete.
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import logging
import shutil
import time
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any, Iterator

import numpy as np

from assistant.ingest import chunking, loaders, metadata, structure
from assistant.indexing.cache import BuildCache, document_key
from assistant.indexing.dense import DenseIndex
from assistant.indexing.embeddings import Embedder, model_key
from assistant.errors import AssistantError, IndexError_
from assistant.records import Chunk, DocumentMeta
from assistant.indexing.views import passage_text, sparse_text
from assistant.indexing.sparse import SparseIndex, document_tokens

log = logging.getLogger(__name__)

INDEX_FORMAT = 1
MANIFEST = "manifest.json"
_FINGERPRINTED_SUFFIXES = frozenset({".py", ".tsv", ".txt", ".json"})


@dataclass
class StoredDocument:
    """A parsed plan as the index keeps it: metadata plus the text every chunk offset points into."""

    meta: DocumentMeta
    text: str
    source: str  # file name in corpus/


@dataclass
class IndexBundle:
    manifest: dict[str, Any]
    chunks: list[Chunk]
    documents: dict[str, StoredDocument]
    sparse: SparseIndex
    dense: DenseIndex


def require_corpus(corpus_dir: Path) -> None:
    """Fail before anything is built when there is no corpus folder, saying where to put one.

    An installed assistant looks in the current directory by default, so the usual cause is
    running it from the wrong folder: the message names the folder and the two ways out.
    """
    if not Path(corpus_dir).is_dir():
        raise IndexError_(
            f"Không tìm thấy thư mục văn bản (corpus) tại {Path(corpus_dir).absolute()}. "
            "Hãy chạy lệnh trong thư mục chứa corpus/, hoặc đặt biến môi trường ASSISTANT_HOME trỏ tới "
            "thư mục đó (ví dụ: export ASSISTANT_HOME=/duong/dan/du-lieu; index/ và feedback.sqlite3 "
            "cũng được lưu ở đó), hoặc đặt ASSISTANT_CORPUS_DIR trỏ thẳng tới thư mục văn bản.")


def corpus_files(corpus_dir: Path) -> list[Path]:
    """The plans in corpus/: supported suffixes, no hidden files, no metadata sidecars."""
    require_corpus(corpus_dir)
    files = [
        p for p in sorted(corpus_dir.iterdir())
        if p.is_file() and not p.name.startswith((".", "_"))
        and p.suffix.lower() in loaders.SUPPORTED_SUFFIXES and not p.name.endswith(".meta.json")
    ]
    return files


def _code_fingerprint() -> str:
    """Hash of everything that shapes chunks and tokens: the ingest and Vietnamese-text
    subpackages wholesale (code and data files), and what each index sees of a chunk.

    Hashing whole folders, not a list of names, means a module added there later re-indexes too.
    """
    package = Path(__file__).resolve().parent.parent
    files = [*sorted((package / "ingest").rglob("*")), *sorted((package / "vi").rglob("*")),
             package / "indexing" / "views.py", package / "indexing" / "sparse.py"]
    digest = hashlib.sha256()
    for path in files:
        if path.is_file() and path.suffix in _FINGERPRINTED_SUFFIXES:
            digest.update(path.relative_to(package).as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()[:16]


def corpus_fingerprint(corpus_dir: Path) -> str:
    """Hash of every plan and metadata file, by name and content."""
    digest = hashlib.sha256()
    for path in sorted(corpus_dir.glob("*")):
        if path.is_file() and not path.name.startswith((".", "_")):
            digest.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()[:16]


def expected_manifest(settings) -> dict[str, Any]:
    """The fields of a manifest that must match for an index to be current."""
    return {
        "format": INDEX_FORMAT,
        "corpus_hash": corpus_fingerprint(Path(settings.corpus_dir)),
        "model": model_key(settings),
        "chunker_version": chunking.CHUNKER_VERSION,
        "code_hash": _code_fingerprint(),
        "chunk_max_chars": settings.chunk_max_chars,
    }


def read_manifest(index_dir: Path) -> dict[str, Any] | None:
    try:
        return json.loads((index_dir / MANIFEST).read_text(encoding="utf-8"))
    except (FileNotFoundError, json.JSONDecodeError):
        return None


def stale_reasons(settings) -> list[str]:
    """Why the index in settings.index_dir cannot be used as is (empty list: it is current)."""
    manifest = read_manifest(Path(settings.index_dir))
    if manifest is None:
        return ["no index"]
    want = expected_manifest(settings)
    return [f"{key} changed" for key, value in want.items() if manifest.get(key) != value]


@contextmanager
def _build_lock(index_dir: Path) -> Iterator[None]:
    index_dir.mkdir(parents=True, exist_ok=True)
    with open(index_dir / ".lock", "w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def parse_corpus(corpus_dir: Path, *, max_chars: int, progress: bool = False,
                 cache: BuildCache | None = None) -> tuple[dict[str, StoredDocument], list[Chunk], list[dict]]:
    """Load → parse → chunk every plan; a file that cannot be read is skipped and reported, not fatal.

    With a `cache`, a plan whose file, metadata file and parsing code are unchanged is read back
    from it instead of being parsed again.
    """
    from tqdm import tqdm

    documents: dict[str, StoredDocument] = {}
    chunks: list[Chunk] = []
    skipped: list[dict] = []
    files = corpus_files(corpus_dir)
    salt = f"{_code_fingerprint()}|{max_chars}" if cache else ""
    for path in tqdm(files, desc="Phân tích văn bản", unit="vb", disable=not progress):
        doc_id = path.stem
        key = document_key(path, corpus_dir / f"{doc_id}.meta.json", salt) if cache else ""
        cached = _stored_from_json(cache.document(key)) if cache else None
        if cached is not None:
            documents[doc_id], doc_chunks = cached
            chunks.extend(doc_chunks)
            continue
        try:
            text = loaders.load_text(path)
            override = metadata.load_meta_override(corpus_dir, doc_id)
            parsed = structure.parse_document(doc_id, text, override)
            doc_chunks = chunking.chunk_document(parsed, max_chars=max_chars)
        except AssistantError as exc:
            log.warning("skipping %s: %s", path.name, exc.message)
            skipped.append({"file": path.name, "error": exc.message})
            continue
        documents[doc_id] = StoredDocument(meta=parsed.meta, text=parsed.text, source=path.name)
        chunks.extend(doc_chunks)
        if cache:
            cache.put_document(key, {"document": asdict(documents[doc_id]), "chunks": [asdict(c) for c in doc_chunks]})
    return documents, chunks, skipped


def _stored_from_json(value: dict | None) -> tuple[StoredDocument, list[Chunk]] | None:
    """A cached parse back as records; anything malformed is a miss, never an error."""
    try:
        d = value["document"]
        return (StoredDocument(meta=DocumentMeta(**d["meta"]), text=d["text"], source=d["source"]),
                [Chunk(**row) for row in value["chunks"]])
    except (TypeError, KeyError):
        return None


def build_index(settings, embedder: Embedder, *, progress: bool = False) -> IndexBundle:
    """Rebuild settings.index_dir from settings.corpus_dir and return the loaded result."""
    index_dir = Path(settings.index_dir)
    started = time.perf_counter()
    with _build_lock(index_dir):
        cache = BuildCache(Path(settings.cache_dir))  # memo of parses, tokens and vectors across rebuilds
        documents, chunks, skipped = parse_corpus(Path(settings.corpus_dir), max_chars=settings.chunk_max_chars,
                                                  progress=progress, cache=cache)
        if not chunks:
            raise IndexError_("Không có văn bản nào đọc được trong thư mục văn bản; chưa thể xây dựng chỉ mục.")
        sparse = SparseIndex.build(chunks, tokens=cache.token_lists(
            _code_fingerprint(), [sparse_text(c) for c in chunks], document_tokens))
        vectors = cache.embeddings(embedder, [passage_text(c) for c in chunks], progress=progress)
        cache.prune()
        cache.close()
        dense = DenseIndex.build(vectors, hnsw_threshold=settings.hnsw_threshold, ivfpq_threshold=settings.ivfpq_threshold)

        (index_dir / MANIFEST).unlink(missing_ok=True)
        staging = index_dir / ".staging"
        shutil.rmtree(staging, ignore_errors=True)
        staging.mkdir()
        _write_jsonl(staging / "chunks.jsonl", (asdict(c) for c in chunks))
        (staging / "documents.json").write_text(json.dumps(
            {doc_id: {"meta": asdict(d.meta), "text": d.text, "source": d.source} for doc_id, d in documents.items()},
            ensure_ascii=False), encoding="utf-8")
        (staging / "bm25").mkdir()
        sparse.save(staging / "bm25")
        dense.save(staging)
        for item in staging.iterdir():
            target = index_dir / item.name
            if target.is_dir():
                shutil.rmtree(target)
            item.replace(target)
        staging.rmdir()
        manifest = {
            **expected_manifest(settings),
            "dimension": dense.dimension,
            "dense_index": dense.kind,
            "documents": len(documents),
            "chunks": len(chunks),
            "skipped": skipped,
            "built_at": time.strftime("%Y-%m-%dT%H:%M:%S"),
            "build_seconds": round(time.perf_counter() - started, 2),
            "embedded": cache.embedded,
        }
        (index_dir / MANIFEST).write_text(json.dumps(manifest, ensure_ascii=False, indent=2), encoding="utf-8")
    return IndexBundle(manifest, chunks, documents, sparse, dense)


def load_index(settings) -> IndexBundle:
    """Load a current index, or raise IndexError_ saying why it cannot be used."""
    index_dir = Path(settings.index_dir)
    reasons = stale_reasons(settings)
    if reasons:
        raise IndexError_(f"Chỉ mục chưa sẵn sàng ({', '.join(reasons)}): hãy chạy `assistant index`.")
    manifest = read_manifest(index_dir) or {}
    try:
        chunks = [Chunk(**row) for row in _read_jsonl(index_dir / "chunks.jsonl")]
        raw_docs = json.loads((index_dir / "documents.json").read_text(encoding="utf-8"))
        documents = {
            doc_id: StoredDocument(meta=DocumentMeta(**d["meta"]), text=d["text"], source=d["source"])
            for doc_id, d in raw_docs.items()
        }
        sparse = SparseIndex.load(index_dir / "bm25")
        dense = DenseIndex.load(index_dir)
    except (OSError, ValueError, TypeError, KeyError, RuntimeError) as exc:
        raise IndexError_(f"Chỉ mục bị hỏng ({exc}): hãy chạy lại `assistant index`.") from exc
    if not (len(chunks) == sparse.size == dense.size):
        raise IndexError_("Chỉ mục không nhất quán (số đoạn khác nhau giữa các thành phần): hãy chạy lại `assistant index`.")
    return IndexBundle(manifest, chunks, documents, sparse, dense)


def ensure_index(settings, embedder_factory, *, progress: bool = False) -> IndexBundle:
    """Load the index, building it first when it is missing or stale."""
    require_corpus(Path(settings.corpus_dir))  # before an empty index/ is created in a wrong folder
    if stale_reasons(settings):
        log.info("building index: %s", ", ".join(stale_reasons(settings)))
        return build_index(settings, embedder_factory(), progress=progress)
    return load_index(settings)


def _write_jsonl(path: Path, rows) -> None:
    with path.open("w", encoding="utf-8") as handle:
        for row in rows:
            handle.write(json.dumps(row, ensure_ascii=False) + "\n")


def _read_jsonl(path: Path) -> list[dict]:
    with path.open(encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def allowed_mask(chunks: list[Chunk], doc_ids: set[str] | None) -> np.ndarray | None:
    """Boolean mask over chunk positions for a document filter (None: no filter)."""
    if doc_ids is None:
        return None
    return np.fromiter((c.doc_id in doc_ids for c in chunks), dtype=bool, count=len(chunks))
