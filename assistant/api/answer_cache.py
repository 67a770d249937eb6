"""An LRU of rendered answers for /api/ask, keyed by everything that determines an answer.

A chat product sees the same questions again and again (the starter questions, FAQ-like asks),
and an answer is a pure function of the question as read, the conversation's earlier questions,
the plans it is restricted to, the retrieval mode and the index version. Keying on all of them and
dropping everything when the served index changes means a hit is exactly the answer a fresh
computation would give; a hit skips retrieval, answering, rendering and the thread-pool hop.
The question is keyed after NFC and whitespace squashing only — what `Assistant.ask` reads the
same way — never case-folded, since capitals name provinces and agencies.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Hashable, Sequence
from typing import Any

from assistant.api.observability import index_version
from assistant.vi.normalize import nfc, squash


def _text(value: str) -> str:
    return squash(nfc(value))


def answer_key(bundle: Any, question: str, history: Sequence[str], doc_ids: Sequence[str] | None,
               mode: str | None) -> tuple[Hashable, ...]:
    """What one answer depends on; two requests with the same key get the same answer."""
    return (index_version(bundle), _text(question), tuple(_text(h) for h in history),
            tuple(sorted(set(doc_ids))) if doc_ids else None, mode)


class AnswerCache:
    """At most `size` rendered answers (the JSON body without `id` and `question`), least recently used out.

    Thread-safe: misses are computed in the thread pool. Holding answers of one index version only:
    when a request sees another version (a hot switch), everything is dropped.
    """

    def __init__(self, size: int) -> None:
        self.size = size
        self._items: OrderedDict[tuple, dict[str, Any]] = OrderedDict()
        self._version: Hashable = None
        self._lock = threading.Lock()
        self.hits = 0
        self.misses = 0

    def __len__(self) -> int:
        return len(self._items)

    def get(self, key: tuple) -> dict[str, Any] | None:
        with self._lock:
            if key[0] != self._version:
                self._items.clear()
                self._version = key[0]
            body = self._items.get(key)
            if body is None:
                self.misses += 1
                return None
            self._items.move_to_end(key)
            self.hits += 1
            return body

    def put(self, key: tuple, body: dict[str, Any]) -> None:
        if self.size <= 0:
            return
        with self._lock:
            if key[0] != self._version:  # computed on an index that has been switched away from meanwhile
                return
            self._items[key] = body
            self._items.move_to_end(key)
            while len(self._items) > self.size:
                self._items.popitem(last=False)


def cacheable(body: dict[str, Any]) -> dict[str, Any]:
    """The part of a rendered answer that is the same for every request with its key."""
    return {k: v for k, v in body.items() if k not in ("id", "question")}


def personalised(body: dict[str, Any], question: str, request_id: Any) -> dict[str, Any]:
    """A cached body with this request's `id` (first, when given) and question text, as a fresh answer has."""
    head: dict[str, Any] = {"id": request_id} if request_id is not None else {}
    return {**head, "question": question, **body}
