"""Shared fixtures: a deterministic fake embedder for fast tests, and the real assistant for slow ones."""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import numpy as np
import pytest

from assistant.settings import Settings

ROOT = Path(__file__).resolve().parents[1]  # the repository: its corpus/ and index/, whatever the cwd
CORPUS = ROOT / "corpus"


class HashingEmbedder:
    """Bag of folded syllables hashed into 64 dimensions: deterministic, instant, loosely semantic."""

    name = "test-hashing"
    dimension = 64

    def _encode(self, texts: list[str]) -> np.ndarray:
        from assistant.vi.normalize import fold_diacritics

        out = np.zeros((len(texts), self.dimension), dtype="float32")
        for row, text in enumerate(texts):
            for token in fold_diacritics(text.lower()).split():
                bucket = int(hashlib.md5(token.encode()).hexdigest(), 16) % self.dimension
                out[row, bucket] += 1.0
        norms = np.linalg.norm(out, axis=1, keepdims=True)
        return out / np.maximum(norms, 1e-9)

    def encode_passages(self, texts, *, progress=False):
        return self._encode(list(texts))

    def encode_queries(self, texts):
        return self._encode(list(texts))


@pytest.fixture(scope="session")
def fake_embedder() -> HashingEmbedder:
    return HashingEmbedder()


@pytest.fixture(scope="session")
def fast_settings(tmp_path_factory) -> Settings:
    """Real corpus, throwaway index folder, fake embedder's name recorded in the manifest."""
    index_dir = tmp_path_factory.mktemp("index")
    return Settings(corpus_dir=CORPUS, index_dir=index_dir, embedding_model="test-hashing",
                    feedback_db=index_dir / "feedback.sqlite3")


@pytest.fixture(scope="session")
def fast_assistant(fast_settings, fake_embedder):
    from assistant.pipeline import Assistant

    return Assistant.open(fast_settings, embedder=fake_embedder)


@pytest.fixture
def corpus_copy(tmp_path) -> Path:
    """A writable copy of the corpus for tests that add or break documents."""
    target = tmp_path / "corpus"
    shutil.copytree(CORPUS, target)
    return target


@pytest.fixture(scope="session")
def real_settings() -> Settings:
    """The product's own defaults (shipped model) on the repository's corpus/ and index/ folder."""
    return Settings(home=ROOT)


@pytest.fixture(scope="session")
def real_assistant(real_settings):
    from assistant.pipeline import Assistant

    return Assistant.open(real_settings)


@pytest.fixture(scope="session")
def postgres_cluster():
    """A throwaway PostgreSQL server on loopback for the whole session (tests/pg_server.py), or a skip saying why not."""
    from pg_server import PostgresCluster

    reason = PostgresCluster.unavailable_reason()
    if reason:
        pytest.skip(reason)
    cluster = PostgresCluster.start()
    try:
        yield cluster
    finally:
        cluster.stop()


@pytest.fixture(params=["sqlite", "postgresql"])
def feedback_backend(request, tmp_path) -> dict:
    """Settings updates pointing feedback at a fresh SQLite file or a fresh PostgreSQL database."""
    if request.param == "sqlite":
        return {"feedback_db": tmp_path / "sub" / "feedback.sqlite3", "database_url": None}
    cluster = request.getfixturevalue("postgres_cluster")
    request.node.pg_counter = getattr(request.session, "pg_counter", 0) + 1
    request.session.pg_counter = request.node.pg_counter
    from pydantic import SecretStr

    url = cluster.create_database(f"feedback_{request.node.pg_counter}")
    return {"feedback_db": tmp_path / "unused.sqlite3", "database_url": SecretStr(url)}
