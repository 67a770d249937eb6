"""What one index version holds, how its files are written and read back, and its smoke test.

The files are plain (JSON lines, JSON, bm25s's arrays, a FAISS index) so they can be inspected and
checksummed; reading them back checks that every component counts the same chunks, because a
version whose parts disagree would answer with the wrong clause.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field, fields, is_dataclass
from pathlib import Path
from typing import Any, Callable

import numpy as np

from assistant.errors import IndexError_
from assistant.indexing.dense import DenseIndex
from assistant.indexing.sparse import SparseIndex
from assistant.records import Chunk, DocumentMeta

CHUNKS_FILE = "chunks.jsonl"
DOCUMENTS_FILE = "documents.json"
SPARSE_FOLDER = "bm25"
_CHUNK_FIELDS = tuple(f.name for f in fields(Chunk))


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
    folder: Path | None = None
    # Set when `current` was damaged and this older good version answers until a rebuild.
    fallback_reason: str | None = None

    # Each chunk's document as a small int, made on first use: a document filter is then one numpy
    # comparison instead of a walk over every chunk (~60 ms a question at 10^6 chunks).
    _doc_codes: np.ndarray | None = field(default=None, init=False, repr=False)
    _doc_numbers: dict[str, int] = field(default_factory=dict, init=False, repr=False)

    @property
    def version(self) -> str | None:
        return self.manifest.get("version")

    def doc_mask(self, doc_ids: set[str] | None) -> np.ndarray | None:
        """Boolean mask over chunk positions for a document filter (None: no filter)."""
        if doc_ids is None:
            return None
        if self._doc_codes is None:
            numbers: dict[str, int] = {}
            self._doc_codes = np.fromiter((numbers.setdefault(c.doc_id, len(numbers)) for c in self.chunks),
                                          dtype=np.int32, count=len(self.chunks))
            self._doc_numbers = numbers
        wanted = [self._doc_numbers[d] for d in doc_ids if d in self._doc_numbers]
        return np.isin(self._doc_codes, np.asarray(wanted, dtype=np.int32))


def write_sparse(folder: Path, sparse: SparseIndex, step: Callable[[str], None]) -> None:
    """The BM25 index into folder; written as soon as it is built, so the build can drop it before embedding."""
    step(f"write {SPARSE_FOLDER}")
    (folder / SPARSE_FOLDER).mkdir()
    sparse.save(folder / SPARSE_FOLDER)


def write_files(folder: Path, chunks: list[Chunk], documents: dict[str, StoredDocument], dense: DenseIndex,
                step: Callable[[str], None]) -> None:
    """The other components into folder (BM25: `write_sparse`; the manifest is written by the caller, last)."""
    step(f"write {CHUNKS_FILE}")
    with (folder / CHUNKS_FILE).open("w", encoding="utf-8") as handle:
        for chunk in chunks:
            handle.write(chunk_line(chunk))
    step(f"write {DOCUMENTS_FILE}")
    (folder / DOCUMENTS_FILE).write_text(json.dumps(
        {doc_id: {"meta": asdict(d.meta), "text": d.text, "source": d.source} for doc_id, d in documents.items()},
        ensure_ascii=False), encoding="utf-8")
    step("write dense")
    dense.save(folder)


def _plain(value: Any) -> Any:
    """JSON for a dataclass nested in a chunk's `extra` (none is today; kept safe)."""
    if is_dataclass(value) and not isinstance(value, type):
        return asdict(value)
    raise TypeError(f"{type(value).__name__} is not JSON serialisable")


def chunk_line(chunk: Chunk) -> str:
    """One line of chunks.jsonl: the chunk's fields, shallow. `asdict` deep-copies every list and dict
    and took 8 of the 47 seconds of a one-plan rebuild at 10^5 chunks."""
    return json.dumps({name: getattr(chunk, name) for name in _CHUNK_FIELDS}, ensure_ascii=False, default=_plain) + "\n"


def read_files(folder: Path) -> tuple[list[Chunk], dict[str, StoredDocument], SparseIndex, DenseIndex]:
    """Load a version's components; IndexError_ when any is unreadable or they disagree."""
    try:
        with (folder / CHUNKS_FILE).open(encoding="utf-8") as handle:
            chunks = [Chunk(**json.loads(line)) for line in handle if line.strip()]
        raw_docs = json.loads((folder / DOCUMENTS_FILE).read_text(encoding="utf-8"))
        documents = {
            doc_id: StoredDocument(meta=DocumentMeta(**d["meta"]), text=d["text"], source=d["source"])
            for doc_id, d in raw_docs.items()
        }
        sparse = SparseIndex.load(folder / SPARSE_FOLDER)
        dense = DenseIndex.load(folder)
    except (OSError, ValueError, TypeError, KeyError, AttributeError, RuntimeError, EOFError) as exc:
        raise IndexError_(f"Chỉ mục bị hỏng ({exc.__class__.__name__}: {exc}): hãy chạy lại `assistant index`.") from exc
    if not (len(chunks) == sparse.size == dense.size) or any(c.doc_id not in documents for c in chunks):
        raise IndexError_("Chỉ mục không nhất quán (số đoạn khác nhau giữa các thành phần): hãy chạy lại `assistant index`.")
    return chunks, documents, sparse, dense


def smoke_test(bundle: IndexBundle, vectors: np.ndarray, embedder) -> list[str]:
    """Ask a freshly built version questions whose answers are known; what went wrong (empty: fine).

    The question is a long chunk's own text, from each third of the version: BM25 must rank that
    chunk in its top ten, FAISS must find its stored vector, and the embedder's query vector must
    fit the index. Wrong order between components, a truncated index or a model of another
    dimension all fail here, before any server is pointed at the version.
    """
    failures = []
    n = len(bundle.chunks)
    thirds = [range(k * n // 3, max((k + 1) * n // 3, k * n // 3 + 1)) for k in range(3)]
    picks = sorted({max((i for i in r if i < n), key=lambda i: len(bundle.chunks[i].text)) for r in thirds if r.start < n})
    for i in picks:
        chunk = bundle.chunks[i]
        scores = bundle.sparse.scores(chunk.text)
        if scores[i] <= 0 or int((scores > scores[i]).sum()) >= 10:
            failures.append(f"BM25 does not find chunk {chunk.chunk_id} from its own text")
        # Only exact search must return a vector's own score; HNSW and IVF-PQ approximate it.
        own = float(np.dot(vectors[i], vectors[i])) if bundle.dense.kind == "IndexFlatIP" else -np.inf
        found = bundle.dense.search(vectors[i], 1)
        if not found or found[0][1] < own - 1e-3:
            failures.append(f"FAISS does not find the vector of chunk {chunk.chunk_id}")
    query = embedder.encode_queries([bundle.chunks[picks[0]].text]) if picks else None
    if query is None or query.shape[-1] != bundle.dense.dimension or not bundle.dense.search(query[0], 10):
        failures.append("the embedding model's query vectors do not fit the dense index")
    return failures
