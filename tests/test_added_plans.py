"""Plans nobody tuned on: realistic plans outside corpus/ (eval/added_plans/), with other
numbering habits (Phần I → I. → 1.; a decision's Điều with an attached programme in Chương/Mục/Điều;
"|" table cells; long one-paragraph items), added to a copy of the corpus without .meta.json files.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from assistant.evaluation.dataset import load_dataset, validate
from assistant.ingest.chunking import chunk_document
from assistant.ingest.loaders import load_text
from assistant.ingest.structure import parse_document
from assistant.settings import Settings

ROOT = Path(__file__).resolve().parents[1]
ADDED = ROOT / "eval" / "added_plans"
QT, NB = "quang-tri-kh-2156-2023", "ninh-binh-qd-845-2022"


@pytest.fixture(scope="module")
def extended_home(tmp_path_factory) -> Path:
    """A home whose corpus/ is the shipped plans plus the added ones (which bring no metadata)."""
    home = tmp_path_factory.mktemp("extended")
    shutil.copytree(ROOT / "corpus", home / "corpus")
    for plan in ADDED.glob("*.txt"):
        shutil.copy(plan, home / "corpus" / plan.name)
    return home


@pytest.fixture(scope="module")
def extended_assistant(extended_home, fake_embedder):
    from assistant.pipeline import Assistant

    return Assistant.open(Settings(home=extended_home, retrieval_mode="bm25"), embedder=fake_embedder)


def _outline(doc_id: str) -> list[str]:
    parsed = parse_document(doc_id, load_text(ADDED / f"{doc_id}.txt"))
    return [c.section for c in chunk_document(parsed)]


def test_a_plan_in_parts_keeps_part_section_and_item_levels():
    sections = _outline(QT)
    assert any(s.startswith("Phần II") and "I. MỤC TIÊU" in s for s in sections)
    assert any("III. KINH PHÍ THỰC HIỆN" in s for s in sections)


def test_a_decision_with_an_attached_programme_keeps_chapters_and_articles():
    sections = _outline(NB)
    assert any("Điều 10" in s and "Chương III" in s for s in sections)


def test_the_added_plans_metadata_is_read_from_their_text(extended_assistant):
    metas = {doc_id: d.meta for doc_id, d in extended_assistant.bundle.documents.items()}
    assert metas[QT].number == "2156/KH-UBND" and metas[QT].province == "Quảng Trị"
    assert metas[NB].number == "845/QĐ-UBND" and metas[NB].province == "Ninh Bình"


def test_a_table_row_of_an_added_plan_is_answered_and_cited(extended_assistant):
    answer = extended_assistant.ask("Quảng Trị muốn hộ gia đình có cáp quang đạt bao nhiêu phần trăm vào 2025?")
    assert not answer.refused
    assert "85" in answer.answer
    assert {c.doc_id for c in answer.citations} == {QT}


def test_an_article_of_an_added_plan_is_answered_and_cited(extended_assistant):
    answer = extended_assistant.ask("Ninh Bình diễn tập ứng cứu sự cố an toàn thông tin bao nhiêu lần một năm?")
    assert not answer.refused
    assert "02 lần" in answer.answer
    assert {c.doc_id for c in answer.citations} == {NB}


def test_a_budget_of_an_added_plan_is_answered(extended_assistant):
    answer = extended_assistant.ask("Giai đoạn 2023-2025, tổng kinh phí dự kiến để Quảng Trị thực hiện kế hoạch là bao nhiêu?")
    assert "286,4 tỷ đồng" in answer.answer


@pytest.mark.parametrize("folder", ["blind", "holdout"])
def test_the_added_plans_question_sets_hold_against_the_extended_corpus(extended_home, folder):
    items = [item for path in sorted((ROOT / "eval" / folder / "added").glob("*.jsonl")) for item in load_dataset(path)]
    assert len(items) >= 30
    assert validate(items, extended_home / "corpus") == []
