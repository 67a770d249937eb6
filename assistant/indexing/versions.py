"""The index folder as read-only versions and a `current` pointer, so readers never see a half build.

```
index/
  current                               one line: the version questions are answered from
  20261203T054512123456Z-1a2b3c4d/      a complete version (UTC build time, corpus hash): files + manifest
  .building-<version>/                  a build in progress, or killed: never pointed to, removed later
  .lock                                 serialises builders, across processes and threads
```

A version is written under a hidden name and renamed into place only when complete and verified;
`current` is replaced with one `os.replace` after that. A reader therefore sees the old version or
the new one, never a mix, and a build killed at any instant leaves the previous version serving.
Several servers can share one folder: each watches `current` and loads the version it names.
"""

from __future__ import annotations

import fcntl
import logging
import os
import re
import shutil
from contextlib import contextmanager
from datetime import datetime, timezone
from pathlib import Path
from typing import Callable, Iterator

log = logging.getLogger(__name__)

POINTER = "current"
STAGING_PREFIX = ".building-"
_VERSION = re.compile(r"^\d{8}T\d{12}Z-[0-9a-f]{8}$")
# What the flat layout (before versions) kept directly in index/: removed once a version is published.
LEGACY_NAMES = ("manifest.json", "chunks.jsonl", "documents.json", "dense.faiss", "bm25", ".staging")


def is_version_name(name: str) -> bool:
    return bool(_VERSION.match(name))


def new_version_name(index_dir: Path, corpus_hash: str) -> str:
    """UTC build time to the microsecond plus the corpus hash: sorts by age, says what was indexed."""
    while True:
        stamp = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%S%f")
        name = f"{stamp}Z-{corpus_hash[:8].lower()}"
        if not (Path(index_dir) / name).exists():
            return name


def read_pointer(index_dir: Path) -> str | None:
    """The version `current` names, or None when the pointer is missing or garbled."""
    try:
        name = (Path(index_dir) / POINTER).read_text(encoding="ascii").strip()
    except (OSError, UnicodeDecodeError):
        return None
    return name if is_version_name(name) else None


def pointer_exists(index_dir: Path) -> bool:
    return (Path(index_dir) / POINTER).exists()


def _fsync_dir(folder: Path) -> None:
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def seal(folder: Path) -> None:
    """Make a finished version's files read-only and flush them to disk before it is renamed into place.

    Nothing ever rewrites a published version (a server may be reading it); read-only files keep a
    stray editor or script from doing so by accident.
    """
    for path in folder.rglob("*"):
        if path.is_file():
            with path.open("rb") as handle:
                os.fsync(handle.fileno())
            path.chmod(0o444)
    for sub in [folder, *(p for p in folder.rglob("*") if p.is_dir())]:
        _fsync_dir(sub)


def write_pointer(index_dir: Path, version: str) -> None:
    """Point `current` at version with one atomic rename: readers see the old name or the new one."""
    index_dir = Path(index_dir)
    if not is_version_name(version):
        raise ValueError(f"not a version name: {version!r}")
    tmp = index_dir / f".{POINTER}.{os.getpid()}.tmp"
    with tmp.open("w", encoding="ascii") as handle:
        handle.write(version + "\n")
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(tmp, index_dir / POINTER)
    _fsync_dir(index_dir)


def list_versions(index_dir: Path) -> list[str]:
    """Complete version folders, newest first (names sort by build time)."""
    index_dir = Path(index_dir)
    if not index_dir.is_dir():
        return []
    return sorted((p.name for p in index_dir.iterdir() if p.is_dir() and is_version_name(p.name)), reverse=True)


def staging_folder(index_dir: Path, version: str) -> Path:
    return Path(index_dir) / f"{STAGING_PREFIX}{version}"


def remove_abandoned(index_dir: Path) -> list[str]:
    """Delete folders of builds that never finished (killed, crashed). Call only under the build lock."""
    index_dir = Path(index_dir)
    removed = []
    for path in sorted(index_dir.glob(f"{STAGING_PREFIX}*")):
        shutil.rmtree(path, ignore_errors=True)
        removed.append(path.name)
    for path in index_dir.glob(f".{POINTER}.*.tmp"):
        path.unlink(missing_ok=True)
    if removed:
        log.info("removed unfinished index builds: %s", ", ".join(removed))
    return removed


def remove_legacy(index_dir: Path) -> None:
    """Delete the files of the flat, unversioned layout once a version replaces them."""
    for name in LEGACY_NAMES:
        path = Path(index_dir) / name
        if path.is_dir():
            shutil.rmtree(path, ignore_errors=True)
        elif path.exists():
            path.unlink(missing_ok=True)


def prune(index_dir: Path, keep: int, is_good: Callable[[Path], bool]) -> list[str]:
    """Keep `current` and the `keep` newest good versions; delete the rest. Call under the build lock.

    A server still answering from a deleted version is unaffected (its index is in memory) and
    moves to `current` on its next check.
    """
    index_dir = Path(index_dir)
    current = read_pointer(index_dir)
    kept: list[str] = []
    removed: list[str] = []
    for name in list_versions(index_dir):
        if name == current:
            continue
        if len(kept) < max(keep - 1, 0) and is_good(index_dir / name):
            kept.append(name)
            continue
        shutil.rmtree(index_dir / name, ignore_errors=True)
        removed.append(name)
    if removed:
        log.info("pruned old index versions: %s", ", ".join(removed))
    return removed


@contextmanager
def build_lock(index_dir: Path) -> Iterator[None]:
    """Hold the builders' lock: one build at a time per index folder (fcntl, so threads too)."""
    index_dir = Path(index_dir)
    index_dir.mkdir(parents=True, exist_ok=True)
    with open(index_dir / ".lock", "w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)
