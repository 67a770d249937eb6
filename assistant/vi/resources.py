"""The data files of `vi/data/` (tab-separated, `#` comments) and the stopword list."""

from __future__ import annotations

import functools
from importlib import resources

from assistant.vi.normalize import FOLD_TABLE, normalize

@functools.cache
def read_data(name: str) -> tuple[tuple[str, ...], ...]:
    """Rows of a tab-separated file in assistant/data, without comments and blank lines."""
    raw = resources.files("assistant.vi").joinpath("data", name).read_text(encoding="utf-8")
    rows = []
    for line in raw.splitlines():
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        rows.append(tuple(cell.strip() for cell in line.split("\t")))
    return tuple(rows)


@functools.cache
def _stopwords() -> frozenset[str]:
    return frozenset(normalize(row[0]) for row in read_data("stopwords.txt"))


VIETNAMESE_STOPWORDS: frozenset[str] = _stopwords()
FOLDED_STOPWORDS = frozenset(w.translate(FOLD_TABLE) for w in VIETNAMESE_STOPWORDS)

def is_stopword(acc: str, fol: str) -> bool:
    """A stopword as spelled, or, typed without diacritics, by its folded form.

    "cửa" (một cửa) is no stopword though it folds to "cua" like "của".
    """
    return fol in FOLDED_STOPWORDS and (acc == fol or acc in VIETNAMESE_STOPWORDS)
