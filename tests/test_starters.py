"""starters.py: a plan without curated starter questions still gets one, built from its own outline."""

from __future__ import annotations

import pytest

from assistant.ingest.loaders import load_text
from assistant.ingest.starters import derive_starter
from assistant.ingest.structure import parse_document
from corpus_docs import DATA, parsed


@pytest.mark.parametrize("doc_id,question", [
    ("dong-nai-kh-198-2022", "Mục tiêu kinh tế số của Đồng Nai đến năm 2025 là gì?"),
    ("ba-ria-vung-tau-kh-cds-2024", "Mục tiêu chuyển đổi số của Bà Rịa - Vũng Tàu năm 2024 là gì?"),
    ("tp-ho-chi-minh-kh-411-2023", "Mục tiêu kinh tế số của Thành phố Hồ Chí Minh đến năm 2025 là gì?"),
    ("phu-yen-qd-1728-2020", "Mục tiêu chuyển đổi số của Phú Yên đến năm 2025 là gì?"),
])
def test_objectives_question_names_topic_place_and_target_year(doc_id, question):
    doc = parsed(doc_id)
    assert derive_starter(doc.meta, doc.root) == question


def test_plan_without_meta_json_gets_the_derived_starter():
    doc = parse_document("ke-hoach-mau-lam-dong", load_text(DATA / "ke-hoach-mau-lam-dong.txt"))
    assert doc.meta.starter_questions == ["Mục tiêu chuyển đổi số của Lâm Đồng năm 2024 là gì?"]


def test_plan_without_an_objectives_heading_is_asked_for_its_signer():
    doc = parse_document("quyet-dinh-mau", load_text(DATA / "quyet-dinh-mau.txt"))
    assert doc.meta.starter_questions == [f"Ai ký ban hành {doc.meta.short_label}?"]


def test_meta_json_starters_are_kept_verbatim_and_not_extended():
    text = load_text(DATA / "ke-hoach-mau-lam-dong.txt")
    doc = parse_document("x", text, {"starter_questions": ["  Câu hỏi  riêng? "]})
    assert doc.meta.starter_questions == ["  Câu hỏi  riêng? "]
