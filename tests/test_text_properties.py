"""Properties of the text layer: any Unicode string goes through the normalisers and the question
analysis without raising, and the normalisers keep the promises their docstrings make."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from assistant.retrieve.analysis import INTENTS, analyze, understand, without_places
from assistant.vi.normalize import (casefold_squash, clean, fold_diacritics, fold_token, folded, has_diacritics,
                                    nfc, normalize, sanitize, squash)

# Any code point, lone surrogates included (JSON can carry them), plus Vietnamese-looking text so that
# the interesting paths (provinces, years, document numbers, abbreviations) are reached too.
FRAGMENTS = ["Đồng Nai", "dong nai", "TP.HCM", "BR-VT", "CĐS", "năm 2025", "giai đoạn 2021-2030", "198/KH-UBND",
             "kế hoạch số 780", "Sở TT&TT", "việc đó", "còn", "thì sao?", "bao nhiêu %", "không?", "Hà Nội",
             "quyết định 1728", "kinh tế số", "20 phần trăm", "đến năm 2030", "trên 50%", "cả", "và", "\u0301", "\x00"]
ANY_TEXT = st.one_of(
    st.text(alphabet=st.characters(exclude_categories=()), max_size=300),
    st.lists(st.one_of(st.sampled_from(FRAGMENTS), st.text(max_size=5)), max_size=30).map(" ".join),
)
BOUNDED = settings(max_examples=300, deadline=None, derandomize=True, database=None, suppress_health_check=[HealthCheck.too_slow])


@BOUNDED
@given(ANY_TEXT)
def test_normalisers_accept_any_unicode_string(text):
    for fn in (nfc, sanitize, clean, normalize, fold_diacritics, squash, casefold_squash, folded):
        assert isinstance(fn(text), str)
    has_diacritics(text)
    fold_token(text.lower())


@BOUNDED
@given(ANY_TEXT)
def test_normalisers_are_idempotent_where_they_promise_a_canonical_form(text):
    for fn in (sanitize, clean, squash):
        once = fn(text)
        assert fn(once) == once


@BOUNDED
@given(ANY_TEXT)
def test_sanitized_text_can_always_be_written_as_utf8(text):
    sanitize(text).encode("utf-8")  # a lone surrogate would raise UnicodeEncodeError


@BOUNDED
@given(ANY_TEXT)
def test_analysis_accepts_any_unicode_string_and_its_spans_point_into_the_text(text):
    info = understand(text, ["Đồng Nai", "Hải Dương"])
    assert info.wants in INTENTS
    for start, end in info.province_spans:
        assert 0 <= start <= end <= len(info.text)
    for lead, start, end in info.year_spans:
        assert 0 <= lead <= start <= end <= len(info.text)
    assert isinstance(without_places(info), str)
    assert analyze(text).text == info.text
