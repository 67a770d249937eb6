"""Normalisers, one family with names that say what they do.

- `nfc`: compose characters (text from PDFs and Word often arrives decomposed).
- `sanitize`: client text at the edge: NFC, no lone surrogates or control characters.
- `clean`: NFC, ASCII quotes and dashes, no zero-width characters, single spaces; keeps case.
- `normalize`: `clean`, case-folded, one tone placement: the form token comparisons start from.
- `fold_diacritics`: drop tone and vowel marks (đ → d), keeps case: text typed without marks.
- `squash`: whitespace runs to one space: how quotes and evidence are compared.
- `casefold_squash`: NFC, `squash`, case-folded: how must-contain strings are matched.
- `folded`: `squash`, diacritics folded, lower-case: how units and questions are compared.
"""

from __future__ import annotations

import re
from functools import lru_cache
import unicodedata

# --------------------------------------------------------------------------- normalisation

_PUNCT_MAP = {
    **dict.fromkeys("“”„‟«»″〝〞＂", '"'),
    **dict.fromkeys("‘’‚‛′`´＇", "'"),
    **dict.fromkeys("‐‑‒–—―−﹘﹣－", "-"),
    **dict.fromkeys("\u00ad\u200b\u200c\u200d\u2060\ufeff", ""),  # soft hyphen, zero-widths
    "…": "...",
}
_PUNCT_RE = re.compile("[" + "".join(_PUNCT_MAP) + "]")
SPACE_RE = re.compile(r"\s{2,}|[^\S ]")  # single spaces need no rewriting
COMBINING_RE = re.compile(r"[\u0300-\u036f]")
# Old and new Vietnamese tone placement ("hoà"/"hòa", "thuỷ"/"thủy", "khoẻ"/"khỏe") both occur in
# the plans; normalize() settles on the traditional one, used in official names (Khánh Hòa).
_TONES = {"a": "àáảãạ", "e": "èéẻẽẹ", "o": "òóỏõọ", "u": "ùúủũụ", "y": "ỳýỷỹỵ"}
_TONE_MOVES = {
    **{"o" + _TONES[v][i]: _TONES["o"][i] + v for v in "ae" for i in range(5)},
    **{"u" + _TONES["y"][i]: _TONES["u"][i] + "y" for i in range(5)},
}
_TONE_RE = re.compile(r"(?<!q)[ou][àáảãạèéẻẽẹỳýỷỹỵ](?!\w)")


def nfc(text: str) -> str:
    """Compose characters (NFC): Vietnamese text from PDFs and Word often arrives decomposed."""
    return unicodedata.normalize("NFC", text)


def clean(text: str) -> str:
    """NFC, ASCII quotes and dashes, no zero-width characters, single spaces; keeps case."""
    text = _PUNCT_RE.sub(lambda m: _PUNCT_MAP[m.group()], nfc(text))
    if COMBINING_RE.search(text):  # marks NFC could not compose are noise, not Vietnamese
        text = COMBINING_RE.sub("", text)
    return SPACE_RE.sub(" ", text).strip()


def _retone(match: re.Match[str]) -> str:
    pair = match.group()
    return _TONE_MOVES.get(pair, pair)


def normalize(text: str) -> str:
    """`clean`, case-folded, with one tone placement: the form every comparison starts from.

    Length-preserving for Vietnamese text, so offsets into it also point into `clean(text)`.
    """
    text = clean(text).casefold()
    if COMBINING_RE.search(text):  # casefold can decompose a few non-Vietnamese letters
        text = COMBINING_RE.sub("", nfc(text))
    return _TONE_RE.sub(_retone, text)


# --------------------------------------------------------------------------- folding


def _build_fold_table() -> dict[int, str]:
    table: dict[int, str] = {ord("đ"): "d", ord("Đ"): "D"}
    for code in [*range(0x00C0, 0x0250), *range(0x1E00, 0x1F00)]:
        char = chr(code)
        base = "".join(c for c in unicodedata.normalize("NFD", char) if not unicodedata.combining(c))
        if base != char and len(base) == 1 and base.isascii() and base.isalpha():
            table[code] = base
    return table


FOLD_TABLE = _build_fold_table()
FOLD_CHARS = {chr(k): v for k, v in FOLD_TABLE.items()}


def fold_diacritics(text: str) -> str:
    """Drop tone and vowel marks, đ->d and Đ->D, for text typed without diacritics; keeps case.

    "Kế hoạch chuyển đổi số Đồng Nai" -> "Ke hoach chuyen doi so Dong Nai".
    """
    text = nfc(text).translate(FOLD_TABLE)
    if COMBINING_RE.search(text):
        text = COMBINING_RE.sub("", unicodedata.normalize("NFD", text))
    return text


def has_diacritics(token: str) -> bool:
    """True when folding would change the token ("số", "đn"), False for "so", "dn", "20%"."""
    return token.translate(FOLD_TABLE) != token



_CONTROL_RE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff]")


def sanitize(text: str) -> str:
    """Client text made safe once, at the edge: NFC, no lone surrogates, NUL or control characters.

    A lone surrogate ("\\ud800" in JSON) cannot be encoded to UTF-8 and would break every later
    write; control characters carry no meaning in a question.
    """
    return nfc(_CONTROL_RE.sub("", text))


def squash(text: str) -> str:
    """Every whitespace run made one space, ends stripped: how quotes and evidence are compared."""
    return " ".join(text.split())


def casefold_squash(text: str) -> str:
    """NFC, `squash`, case-folded: how must-contain strings are matched against answers."""
    return squash(nfc(text)).casefold()


@lru_cache(maxsize=1 << 15)
def folded(text: str) -> str:
    """`squash`, diacritic-folded, lower-case: how units and questions are compared.

    Memoised: answering folds the same retrieved sentences on every request (~6 % of an answer's
    CPU in a profile of /api/ask); the bound keeps a long-running server's memory flat.
    """
    return fold_diacritics(squash(text)).lower()


_FOLDED: dict[str, str] = {}


def fold_token(token: str) -> str:
    """`fold_diacritics` of one lower-case token, memoised (the vocabulary is small)."""
    folded = _FOLDED.get(token)
    if folded is None:
        folded = token if token.isascii() else token.translate(FOLD_TABLE)
        if len(_FOLDED) < 200_000:  # guard against junk input
            _FOLDED[token] = folded
    return folded
