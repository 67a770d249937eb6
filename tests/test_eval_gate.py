"""The CI gate: the real assistant must not fall below eval/baseline.json, and the gate must catch a regression."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from assistant.evaluation import run as evaluation
from assistant.records import Answer, Chunk, Citation, Hit
from corpus_docs import ROOT

BASELINE = ROOT / "eval" / "baseline.json"
CREATE = ("`assistant eval --modes bm25,dense,hybrid --report reports/eval`, review reports/eval/report.md, then "
          "`assistant eval --modes bm25,dense,hybrid --write-baseline eval/baseline.json` and commit it")


@pytest.mark.slow
def test_real_evaluation_does_not_fall_below_the_baseline(request):
    if not BASELINE.exists():
        pytest.fail(f"{BASELINE} is missing. Create it deliberately: {CREATE}")
    real_assistant = request.getfixturevalue("real_assistant")  # only once there is something to compare to
    modes = list(json.loads(BASELINE.read_text(encoding="utf-8"))["modes"])
    result = evaluation.run(real_assistant, evaluation.default_datasets(real_assistant.settings), modes)
    evaluation.write_report(result, ROOT / "tests" / "artifacts" / "eval")  # for a failing CI run
    failures = evaluation.compare_to_baseline(result, BASELINE)
    assert failures == [], "\n".join(failures + ["report: tests/artifacts/eval/report.md"])


# --- the gate itself, on a scripted assistant ---------------------------------------------------

ROWS = [
    {"id": f"g{i}", "question": f"Chỉ tiêu số {i} của tỉnh A?", "answer": f"Đạt {i}0%.", "must_contain": [f"{i}0%"],
     "doc": "doc-a", "evidence": f"Chỉ tiêu số {i} đạt {i}0%.", "section": "II", "type": "numeric"}
    for i in (1, 2, 3)
] + [{"id": "g4", "question": "Thời tiết ngày mai?", "answer": "", "must_contain": [], "doc": None, "evidence": None,
      "section": None, "type": "unanswerable"}]


class Scripted:
    """Finds every evidence at rank 1 and answers right, unless told to break one stage."""

    def __init__(self, broken: str = "") -> None:
        self.broken = broken
        self.rows = {row["question"]: row for row in ROWS}

    def ask(self, question: str, *, mode: str | None = None) -> Answer:
        row = self.rows[question]
        fillers = [Chunk(f"doc-a#{i:04d}", "doc-a", f"Đoạn khác {i}.", ["I"], "I", 0, 0) for i in range(10)]
        if row["doc"] is None or self.broken == "refuse":
            return Answer(question, "Xin lỗi.", True, [], [Hit(c, 0.0) for c in fillers], {"retrieve": 1.0})
        held = Chunk("doc-a#0100", "doc-a", row["evidence"], ["II"], "II", 0, 0)
        contexts = fillers + [held] if self.broken == "retrieval" else [held] + fillers
        text = "Không rõ." if self.broken == "answer" and row["id"] == "g1" else row["answer"]
        return Answer(question, text, False, [Citation("doc-a", "A", "II", "II", text)],
                      [Hit(c, 0.0) for c in contexts], {"retrieve": 1.0})


@pytest.fixture
def dataset(tmp_path) -> Path:
    path = tmp_path / "gate.jsonl"
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in ROWS), encoding="utf-8")
    return path


@pytest.fixture
def baseline(tmp_path, dataset) -> Path:
    path = tmp_path / "baseline.json"
    evaluation.save_baseline(evaluation.run(Scripted(), [dataset], ["hybrid"], progress=False), path)
    return path


def evaluate(dataset: Path, broken: str = "", modes=("hybrid",)) -> evaluation.EvalResult:
    return evaluation.run(Scripted(broken), [dataset], list(modes), progress=False)


def test_an_unchanged_assistant_passes_its_own_baseline(dataset, baseline):
    assert evaluation.compare_to_baseline(evaluate(dataset), baseline) == []


def test_the_gate_catches_a_retrieval_regression(dataset, baseline):
    assert evaluation.compare_to_baseline(evaluate(dataset, "retrieval"), baseline) == [
        f"hybrid {metric} fell to 0.0000 from baseline 1.0000 (tolerance 0.02)"
        for metric in ("recall@1", "recall@5", "recall@10", "mrr@10", "ndcg@10")]


def test_the_gate_catches_one_wrong_answer_in_three(dataset, baseline):
    assert evaluation.compare_to_baseline(evaluate(dataset, "answer"), baseline) == [
        "hybrid answer_accuracy fell to 0.6667 from baseline 1.0000 (tolerance 0.02)",
        "hybrid answer_accuracy_lenient fell to 0.6667 from baseline 1.0000 (tolerance 0.02)",
    ]


def test_the_gate_catches_false_refusals_as_a_rise(dataset, baseline):
    failures = evaluation.compare_to_baseline(evaluate(dataset, "refuse"), baseline)
    assert "hybrid false_refusal_rate rose to 1.0000 from baseline 0.0000 (tolerance 0.02)" in failures
    assert "hybrid refusal_precision fell to 0.2500 from baseline 1.0000 (tolerance 0.02)" in failures


def test_tolerances_come_from_the_baseline_file(dataset, baseline):
    data = json.loads(baseline.read_text(encoding="utf-8"))
    data["tolerances"] = {"answer_accuracy": 0.34}
    baseline.write_text(json.dumps(data), encoding="utf-8")
    assert evaluation.compare_to_baseline(evaluate(dataset, "answer"), baseline) == [
        "hybrid answer_accuracy_lenient fell to 0.6667 from baseline 1.0000 (tolerance 0.02)"]
    data["tolerance"] = 0.5
    baseline.write_text(json.dumps(data), encoding="utf-8")
    assert evaluation.compare_to_baseline(evaluate(dataset, "answer"), baseline) == []


def test_rewriting_a_baseline_keeps_its_tolerances(dataset, baseline):
    data = json.loads(baseline.read_text(encoding="utf-8"))
    baseline.write_text(json.dumps({**data, "tolerance": 0.05, "tolerances": {"recall@1": 0.1}}), encoding="utf-8")
    evaluation.save_baseline(evaluate(dataset), baseline)
    rewritten = json.loads(baseline.read_text(encoding="utf-8"))
    assert (rewritten["tolerance"], rewritten["tolerances"]) == (0.05, {"recall@1": 0.1})


def test_latency_is_recorded_but_not_gated(dataset, baseline):
    data = json.loads(baseline.read_text(encoding="utf-8"))
    for key in ("latency_p50_ms", "latency_p95_ms", "retrieve_p50_ms", "retrieve_p95_ms"):
        assert key in data["modes"]["hybrid"]
        data["modes"]["hybrid"][key] = 0.0
    baseline.write_text(json.dumps(data), encoding="utf-8")
    assert evaluation.compare_to_baseline(evaluate(dataset), baseline) == []


def test_only_modes_in_both_are_compared(dataset, baseline):
    assert evaluation.compare_to_baseline(evaluate(dataset, modes=("hybrid", "bm25")), baseline) == []
    assert evaluation.compare_to_baseline(evaluate(dataset, modes=("dense",)), baseline) == [
        "no evaluated mode (dense) is in the baseline (hybrid)"]


def test_a_changed_question_set_asks_for_a_new_baseline(tmp_path, dataset, baseline):
    fewer = tmp_path / "fewer.jsonl"
    fewer.write_text("\n".join(dataset.read_text(encoding="utf-8").splitlines()[:3]) + "\n", encoding="utf-8")
    assert evaluation.compare_to_baseline(evaluate(fewer), baseline) == [
        f"the questions changed since the baseline (4 → 3): review the report, then rewrite it with "
        f"--write-baseline {baseline}"]


def test_a_missing_baseline_says_how_to_create_it(dataset, tmp_path):
    missing = tmp_path / "none.json"
    assert evaluation.compare_to_baseline(evaluate(dataset), missing) == [
        f"no baseline at {missing}: create it with `assistant eval --modes <modes> --write-baseline {missing}`"]


def test_cli_exits_nonzero_and_names_each_regression(dataset, baseline, monkeypatch):
    from assistant import cli

    monkeypatch.setattr("assistant.pipeline.Assistant.open", classmethod(lambda cls, settings, **kw: Scripted("answer")))
    out = CliRunner().invoke(cli.main, ["eval", "--dataset", str(dataset), "--modes", "hybrid", "--baseline", str(baseline)])
    assert out.exit_code == 1
    assert "REGRESSION: hybrid answer_accuracy fell to 0.6667 from baseline 1.0000 (tolerance 0.02)" in out.stderr
