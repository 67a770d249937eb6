"""Score the assistant on the gold questions by the metrics of shared/CONTRACT.md, and gate regressions.

Every question is asked once per retrieval mode through `Assistant.ask`, the same call the CLI and
the API make, so what is measured is what users get. The precise metric definitions (how a chunk
"holds" an evidence, cross-document questions, the concision limit) are written down in eval/README.md.
"""

from __future__ import annotations

import hashlib
import json
import math
import sys
import time
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from assistant.evaluation.dataset import EvalItem, load_datasets
from assistant.evaluation.refusal_curve import refusal_curve
from assistant.vi.normalize import casefold_squash
from assistant.errors import AssistantError
from assistant.records import Answer, Chunk
from assistant.evaluation.report import format_table, write_report  # noqa: F401  (the CLI reaches them through this module)

METRICS_VERSION = 1
TOKEN_COVERAGE = 0.8  # share of an evidence's tokens a chunk must hold when it lacks the exact passage
CONCISE_MIN_CHARS = 300  # an answer may always be this long…
CONCISE_FACTOR = 2  # …or this many times the gold answer, whichever is longer
KS = (1, 5, 10)
WORST = 20
# Gated rates: higher is better, except false_refusal_rate. Latency is reported, never gated.
HIGHER_IS_BETTER = ("recall@1", "recall@5", "recall@10", "mrr@10", "ndcg@10", "answer_accuracy",
                    "answer_accuracy_lenient", "citation_accuracy", "refusal_recall", "refusal_precision")
LOWER_IS_BETTER = ("false_refusal_rate",)
DEFAULT_TOLERANCE = 0.02


def default_datasets(settings) -> list[Path]:
    """The development sets under `settings.home`: `eval/*.jsonl` and the blind `eval/blind/*.jsonl`.

    `eval/holdout/` is measured only when named with --dataset; sets about plans outside corpus/
    (`eval/blind/added/`) need a corpus that holds them (see eval/README.md).
    """
    root = Path(settings.home) / "eval"
    return sorted(root.glob("*.jsonl")) + sorted((root / "blind").glob("*.jsonl"))


# --- matching ---------------------------------------------------------------------------------

def token_coverage(evidence: str, text: str) -> float:
    """Share of the evidence's case-folded whitespace tokens, with multiplicity, found in text's tokens."""
    wanted = Counter(casefold_squash(evidence).split())
    if not wanted:
        return 0.0
    have = Counter(casefold_squash(text).split())
    return sum(min(n, have[token]) for token, n in wanted.items()) / sum(wanted.values())


def holds(chunk: Chunk, doc_id: str, evidence: str) -> bool:
    """The contract's test: same document, and the whole evidence or ≥ 80% of its tokens (case-folded)."""
    if chunk.doc_id != doc_id:
        return False
    return casefold_squash(evidence) in casefold_squash(chunk.text) or token_coverage(evidence, chunk.text) >= TOKEN_COVERAGE


def has_diacritics(text: str) -> bool:
    """Whether a question is written with Vietnamese marks (tones, breve, circumflex, horn, đ)."""
    return any(unicodedata.combining(c) or c in "đĐ" for c in unicodedata.normalize("NFD", text))


def concision_limit(gold: str) -> int:
    return max(CONCISE_MIN_CHARS, CONCISE_FACTOR * len(casefold_squash(gold)))


# --- one question -----------------------------------------------------------------------------

@dataclass
class QuestionResult:
    """How one question went in one mode: what was retrieved and answered, and each verdict."""

    item: EvalItem
    mode: str
    answer: Answer
    latency_ms: float
    evidence_ranks: list[int | None]  # 1-based rank of the first chunk holding each evidence
    relevant: list[bool]  # per context: does it hold any evidence?
    answer_ok: bool
    answer_ok_lenient: bool
    citation_ok: bool
    error: str | None = None

    @property
    def rank(self) -> int | None:
        """Rank at which the last needed evidence shows up (None when one is never held)."""
        ranks = self.evidence_ranks
        return None if not ranks or None in ranks else max(r for r in ranks if r is not None)

    @property
    def refused(self) -> bool:
        return self.answer.refused

    def problems(self) -> list[str]:
        """What went wrong, in words a developer can act on."""
        item, out = self.item, []
        if self.error:
            out.append(f"error: {self.error}")
        if not item.answerable:
            return out + ([] if self.refused else ["answered an unanswerable question"])
        if self.refused:
            out.append("refused an answerable question")
        elif not self.answer_ok_lenient:
            missing = [s for s in item.must_contain if casefold_squash(s) not in casefold_squash(self.answer.answer)]
            out.append("answer lacks " + ", ".join(repr(s) for s in missing))
        elif not self.answer_ok:
            out.append(f"answer too long ({len(casefold_squash(self.answer.answer))} > {concision_limit(item.answer)} chars)")
        for doc, rank in zip(item.docs, self.evidence_ranks):
            if rank is None or rank > 10:
                out.append(f"evidence from {doc} not in the top 10")
        if not self.citation_ok and not self.refused:
            cited = sorted({c.doc_id for c in self.answer.citations})
            uncited = [doc for doc in item.docs if doc not in cited]
            out.append(f"does not cite {', '.join(uncited)} (cites {', '.join(cited) or 'nothing'})")
        return out

    def severity(self) -> int:
        if not self.item.answerable:
            return 0 if self.refused else 3
        missed = self.rank is None or self.rank > 10
        return 2 * (not self.answer_ok) + 2 * missed + (not self.citation_ok)


def score(item: EvalItem, mode: str, answer: Answer, latency_ms: float, error: str | None = None) -> QuestionResult:
    """Judge one answer against its gold line."""
    pairs = list(zip(item.docs, item.evidences))
    held = [[holds(hit.chunk, doc, ev) for doc, ev in pairs] for hit in answer.contexts]
    ranks = [next((r for r, row in enumerate(held, 1) if row[i]), None) for i in range(len(pairs))]
    text = casefold_squash(answer.answer)
    lenient = item.answerable and not answer.refused and all(casefold_squash(s) in text for s in item.must_contain)
    cited = {c.doc_id for c in answer.citations}
    return QuestionResult(
        item=item, mode=mode, answer=answer, latency_ms=latency_ms, evidence_ranks=ranks,
        relevant=[any(row) for row in held],
        answer_ok=lenient and len(text) <= concision_limit(item.answer), answer_ok_lenient=lenient,
        citation_ok=item.answerable and set(item.docs) <= cited, error=error,
    )


# --- aggregates -------------------------------------------------------------------------------

def _mean(values: Iterable[float]) -> float | None:
    values = list(values)
    return round(sum(values) / len(values), 4) if values else None


def percentile(values: list[float], p: float) -> float | None:
    """Nearest-rank percentile: an observed value, no interpolation."""
    if not values:
        return None
    ordered = sorted(values)
    return round(ordered[max(0, math.ceil(p / 100 * len(ordered)) - 1)], 2)


def ndcg_at_10(result: QuestionResult) -> float:
    """Binary-relevance nDCG@10; the ideal ranks first as many relevant chunks as retrieved, at least one per evidence."""
    top = result.relevant[:10]
    dcg = sum(1 / math.log2(r + 1) for r, rel in enumerate(top, 1) if rel)
    ideal = min(10, max(len(result.item.evidences), sum(top)))
    return dcg / sum(1 / math.log2(r + 1) for r in range(1, ideal + 1))


def summarise(results: list[QuestionResult]) -> dict[str, Any]:
    """The contract's metrics over a set of questions; a metric with nothing to measure is None."""
    answerable = [r for r in results if r.item.answerable]
    unanswerable = [r for r in results if not r.item.answerable]
    refused = [r for r in results if r.refused]
    metrics: dict[str, Any] = {"questions": len(results), "answerable": len(answerable), "unanswerable": len(unanswerable)}
    for k in KS:
        metrics[f"recall@{k}"] = _mean(r.rank is not None and r.rank <= k for r in answerable)
    metrics["mrr@10"] = _mean(1 / r.rank if r.rank is not None and r.rank <= 10 else 0.0 for r in answerable)
    metrics["ndcg@10"] = _mean(ndcg_at_10(r) for r in answerable)
    metrics["answer_accuracy"] = _mean(r.answer_ok for r in answerable)
    metrics["answer_accuracy_lenient"] = _mean(r.answer_ok_lenient for r in answerable)
    metrics["citation_accuracy"] = _mean(r.citation_ok for r in answerable)
    metrics["refusal_recall"] = _mean(r.refused for r in unanswerable)
    metrics["refusal_precision"] = _mean(not r.item.answerable for r in refused)
    metrics["false_refusal_rate"] = _mean(r.refused for r in answerable)
    metrics["correct"] = _mean(r.answer_ok if r.item.answerable else r.refused for r in results)
    metrics["latency_p50_ms"] = percentile([r.latency_ms for r in results], 50)
    metrics["latency_p95_ms"] = percentile([r.latency_ms for r in results], 95)
    retrieve = [r.answer.timings_ms["retrieve"] for r in results if "retrieve" in r.answer.timings_ms]
    metrics["retrieve_p50_ms"] = percentile(retrieve, 50)
    metrics["retrieve_p95_ms"] = percentile(retrieve, 95)
    return metrics


def _grouped(results: list[QuestionResult], key: Callable[[QuestionResult], str]) -> dict[str, dict[str, Any]]:
    groups: dict[str, list[QuestionResult]] = {}
    for r in results:
        groups.setdefault(key(r), []).append(r)
    return {name: summarise(group) for name, group in sorted(groups.items())}


def _dataset_counts(items: list[EvalItem]) -> dict[str, dict[str, Any]]:
    """Questions per file: how many, how many unanswerable, and how many of each type."""
    per_file: dict[str, dict[str, Any]] = {}
    for item in items:
        entry = per_file.setdefault(item.source, {"questions": 0, "unanswerable": 0, "by_type": Counter()})
        entry["questions"] += 1
        entry["unanswerable"] += not item.answerable
        entry["by_type"][item.type] += 1
    for entry in per_file.values():
        entry["by_type"] = dict(sorted(entry["by_type"].items()))
    return per_file


def _diacritics_slice(result: QuestionResult) -> str:
    return "with_diacritics" if has_diacritics(result.item.question) else "no_diacritics"


def _worst_json(r: QuestionResult) -> dict[str, Any]:
    return {
        "id": r.item.id, "where": r.item.where, "type": r.item.type, "question": r.item.question,
        "gold": r.item.answer, "must_contain": r.item.must_contain, "doc": r.item.doc,
        "answer": r.answer.answer, "refused": r.refused, "evidence_rank": r.rank, "problems": r.problems(),
        "cited": [c.doc_id for c in r.answer.citations],
        "top3": [{"label": h.chunk.label, "doc_id": h.chunk.doc_id, "section": h.chunk.section, "holds_evidence": rel}
                 for h, rel in zip(r.answer.contexts[:3], r.relevant[:3])],
    }


@dataclass
class EvalResult:
    """Every question's outcome, per mode."""

    modes: list[str]
    results: dict[str, list[QuestionResult]] = field(default_factory=dict)
    seconds: float = 0.0

    @property
    def items(self) -> list[EvalItem]:
        return [r.item for r in self.results[self.modes[0]]] if self.modes else []

    def question_set(self) -> str:
        """A fingerprint of the question ids: a baseline only compares to the same questions."""
        return hashlib.sha256("\n".join(sorted(str(i.id) for i in self.items)).encode()).hexdigest()[:16]

    def overall(self) -> dict[str, dict[str, Any]]:
        return {mode: summarise(self.results[mode]) for mode in self.modes}

    def to_json(self, worst: int = WORST) -> dict[str, Any]:
        items = self.items
        return {
            "metrics_version": METRICS_VERSION,
            "modes": self.modes,
            "questions": len(items),
            "question_set": self.question_set(),
            "seconds": round(self.seconds, 1),
            "datasets": _dataset_counts(items),
            "overall": self.overall(),
            "by_type": {mode: _grouped(self.results[mode], lambda r: str(r.item.type)) for mode in self.modes},
            "slices": {mode: _grouped(self.results[mode], _diacritics_slice) for mode in self.modes},
            "worst": {mode: [_worst_json(r) for r in self.worst(mode, worst)] for mode in self.modes},
            "refusal_curve": {mode: refusal_curve(self.results[mode]) for mode in self.modes},
        }

    def worst(self, mode: str, n: int = WORST) -> list[QuestionResult]:
        """The questions that went most wrong: wrong answer and missed evidence first."""
        bad = [r for r in self.results[mode] if r.severity() > 0]
        bad.sort(key=lambda r: (-r.severity(), -(r.rank or 10**6), r.item.where))
        return bad[:n]


# --- running ----------------------------------------------------------------------------------

def run(assistant, paths: list[Path], modes: list[str], *, progress: bool | None = None,
        strip_diacritics: bool = False) -> EvalResult:
    """Ask every question of `paths` once per mode and judge the answers.

    Args:
        assistant: a `pipeline.Assistant`, or anything with `ask(question, mode=...) -> Answer`.
        progress: show a progress bar on stderr (default: when stderr is a terminal).
        strip_diacritics: ask every question typed without diacritics ("ke hoach chuyen doi so"),
            to compare the same questions with and without them.
    """
    from tqdm import tqdm

    from assistant.retrieve.retriever import MODES

    modes = list(dict.fromkeys(modes))
    if not modes or not set(modes) <= set(MODES):
        raise AssistantError(f"cannot evaluate modes {', '.join(modes) or '(none)'}: choose among {', '.join(MODES)}")
    items = load_datasets(paths)
    if strip_diacritics:
        from assistant.vi.normalize import fold_diacritics

        items = [replace(item, question=fold_diacritics(item.question)) for item in items]
    result = EvalResult(modes=modes)
    started = time.perf_counter()
    show = sys.stderr.isatty() if progress is None else progress
    with tqdm(total=len(items) * len(modes), desc="eval", unit="q", file=sys.stderr, disable=not show) as bar:
        for mode in modes:
            result.results[mode] = []
            for item in items:
                result.results[mode].append(_ask(assistant, item, mode))
                bar.update()
    result.seconds = time.perf_counter() - started
    return result


def _ask(assistant, item: EvalItem, mode: str) -> QuestionResult:
    """One timed ask; an AssistantError becomes a refusal with the error kept, not a crashed run."""
    t = time.perf_counter()
    try:
        answer = assistant.ask(item.question, mode=mode)
        error = None
    except AssistantError as exc:
        answer = Answer(question=item.question, answer=exc.message, refused=True, citations=[], contexts=[])
        error = exc.message
    return score(item, mode, answer, (time.perf_counter() - t) * 1000, error)


# --- baseline gate ----------------------------------------------------------------------------

def save_baseline(result: EvalResult, path: Path) -> None:
    """Write the metrics to gate on, keeping the tolerances of an existing baseline file."""
    path = Path(path)
    old = json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}
    data = {
        "metrics_version": METRICS_VERSION,
        "created": datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "tolerance": old.get("tolerance", DEFAULT_TOLERANCE),
        "tolerances": old.get("tolerances", {}),
        "questions": len(result.items),
        "question_set": result.question_set(),
        "modes": result.overall(),
    }
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")


def compare_to_baseline(result: EvalResult, path: Path) -> list[str]:
    """Each gated metric that fell more than its tolerance below the baseline, in words; [] = pass."""
    path = Path(path)
    try:
        baseline = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return [f"no baseline at {path}: create it with `assistant eval --modes <modes> --write-baseline {path}`"]
    except (OSError, json.JSONDecodeError) as exc:
        return [f"cannot read baseline {path}: {exc}"]
    failures = []
    if baseline.get("metrics_version") != METRICS_VERSION:
        failures.append(f"baseline {path} was made with metrics version {baseline.get('metrics_version')}, "
                        f"this is version {METRICS_VERSION}: rewrite it with --write-baseline")
    if baseline.get("question_set") != result.question_set():
        failures.append(f"the questions changed since the baseline ({baseline.get('questions')} → {len(result.items)}): "
                        f"review the report, then rewrite it with --write-baseline {path}")
    common = [mode for mode in result.modes if mode in baseline.get("modes", {})]
    if not common:
        return failures + [f"no evaluated mode ({', '.join(result.modes)}) is in the baseline "
                           f"({', '.join(baseline.get('modes', {})) or 'none'})"]
    default = float(baseline.get("tolerance", DEFAULT_TOLERANCE))
    tolerances = baseline.get("tolerances", {})
    overall = result.overall()
    for mode in common:
        for metric in HIGHER_IS_BETTER + LOWER_IS_BETTER:
            was, now = baseline["modes"][mode].get(metric), overall[mode].get(metric)
            if was is None or now is None:
                continue
            tol = float(tolerances.get(metric, default))
            drop = (now - was) if metric in LOWER_IS_BETTER else (was - now)
            if drop > tol + 1e-9:
                direction = "rose" if metric in LOWER_IS_BETTER else "fell"
                failures.append(f"{mode} {metric} {direction} to {now:.4f} from baseline {was:.4f} (tolerance {tol})")
    return failures
