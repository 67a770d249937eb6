"""The corpus folder read into plans and chunks: which files are plans, their fingerprint, and
load → parse → chunk through the build cache, a bad file skipped by name, never fatal to the others.

Kept apart from `build` (which publishes versions) because the CLI and the admin area list the plans too.
"""

from __future__ import annotations

import hashlib
import logging
from dataclasses import asdict
from pathlib import Path

from assistant.errors import AssistantError, DocumentError, IndexError_
from assistant.indexing.bundle import StoredDocument
from assistant.indexing.cache import BuildCache, document_key
from assistant.ingest import chunking, loaders, metadata, structure
from assistant.records import Chunk, DocumentMeta

log = logging.getLogger(__name__)

_FINGERPRINTED_SUFFIXES = frozenset({".py", ".tsv", ".txt", ".json"})


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


def code_fingerprint() -> str:
    """Hash of everything that shapes chunks and tokens: the ingest and Vietnamese-text
    subpackages wholesale (code and data files), and what each index sees of a chunk.

    Hashing whole folders, not a list of names, means a module added there later re-indexes too.
    """
    package = Path(__file__).resolve().parent.parent
    files = [*sorted((package / "ingest").rglob("*")), *sorted((package / "vi").rglob("*")),
             package / "indexing" / "views.py"]
    digest = hashlib.sha256()
    for path in files:
        if path.is_file() and path.suffix in _FINGERPRINTED_SUFFIXES:
            digest.update(path.relative_to(package).as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()[:16]


def corpus_fingerprint(corpus_dir: Path, max_bytes: int | None = None) -> str:
    """Hash of every plan and metadata file, by name and content.

    A file over the size cap (it is skipped anyway) counts by size and time, and an unreadable
    one by its name alone, so fingerprinting never reads a huge file nor fails on a bad one.
    """
    digest = hashlib.sha256()
    for path in sorted(corpus_dir.glob("*")):
        if path.is_file() and not path.name.startswith((".", "_")):
            try:
                stat = path.stat()
                if max_bytes is not None and stat.st_size > max_bytes:
                    content = f"<large {stat.st_size} {stat.st_mtime_ns}>".encode()
                else:
                    content = path.read_bytes()
            except OSError:
                content = b"<unreadable>"
            digest.update(path.name.encode() + b"\0" + content + b"\0")
    return digest.hexdigest()[:16]


def parse_corpus(corpus_dir: Path, *, max_chars: int, progress: bool = False, max_bytes: int | None = None,
                 cache: BuildCache | None = None) -> tuple[dict[str, StoredDocument], list[Chunk], list[dict]]:
    """Load → parse → chunk every plan; a file that is unreadable, binary, empty, too large or that
    the parser chokes on is skipped and reported by name, never fatal to the others.

    With a `cache`, a plan whose file, metadata file and parsing code are unchanged is read back
    from it instead of being parsed again.
    """
    from tqdm import tqdm

    documents: dict[str, StoredDocument] = {}
    chunks: list[Chunk] = []
    skipped: list[dict] = []
    files = corpus_files(corpus_dir)
    salt = f"{code_fingerprint()}|{max_chars}" if cache else ""
    for path in tqdm(files, desc="Phân tích văn bản", unit="vb", disable=not progress):
        doc_id = path.stem
        key = ""
        try:
            size = path.stat().st_size
            if max_bytes is not None and size > max_bytes:
                raise DocumentError(f"Tệp {path.name} quá lớn ({size:,} byte, giới hạn {max_bytes:,} byte — "
                                    "ASSISTANT_MAX_DOCUMENT_BYTES); đã bỏ qua.")
            key = document_key(path, corpus_dir / f"{doc_id}.meta.json", salt) if cache else ""
            cached = _stored_from_json(cache.document(key)) if cache else None
            if cached is not None:
                documents[doc_id], doc_chunks = cached
                chunks.extend(doc_chunks)
                continue
            text = loaders.load_text(path)
            override = metadata.load_meta_override(corpus_dir, doc_id)
            parsed = structure.parse_document(doc_id, text, override)
            doc_chunks = chunking.chunk_document(parsed, max_chars=max_chars)
        except AssistantError as exc:
            error = exc.message
        except OSError as exc:
            error = f"Không đọc được tệp {path.name}: {exc.strerror or exc}."
        except Exception as exc:  # a parser bug on one odd file must not stop the others being indexed
            log.exception("parsing %s failed", path.name)
            error = f"Không phân tích được tệp {path.name} ({exc.__class__.__name__})."
        else:
            documents[doc_id] = StoredDocument(meta=parsed.meta, text=parsed.text, source=path.name)
            chunks.extend(doc_chunks)
            if cache:
                cache.put_document(key, {"document": asdict(documents[doc_id]), "chunks": [asdict(c) for c in doc_chunks]})
            continue
        log.warning("skipping %s: %s", path.name, error)
        skipped.append({"file": path.name, "error": error})
    return documents, chunks, skipped


def _stored_from_json(value: dict | None) -> tuple[StoredDocument, list[Chunk]] | None:
    """A cached parse back as records; anything malformed is a miss, never an error."""
    try:
        d = value["document"]
        return (StoredDocument(meta=DocumentMeta(**d["meta"]), text=d["text"], source=d["source"]),
                [Chunk(**row) for row in value["chunks"]])
    except (TypeError, KeyError):
        return None
