"""Checksums of an index version: written into its manifest at build, checked before it is used.

A version folder is only ever read after it is complete, so any difference between a file and the
size and sha256 its manifest records — a file deleted, truncated, emptied, overwritten with garbage,
or a garbled manifest — means the version is damaged and must not answer questions.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

MANIFEST = "manifest.json"
# Keys a usable manifest has whatever else it records; a manifest without them is garbled.
REQUIRED_KEYS = ("format", "version", "files", "chunks", "model", "corpus_hash")
_BLOCK = 1 << 20


def sha256_file(path: Path) -> str:
    """Hex sha256 of a file, read in blocks so a large index never sits in memory twice."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while block := handle.read(_BLOCK):
            digest.update(block)
    return digest.hexdigest()


def file_digests(folder: Path) -> dict[str, dict[str, Any]]:
    """{relative path: {"bytes", "sha256"}} of every file under folder except the manifest."""
    out = {}
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        rel = path.relative_to(folder).as_posix()
        if rel != MANIFEST:
            out[rel] = {"bytes": path.stat().st_size, "sha256": sha256_file(path)}
    return out


def read_manifest(folder: Path) -> dict[str, Any] | None:
    """The folder's manifest as a dict, or None when it is missing or not a JSON object."""
    try:
        data = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError):
        return None
    return data if isinstance(data, dict) else None


def problems(folder: Path, version: str | None = None) -> list[str]:
    """Why the version in folder cannot be trusted (empty list: every component is as built).

    Checks the manifest's shape, that it names this version (the folder's name unless given: a
    build checks its staging folder before renaming it), and every recorded file's size (cheap,
    first) and sha256. Files the manifest does not list are ignored: they are never read.
    """
    folder = Path(folder)
    version = version or folder.name
    if not folder.is_dir():
        return [f"folder {folder.name} is missing"]
    manifest = read_manifest(folder)
    if manifest is None:
        return ["manifest.json is missing or not valid JSON"]
    missing = [key for key in REQUIRED_KEYS if key not in manifest]
    if missing:
        return [f"manifest.json lacks {', '.join(missing)}"]
    if manifest["version"] != version:
        return [f"manifest.json names version {manifest['version']!r}, not {version!r}"]
    files = manifest["files"]
    if not isinstance(files, dict) or not files:
        return ["manifest.json lists no files"]
    found = []
    for rel, want in sorted(files.items()):
        path = folder / rel
        try:
            if not isinstance(want, dict) or not path.is_file():
                found.append(f"{rel} is missing")
            elif path.stat().st_size != want.get("bytes"):
                found.append(f"{rel} has {path.stat().st_size} bytes, expected {want.get('bytes')}")
            elif sha256_file(path) != want.get("sha256"):
                found.append(f"{rel} does not match its checksum")
        except OSError as exc:
            found.append(f"{rel} cannot be read ({exc.strerror or exc})")
    return found


def file_intact(folder: Path, rel: str) -> bool:
    """Whether one file of a version matches its manifest record (a rebuild reusing one component
    checks just that one, not the whole version)."""
    want = ((read_manifest(folder) or {}).get("files") or {}).get(rel)
    path = Path(folder) / rel
    try:
        return (isinstance(want, dict) and path.is_file() and path.stat().st_size == want.get("bytes")
                and sha256_file(path) == want.get("sha256"))
    except OSError:
        return False
