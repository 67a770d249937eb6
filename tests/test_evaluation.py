"""Metrics match an independent computation by the contract's definitions, on a scripted fake assistant.

Six questions (four answerable, one of them cross_doc, two unanswerable) with chosen contexts,
answers and latencies; every expected number below is worked out by hand from CONTRACT.md and
eval/README.md, not by calling the code under test.
"""

from __future__ import annotations

import json
from math import log2
from pathlib import Path
from types import SimpleNamespace

import pytest
from click.testing import CliRunner

from assistant.evaluation import run as evaluation
from assistant.records import Answer, Chunk, Citation, Hit

E_A = "Tỷ trọng kinh tế số đạt 20% GRDP."  # doc-a
E_B = "Xây dựng trung tâm dữ liệu tập trung của tỉnh"  # doc-b, 10 tokens ("trung" twice)
E_C = "Tỷ lệ hộ gia đình có cáp quang đạt 80%."  # doc-a

ROWS = [
    {"id": "q1", "question": "Tỷ trọng kinh tế số của tỉnh A đến năm 2025?", "answer": "20% GRDP", "must_contain": ["20%"],
     "doc": "doc-a", "evidence": E_A, "section": "II", "type": "numeric"},
    {"id": "q2", "question": "Tỉnh B xây dựng gì?", "answer": "Trung tâm dữ liệu tập trung", "must_contain": ["trung tâm dữ liệu"],
     "doc": "doc-b", "evidence": E_B, "section": "III", "type": "fact"},
    {"id": "q3", "question": "So sánh A và B?", "answer": "A: 20%; B: trung tâm dữ liệu", "must_contain": ["20%", "Trung tâm dữ liệu"],
     "doc": ["doc-a", "doc-b"], "evidence": [E_A, E_B], "section": ["II", "III"], "type": "cross_doc"},
    {"id": "q4", "question": "Tỷ lệ hộ gia đình có cáp quang của tỉnh A?", "answer": "80%", "must_contain": ["80%"],
     "doc": "doc-a", "evidence": E_C, "section": "II", "type": "numeric"},
    {"id": "q5", "question": "Thời tiết Hà Nội ngày mai?", "answer": "", "must_contain": [], "doc": None, "evidence": None,
     "section": None, "type": "unanswerable"},
    {"id": "q6", "question": "thoi tiet ha noi ngay mai", "answer": "", "must_contain": [], "doc": None, "evidence": None,
     "section": None, "type": "unanswerable"},
]


def chunk(doc: str, text: str, n: int = 0) -> Chunk:
    return Chunk(chunk_id=f"{doc}#{n:04d}", doc_id=doc, text=text, heading_path=["I"], label=f"{doc} mục {n}",
                 start=0, end=len(text))


def filler(n: int, doc: str = "doc-a") -> Chunk:
    return chunk(doc, f"Nội dung khác số {n} của kế hoạch.", 100 + n)


def padded(*head: Chunk, total: int = 10) -> list[Chunk]:
    return [*head, *(filler(i) for i in range(total - len(head)))]


LONG = ("Xây dựng trung tâm dữ liệu " + "x" * 400)[:350]
# question id -> (contexts, answer text, refused, cited docs, ask ms, retrieve ms), for the hybrid mode.
SCRIPT = {
    # Evidence at rank 2, found verbatim despite wrapping and case; right answer, right citation.
    "q1": (padded(filler(90, "doc-b"), chunk("doc-a", "2. Mục tiêu:\nTỷ trọng   kinh tế số\nĐẠT 20% GRDP.")),
           "Tỷ trọng kinh tế số đạt 20% GRDP.", False, ["doc-a"], 10, 1),
    # Rank 1 holds 9 of 10 evidence tokens; rank 3 holds it verbatim; the answer dumps 350 characters.
    "q2": (padded(chunk("doc-b", "Xây dựng trung tâm dữ liệu tập trung cho tỉnh"), filler(1), chunk("doc-b", f"Nhiệm vụ: {E_B}.")),
           LONG, False, ["doc-b"], 20, 2),
    # Cross-document: doc-a's evidence at rank 1, doc-b's at rank 7; refused.
    "q3": (padded(chunk("doc-a", E_A), *(filler(i) for i in range(5)), chunk("doc-b", E_B)), "", True, [], 30, 3),
    # The evidence text from the wrong document at rank 1, 5/10 tokens at rank 2, the real one at rank 12.
    "q4": (padded(chunk("doc-b", E_C), chunk("doc-a", "Tỷ lệ hộ gia đình dùng internet"), total=11) + [chunk("doc-a", E_C)],
           "Đạt 80%.", False, ["doc-b"], 40, 4),
    "q5": (padded(), "", True, [], 50, 5),
    "q6": (padded(), "Trời nắng.", False, ["doc-a"], 60, 6),
}


class FakeAssistant:
    """Answers from SCRIPT in hybrid mode, refuses everything with no contexts in bm25 mode; advances a fake clock."""

    def __init__(self, clock: list[float]) -> None:
        self.clock = clock
        self.calls: list[tuple[str, str]] = []
        self.by_question = {row["question"]: row["id"] for row in ROWS}

    def ask(self, question: str, *, mode: str | None = None) -> Answer:
        self.calls.append((question, mode))
        contexts, text, refused, cited, ask_ms, retrieve_ms = SCRIPT[self.by_question[question]]
        self.clock[0] += ask_ms / 1000
        if mode == "bm25":
            return Answer(question, "Xin lỗi, không tìm thấy.", True, [], [], {"retrieve": 0.5, "answer": 0.1})
        citations = [Citation(doc_id=d, title=d, section="I", label=d, quote=text) for d in cited]
        return Answer(question, text, refused, citations, [Hit(c, 1.0 / r) for r, c in enumerate(contexts, 1)],
                      {"retrieve": float(retrieve_ms), "answer": 1.0})


@pytest.fixture
def dataset(tmp_path) -> Path:
    path = tmp_path / "tiny.jsonl"
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in ROWS), encoding="utf-8")
    return path


@pytest.fixture
def fake(monkeypatch) -> FakeAssistant:
    clock = [0.0]
    monkeypatch.setattr(evaluation, "time", SimpleNamespace(perf_counter=lambda: clock[0]))
    return FakeAssistant(clock)


@pytest.fixture
def result(fake, dataset) -> evaluation.EvalResult:
    return evaluation.run(fake, [dataset], ["hybrid", "bm25"], progress=False)


def ndcg(relevant: list[bool], n_evidence: int) -> float:
    dcg = sum(1 / log2(r + 1) for r, rel in enumerate(relevant, 1) if rel)
    return dcg / sum(1 / log2(r + 1) for r in range(1, max(n_evidence, sum(relevant)) + 1))


HYBRID = {
    "questions": 6, "answerable": 4, "unanswerable": 2,
    # Last-needed-evidence ranks: q1 2, q2 1, q3 7 (cross_doc: the later of 1 and 7), q4 12.
    "recall@1": 0.25, "recall@5": 0.5, "recall@10": 0.75,
    "mrr@10": round((1 / 2 + 1 + 1 / 7 + 0) / 4, 4),
    "ndcg@10": round((ndcg([False, True], 1) + ndcg([True, False, True], 1)
                      + ndcg([True, False, False, False, False, False, True], 2) + 0.0) / 4, 4),
    # q1 and q4 right; q2 is right but too long (350 > 300 chars); q3 refused.
    "answer_accuracy": 0.5, "answer_accuracy_lenient": 0.75,
    # q1, q2 cite their document; q3 cites nothing; q4 cites doc-b instead of doc-a.
    "citation_accuracy": 0.5,
    # Refused: q3 (answerable) and q5 (unanswerable); q6 answered.
    "refusal_recall": 0.5, "refusal_precision": 0.5, "false_refusal_rate": 0.25,
    "correct": 0.5,  # q1, q4, q5 of six
    # Nearest rank over 10..60 ms and 1..6 ms: p50 is the 3rd value, p95 the 6th.
    "latency_p50_ms": 30.0, "latency_p95_ms": 60.0, "retrieve_p50_ms": 3.0, "retrieve_p95_ms": 6.0,
}
BM25 = {
    "questions": 6, "answerable": 4, "unanswerable": 2,
    "recall@1": 0.0, "recall@5": 0.0, "recall@10": 0.0, "mrr@10": 0.0, "ndcg@10": 0.0,
    "answer_accuracy": 0.0, "answer_accuracy_lenient": 0.0, "citation_accuracy": 0.0,
    "refusal_recall": 1.0, "refusal_precision": round(2 / 6, 4), "false_refusal_rate": 1.0, "correct": round(2 / 6, 4),
    "latency_p50_ms": 30.0, "latency_p95_ms": 60.0, "retrieve_p50_ms": 0.5, "retrieve_p95_ms": 0.5,
}


def test_overall_metrics_match_the_contract_definitions(result):
    assert result.to_json()["overall"] == {"hybrid": HYBRID, "bm25": BM25}


def test_each_question_is_asked_once_per_mode(fake, result):
    questions = [row["question"] for row in ROWS]
    assert fake.calls == [(q, "hybrid") for q in questions] + [(q, "bm25") for q in questions]


def test_metrics_by_question_type(result):
    by_type = result.to_json()["by_type"]["hybrid"]
    assert sorted(by_type) == ["cross_doc", "fact", "numeric", "unanswerable"]
    numeric = by_type["numeric"]  # q1 (rank 2, right) and q4 (rank 12, right, wrong citation)
    assert (numeric["recall@1"], numeric["recall@5"], numeric["mrr@10"], numeric["answer_accuracy"],
            numeric["citation_accuracy"]) == (0.0, 0.5, 0.25, 1.0, 0.5)
    unanswerable = by_type["unanswerable"]
    assert (unanswerable["recall@10"], unanswerable["answer_accuracy"], unanswerable["refusal_recall"]) == (None, None, 0.5)


def test_questions_without_diacritics_are_their_own_slice(result):
    slices = result.to_json()["slices"]["hybrid"]
    assert {name: (s["questions"], s["correct"]) for name, s in slices.items()} == {
        "no_diacritics": (1, 0.0), "with_diacritics": (5, 0.6)}


def test_worst_questions_show_what_went_wrong_and_what_was_retrieved(result):
    worst = result.to_json()["worst"]["hybrid"]
    assert [(w["id"], w["problems"]) for w in worst] == [
        ("q6", ["answered an unanswerable question"]),
        ("q4", ["evidence from doc-a not in the top 10", "does not cite doc-a (cites doc-b)"]),
        ("q3", ["refused an answerable question"]),
        ("q2", ["answer too long (350 > 300 chars)"]),
    ]
    q4 = worst[1]
    assert (q4["question"], q4["gold"], q4["answer"], q4["evidence_rank"]) == (ROWS[3]["question"], "80%", "Đạt 80%.", 12)
    assert q4["top3"] == [
        {"label": "doc-b mục 0", "doc_id": "doc-b", "section": "I", "holds_evidence": False},
        {"label": "doc-a mục 0", "doc_id": "doc-a", "section": "I", "holds_evidence": False},
        {"label": "doc-a mục 100", "doc_id": "doc-a", "section": "I", "holds_evidence": False},
    ]


def test_dataset_counts_are_reported_per_file(result, dataset):
    assert result.to_json()["datasets"] == {
        str(dataset): {"questions": 6, "unanswerable": 2,
                       "by_type": {"cross_doc": 1, "fact": 1, "numeric": 2, "unanswerable": 2}}}


@pytest.mark.parametrize(("doc", "text", "held"), [
    ("doc-b", E_B, True),
    ("doc-b", "  XÂY DỰNG trung tâm\ndữ liệu tập trung của tỉnh, nhiệm vụ 1", True),  # whitespace and case
    ("doc-a", E_B, False),  # same words, other plan
    ("doc-b", "xây dựng trung tâm dữ liệu tập trung cho tỉnh", True),  # 9 of 10 tokens
    ("doc-b", "xây dựng trung tâm dữ liệu tập trung", True),  # 8 of 10: exactly 80%
    ("doc-b", "xây dựng trung tâm dữ liệu tập thể", False),  # 7 of 10
    ("doc-b", "trung trung trung tâm dữ liệu của tỉnh", False),  # "trung" counts at most twice: 7 of 10
])
def test_a_chunk_holds_evidence_verbatim_or_by_80_percent_of_its_tokens(doc, text, held):
    assert evaluation.holds(chunk(doc, text), "doc-b", E_B) is held


@pytest.mark.parametrize(("question", "marked"), [
    ("Kế hoạch chuyển đổi số", True), ("ke hoach chuyen doi so", False), ("Dak Lak", False), ("Đak Lak", True),
])
def test_diacritics_are_detected_by_any_vietnamese_mark(question, marked):
    assert evaluation.has_diacritics(question) is marked


def test_table_and_report_files_render_the_same_numbers(result, tmp_path):
    table = evaluation.format_table(result)
    assert "recall@10                    0.750     0.000" in table
    assert "answer_accuracy_lenient      0.750     0.000" in table
    evaluation.write_report(result, tmp_path / "report")
    data = json.loads((tmp_path / "report" / "report.json").read_text(encoding="utf-8"))
    assert data["overall"]["hybrid"] == HYBRID
    assert [row["evidence_rank"] for row in data["per_question"]["hybrid"]] == [2, 1, 7, 12, None, None]
    markdown = (tmp_path / "report" / "report.md").read_text(encoding="utf-8")
    assert "| recall@10 | 0.750 | 0.000 |" in markdown and "**q4** (numeric" in markdown
    assert (tmp_path / "report" / "metrics.png").read_bytes().startswith(b"\x89PNG")


def test_an_assistant_error_counts_as_a_refusal_and_is_kept(dataset):
    from assistant.errors import BadQuestion

    class Broken:
        def ask(self, question, *, mode=None):
            raise BadQuestion("Câu hỏi quá dài.")

    result = evaluation.run(Broken(), [dataset], ["hybrid"], progress=False)
    first = result.results["hybrid"][0]
    assert (first.refused, first.error, first.problems()) == (
        True, "Câu hỏi quá dài.", ["error: Câu hỏi quá dài.", "refused an answerable question",
                                   "evidence from doc-a not in the top 10"])


def test_default_datasets_are_the_eval_files_under_home(tmp_path):
    from assistant.settings import Settings

    (tmp_path / "eval" / "holdout").mkdir(parents=True)
    for name in ["b.jsonl", "a.jsonl", "notes.md", "holdout/h.jsonl"]:
        (tmp_path / "eval" / name).write_text("", encoding="utf-8")
    assert evaluation.default_datasets(Settings(home=tmp_path)) == [tmp_path / "eval" / "a.jsonl", tmp_path / "eval" / "b.jsonl"]


def test_cli_eval_json_prints_one_object(fake, dataset, monkeypatch):
    from assistant import cli

    monkeypatch.setattr("assistant.pipeline.Assistant.open", classmethod(lambda cls, settings, **kw: fake))
    out = CliRunner().invoke(cli.main, ["eval", "--dataset", str(dataset), "--modes", "hybrid", "--json"])
    assert out.exit_code == 0, out.output
    lines = out.output.splitlines()
    assert len(lines) == 1
    obj = json.loads(lines[0])
    assert obj["overall"] == {"hybrid": HYBRID}
    assert obj["baseline_failures"] == []


def test_an_unknown_mode_is_refused_before_any_question_is_asked(fake, dataset):
    from assistant.errors import AssistantError

    with pytest.raises(AssistantError) as exc:
        evaluation.run(fake, [dataset], ["hybrid", "sparse"], progress=False)
    assert exc.value.message == "cannot evaluate modes hybrid, sparse: choose among bm25, dense, hybrid"
    assert fake.calls == []
