"""A build cache that survives rebuilds, so adding one plan re-embeds only that plan's chunks.

Three memos in one SQLite file (`Settings.cache_dir`, default `index/cache/`):
- embeddings by (model id, hash of the exact text embedded): the expensive part (~25 chunks/s with
  the torch MiniLM on 2 cores);
- BM25 term counts (distinct token ids and counts, int32) by (code fingerprint, hash of the text
  tokenised), with the vocabulary the ids point into: Vietnamese tokenising costs ~0.4 ms a chunk,
  minutes at 10^5 chunks;
- parsed documents (metadata, text, chunks) by a hash of the file, its .meta.json and the code.

Nothing read back is trusted: every row carries a checksum of its payload and a vector must have the
dimension asked for, so a damaged row is a miss and is recomputed; a file SQLite cannot read is
deleted and started afresh. Rows no build used last time are pruned, so the cache stays the size of
the corpus (per model).
"""

from __future__ import annotations

import hashlib
import json
import logging
import sqlite3
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

import numpy as np

log = logging.getLogger(__name__)

CACHE_FILE = "build-cache.sqlite3"
_SCHEMA_VERSION = 1
_TERMS, _VOCAB = "terms:", "vocab:"  # + code fingerprint
_FINGERPRINTED = ("tok:", "tokl:", _TERMS, _VOCAB)
_MMAP_BYTES = 16 << 30  # address space only: pages are read (shared page cache) when touched
_BATCH = 500  # keys per SQL `IN (...)` query, well under SQLite's variable limit


def text_key(text: str) -> str:
    """The hash a text is cached under."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _checksum(payload: bytes) -> bytes:
    return hashlib.blake2b(payload, digest_size=8).digest()


def model_id(embedder: Any) -> str:
    """Everything about an embedder that changes its vectors: name, dimension, passage profile."""
    profile = getattr(embedder, "profile", None)
    extra = f"|{profile.passage_prefix!r}|{profile.segment_words}" if profile is not None else ""
    return f"{embedder.name}|{int(embedder.dimension)}{extra}"


class BuildCache:
    """Memo of embeddings, token lists and parsed documents; every failure degrades to a miss."""

    def __init__(self, folder: Path) -> None:
        self.path = Path(folder) / CACHE_FILE
        self.embedded = 0  # texts this build had to embed (the rest came from the cache)
        self._used: dict[str, set[str]] = {}  # namespace -> keys read or written by this build
        self._whole: set[str] = set()  # namespaces this build reads whole (a vocabulary): never pruned by key
        self._db: sqlite3.Connection | None = None
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self._db = self._connect()
        except (sqlite3.Error, OSError) as exc:
            log.warning("build cache %s unusable (%s): starting afresh", self.path, exc)
            self._reset()

    def _connect(self) -> sqlite3.Connection:
        db = sqlite3.connect(self.path)
        # Reading 10^5 rows back by key was most of a one-plan rebuild: map the file instead of a read()
        # per page, and keep more pages cached.
        db.execute(f"PRAGMA mmap_size = {_MMAP_BYTES}")
        db.execute("PRAGMA cache_size = -131072")  # KiB: 128 MB
        version = db.execute("PRAGMA user_version").fetchone()[0]
        db.execute("CREATE TABLE IF NOT EXISTS memo (ns TEXT NOT NULL, key TEXT NOT NULL, payload BLOB NOT NULL, "
                   "checksum BLOB NOT NULL, PRIMARY KEY (ns, key)) WITHOUT ROWID")
        if version not in (0, _SCHEMA_VERSION):
            db.execute("DELETE FROM memo")
        db.execute(f"PRAGMA user_version = {_SCHEMA_VERSION}")
        db.commit()
        return db

    def _reset(self) -> None:
        """Drop an unreadable cache file and open an empty one (or none, if even that fails)."""
        if self._db is not None:
            self._db.close()
        self._db = None
        for suffix in ("", "-journal", "-wal", "-shm"):
            Path(str(self.path) + suffix).unlink(missing_ok=True)
        try:
            self._db = self._connect()
        except (sqlite3.Error, OSError) as exc:
            log.warning("build cache disabled: %s", exc)

    # --- raw rows ----------------------------------------------------------------------------------

    def _get(self, ns: str, keys: list[str]) -> dict[str, bytes]:
        self._used.setdefault(ns, set()).update(keys)
        if self._db is None or not keys:
            return {}
        found: dict[str, bytes] = {}
        unique = list(dict.fromkeys(keys))
        try:
            for i in range(0, len(unique), _BATCH):
                part = unique[i:i + _BATCH]
                rows = self._db.execute(f"SELECT key, payload, checksum FROM memo WHERE ns = ? AND key IN "
                                        f"({','.join('?' * len(part))})", [ns, *part]).fetchall()
                found.update((k, bytes(p)) for k, p, c in rows if _checksum(bytes(p)) == bytes(c))
        except sqlite3.Error as exc:
            log.warning("build cache %s unreadable (%s): ignoring it and rebuilding", self.path, exc)
            self._reset()
            return {}
        return found

    def _put(self, ns: str, items: Iterable[tuple[str, bytes]]) -> None:
        self._put_many([(ns, list(items))])

    def _put_many(self, groups: list[tuple[str, list[tuple[str, bytes]]]]) -> None:
        """Rows of several namespaces in one transaction (term counts and the vocabulary ids they use)."""
        for ns, items in groups:
            self._used.setdefault(ns, set()).update(k for k, _ in items)
        rows = [(ns, k, p, _checksum(p)) for ns, items in groups for k, p in items]
        if self._db is None or not rows:
            return
        try:
            with self._db:
                self._db.executemany("INSERT OR REPLACE INTO memo VALUES (?, ?, ?, ?)", rows)
        except sqlite3.Error as exc:
            log.warning("build cache %s not writable (%s): ignoring it", self.path, exc)
            self._reset()

    # --- what the build asks for -------------------------------------------------------------------

    def embeddings(self, embedder: Any, texts: list[str], *, progress: bool = False) -> np.ndarray:
        """Vectors of `texts`, embedding only those not cached for this model (and caching them)."""
        ns = "emb:" + model_id(embedder)
        dimension = int(embedder.dimension)
        keys = [text_key(t) for t in texts]
        cached = {k: v for k, v in self._get(ns, keys).items()
                  if len(v) == dimension * 4 and np.isfinite(np.frombuffer(v, dtype="float32")).all()}
        out = np.zeros((len(texts), dimension), dtype="float32")
        missing: dict[str, int] = {}
        for row, key in enumerate(keys):
            blob = cached.get(key)
            if blob is not None:
                out[row] = np.frombuffer(blob, dtype="float32")
            else:
                missing.setdefault(key, row)
        if missing:
            rows = list(missing.values())
            vectors = np.ascontiguousarray(embedder.encode_passages([texts[r] for r in rows], progress=progress),
                                           dtype="float32")
            self.embedded += len(rows)
            self._put(ns, ((keys[r], vectors[i].tobytes()) for i, r in enumerate(rows)))
            fresh = {keys[r]: vectors[i] for i, r in enumerate(rows)}
            for row, key in enumerate(keys):
                if key in fresh:
                    out[row] = fresh[key]
        return out

    def vocabulary(self, salt: str) -> list[str]:
        """The token of each id the cached term counts of this code fingerprint use (see `term_counts`).

        Read whole: a damaged or gapped vocabulary would make ids mean other tokens, so it is dropped
        together with every term count of that fingerprint, and they are recomputed.
        """
        ns = _VOCAB + salt
        self._whole.add(ns)
        if self._db is None:
            return []
        try:
            rows = self._db.execute("SELECT key, payload, checksum FROM memo WHERE ns = ?", (ns,)).fetchall()
        except sqlite3.Error as exc:
            log.warning("build cache %s unreadable (%s): ignoring it and rebuilding", self.path, exc)
            self._reset()
            return []
        tokens: list[str | None] = [None] * len(rows)
        for token, payload, checksum in rows:
            payload = bytes(payload)
            position = int.from_bytes(payload, "little") if len(payload) == 8 else -1
            if _checksum(payload) != bytes(checksum) or not 0 <= position < len(rows) or tokens[position] is not None:
                log.warning("build cache %s: damaged vocabulary, recomputing BM25 term counts", self.path)
                self._drop(ns, _TERMS + salt)
                return []
            tokens[position] = token
        return tokens  # type: ignore[return-value]  # every slot filled: ids are 0..n-1, each once

    def term_counts(self, salt: str, texts: list[str], encode: Callable[[str], tuple[np.ndarray, np.ndarray]],
                    vocabulary: list[str]) -> list[tuple[np.ndarray, np.ndarray]]:
        """(distinct token ids, counts) of each text, tokenising only those not cached under this code
        fingerprint. `encode` tokenises a text, appending unseen tokens to `vocabulary` (from
        `vocabulary()`); the new entries are stored in the same transaction as the rows using them.

        Stored as int32 arrays: reading them back creates no string per token, which made a one-plan
        rebuild at 10^5 chunks spend most of its time decoding token lists (23 million strings).
        """
        ns = _TERMS + salt
        known = len(vocabulary)
        keys = [text_key(t) for t in texts]
        cached: dict[str, tuple[np.ndarray, np.ndarray]] = {}
        for key, blob in self._get(ns, keys).items():
            if blob and len(blob) % 8 == 0:
                values = np.frombuffer(blob, dtype=np.int32)
                ids, counts = values[:len(values) // 2], values[len(values) // 2:]
                if ids.min() >= 0 and ids.max() < known and counts.min() > 0:
                    cached[key] = (ids, counts)
        fresh: dict[str, bytes] = {}
        out = []
        for key, text in zip(keys, texts):
            if key not in cached:
                cached[key] = encode(text)
                fresh[key] = np.concatenate(cached[key]).astype(np.int32).tobytes()
            out.append(cached[key])
        added = [(token, i.to_bytes(8, "little")) for i, token in enumerate(vocabulary[known:], start=known)]
        self._put_many([(_VOCAB + salt, added), (ns, list(fresh.items()))])
        return out

    def _drop(self, *namespaces: str) -> None:
        if self._db is None:
            return
        try:
            with self._db:
                self._db.executemany("DELETE FROM memo WHERE ns = ?", [(ns,) for ns in namespaces])
        except sqlite3.Error as exc:
            log.warning("build cache %s not writable (%s): ignoring it", self.path, exc)

    def document(self, key: str) -> dict | None:
        """A parsed document stored under `key`, or None (missing or damaged)."""
        value = _json_or_none(self._get("doc", [key]).get(key, b""))
        return value if isinstance(value, dict) else None

    def put_document(self, key: str, value: dict) -> None:
        self._put("doc", [(key, json.dumps(value, ensure_ascii=False).encode("utf-8"))])

    def prune(self) -> None:
        """Forget rows of the namespaces this build used that it did not use (removed or changed texts), and
        token lists of any other code fingerprint. A namespace holding no more rows than this build used
        has nothing to forget and is only counted (a one-plan rebuild adds rows, it removes none)."""
        if self._db is None:
            return
        try:
            with self._db:
                self._db.execute("CREATE TEMP TABLE IF NOT EXISTS keep (key TEXT PRIMARY KEY)")
                for ns in self._namespaces():
                    if ns in self._whole:
                        continue
                    keys = self._used.get(ns)
                    if keys is None:
                        if ns.startswith(_FINGERPRINTED):  # another fingerprint (or older form): never read again
                            self._db.execute("DELETE FROM memo WHERE ns = ?", (ns,))
                        continue
                    stored = self._db.execute("SELECT count(*) FROM memo WHERE ns = ?", (ns,)).fetchone()[0]
                    if stored > len(keys):
                        self._db.execute("DELETE FROM keep")
                        self._db.executemany("INSERT OR IGNORE INTO keep VALUES (?)", ((k,) for k in keys))
                        self._db.execute("DELETE FROM memo WHERE ns = ? AND key NOT IN (SELECT key FROM keep)", (ns,))
        except sqlite3.Error as exc:
            log.warning("build cache %s not prunable (%s)", self.path, exc)

    def _namespaces(self) -> list[str]:
        """Distinct namespaces, one index seek each (a DISTINCT would scan every row)."""
        found: list[str] = []
        while row := self._db.execute("SELECT ns FROM memo WHERE ns > ? ORDER BY ns LIMIT 1",
                                      (found[-1] if found else "",)).fetchone():
            found.append(row[0])
        return found

    def close(self) -> None:
        if self._db is not None:
            self._db.close()
            self._db = None


def document_key(path: Path, meta_path: Path, salt: str) -> str:
    """What a parsed document depends on: its file's name and bytes, its metadata file, the code."""
    digest = hashlib.sha256(salt.encode() + b"\0" + path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    if meta_path.is_file():
        digest.update(meta_path.read_bytes())
    return digest.hexdigest()


def _json_or_none(blob: bytes) -> Any:
    try:
        return json.loads(blob.decode("utf-8")) if blob else None
    except (UnicodeDecodeError, ValueError):
        return None
