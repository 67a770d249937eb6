"""Answer from the newest published index version without a restart; heal a damaged one in the background.

A daemon thread reads `index/current` (one small file) every `index_watch_interval_s`. When it names
a version this server is not answering from, the thread loads and verifies that version off the
request path, then replaces `app.state.assistant`: a request already running keeps the object it
started with, so none fails during a switch. A version that fails verification, or was built for
another model or code, is remembered and skipped while the server keeps answering from what it has.
A server that had to start from an older version (its `current` was damaged) rebuilds once in the
background; the watcher then switches to the result like to any other new version.
"""

from __future__ import annotations

import gc
import logging
import threading

from fastapi import FastAPI

from assistant.api.warmup import refreeze_heap, warm_up
from assistant.errors import AssistantError, IndexError_
from assistant.indexing.build import current_version, incompatible_reasons, open_version, publish_new_version
from assistant.settings import Settings

log = logging.getLogger(__name__)


def _serving(app: FastAPI) -> str | None:
    bundle = getattr(app.state.assistant, "bundle", None)
    return getattr(bundle, "version", None)


class IndexWatcher:
    """Keeps `app.state.assistant` on the version `current` names (see the module docstring)."""

    def __init__(self, app: FastAPI, settings: Settings) -> None:
        self.app = app
        self.settings = settings
        self.rejected: dict[str, str] = {}  # version → why it was not switched to
        self.rebuild_error: str | None = None
        self._stop = threading.Event()
        self._check_lock = threading.Lock()
        self._threads: list[threading.Thread] = []

    def check(self) -> str | None:
        """Switch to the version `current` names when it is new and good; return the version now served."""
        with self._check_lock:
            serving = _serving(self.app)
            pointer = current_version(self.settings.index_dir)
            if pointer is None or pointer == serving or pointer in self.rejected:
                return serving
            try:
                bundle = open_version(self.settings, pointer)
                reasons = incompatible_reasons(bundle.manifest, self.settings)
                if reasons:
                    raise IndexError_(f"built for other settings or code ({', '.join(reasons)})")
            except IndexError_ as exc:
                self.rejected[pointer] = exc.message
                log.error("index version %s is not used: %s; still answering from %s", pointer, exc.message, serving)
                return serving
            switched = self.app.state.assistant.switch_to(bundle)
            if gc.get_freeze_count():  # a serving process: warm the new version before requests see it
                warm_up(switched)
            self.app.state.assistant = switched
            refreeze_heap()
            log.warning("switched to index version %s (was %s)", pointer, serving)
            return pointer

    def _watch(self) -> None:
        while not self._stop.wait(self.settings.index_watch_interval_s):
            try:
                self.check()
            except Exception:  # the watcher must outlive any surprise; the server keeps its version
                log.exception("checking index/current failed")

    def _rebuild(self) -> None:
        try:
            publish_new_version(self.settings, self.app.state.assistant.embedder)
        except AssistantError as exc:
            self.rebuild_error = exc.message
            log.error("background index rebuild failed: %s", exc.message)
            return
        except Exception as exc:
            self.rebuild_error = f"{exc.__class__.__name__}: {exc}"
            log.exception("background index rebuild failed")
            return
        self.check()

    def _spawn(self, target, name: str) -> None:
        thread = threading.Thread(target=target, name=name, daemon=True)
        self._threads.append(thread)
        thread.start()

    def start(self) -> None:
        """Start watching (unless the interval is 0) and, when serving a fallback, rebuild in the background."""
        if self.settings.index_watch_interval_s > 0:
            self._spawn(self._watch, "index-watcher")
        bundle = getattr(self.app.state.assistant, "bundle", None)
        if getattr(bundle, "fallback_reason", None):
            log.warning("index: %s; rebuilding in the background", bundle.fallback_reason)
            self._spawn(self._rebuild, "index-rebuild")

    def stop(self, timeout_s: float = 5.0) -> None:
        """Stop watching; a rebuild still running is left to finish or die with the process (both are safe)."""
        self._stop.set()
        for thread in self._threads:
            thread.join(timeout_s)
