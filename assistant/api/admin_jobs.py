"""Rebuilding the index from the admin area, in a background thread, with progress a page can poll.

`rebuild` is the one place that knows how an index is built and swapped in: it calls
`indexing.build.build_index`, which publishes a new verified version (`index/<version>/` and the
`current` pointer), and opens a fresh `Assistant` on the result. Requests keep being
answered by the old assistant until the new one is ready, then `app.state.assistant` is replaced
in one assignment (the swap happens in this server process; other worker processes switch to the
new version through their index watcher, `api/live.py`, within `index_watch_interval_s`).
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from typing import Any

from assistant.errors import AssistantError
from assistant.indexing.build import build_index
from assistant.indexing.embeddings import create_embedder
from assistant.pipeline import Assistant

log = logging.getLogger(__name__)

Progress = Callable[[int, str], None]  # (step number, Vietnamese label)
STEPS = ("Đọc, phân tích và lập chỉ mục các văn bản", "Nạp chỉ mục mới vào trợ lý")


def rebuild(app, progress: Progress) -> dict[str, Any]:
    """Build the index from corpus/ with the running assistant's embedder, then swap in a fresh assistant."""
    settings = app.state.settings
    current = getattr(app.state, "assistant", None)
    embedder = current.embedder() if current is not None else create_embedder(settings)
    progress(1, STEPS[0])
    bundle = build_index(settings, embedder)  # a new version, published only once it loads and answers
    progress(2, STEPS[1])
    fresh = Assistant(settings, bundle, embedder)
    app.state.assistant = fresh
    return {"documents": len(fresh.bundle.documents), "chunks": len(fresh.bundle.chunks),
            "skipped": fresh.bundle.manifest.get("skipped", [])}


@dataclass
class RebuildStatus:
    """What the progress page shows; `state` is idle, running, done or failed."""

    state: str = "idle"
    step: int = 0
    steps: int = len(STEPS)
    label: str = ""
    started_at: float | None = None
    finished_at: float | None = None
    error: str | None = None
    result: dict[str, Any] = field(default_factory=dict)

    def as_json(self) -> dict[str, Any]:
        out = asdict(self)
        end = self.finished_at or time.time()
        out["elapsed_s"] = round(end - self.started_at, 1) if self.started_at else 0.0
        return out


class RebuildJob:
    """At most one rebuild at a time per server process."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.status = RebuildStatus()
        self._thread: threading.Thread | None = None

    def snapshot(self) -> dict[str, Any]:
        with self._lock:
            return self.status.as_json()

    def start(self, app, on_finish: Callable[[RebuildStatus], None]) -> bool:
        """Start a rebuild in the background; False when one is already running."""
        with self._lock:
            if self.status.state == "running":
                return False
            self.status = RebuildStatus(state="running", started_at=time.time(), label="Đang bắt đầu…")
        self._thread = threading.Thread(target=self._run, args=(app, on_finish), name="admin-rebuild", daemon=True)
        self._thread.start()
        return True

    def _progress(self, step: int, label: str) -> None:
        with self._lock:
            self.status.step, self.status.label = step, label

    def _run(self, app, on_finish: Callable[[RebuildStatus], None]) -> None:
        try:
            result = rebuild(app, self._progress)
            with self._lock:
                self.status.state, self.status.result = "done", result
                self.status.step, self.status.label = len(STEPS), "Hoàn tất"
        except Exception as exc:  # the page must show any failure, not a spinner forever
            log.exception("admin rebuild failed")
            message = exc.message if isinstance(exc, AssistantError) else f"{exc.__class__.__name__}: {exc}"
            with self._lock:
                self.status.state, self.status.error = "failed", message
                self.status.label = "Thất bại"
        finally:
            with self._lock:
                self.status.finished_at = time.time()
                finished = RebuildStatus(**asdict(self.status))
            try:
                on_finish(finished)
            except Exception:  # noqa: BLE001 - the audit write failing must not hide the result
                log.exception("admin rebuild: could not record the result")

    def wait(self, timeout: float | None = None) -> None:
        """Block until the current rebuild ends (tests, shutdown)."""
        if self._thread is not None:
            self._thread.join(timeout)
