"""`assistant` command line: parse options, call one library function, print.

Shapes follow shared/CONTRACT.md; `--json` prints one JSON object per line.
"""

from __future__ import annotations

import json
import logging
import sys
import tempfile
from pathlib import Path

import click

from assistant.errors import AssistantError
from assistant.settings import Settings


def _settings(ctx: click.Context) -> Settings:
    return ctx.obj["settings"]


def _emit(obj) -> None:
    click.echo(json.dumps(obj, ensure_ascii=False))


def _open(ctx: click.Context, **overrides):
    from assistant.pipeline import Assistant

    settings = _settings(ctx).model_copy(update={k: v for k, v in overrides.items() if v is not None})
    try:
        return Assistant.open(settings, progress=sys.stderr.isatty() or ctx.obj.get("progress", False))
    except AssistantError as exc:
        raise click.ClickException(exc.message) from exc


class _Group(click.Group):
    """Turns AssistantError raised anywhere in a command into a clean message and exit code 1."""

    def invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except AssistantError as exc:
            raise click.ClickException(exc.message) from exc


@click.group(cls=_Group)
@click.option("--corpus", "corpus_dir", type=click.Path(path_type=Path), help="Folder of plans (default: $ASSISTANT_HOME/corpus, else ./corpus).")
@click.option("--index-dir", type=click.Path(path_type=Path), help="Index folder (default: $ASSISTANT_HOME/index, else ./index).")
@click.option("--model", "embedding_model", help="Sentence-transformers model name or path.")
@click.option("-v", "--verbose", is_flag=True, help="Log what happens.")
@click.pass_context
def main(ctx: click.Context, corpus_dir, index_dir, embedding_model, verbose) -> None:
    """Trợ lý ảo: hỏi đáp về các kế hoạch chuyển đổi số của tỉnh, thành phố."""
    logging.basicConfig(level=logging.INFO if verbose else logging.WARNING, stream=sys.stderr,
                        format="%(levelname)s %(name)s: %(message)s")
    overrides = {"corpus_dir": corpus_dir, "index_dir": index_dir, "embedding_model": embedding_model}
    ctx.obj = {"settings": Settings(**{k: v for k, v in overrides.items() if v is not None})}


@main.command()
@click.pass_context
def index(ctx: click.Context) -> None:
    """(Re)build index/ from corpus/, with a progress bar."""
    from assistant.indexing.embeddings import create_embedder
    from assistant.indexing.build import build_index

    settings = _settings(ctx)
    bundle = build_index(settings, create_embedder(settings), progress=True)
    m = bundle.manifest
    click.echo(f"Đã lập chỉ mục {m['documents']} văn bản, {m['chunks']} đoạn "
               f"({m['dense_index']}, {m['dimension']} chiều, {m['build_seconds']} s) → {bundle.folder}")
    click.echo(f"Phiên bản {m['version']} đang được dùng (index/current); máy chủ đang chạy tự chuyển sang.")
    for skipped in m.get("skipped", []):
        click.echo(f"Bỏ qua {skipped['file']}: {skipped['error']}", err=True)


@main.command()
@click.argument("question")
@click.option("-k", "k", default=10, show_default=True, type=click.IntRange(1, 200), help="How many contexts.")
@click.option("--mode", type=click.Choice(["bm25", "dense", "hybrid"]), help="Retrieval mode (default: settings).")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")
@click.pass_context
def search(ctx: click.Context, question: str, k: int, mode: str | None, as_json: bool) -> None:
    """Show the clauses retrieved for a question."""
    from assistant.records import hit_to_json

    assistant = _open(ctx, retrieval_mode=mode)
    retrieval = assistant.search(question, k=k, mode=mode)
    if as_json:
        _emit({"question": question, "contexts": [hit_to_json(h) for h in retrieval.hits]})
        return
    for rank, hit in enumerate(retrieval.hits, 1):
        click.echo(f"{rank:2d}. [{hit.score:.4f}] {hit.chunk.label}\n    {hit.chunk.section}\n    {hit.chunk.text[:200]}")


def _read_batch(path: Path) -> list[tuple[object, str | None, str | None]]:
    """(id, question, error) per non-empty line; a bad line becomes an error, not a crash."""
    rows = []
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise click.ClickException(f"Không đọc được tệp câu hỏi {path}: {exc}") from exc
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            obj = json.loads(line)
            question = obj.get("question") if isinstance(obj, dict) else None
            if not isinstance(question, str) or not question.strip():
                rows.append((obj.get("id") if isinstance(obj, dict) else None, question if isinstance(question, str) else "",
                             f"Dòng {number}: thiếu trường 'question'."))
            else:
                rows.append((obj.get("id"), question, None))
        except json.JSONDecodeError as exc:
            rows.append((None, "", f"Dòng {number}: không phải JSON hợp lệ ({exc.msg})."))
    return rows


@main.command()
@click.argument("question", required=False)
@click.option("--batch", "batch", type=click.Path(exists=True, dir_okay=False, path_type=Path), help="JSONL file of {id, question}.")
@click.option("--history", "history", multiple=True, help="A previous question of the conversation (repeatable, oldest first).")
@click.option("--mode", type=click.Choice(["bm25", "dense", "hybrid"]), help="Retrieval mode (default: settings).")
@click.option("--json", "as_json", is_flag=True, help="Print JSON (one object per line).")
@click.pass_context
def ask(ctx: click.Context, question: str | None, batch: Path | None, history: tuple[str, ...], mode: str | None, as_json: bool) -> None:
    """Answer a question (or a JSONL batch) with citations."""
    from assistant.records import answer_to_json

    if bool(question) == bool(batch):
        raise click.UsageError("Give either a QUESTION or --batch FILE.")
    assistant = _open(ctx, retrieval_mode=mode)
    if batch:
        for id_, q, error in _read_batch(batch):
            if error is None:
                try:
                    _emit(answer_to_json(assistant.ask(q, mode=mode, id=id_)))
                    continue
                except AssistantError as exc:
                    error = exc.message
            _emit({"id": id_, "question": q or "", "answer": error, "refused": True, "citations": [],
                   "contexts": [], "timings_ms": {}, "error": error})
        return
    answer = assistant.ask(question, history=list(history), mode=mode)
    if as_json:
        _emit(answer_to_json(answer))
        return
    click.echo(answer.answer)
    for citation in answer.citations:
        click.echo(f"  — {citation.label}: “{citation.quote}”")


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8000, show_default=True, type=int)
@click.option("--workers", default=1, show_default=True, type=click.IntRange(1, 64),
              help="Server processes; each loads the index memory-mapped, so they share one copy of it.")
@click.pass_context
def serve(ctx: click.Context, host: str, port: int, workers: int) -> None:
    """Serve the chat page, the widget and the API."""
    import os

    import uvicorn

    from assistant.api import supervisor
    from assistant.api.app import create_app

    settings = _settings(ctx)
    assistant = _open(ctx)  # build the index before the port opens, with a progress bar
    click.echo(f"Trợ lý ảo: http://{host}:{port}/ ({workers} worker{'s' if workers > 1 else ''})", err=True)
    if workers == 1:
        uvicorn.run(create_app(settings, assistant=assistant, serving=True), host=host, port=port, log_level="warning")
        return
    del assistant  # each worker opens its own; the parent only supervises
    for name in ("home", "corpus_dir", "index_dir", "embedding_model"):  # what the CLI may have set
        os.environ[f"ASSISTANT_{name.upper()}"] = str(getattr(settings, name))
    if not supervisor.reuseport_supported():  # one shared socket: uneven, but the best elsewhere
        uvicorn.run(supervisor.APP_FACTORY, factory=True, workers=workers, host=host, port=port, log_level="warning")
        return
    sys.exit(supervisor.serve_workers(host, port, workers))


@main.command()
@click.argument("doc_id")
@click.pass_context
def inspect(ctx: click.Context, doc_id: str) -> None:
    """Print a plan's outline as parsed: metadata, headings, tables, chunks."""
    from assistant.ingest import chunking, loaders, metadata, structure
    from assistant.indexing.build import corpus_files

    settings = _settings(ctx)
    files = {p.stem: p for p in corpus_files(Path(settings.corpus_dir))}
    if doc_id not in files:
        raise click.ClickException(f"Không có văn bản '{doc_id}'. Có: {', '.join(sorted(files))}")
    text = loaders.load_text(files[doc_id])
    doc = structure.parse_document(doc_id, text, metadata.load_meta_override(Path(settings.corpus_dir), doc_id))
    chunks = chunking.chunk_document(doc, max_chars=settings.chunk_max_chars)
    click.echo(structure.format_outline(doc, chunks))


@main.command(name="eval")
@click.option("--dataset", "datasets", multiple=True, type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="Contract-format JSONL (repeatable; default: eval/*.jsonl under $ASSISTANT_HOME, else ./eval).")
@click.option("--modes", default=None, help="Comma-separated retrieval modes to compare, e.g. bm25,dense,hybrid.")
@click.option("--report", "report_dir", type=click.Path(file_okay=False, path_type=Path), help="Write Markdown/JSON/PNG report here.")
@click.option("--baseline", "baseline", type=click.Path(dir_okay=False, path_type=Path), help="Fail if metrics drop below this baseline JSON.")
@click.option("--write-baseline", "write_baseline", type=click.Path(dir_okay=False, path_type=Path), help="Save the metrics as the new baseline.")
@click.option("--no-diacritics", "strip_diacritics", is_flag=True, help="Ask every question typed without diacritics.")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")
@click.option("--added-plans", "added_plans", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="With --fit-refusal: plans outside corpus/ (e.g. eval/added_plans) that the sets in "
                   "folders named 'added' ask about; they are asked of corpus/ plus these plans.")
@click.option("--fit-refusal", "fit_refusal", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Fit the refusal model by cross-validation on the datasets and write it to this file "
                   "(the shipped one is assistant/answer/data/refusal_model.json).")
@click.option("--ablate", is_flag=True, help="Rerun with each tuned number (assistant/tuning.py) at its neutral "
              "value and print what each is worth (default dataset: eval/blind/*.jsonl).")
@click.pass_context
def eval_(ctx: click.Context, datasets, modes, report_dir, baseline, write_baseline, strip_diacritics, as_json,
          fit_refusal, ablate, added_plans) -> None:
    """Measure retrieval, answers, citations, refusals and latency on a question set."""
    from assistant.evaluation import run as evaluation

    settings = _settings(ctx)
    paths = list(datasets) or evaluation.default_datasets(settings)
    if fit_refusal:
        from assistant.evaluation.calibrate import fit_and_save

        added = None
        if added_plans:
            from assistant.evaluation.calibrate import extended_assistant

            workdir = Path(tempfile.mkdtemp(prefix="assistant-extended-"))
            added = extended_assistant(settings, added_plans, workdir)
        data = fit_and_save(_open(ctx), paths, fit_refusal, added=added)
        _emit(data) if as_json else click.echo(json.dumps(data["cross_validation"] | {"curve": "…"}, ensure_ascii=False))
        return
    mode_list = [m.strip() for m in modes.split(",")] if modes else [settings.retrieval_mode]
    if ablate:
        from assistant.evaluation.ablation import ablate as run_ablation, format_rows

        blind = list(datasets) or sorted((Path(settings.home) / "eval" / "blind").glob("*.jsonl"))
        rows = run_ablation(_open(ctx), blind, mode_list[0])
        if as_json:
            for row in rows:
                _emit(row)
        else:
            click.echo(format_rows(rows))
        return
    assistant = _open(ctx)
    result = evaluation.run(assistant, paths, modes=mode_list, strip_diacritics=strip_diacritics)
    if report_dir:
        evaluation.write_report(result, report_dir)
    if write_baseline:
        evaluation.save_baseline(result, write_baseline)
    failures = evaluation.compare_to_baseline(result, baseline) if baseline else []
    if as_json:
        _emit({**result.to_json(), "baseline_failures": failures})
    else:
        click.echo(evaluation.format_table(result))
        for failure in failures:
            click.echo(f"REGRESSION: {failure}", err=True)
    if failures:
        sys.exit(1)
