"""Show an evaluation: a terminal table, and a report folder (Markdown, JSON, a PNG of bar charts).

Everything renders from `EvalResult.to_json()`, so the terminal, the files and `--json` never disagree.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

from assistant.evaluation.refusal_curve import format_curve

if TYPE_CHECKING:
    from assistant.evaluation.run import EvalResult

OVERALL_ROWS = ("recall@1", "recall@5", "recall@10", "mrr@10", "ndcg@10", "answer_accuracy", "answer_accuracy_lenient",
                "citation_accuracy", "refusal_recall", "refusal_precision", "false_refusal_rate", "correct",
                "latency_p50_ms", "latency_p95_ms", "retrieve_p50_ms", "retrieve_p95_ms")
CHART_METRICS = ("recall@1", "recall@5", "recall@10", "mrr@10", "ndcg@10", "answer_accuracy", "citation_accuracy",
                 "refusal_recall")
# Per type: retrieval, then "correct" (answered right, or refused for unanswerable), then citations.
TYPE_COLUMNS = (("recall@10", "R@10"), ("mrr@10", "MRR"), ("correct", "ok"), ("citation_accuracy", "cite"))


def _fmt(value: Any, metric: str = "") -> str:
    if value is None:
        return "–"
    if metric.endswith("_ms"):
        return f"{value:.1f}"
    if isinstance(value, float):
        return f"{value:.3f}"
    return str(value)


def _headline(data: dict[str, Any]) -> str:
    overall = next(iter(data["overall"].values()), {})
    return (f"{data['questions']} questions ({overall.get('answerable', 0)} answerable, "
            f"{overall.get('unanswerable', 0)} unanswerable) from {len(data['datasets'])} file(s); "
            f"modes: {', '.join(data['modes'])}; {data['seconds']} s")


def _type_rows(data: dict[str, Any]) -> list[tuple[str, int, list[list[str]]]]:
    """(group, n, TYPE_COLUMNS values per mode) for each question type, then the diacritics slices."""
    rows = []
    for section in ("by_type", "slices"):
        for group in sorted({g for mode in data["modes"] for g in data[section][mode]}):
            per_mode = [data[section][mode].get(group, {}) for mode in data["modes"]]
            rows.append((group, per_mode[0].get("questions", 0),
                         [[_fmt(m.get(key)) for key, _ in TYPE_COLUMNS] for m in per_mode]))
    return rows


def format_table(result: EvalResult) -> str:
    """Metrics by mode, then by question type, as aligned text for the terminal."""
    data = result.to_json(worst=0)
    modes = data["modes"]
    lines = [_headline(data), "", "metric".ljust(24) + "".join(m.rjust(10) for m in modes)]
    for metric in OVERALL_ROWS:
        lines.append(metric.ljust(24) + "".join(_fmt(data["overall"][m].get(metric), metric).rjust(10) for m in modes))
    width = 6 * len(TYPE_COLUMNS) - 1
    legend = " ".join(label.rjust(5) for _, label in TYPE_COLUMNS)
    lines += ["", "by type".ljust(18) + "n".rjust(5) + "".join(f"   {m.center(width)}" for m in modes),
              " " * 23 + "".join(f"   {legend}" for _ in modes)]
    for group, n, cells in _type_rows(data):
        lines.append(group.ljust(18) + str(n).rjust(5) + "".join("   " + " ".join(v.rjust(5) for v in c) for c in cells))
    lines.append("ok = answer accuracy (answerable) or refused (unanswerable)")
    return "\n".join(lines)


def write_report(result: EvalResult, directory: Path) -> None:
    """Write report.md, report.json (with every question's verdict) and metrics.png into `directory`."""
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    data = result.to_json()
    data["per_question"] = {
        mode: [{"id": r.item.id, "type": r.item.type, "evidence_rank": r.rank, "answer_ok": r.answer_ok,
                "answer_ok_lenient": r.answer_ok_lenient, "citation_ok": r.citation_ok, "refused": r.refused,
                "latency_ms": round(r.latency_ms, 2), "error": r.error} for r in rows]
        for mode, rows in result.results.items()
    }
    (directory / "report.json").write_text(json.dumps(data, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    (directory / "report.md").write_text(_markdown(data), encoding="utf-8")
    _chart(data, directory / "metrics.png")


def _md_table(header: list[str], rows: list[list[str]]) -> list[str]:
    cell = lambda s: str(s).replace("|", "\\|")  # noqa: E731
    return ["| " + " | ".join(header) + " |", "|" + "---|" * len(header),
            *("| " + " | ".join(cell(c) for c in row) + " |" for row in rows), ""]


def _markdown(data: dict[str, Any]) -> str:
    modes = data["modes"]
    out = ["# Evaluation report", "", _headline(data), "", "![metrics](metrics.png)", "", "## Datasets", ""]
    out += _md_table(["file", "questions", "unanswerable", "by type"],
                     [[f, d["questions"], d["unanswerable"], ", ".join(f"{t} {n}" for t, n in d["by_type"].items())]
                      for f, d in data["datasets"].items()])
    out += ["## Overall", ""]
    out += _md_table(["metric", *modes], [[m, *(_fmt(data["overall"][mode].get(m), m) for mode in modes)] for m in OVERALL_ROWS])
    labels = " / ".join(label for _, label in TYPE_COLUMNS)
    out += ["## By question type", "", f"Each cell: {labels} (ok = answer accuracy, or refused for unanswerable).", ""]
    out += _md_table(["type", "n", *modes], [[g, n, *(" / ".join(c) for c in cells)]
                                              for g, n, cells in _type_rows(data)])
    out += ["## Refusals by threshold", "",
            "What the refusal model would do at other thresholds (hard refusals stay refused); "
            "the shipped threshold is in assistant/answer/data/refusal_model.json.", ""]
    for mode in modes:
        out += [f"### {mode}", "", *format_curve(data.get("refusal_curve", {}).get(mode, [])), ""]
    out += ["## Worst questions", ""]
    for mode in modes:
        out += [f"### {mode}", ""]
        for w in data["worst"][mode]:
            out += [f"- **{w['id']}** ({w['type']}, {w['where']}): {'; '.join(w['problems'])}",
                    f"  - question: {w['question']}", f"  - gold: {w['gold'] or '(refuse)'} — {_docs(w['doc'])}",
                    f"  - answer{' (refused)' if w['refused'] else ''}: {_clip(w['answer'])}",
                    "  - top 3: " + "; ".join(f"{t['label'] or t['doc_id']}{' ✓' if t['holds_evidence'] else ''}"
                                              for t in w["top3"])]
        out.append("")
    return "\n".join(out)


def _docs(doc: str | list[str] | None) -> str:
    return "no document" if doc is None else ", ".join(doc) if isinstance(doc, list) else doc


def _clip(text: str, n: int = 300) -> str:
    return text if len(text) <= n else text[: n - 1] + "…"


def _chart(data: dict[str, Any], path: Path) -> None:
    """Grouped bars: the main metrics by mode, then the share answered right by question type and mode."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    modes = data["modes"]
    groups = [(s, g) for s in ("by_type", "slices") for g in sorted({g for m in modes for g in data[s][m]})]
    fig = Figure(figsize=(max(10, 1.1 * len(groups)), 8), layout="constrained")
    FigureCanvasAgg(fig)
    panels = [
        ("by retrieval mode", list(CHART_METRICS),
         {mode: [data["overall"][mode].get(m) for m in CHART_METRICS] for mode in modes}),
        ("answered right (or refused when unanswerable) by question type", [g for _, g in groups],
         {mode: [data[s][mode].get(g, {}).get("correct") for s, g in groups] for mode in modes}),
    ]
    width = 0.8 / max(1, len(modes))
    for row, (title, xs, values) in enumerate(panels, 1):
        ax = fig.add_subplot(len(panels), 1, row)
        for i, mode in enumerate(modes):
            heights = [v or 0.0 for v in values[mode]]
            ax.bar([j + (i - (len(modes) - 1) / 2) * width for j in range(len(xs))], heights, width, label=mode)
        ax.set_xticks(range(len(xs)), xs, rotation=20, ha="right")
        ax.set_ylim(0, 1.05)
        ax.set_title(title)
        ax.grid(axis="y", alpha=0.3)
        ax.legend(loc="upper left", bbox_to_anchor=(1.0, 1.0), fontsize="small")
    fig.savefig(path, dpi=100)
