"""starters.py: a plan without curated starter questions still gets one, built from its own outline."""

from __future__ import annotations

import pytest

from assistant.ingest.loaders import load_text
from assistant.ingest.starters import derive_starter
from assistant.ingest.structure import parse_document
from corpus_docs import DATA, parsed


@pytest.mark.parametrize("doc_id,question", [
    # no short target with a percentage right under the objectives: the objectives themselves
    ("dong-nai-kh-198-2022", "Mục tiêu kinh tế số của Đồng Nai đến năm 2025 là gì?"),
    ("ba-ria-vung-tau-kh-cds-2024", "Mục tiêu chuyển đổi số của Bà Rịa - Vũng Tàu năm 2024 là gì?"),
    # else the first short target with a percentage, its figure asked for
    ("tp-ho-chi-minh-kh-411-2023", "Tỷ trọng kinh tế số đạt bao nhiêu % GRDP ở Thành phố Hồ Chí Minh đến năm 2025?"),
])
def test_a_starter_asks_a_stated_target_or_the_objectives(doc_id, question):
    doc = parsed(doc_id)
    assert derive_starter(doc.meta, doc.root) == question


def test_plan_without_meta_json_gets_the_derived_starter():
    doc = parse_document("ke-hoach-mau-lam-dong", load_text(DATA / "ke-hoach-mau-lam-dong.txt"))
    assert doc.meta.starter_questions == ["Bao nhiêu % hồ sơ công việc cấp tỉnh được xử lý trên môi trường mạng ở Lâm Đồng năm 2024?"]


def test_plan_without_an_objectives_heading_is_asked_for_its_signer():
    doc = parse_document("quyet-dinh-mau", load_text(DATA / "quyet-dinh-mau.txt"))
    assert doc.meta.starter_questions == [f"Ai ký ban hành {doc.meta.short_label}?"]


def test_meta_json_starters_are_kept_verbatim_and_not_extended():
    text = load_text(DATA / "ke-hoach-mau-lam-dong.txt")
    doc = parse_document("x", text, {"starter_questions": ["  Câu hỏi  riêng? "]})
    assert doc.meta.starter_questions == ["  Câu hỏi  riêng? "]
