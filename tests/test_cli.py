"""The `assistant` command as CONTRACT.md defines it, through click's CliRunner."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from assistant import cli, pipeline


@pytest.fixture
def runner(monkeypatch, fast_assistant):
    """CLI commands open the fast assistant instead of loading the real model."""
    monkeypatch.setattr(pipeline.Assistant, "open", classmethod(lambda cls, settings, **kw: fast_assistant))
    return CliRunner()


def test_ask_json_prints_one_answer_object(runner):
    result = runner.invoke(cli.main, ["ask", "Mục tiêu tỷ trọng kinh tế số của Đồng Nai đến năm 2025?", "--json"])
    assert result.exit_code == 0, result.output
    obj = json.loads(result.output)
    assert obj["citations"][0]["doc_id"] == "dong-nai-kh-198-2022"


def test_search_json_prints_k_contexts(runner):
    result = runner.invoke(cli.main, ["search", "thanh toán không dùng tiền mặt", "-k", "10", "--json"])
    assert result.exit_code == 0, result.output
    obj = json.loads(result.output)
    assert obj["question"] == "thanh toán không dùng tiền mặt"
    assert len(obj["contexts"]) == 10


def test_batch_echoes_ids_in_order_and_reports_bad_lines(runner, tmp_path):
    batch = tmp_path / "q.jsonl"
    batch.write_text("\n".join([
        json.dumps({"id": "a", "question": "Tỷ trọng kinh tế số Đồng Nai 2025?"}, ensure_ascii=False),
        "{broken",
        json.dumps({"id": 3, "question": ""}),
        json.dumps({"id": "b", "question": "Hải Dương phát triển hạ tầng số thế nào?"}, ensure_ascii=False),
    ]), encoding="utf-8")
    result = runner.invoke(cli.main, ["ask", "--batch", str(batch), "--json"])
    assert result.exit_code == 0, result.output
    lines = [json.loads(l) for l in result.output.splitlines()]
    assert [l["id"] for l in lines] == ["a", None, 3, "b"]
    assert lines[1]["error"].startswith("Dòng 2: không phải JSON hợp lệ")
    assert lines[2]["error"] == "Dòng 3: thiếu trường 'question'."
    assert lines[3]["refused"] in (True, False)


def test_ask_without_question_or_batch_is_a_usage_error(runner):
    result = runner.invoke(cli.main, ["ask"])
    assert result.exit_code == 2
    assert "QUESTION or --batch" in result.output


def test_empty_question_exits_nonzero_with_vietnamese_message(runner):
    result = runner.invoke(cli.main, ["ask", "   "])
    assert result.exit_code == 1
    assert "Câu hỏi trống" in result.output


def test_inspect_unknown_document_lists_the_known_ones():
    result = CliRunner().invoke(cli.main, ["inspect", "nghe-an"])
    assert result.exit_code == 1
    assert "dong-nai-kh-198-2022" in result.output


def test_ask_without_a_corpus_says_where_it_looked_and_how_to_set_home(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    for name in ["HOME", "CORPUS_DIR", "INDEX_DIR"]:
        monkeypatch.delenv(f"ASSISTANT_{name}", raising=False)
    result = CliRunner().invoke(cli.main, ["ask", "Mục tiêu của Đồng Nai?"])
    assert result.exit_code == 1
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert f"Không tìm thấy thư mục văn bản (corpus) tại {tmp_path / 'corpus'}." in result.output
    assert "ASSISTANT_HOME" in result.output
    assert not (tmp_path / "index").exists()  # nothing left behind in the wrong folder
