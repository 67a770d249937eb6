"""Word segmentation (pyvi) for dense models trained on segmented Vietnamese ("chuyển_đổi số")."""

from __future__ import annotations

import functools

from assistant.vi.normalize import clean

@functools.cache
def _vi_tokenizer():  # noqa: ANN202 - pyvi has no types
    try:
        from pyvi import ViTokenizer  # loads a CRF model: only on first use
    except ImportError as exc:  # pragma: no cover - pyvi is a declared dependency
        raise ImportError("segment_words needs pyvi: pip install pyvi") from exc
    return ViTokenizer


def segment_words(text: str) -> str:
    """Join the syllables of each word with "_" ("chuyển_đổi số"), for dense models trained so.

    Case and punctuation are kept; only NFC and whitespace are normalised.
    """
    text = clean(text)
    if not text:
        return ""
    return _vi_tokenizer().tokenize(text)
