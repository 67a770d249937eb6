"""Helpers for the admin tests: an app with the admin area on a writable corpus copy, logging in, CSRF tokens."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

from fastapi.testclient import TestClient
from pydantic import SecretStr

from assistant.api.app import create_app
from assistant.pipeline import Assistant
from assistant.settings import Settings

TOKEN = "mã-truy-cập-thử-123"
CSRF_FIELD = re.compile(r'name="csrf_token" value="([^"]+)"')


def admin_settings(tmp_path: Path, corpus: Path, index_dir: Path, **updates) -> Settings:
    """The admin area on: a corpus copy, the session's fast index (rebuilt into a copy), feedback in tmp."""
    target = tmp_path / "index"
    if not target.exists():
        shutil.copytree(index_dir, target, ignore=shutil.ignore_patterns(".lock", "feedback.sqlite3"))
    return Settings(home=tmp_path, corpus_dir=corpus, index_dir=target, embedding_model="test-hashing",
                    feedback_db=tmp_path / "feedback.sqlite3", admin_token=SecretStr(TOKEN), **updates)


def admin_client(settings: Settings, embedder) -> TestClient:
    return TestClient(create_app(settings, assistant=Assistant.open(settings, embedder=embedder)))


def csrf_of(html: str) -> str:
    return CSRF_FIELD.search(html).group(1)


def login(client: TestClient, token: str = TOKEN):
    page = client.get("/admin/login")
    return client.post("/admin/login", data={"csrf_token": csrf_of(page.text), "token": token}, follow_redirects=False)


def logged_in(client: TestClient) -> str:
    """Log in and return the session's CSRF token."""
    assert login(client).status_code == 303
    return csrf_of(client.get("/admin").text)
