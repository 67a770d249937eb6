"""Pins the paraphrase bridge: vi/data/lexicon.tsv, bridge_tokens, and its use in retrieval."""

from __future__ import annotations

import pytest

from assistant.vi.resources import read_data
from assistant.vi.tokens import bm25_tokens, bridge_tokens, bridged_syllables


def test_every_concept_has_three_columns_and_names():
    rows = read_data("lexicon.tsv")
    assert len(rows) >= 200
    assert all(len(row) == 3 and row[0] for row in rows)


@pytest.mark.parametrize("everyday, formal", [
    ("wifi miễn phí", "khong_day"),
    ("bán hàng online", "thuong_mai"),
    ("ban hang online", "thuong_mai"),  # typed without diacritics
    ("hotline", "duong_day"),
    ("app", "ung_dung"),
    ("làm xong", "hoan_thanh"),  # "đã làm xong ở mấy huyện": the plans say "hoàn thành"
])
def test_an_everyday_word_is_bridged_to_the_plans_term(everyday, formal):
    assert formal in bridge_tokens(f"{everyday} tai dong nai" if everyday.isascii() else f"{everyday} ở Đồng Nai")


def test_bridge_tokens_leave_out_the_question_s_own_tokens():
    question = "thương mại điện tử"
    assert not set(bridge_tokens(question)) & set(bm25_tokens(question, is_query=True))


def test_a_word_is_bridged_only_into_words_the_plans_use():
    assert "wifi" in bridged_syllables("wifi công cộng", lambda token: token == "khong_day")
    assert not bridged_syllables("wifi công cộng", lambda token: False)


def test_the_bridge_finds_a_clause_asked_about_in_everyday_words(fast_settings, fake_embedder):
    from assistant.pipeline import Assistant

    question = "Hải Dương muốn doanh thu bán hàng online chiếm bao nhiêu phần trăm?"
    on = Assistant.open(fast_settings.model_copy(update={"retrieval_mode": "bm25"}), embedder=fake_embedder)
    off = Assistant.open(fast_settings.model_copy(update={"retrieval_mode": "bm25", "bridge_weight": 0.0}),
                         embedder=fake_embedder)

    def rank(assistant) -> int:
        hits = assistant.search(question, k=10).hits
        return next(i for i, h in enumerate(hits, 1) if "thương mại điện tử" in h.chunk.text)

    assert rank(on) <= rank(off)
    assert rank(on) <= 3


YEN_BAI = """ỦY BAN NHÂN DÂN
TỈNH YÊN BÁI
Số: 72/KH-UBND
KẾ HOẠCH
Phát triển xã hội số tỉnh Yên Bái năm 2024
I. MỤC TIÊU
1. Mục tiêu đến năm 2030
- Tỷ lệ dân số trưởng thành có điện thoại thông minh đạt 95%.
- Tỷ lệ người trưởng thành có tài khoản thanh toán điện tử đạt trên 80%.
- Tỷ lệ người trưởng thành có chữ ký số cá nhân đạt trên 70%.
"""


def test_a_clause_that_says_a_question_word_by_another_name_supports_it(tmp_path, fake_embedder):
    """"smartphone" in the question, "điện thoại thông minh" in the plan: the clause that names the
    thing asked in the plan's words answers, not a neighbouring target sharing the other words."""
    from corpus_docs import assistant_with_plans

    assistant = assistant_with_plans(tmp_path, fake_embedder, {"yen-bai-kh-72-2024": YEN_BAI})
    answer = assistant.ask("Yên Bái muốn tới 2030 bao nhiêu % người trưởng thành có smartphone?")
    assert "95%" in answer.answer, answer.answer


def test_a_synonym_of_synonyms_tsv_is_a_whole_other_name_too():
    from assistant.vi.tokens import bridge_alternatives

    alternatives = bridge_alternatives("hỗ trợ ít nhất mấy doanh nghiệp")
    assert frozenset({"toi_thieu"}) in alternatives["it_nhat"]


def test_an_abbreviation_typed_is_said_by_a_clause_that_spells_it_out():
    from assistant.vi.tokens import bridge_alternatives

    alternatives = bridge_alternatives("tỉnh có bao nhiêu DVC toàn trình")
    assert frozenset({"dich_vu", "vu_cong"}) in alternatives["dvc"]
