"""Refusal precision and recall at every threshold of the refusal model, from one evaluation run.

Each answered or model-refused question carries the model's probability (`Answer.confidence`);
hard refusals (unknown province, no eligible clause) carry none and stay refused at any threshold;
answers about a plan's own metadata or an agency's duties carry none and stay answered.
"""

from __future__ import annotations

from typing import Any

THRESHOLDS = tuple(round(0.05 * i, 2) for i in range(1, 20))


def refusal_curve(results: list[Any]) -> list[dict[str, float | None]]:
    """Rows of (threshold, refusal precision, refusal recall, false-refusal rate) over `QuestionResult`s."""
    rows = []
    unanswerable = [not r.item.answerable for r in results]
    n_unanswerable = sum(unanswerable)
    n_answerable = len(results) - n_unanswerable
    for t in THRESHOLDS:
        refused = [_refused_at(r.answer, t) for r in results]
        right = sum(f and u for f, u in zip(refused, unanswerable))
        wrong = sum(f and not u for f, u in zip(refused, unanswerable))
        rows.append({
            "threshold": t,
            "refusal_precision": round(right / (right + wrong), 4) if right + wrong else None,
            "refusal_recall": round(right / n_unanswerable, 4) if n_unanswerable else None,
            "false_refusal_rate": round(wrong / n_answerable, 4) if n_answerable else None,
        })
    return rows


def _refused_at(answer: Any, threshold: float) -> bool:
    confidence = getattr(answer, "confidence", None)
    if confidence is None:
        return bool(answer.refused)
    return confidence < threshold


def format_curve(rows: list[dict[str, float | None]]) -> list[str]:
    """Markdown table lines."""
    out = ["| refuse below | refusal precision | refusal recall | false refusals |", "|---|---|---|---|"]
    for r in rows:
        out.append("| " + " | ".join("–" if r[k] is None else f"{r[k]:.3f}" for k in
                                     ("threshold", "refusal_precision", "refusal_recall", "false_refusal_rate")) + " |")
    return out
