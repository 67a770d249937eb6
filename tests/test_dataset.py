"""The gold question files are sound, and a broken line is reported with its file, line and reason."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from assistant.evaluation.dataset import DatasetError, load_dataset, load_datasets, validate
from assistant.settings import Settings
from corpus_docs import ROOT

EVAL_FILES = sorted((ROOT / "eval").glob("*.jsonl"))
HOLDOUT_FILES = sorted((ROOT / "eval" / "holdout").glob("*.jsonl"))
PLANS = {"dong-nai-kh-198-2022", "ba-ria-vung-tau-kh-cds-2024", "tp-ho-chi-minh-kh-411-2023",
         "hai-duong-kh-780-2022", "phu-yen-qd-1728-2020"}


def test_every_project_dataset_passes_the_validator_against_the_corpus():
    items = [item for path in EVAL_FILES for item in load_dataset(path)]
    assert validate(items, Settings(home=ROOT).corpus_dir) == []


def test_the_held_out_set_passes_the_validator_and_shares_no_question_with_the_tuning_set():
    assert HOLDOUT_FILES, "eval/holdout/ holds the independent question set"
    holdout = [item for path in HOLDOUT_FILES for item in load_dataset(path)]
    assert validate(holdout, Settings(home=ROOT).corpus_dir) == []
    tuning = {item.question for path in EVAL_FILES for item in load_dataset(path)}
    assert not tuning & {item.question for item in holdout}


def test_project_datasets_are_large_enough_and_cover_every_plan():
    items = [item for path in EVAL_FILES for item in load_dataset(path)]
    assert len(items) >= 250
    assert sum(item.type == "unanswerable" for item in items) >= 25
    assert PLANS <= {doc for item in items for doc in item.docs}


# --- a small corpus and broken lines ---------------------------------------------------------

GOOD = {"id": "t-001", "question": "Tỷ trọng kinh tế số đến năm 2025?", "answer": "Đạt 20% GRDP.",
        "must_contain": ["20%"], "doc": "plan-a", "evidence": "Tỷ trọng kinh tế số đạt 20% GRDP.",
        "section": "II. MỤC TIÊU", "type": "numeric"}
CROSS = {"id": "t-002", "question": "Hai tỉnh đặt mục tiêu bao nhiêu?", "answer": "A 20%, B 25%.",
         "must_contain": ["20%", "25%"], "doc": ["plan-a", "plan-b"],
         "evidence": ["Tỷ trọng kinh tế số đạt 20% GRDP.", "đạt 25% GRDP"], "section": ["II", "II"], "type": "cross_doc"}
NONE = {"id": "t-003", "question": "Thời tiết ngày mai?", "answer": "", "must_contain": [], "doc": None,
        "evidence": None, "section": None, "type": "unanswerable"}


@pytest.fixture
def corpus(tmp_path) -> Path:
    folder = tmp_path / "corpus"
    folder.mkdir()
    # Hard-wrapped like the real plans: evidence is compared after collapsing whitespace.
    (folder / "plan-a.txt").write_text("II. MỤC TIÊU\nTỷ trọng kinh tế số\nđạt 20% GRDP.\n", encoding="utf-8")
    (folder / "plan-b.txt").write_text("Tỷ trọng kinh tế số đạt 25% GRDP.\n", encoding="utf-8")
    return folder


def write(tmp_path: Path, *rows, name: str = "qs.jsonl") -> Path:
    path = tmp_path / name
    path.write_text("".join((r if isinstance(r, str) else json.dumps(r, ensure_ascii=False)) + "\n" for r in rows),
                    encoding="utf-8")
    return path


def problems_of(tmp_path: Path, corpus: Path, row: dict) -> list[str]:
    path = write(tmp_path, row)
    return validate(load_dataset(path), corpus)


def test_sound_lines_have_no_problems(tmp_path, corpus):
    path = write(tmp_path, GOOD, CROSS, "", NONE)
    items = load_dataset(path)
    assert [(i.id, i.line, i.docs, i.answerable) for i in items] == [
        ("t-001", 1, ["plan-a"], True), ("t-002", 2, ["plan-a", "plan-b"], True), ("t-003", 4, [], False)]
    assert validate(items, corpus) == []


@pytest.mark.parametrize(("change", "problem"), [
    ({"type": ""}, "'type' must be a non-empty string"),
    ({"question": ""}, "'question' must be a non-empty string"),
    ({"answer": None}, "'answer' must be a string"),
    ({"must_contain": "20%"}, "'must_contain' must be a list of non-empty strings"),
    ({"must_contain": []}, "an answerable question needs at least one 'must_contain' string"),
    ({"must_contain": ["25%"]}, "the gold answer does not contain must_contain '25%'"),
    ({"section": 2}, "'section' must be a string or null (cross_doc: or a list of them)"),
    ({"doc": ["plan-a"], "evidence": ["đạt 20%"]},
     "a numeric question needs one 'doc' and one 'evidence' string (lists are for cross_doc)"),
    ({"doc": "plan-z"}, "unknown document 'plan-z' (no such file in {corpus})"),
    ({"evidence": "Tỷ trọng kinh tế số đạt 30% GRDP."},
     "evidence not found verbatim in plan-a: 'Tỷ trọng kinh tế số đạt 30% GRDP.'"),
    ({"evidence": "tỷ trọng kinh tế số"}, "evidence not found verbatim in plan-a: 'tỷ trọng kinh tế số'"),
    ({"answer": "20% GDP", "must_contain": ["20% GDP"]}, "must_contain '20% GDP' does not occur in plan-a"),
])
def test_a_broken_line_is_reported_with_file_line_id_and_reason(tmp_path, corpus, change, problem):
    assert problems_of(tmp_path, corpus, {**GOOD, **change}) == [
        f"{tmp_path / 'qs.jsonl'}:1: t-001: {problem.format(corpus=corpus)}"]


@pytest.mark.parametrize(("change", "problem"), [
    ({"evidence": ["Tỷ trọng kinh tế số đạt 20% GRDP."]}, "'doc' has 2 entries but 'evidence' has 1"),
    ({"doc": ["plan-a", "plan-a"]}, "a cross_doc question must name at least two different documents"),
    ({"doc": "plan-a", "evidence": "đạt 20% GRDP"}, "a cross_doc question needs lists for 'doc' and 'evidence'"),
    ({"evidence": ["Tỷ trọng kinh tế số đạt 20% GRDP.", "đạt 30% GRDP"]}, "evidence not found verbatim in plan-b: 'đạt 30% GRDP'"),
])
def test_cross_doc_lines_pair_each_evidence_with_its_document(tmp_path, corpus, change, problem):
    assert problems_of(tmp_path, corpus, {**CROSS, **change}) == [f"{tmp_path / 'qs.jsonl'}:1: t-002: {problem}"]


@pytest.mark.parametrize(("change", "problem"), [
    ({"doc": "plan-a"}, "an unanswerable question needs 'doc': null and 'evidence': null"),
    ({"answer": "Không có."}, "an unanswerable question needs 'answer': \"\" and 'must_contain': []"),
])
def test_unanswerable_lines_carry_no_gold(tmp_path, corpus, change, problem):
    assert problems_of(tmp_path, corpus, {**NONE, **change}) == [f"{tmp_path / 'qs.jsonl'}:1: t-003: {problem}"]


def test_missing_keys_are_named(tmp_path, corpus):
    row = {k: v for k, v in GOOD.items() if k not in ("section", "evidence")}
    assert problems_of(tmp_path, corpus, row) == [f"{tmp_path / 'qs.jsonl'}:1: t-001: missing key 'evidence', 'section'"]


def test_ids_must_be_unique_across_files(tmp_path, corpus):
    first = write(tmp_path, GOOD, name="a.jsonl")
    second = write(tmp_path, {**NONE, "id": "t-001"}, name="b.jsonl")
    items = load_dataset(first) + load_dataset(second)
    assert validate(items, corpus) == [f"{second}:1: t-001: duplicate id (first used at {first}:1)"]


@pytest.mark.parametrize(("line", "error"), [
    ('{"id": "t-001", ', "not valid JSON (Expecting property name enclosed in double quotes at column 17)"),
    ('["t-001"]', "expected a JSON object, got list"),
])
def test_a_line_that_is_not_a_json_object_stops_loading_with_its_line_number(tmp_path, line, error):
    path = write(tmp_path, GOOD, line)
    with pytest.raises(DatasetError) as exc:
        load_dataset(path)
    assert exc.value.message == f"{path}:2: {error}"


def test_a_missing_file_is_a_dataset_error(tmp_path):
    with pytest.raises(DatasetError) as exc:
        load_dataset(tmp_path / "nope.jsonl")
    assert exc.value.message == f"{tmp_path / 'nope.jsonl'}: no such dataset file"


def test_loading_for_a_run_refuses_a_dataset_that_breaks_the_contract(tmp_path):
    path = write(tmp_path, GOOD, {**GOOD, "type": ""})
    with pytest.raises(DatasetError) as exc:
        load_datasets([path])
    assert exc.value.message == (
        "invalid evaluation dataset:\n"
        f"{path}:2: t-001: 'type' must be a non-empty string\n{path}:2: t-001: duplicate id (first used at {path}:1)")


@pytest.mark.parametrize("label", ["yesno", "situation", "numerik", "team-b/figures"])
def test_any_type_label_is_accepted_for_slicing(tmp_path, corpus, label):
    """Datasets written by others bring their own labels; only cross_doc and unanswerable are special."""
    assert problems_of(tmp_path, corpus, {**GOOD, "type": label}) == []


def test_every_evidence_is_held_by_some_chunk_of_the_corpus():
    """Recall can reach 1.0: no evidence is split across chunks by the chunker."""
    from assistant.evaluation.run import holds
    from assistant.indexing.build import parse_corpus

    settings = Settings(home=ROOT)
    _, chunks, _ = parse_corpus(settings.corpus_dir, max_chars=settings.chunk_max_chars)
    items = [item for path in EVAL_FILES for item in load_dataset(path)]
    unreachable = [f"{item.where}: {item.id}: {doc}" for item in items for doc, evidence in zip(item.docs, item.evidences)
                   if not any(holds(chunk, doc, evidence) for chunk in chunks)]
    assert unreachable == []
