"""The asker's words for themselves: "em bán sạp ở chợ", "công ty mình là DN nhỏ", "nhà tôi có …".

People describe their own situation before they ask ("em bán sạp ở chợ truyền thống, muốn lắp loa
báo tiền …, tỉnh hỗ trợ bao nhiêu?"). The pronouns they call themselves by say nothing about the
topic, yet the plans hardly use them ("trẻ em", "thông minh", "tối thiểu"), so a rarity weight
makes them the heaviest words of the question and every clause looks like it misses the point.

Typed with diacritics, "mình", "tôi" and "cái" are spelled like no word of the plans; "em" is, and
counts as the asker's only when it forms no word the plans use with a neighbour ("trẻ em" stays).
Typed without, every folded spelling takes that neighbour test: "thông minh", "minh bạch", "tối
thiểu", "cải cách" stay.
"""

from __future__ import annotations

from collections.abc import Callable

from assistant.vi.normalize import clean, fold_token, normalize
from assistant.vi.syllables import Scan, scan

# Pronouns and the classifier "cái" as spelled with diacritics; "bạn", "chị", "tớ" and "anh" are
# left out: folded they are "ban" (ủy ban), "chi" (chi phí), "to" (tổ, tờ trình), "anh" (hình ảnh)
# and read without marks they would lean on the neighbour test alone.
ASKER_WORDS = frozenset({"em", "mình", "tôi", "cái"})
_FOLDED = frozenset(fold_token(w) for w in ASKER_WORDS)


def asker_spans(text: str, knows: Callable[[str], bool], *, plain: bool,
                protected: Callable[[Scan], list[tuple[int, int]]] | None = None) -> list[tuple[int, int]]:
    """Character spans of `clean(text)` holding the asker's pronouns.

    Args:
        knows: whether the plans use a (folded, "_"-joined) two-syllable word.
        plain: the text was typed without diacritics: match folded spellings.
        protected: syllable ranges (start, end) to leave alone: the question's cue phrases
            ("cho em hỏi", "những cái gì") are read by their own matcher.
    """
    sc = scan(normalize(text), prepared=True)  # offsets point into clean(text) (length-preserving)
    kept = [False] * len(sc.fol)
    for start, end in protected(sc) if protected else []:
        kept[start:end] = [True] * (end - start)
    spans: list[tuple[int, int]] = []
    for i, (acc, fol) in enumerate(zip(sc.acc, sc.fol)):
        if kept[i] or not (fol in _FOLDED if plain else acc in ASKER_WORDS):
            continue
        if not plain and acc != fol:
            spans.append(sc.spans[i])  # "mình", "tôi", "cái" as typed: no word of the plans is spelled so
            continue
        before = i > 0 and not sc.breaks[i] and knows(f"{sc.fol[i - 1]}_{fol}")
        after = i + 1 < len(sc.fol) and not sc.breaks[i + 1] and knows(f"{fol}_{sc.fol[i + 1]}")
        if not (before or after):
            spans.append(sc.spans[i])
    return spans


def without_asker(text: str, knows: Callable[[str], bool], *, plain: bool,
                  protected: Callable[[Scan], list[tuple[int, int]]] | None = None) -> str:
    """`clean(text)` with the asker's pronouns replaced by a phrase break (arguments: `asker_spans`);
    `text` itself when it has none (the same string keeps the tokenisers' caches warm)."""
    spans = asker_spans(text, knows, plain=plain, protected=protected)
    if not spans:
        return text
    s = clean(text)
    for start, end in reversed(spans):
        s = s[:start] + " , " + s[end:]
    return s
