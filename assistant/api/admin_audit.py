"""The admin area's audit log: one JSON line per action, appended, never rewritten.

Each entry says when (UTC), what (`action`), on what (`target`), from where (`client`) and whether it
worked. A line is written with one `write` under an exclusive lock and flushed to disk before the
action's response goes out, so several server processes can share the file and nothing is lost.
"""

from __future__ import annotations

import fcntl
import json
import os
from collections import deque
from datetime import datetime, timezone
from pathlib import Path
from typing import Any


class AuditLog:
    """Append-only JSONL at `path`."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)

    def record(self, action: str, target: str, client: str, *, ok: bool = True, **detail: Any) -> dict[str, Any]:
        entry = {"time": datetime.now(timezone.utc).isoformat(timespec="seconds"), "action": action,
                 "target": target, "client": client, "ok": ok, **({"detail": detail} if detail else {})}
        line = (json.dumps(entry, ensure_ascii=False, default=str) + "\n").encode("utf-8")
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o640)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)
            os.write(fd, line)
            os.fsync(fd)
        finally:
            os.close(fd)
        return entry

    def recent(self, limit: int = 200) -> list[dict[str, Any]]:
        """The last `limit` entries, newest first (a damaged line is skipped, not fatal)."""
        if not self.path.exists():
            return []
        with self.path.open(encoding="utf-8", errors="replace") as handle:
            tail = deque(handle, maxlen=limit)
        out = []
        for line in reversed(tail):
            try:
                out.append(json.loads(line))
            except json.JSONDecodeError:
                continue
        return out
