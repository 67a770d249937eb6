"""Typos are fixed against the plans' own words, and nothing else is touched."""

from __future__ import annotations

import pytest

from assistant.vi.spelling import Speller, is_vietnamese_syllable

PLANS = ["Tỷ lệ hộ gia đình có Internet cáp quang đạt 80%; cơ quan nhà nước dùng dịch vụ công trực tuyến."] * 3 + [
    "Các cơ quan, đơn vị phối hợp; cơ quan chủ trì báo cáo. Cổng dịch vụ công của tỉnh."] * 3 + [
    "Các sở, ngành phối hợp triển khai theo từng ngành, lĩnh vực."] * 3


@pytest.fixture(scope="module")
def speller() -> Speller:
    return Speller(PLANS)


@pytest.mark.parametrize("typed, meant", [
    ("internet cáp quag ở Gia Lai", "internet cáp quang ở Gia Lai"),  # its neighbour picks "quang" over "quan"
    ("dịch vụ côg trực tuyếnn", "dịch vụ công trực tuyến"),
    ("các nghành phối hợp", "các ngành phối hợp"),  # "ngh" is never spelled before "a"
])
def test_a_typo_of_a_plan_word_is_corrected_by_its_neighbours(speller, typed, meant):
    assert speller.correct(typed) == meant


@pytest.mark.parametrize("typed", [
    "app, wifi, hotline, online, camera, zalo",  # loanwords the domain's term lists know
    "ke hoach cds dong nai",  # typed without diacritics: every syllable is Vietnamese
    "chuyn doi",  # a possible Vietnamese shape: not provably a typo
    "5G, IoT, AI, big data",
])
def test_words_that_are_not_provably_typos_are_left_as_typed(speller, typed):
    assert speller.correct(typed) == typed


def test_syllable_shapes():
    assert is_vietnamese_syllable("quang") and is_vietnamese_syllable("nghieng") and is_vietnamese_syllable("truong")
    assert not is_vietnamese_syllable("quag") and not is_vietnamese_syllable("cog") and not is_vietnamese_syllable("app")
    # onsets pair with vowels: "ngh"/"gh" only before i and e, "ng" never before them
    assert not is_vietnamese_syllable("nghanh") and not is_vietnamese_syllable("gha") and not is_vietnamese_syllable("nge")
    assert is_vietnamese_syllable("nghe") and is_vietnamese_syllable("ghi") and is_vietnamese_syllable("ngoai")


def test_the_assistant_reads_a_typo_as_the_plan_word(fast_assistant):
    typed = fast_assistant.ask("Tỷ lệ hộ gia đình có Internet cáp quag của Hải Dương năm 2022 là bao nhiêu?")
    right = fast_assistant.ask("Tỷ lệ hộ gia đình có Internet cáp quang của Hải Dương năm 2022 là bao nhiêu?")
    assert typed.answer == right.answer and not typed.refused
    assert typed.question.endswith("cáp quag của Hải Dương năm 2022 là bao nhiêu?")  # echoed as asked


def test_the_bulk_counts_equal_a_word_by_word_count_of_the_plans():
    """The tables are counted in bulk for speed; they must be what counting word by word gives,
    the most common spelling of each syllable included (the first seen among equals)."""
    from collections import Counter

    from assistant.vi.normalize import fold_token
    from assistant.vi.spelling import _WORD_RE, Speller
    from corpus_docs import CORPUS

    texts = [p.read_text(encoding="utf-8") for p in sorted(CORPUS.glob("*.txt"))] + ["Hà Nội, HÀ NỘI và hà nội"]
    counts, pairs, spellings = Counter(), Counter(), {}
    for text in texts:
        prev = ""
        for word in _WORD_RE.findall(text.lower()):
            folded = fold_token(word)
            counts[folded] += 1
            pairs[prev, folded] += 1
            spellings.setdefault(folded, Counter())[word] += 1
            prev = folded
    speller = Speller(texts)
    assert speller.counts == counts and speller.pairs == pairs
    assert speller.spelling == {f: c.most_common(1)[0][0] for f, c in spellings.items()}


# A plan pairs "chỉ" with "tiêu" and "doanh" with "nghiệp" many times; "cách" and "cải" occur too.
CONTEXT_PLANS = ["Các chỉ tiêu chủ yếu: tỷ lệ doanh nghiệp dùng hợp đồng điện tử; mỗi chỉ tiêu có cách đo riêng; "
                 "số hóa dữ liệu; doanh nghiệp nhỏ và vừa."] * 6


@pytest.mark.parametrize("typed, meant", [
    ("có mấy chỉ tiu vậy", "có mấy chỉ tiêu vậy"),  # "tiu" could be Vietnamese, but the plans only say "chỉ tiêu"
    ("bao nhiêu % doanh nghệp", "bao nhiêu % doanh nghiệp"),
    ("bao nhieu doanh nghep", "bao nhieu doanh nghiệp"),
])
def test_a_possible_syllable_no_plan_uses_is_read_by_the_words_the_plans_pair_it_with(typed, meant):
    assert Speller(CONTEXT_PLANS).correct(typed) == meant


@pytest.mark.parametrize("typed", [
    "có gạch đầu dòng",  # a real word: the reading "có cách" would change its first letter (and tone)
    "co gach dau dong",  # … typed without diacritics: the first letter alone keeps it
    "số hừa dữ liệu",  # the reading "số hóa" would change the tone it was typed with
    "liệt kê giúp mình nhé",  # no plan pairs anything like it with its neighbours
])
def test_a_real_word_the_plans_do_not_use_is_left_as_typed(typed):
    assert Speller(CONTEXT_PLANS).correct(typed) == typed
