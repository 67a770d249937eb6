"""The build cache: a rebuild embeds only new or changed chunks, and nothing damaged is ever trusted."""

from __future__ import annotations

import shutil
import sqlite3

import numpy as np
import pytest

from assistant.indexing.build import build_index, parse_corpus
from assistant.indexing.cache import CACHE_FILE, BuildCache, model_id, text_key
from assistant.indexing.views import passage_text
from assistant.settings import Settings

from corpus_docs import CORPUS
from fakes import HashingEmbedder

ADDED = CORPUS.parent / "eval" / "added_plans"


class CountingEmbedder(HashingEmbedder):
    """The fake embedder, remembering every passage it was asked to embed."""

    def __init__(self, name: str = "test-hashing") -> None:
        self.name = name
        self.passages: list[str] = []

    def encode_passages(self, texts, *, progress=False):
        self.passages.extend(texts)
        return super().encode_passages(texts, progress=progress)


@pytest.fixture
def settings(tmp_path, corpus_copy) -> Settings:
    return Settings(corpus_dir=corpus_copy, index_dir=tmp_path / "index", embedding_model="test-hashing")


def _add_plan(settings: Settings) -> str:
    plan = ADDED / "quang-tri-kh-2156-2023.txt"
    shutil.copy(plan, settings.corpus_dir / plan.name)
    return plan.stem


def test_a_rebuild_after_adding_one_plan_embeds_only_that_plans_chunks(settings):
    first = CountingEmbedder()
    bundle = build_index(settings, first)
    assert len(first.passages) == len(bundle.chunks) == bundle.manifest["embedded"]
    doc_id = _add_plan(settings)
    second = CountingEmbedder()
    rebuilt = build_index(settings, second)
    added = [passage_text(c) for c in rebuilt.chunks if c.doc_id == doc_id]
    # a passage the corpus already holds word for word comes from the cache too
    assert added and sorted(second.passages) == sorted(set(added) - set(first.passages))
    assert rebuilt.manifest["embedded"] == len(second.passages)
    assert len(rebuilt.chunks) > len(bundle.chunks)


def test_cached_vectors_equal_freshly_computed_ones(settings):
    build_index(settings, CountingEmbedder())
    _add_plan(settings)
    rebuilt = build_index(settings, CountingEmbedder())
    shutil.rmtree(settings.cache_dir)
    fresh = build_index(settings, CountingEmbedder())
    query = HashingEmbedder().encode_queries(["mục tiêu kinh tế số"])[0]
    assert rebuilt.dense.search(query, 20) == fresh.dense.search(query, 20)
    assert [c.chunk_id for c in rebuilt.chunks] == [c.chunk_id for c in fresh.chunks]


def test_an_unchanged_corpus_is_rebuilt_without_embedding_or_parsing(settings, monkeypatch):
    build_index(settings, CountingEmbedder())
    from assistant.ingest import structure

    def no_parsing(*args, **kwargs):
        raise AssertionError("a cached plan was parsed again")

    monkeypatch.setattr(structure, "parse_document", no_parsing)
    again = CountingEmbedder()
    bundle = build_index(settings, again)
    assert again.passages == []
    assert len(bundle.documents) == 5


def test_a_changed_plan_is_parsed_and_embedded_again(settings):
    build_index(settings, CountingEmbedder())
    path = settings.corpus_dir / "hai-duong-kh-780-2022.txt"
    path.write_text(path.read_text(encoding="utf-8") + "\n- Triển khai nền tảng số dùng chung mới.\n", encoding="utf-8")
    again = CountingEmbedder()
    bundle = build_index(settings, again)
    assert again.passages, "the changed plan's new chunk must be embedded"
    assert any("nền tảng số dùng chung mới" in t for t in again.passages)
    assert {c.doc_id for c in bundle.chunks} == {p.stem for p in settings.corpus_dir.glob("*.txt")}
    assert len(again.passages) < len(bundle.chunks) / 5


def test_another_model_id_invalidates_the_cached_vectors(settings):
    bundle = build_index(settings, CountingEmbedder())
    other = CountingEmbedder(name="other-model")
    build_index(settings.model_copy(update={"embedding_model": "other-model"}), other)
    assert len(other.passages) == len(bundle.chunks)


def test_a_corrupt_cache_file_is_ignored_and_rebuilt(settings):
    bundle = build_index(settings, CountingEmbedder())
    (settings.cache_dir / CACHE_FILE).write_bytes(b"this is not a database" * 100)
    again = CountingEmbedder()
    rebuilt = build_index(settings, again)
    assert len(again.passages) == len(bundle.chunks)
    assert len(rebuilt.chunks) == len(bundle.chunks)
    third = CountingEmbedder()
    build_index(settings, third)
    assert third.passages == [], "the cache written after the corrupt one was dropped is used again"


def test_damaged_rows_are_recomputed_never_trusted(settings):
    bundle = build_index(settings, CountingEmbedder())
    db = sqlite3.connect(settings.cache_dir / CACHE_FILE)
    with db:  # flip a byte of every stored vector, and truncate every parsed document
        db.execute("UPDATE memo SET payload = CAST(zeroblob(length(payload)) AS BLOB) WHERE ns LIKE 'emb:%'")
        db.execute("UPDATE memo SET payload = substr(payload, 1, 20) WHERE ns = 'doc'")
    db.close()
    again = CountingEmbedder()
    rebuilt = build_index(settings, again)
    assert len(again.passages) == len(bundle.chunks)
    query = HashingEmbedder().encode_queries(["chính quyền số"])[0]
    assert rebuilt.dense.search(query, 10) == bundle.dense.search(query, 10)


def test_a_stored_vector_of_the_wrong_length_or_not_finite_is_a_miss(tmp_path):
    embedder = CountingEmbedder()
    cache = BuildCache(tmp_path)
    namespace = "emb:" + model_id(embedder)
    cache._put(namespace, [(text_key("một đoạn"), b"\0" * 12),  # noqa: SLF001 - planting rows as damage would
                           (text_key("hai đoạn"), np.full(64, np.nan, dtype="float32").tobytes())])
    vectors = cache.embeddings(embedder, ["một đoạn", "hai đoạn"])
    assert embedder.passages == ["một đoạn", "hai đoạn"]
    assert np.allclose(vectors, HashingEmbedder().encode_passages(["một đoạn", "hai đoạn"]))


def test_parse_corpus_reads_cached_plans_back_identically(tmp_path):
    cache = BuildCache(tmp_path)
    docs, chunks, _ = parse_corpus(CORPUS, max_chars=900, cache=cache)
    again_docs, again_chunks, _ = parse_corpus(CORPUS, max_chars=900, cache=cache)
    assert again_chunks == chunks
    assert again_docs == docs


def test_a_one_plan_rebuild_grows_the_current_hnsw_graph_and_finds_the_new_plan(tmp_path, corpus_copy):
    settings = Settings(corpus_dir=corpus_copy, index_dir=tmp_path / "index", embedding_model="test-hashing",
                        hnsw_threshold=100)
    embedder = CountingEmbedder()
    before = build_index(settings, embedder)
    assert before.manifest["dense_index"] == "IndexHNSWFlat"
    doc_id = _add_plan(settings)
    after = build_index(settings, embedder)
    new = {passage_text(c) for c in after.chunks if c.doc_id == doc_id}
    # grown, not rebuilt: every vector held before is still held, plus (at most) one per new text
    assert before.dense.vectors < after.dense.vectors <= before.dense.vectors + len(new)
    position = next(i for i, c in enumerate(after.chunks) if c.doc_id == doc_id and len(c.text) > 80)
    query = embedder.encode_passages([passage_text(after.chunks[position])])[0]
    best, score = after.dense.search(query, 1)[0]
    assert score > 0.999 and passage_text(after.chunks[best]) == passage_text(after.chunks[position])


QUESTIONS = ["Mục tiêu tỷ trọng kinh tế số của Đồng Nai đến năm 2025?", "hạ tầng bưu chính", "chuyển đổi số"]


def _scores(bundle) -> list[np.ndarray]:
    return [bundle.sparse.scores(q) for q in QUESTIONS]


def test_bm25_from_cached_term_counts_scores_as_a_fresh_build(settings, tmp_path):
    fresh = _scores(build_index(settings, CountingEmbedder()))  # tokenised, term counts stored
    cached = _scores(build_index(settings, CountingEmbedder()))  # read back, nothing tokenised
    cold = settings.model_copy(update={"cache_dir": tmp_path / "other-cache", "index_dir": tmp_path / "other"})
    for a, b, c in zip(fresh, cached, _scores(build_index(cold, CountingEmbedder()))):
        np.testing.assert_array_equal(a, b)
        np.testing.assert_array_equal(a, c)


def test_a_damaged_vocabulary_drops_the_term_counts_and_they_are_recomputed(settings, caplog):
    before = _scores(build_index(settings, CountingEmbedder()))
    with sqlite3.connect(settings.cache_dir / CACHE_FILE) as db:
        db.execute("UPDATE memo SET payload = X'0100000000000000' WHERE ns LIKE 'vocab:%'")  # every id the same
    after = _scores(build_index(settings, CountingEmbedder()))
    assert "damaged vocabulary" in caplog.text
    for a, b in zip(before, after):
        np.testing.assert_array_equal(a, b)
