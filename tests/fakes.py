"""The deterministic fake embedder fast tests use instead of a sentence-transformers model.

A module of its own, not in conftest.py: pytest imports both tests/conftest.py and
tests/browser/conftest.py under the name `conftest`, so importing from "conftest" is ambiguous.
"""

from __future__ import annotations

import hashlib

import numpy as np


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
