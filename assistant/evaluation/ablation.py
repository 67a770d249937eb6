"""What each tuned number is worth: the evaluation rerun with each one at its neutral value.

`assistant eval --ablate` (on eval/blind/ by default) prints, per number of `assistant.tuning`,
the metrics with it and without it. A number whose removal changes nothing on blind questions buys
nothing and should go.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from assistant import tuning
from assistant.evaluation.run import run

METRICS = ("answer_accuracy", "citation_accuracy", "false_refusal_rate", "refusal_recall", "mrr@10", "correct")


def ablate(assistant, paths: list[Path], mode: str) -> list[dict[str, Any]]:
    """One row per tuned number: its value, neutral value, how it was chosen, metrics and deltas."""
    from assistant.pipeline import Assistant

    def measure(a) -> dict[str, Any]:
        return run(a, paths, [mode], progress=False).overall()[mode]

    base = measure(assistant)
    rows = [{"name": "(as tuned)", **{m: base.get(m) for m in METRICS}}]
    for name, tuned in tuning.TUNED.items():
        if tuned.setting:
            settings = assistant.settings.model_copy(update={name: type(getattr(assistant.settings, name))(tuned.neutral)})
            metrics = measure(Assistant(settings, assistant.bundle, assistant.embedder()
                                        if assistant.retriever.uses_dense() else None))
        else:
            with tuning.neutral(name):
                metrics = measure(assistant)
        rows.append({"name": name, "value": tuned.value, "neutral": tuned.neutral, "how": tuned.how,
                     **{m: metrics.get(m) for m in METRICS},
                     **{f"Δ{m}": _delta(base.get(m), metrics.get(m)) for m in METRICS}})
    return rows


def _delta(tuned: float | None, without: float | None) -> float | None:
    """What the number is worth: the metric as tuned minus the metric without it."""
    if tuned is None or without is None:
        return None
    return round(tuned - without, 4)


def format_rows(rows: list[dict[str, Any]]) -> str:
    """A plain table: what each number buys (positive = the number helps; for false refusals, negative helps)."""
    head = f"{'number':24} {'value':>7} {'neutral':>7} " + " ".join(f"{'Δ' + m[:12]:>14}" for m in METRICS)
    lines = [head, "-" * len(head)]
    base = rows[0]
    lines.append(f"{'(as tuned)':24} {'':>7} {'':>7} " + " ".join(f"{_fmt(base.get(m)):>14}" for m in METRICS))
    for row in rows[1:]:
        lines.append(f"{row['name']:24} {row['value']:>7} {row['neutral']:>7} "
                     + " ".join(f"{_fmt(row.get('Δ' + m)):>14}" for m in METRICS))
    return "\n".join(lines)


def _fmt(v: float | None) -> str:
    return "–" if v is None else f"{v:+.3f}" if isinstance(v, float) and abs(v) < 1 else str(v)
