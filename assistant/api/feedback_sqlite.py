"""Feedback in one SQLite file: the embedded default, nothing to run beside the assistant.

Each write is its own committed transaction (WAL journal, busy timeout), so concurrent requests from
several workers queue instead of failing, and a 201 means the row is on disk. One connection per
call, so the store is safe from any thread or process.
"""

from __future__ import annotations

import json
import sqlite3
import threading
from pathlib import Path
from typing import Any

from assistant.api.feedback_store import FeedbackIn, FeedbackQuery, FeedbackStoreError, iso, now_utc

SCHEMA = """
CREATE TABLE IF NOT EXISTS feedback (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    feedback_id TEXT UNIQUE,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    rating TEXT NOT NULL CHECK (rating IN ('up', 'down')),
    question TEXT NOT NULL,
    answer TEXT NOT NULL,
    comment TEXT,
    citations TEXT NOT NULL DEFAULT '[]',
    refused INTEGER,
    page TEXT
)
"""

UPSERT = """
INSERT INTO feedback (feedback_id, created_at, updated_at, rating, question, answer, comment, citations, refused, page)
VALUES (:feedback_id, :created_at, :updated_at, :rating, :question, :answer, :comment, :citations, :refused, :page)
ON CONFLICT(feedback_id) DO UPDATE SET
    updated_at = excluded.updated_at, rating = excluded.rating,
    comment = COALESCE(excluded.comment, feedback.comment),
    question = excluded.question, answer = excluded.answer, citations = excluded.citations,
    refused = excluded.refused, page = COALESCE(excluded.page, feedback.page)
"""


class SQLiteFeedbackStore:
    """The `feedback` table of one SQLite file, created on first use."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self._ready = False
        self._lock = threading.Lock()

    @property
    def location(self) -> str:
        return str(self.path)

    def _connect(self) -> sqlite3.Connection:
        conn = sqlite3.connect(self.path, timeout=30, isolation_level=None)
        conn.execute("PRAGMA busy_timeout = 30000")
        return conn

    def _ensure(self) -> None:
        if self._ready:
            return
        with self._lock:
            if self._ready:
                return
            self.path.parent.mkdir(parents=True, exist_ok=True)
            conn = self._connect()
            try:
                conn.execute("PRAGMA journal_mode = WAL")
                conn.execute(SCHEMA)
            finally:
                conn.close()
            self._ready = True

    def add(self, item: FeedbackIn) -> dict[str, Any]:
        now = iso(now_utc())
        values = {
            "feedback_id": item.feedback_id, "created_at": now, "updated_at": now, "rating": item.rating,
            "question": item.question, "answer": item.answer, "comment": item.comment or None,
            "citations": json.dumps(item.citations or [], ensure_ascii=False),
            "refused": None if item.refused is None else int(item.refused), "page": item.page,
        }
        try:
            self._ensure()
            conn = self._connect()
            try:
                conn.execute("BEGIN IMMEDIATE")
                cursor = conn.execute(UPSERT, values)
                if item.feedback_id is None:
                    row_id = cursor.lastrowid
                else:
                    row_id = conn.execute("SELECT id FROM feedback WHERE feedback_id = ?", (item.feedback_id,)).fetchone()[0]
                conn.execute("COMMIT")
            except BaseException:
                if conn.in_transaction:
                    conn.execute("ROLLBACK")
                raise
            finally:
                conn.close()
        except sqlite3.Error as exc:
            raise FeedbackStoreError(str(exc)) from exc
        return {"id": row_id, "feedback_id": item.feedback_id, "rating": item.rating, "stored_at": now}

    def _select(self, where: str, params: list[Any], order: str, limit: int | None) -> list[dict[str, Any]]:
        sql = f"SELECT * FROM feedback {where} ORDER BY {order}" + (" LIMIT ?" if limit is not None else "")
        try:
            self._ensure()
            conn = self._connect()
            conn.row_factory = sqlite3.Row
            try:
                rows = conn.execute(sql, [*params, *([limit] if limit is not None else [])]).fetchall()
            finally:
                conn.close()
        except sqlite3.Error as exc:
            raise FeedbackStoreError(str(exc)) from exc
        return [{**dict(r), "citations": json.loads(r["citations"] or "[]"),
                 "refused": None if r["refused"] is None else bool(r["refused"])} for r in rows]

    def list(self, query: FeedbackQuery) -> list[dict[str, Any]]:
        clauses, params = [], []
        if query.rating:
            clauses.append("rating = ?")
            params.append(query.rating)
        if query.since():
            clauses.append("created_at >= ?")
            params.append(iso(query.since()))
        if query.before():
            clauses.append("created_at < ?")
            params.append(iso(query.before()))
        if query.doc_id:
            clauses.append("EXISTS (SELECT 1 FROM json_each(feedback.citations) "
                           "WHERE json_extract(json_each.value, '$.doc_id') = ?)")
            params.append(query.doc_id)
        where = ("WHERE " + " AND ".join(clauses)) if clauses else ""
        return self._select(where, params, "created_at DESC, id DESC", query.limit)

    def all(self) -> list[dict[str, Any]]:
        return self._select("", [], "id", None)
