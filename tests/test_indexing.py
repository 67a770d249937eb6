"""The index folder: manifest, staleness, rebuild on change, damage detection, unreadable files."""

from __future__ import annotations

import json

import pytest

from assistant.errors import IndexError_
from assistant.indexing.build import build_index, ensure_index, load_index, stale_reasons
from assistant.settings import Settings


@pytest.fixture
def settings(tmp_path, corpus_copy) -> Settings:
    return Settings(corpus_dir=corpus_copy, index_dir=tmp_path / "index", embedding_model="test-hashing")


def test_manifest_records_model_dimension_chunker_and_corpus_hash(settings, fake_embedder):
    bundle = build_index(settings, fake_embedder)
    manifest = json.loads((bundle.folder / "manifest.json").read_text())
    assert bundle.folder == settings.index_dir / manifest["version"]
    assert manifest["model"] == "test-hashing"
    assert manifest["dimension"] == 64
    assert manifest["chunker_version"]
    assert len(manifest["corpus_hash"]) == 16
    assert manifest["documents"] == 5
    assert manifest["chunks"] == len(bundle.chunks)
    assert stale_reasons(settings) == []


def test_missing_index_is_built_on_first_use(settings, fake_embedder):
    assert stale_reasons(settings) == ["no index"]
    bundle = ensure_index(settings, lambda: fake_embedder)
    assert len(bundle.documents) == 5


def test_changing_the_corpus_or_model_makes_the_index_stale(settings, fake_embedder):
    build_index(settings, fake_embedder)
    (settings.corpus_dir / "hai-duong-kh-780-2022.txt").write_text(
        (settings.corpus_dir / "hai-duong-kh-780-2022.txt").read_text(encoding="utf-8") + "\n- Dòng mới.\n", encoding="utf-8")
    assert stale_reasons(settings) == ["corpus_hash changed"]
    other_model = settings.model_copy(update={"embedding_model": "other-model"})
    assert "model changed" in stale_reasons(other_model)
    with pytest.raises(IndexError_, match="assistant index"):
        load_index(settings)


def test_a_damaged_index_without_an_older_version_is_reported_not_crashed_on(settings, fake_embedder):
    bundle = build_index(settings, fake_embedder)
    (bundle.folder / "chunks.jsonl").chmod(0o644)
    (bundle.folder / "chunks.jsonl").write_text("{not json", encoding="utf-8")
    with pytest.raises(IndexError_, match="hỏng"):
        load_index(settings)


def test_unreadable_file_is_skipped_and_reported_while_others_are_indexed(settings, fake_embedder):
    (settings.corpus_dir / "hong.pdf").write_bytes(b"%PDF-1.4 this is not really a pdf")
    bundle = build_index(settings, fake_embedder)
    assert len(bundle.documents) == 5
    assert [s["file"] for s in bundle.manifest["skipped"]] == ["hong.pdf"]


def test_an_empty_corpus_is_a_clear_error(tmp_path, fake_embedder):
    (tmp_path / "empty").mkdir()
    settings = Settings(corpus_dir=tmp_path / "empty", index_dir=tmp_path / "index", embedding_model="test-hashing")
    with pytest.raises(IndexError_, match="Không có văn bản"):
        build_index(settings, fake_embedder)
