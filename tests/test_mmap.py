"""A loaded index is memory-mapped, so server workers share one copy of it instead of one each."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.indexing.build import build_index, load_index
from assistant.settings import Settings

MAPS = Path("/proc/self/maps")


@pytest.mark.skipif(not MAPS.exists(), reason="needs Linux /proc to see memory maps")
def test_a_loaded_index_maps_its_vector_and_bm25_files(tmp_path, corpus_copy, fake_embedder):
    settings = Settings(corpus_dir=corpus_copy, index_dir=tmp_path / "index", embedding_model="test-hashing")
    build_index(settings, fake_embedder)
    bundle = load_index(settings)
    mapped = MAPS.read_text()
    assert str(bundle.folder / "dense.faiss") in mapped
    assert str(bundle.folder / "bm25" / "data.csc.index.npy") in mapped
    query = fake_embedder.encode_queries(["mục tiêu kinh tế số Đồng Nai"])[0]
    assert bundle.dense.search(query, 3) and bundle.sparse.scores("kinh tế số").any()
