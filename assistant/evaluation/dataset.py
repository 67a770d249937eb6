"""Evaluation datasets (`eval/*.jsonl`, shared/CONTRACT.md): load them and check they say what they mean.

A wrong gold line silently lowers every metric, so each problem is reported with its file, line
and id, and the evidence is checked against the document it claims to quote.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from assistant.errors import AssistantError
from assistant.vi.normalize import casefold_squash, nfc, squash

REQUIRED_KEYS = ("id", "question", "answer", "must_contain", "doc", "evidence", "section", "type")
# `type` is a free label for slicing reports ("numeric", "yesno", "situation", a team's own labels…);
# only these two change how a question is shaped and scored (shared/CONTRACT.md).
SPECIAL_TYPES = ("cross_doc", "unanswerable")


class DatasetError(AssistantError, status=422, code="dataset_error"):
    """A dataset file is missing, unreadable or not JSON Lines."""


@dataclass
class EvalItem:
    """One gold question as written; `validate` says whether the fields have the contract's types."""

    id: Any
    question: Any
    answer: Any
    must_contain: Any
    doc: Any  # str, list[str] (cross_doc) or None (unanswerable)
    evidence: Any  # same shape as doc
    section: Any
    type: Any
    source: str  # the file it came from, for messages
    line: int
    missing: tuple[str, ...] = ()  # required keys absent from the line

    @property
    def where(self) -> str:
        return f"{self.source}:{self.line}"

    @property
    def answerable(self) -> bool:
        return self.type != "unanswerable"

    @property
    def docs(self) -> list[str]:
        """The gold documents as a list: [] for unanswerable, one per evidence for cross_doc."""
        return _as_list(self.doc)

    @property
    def evidences(self) -> list[str]:
        return _as_list(self.evidence)


def _as_list(value: Any) -> list:
    if value is None:
        return []
    return list(value) if isinstance(value, list) else [value]


def load_dataset(path: Path) -> list[EvalItem]:
    """Parse one JSONL file; a line that is not a JSON object stops with its file and line number."""
    path = Path(path)
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except FileNotFoundError as exc:
        raise DatasetError(f"{path}: no such dataset file") from exc
    except (OSError, UnicodeDecodeError) as exc:
        raise DatasetError(f"{path}: cannot read as UTF-8 text ({exc})") from exc
    items = []
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as exc:
            raise DatasetError(f"{path}:{number}: not valid JSON ({exc.msg} at column {exc.colno})") from exc
        if not isinstance(obj, dict):
            raise DatasetError(f"{path}:{number}: expected a JSON object, got {type(obj).__name__}")
        items.append(EvalItem(
            **{key: obj.get(key) for key in REQUIRED_KEYS}, source=str(path), line=number,
            missing=tuple(key for key in REQUIRED_KEYS if key not in obj),
        ))
    return items


def load_datasets(paths: Iterable[Path]) -> list[EvalItem]:
    """All questions of several files, refusing a set that breaks the contract's shapes."""
    items = [item for path in paths for item in load_dataset(path)]
    if not items:
        raise DatasetError("no evaluation questions: give --dataset FILE.jsonl or add eval/*.jsonl")
    problems = validate(items)
    if problems:
        more = f"\n… and {len(problems) - 20} more" if len(problems) > 20 else ""
        raise DatasetError("invalid evaluation dataset:\n" + "\n".join(problems[:20]) + more)
    return items


def _is_str(value: Any) -> bool:
    return isinstance(value, str) and bool(value.strip())


def _shape_problems(item: EvalItem) -> list[str]:
    """What breaks the contract in one line, without looking at the corpus."""
    if item.missing:
        return [f"missing key {', '.join(repr(k) for k in item.missing)}"]
    problems = []
    for key in ("id", "question", "type"):
        if not _is_str(getattr(item, key)):
            problems.append(f"'{key}' must be a non-empty string")
    if not isinstance(item.answer, str):
        problems.append("'answer' must be a string")
    needles_ok = isinstance(item.must_contain, list) and all(_is_str(s) for s in item.must_contain)
    if not needles_ok:
        problems.append("'must_contain' must be a list of non-empty strings")
    sections = item.section if item.type == "cross_doc" and isinstance(item.section, list) else [item.section]
    if not all(s is None or isinstance(s, str) for s in sections):
        problems.append("'section' must be a string or null (cross_doc: or a list of them)")
    if not _is_str(item.type):
        return problems  # reported above as a missing string
    if item.type == "unanswerable":
        if item.doc is not None or item.evidence is not None:
            problems.append("an unanswerable question needs 'doc': null and 'evidence': null")
        if item.answer != "" or item.must_contain != []:
            problems.append("an unanswerable question needs 'answer': \"\" and 'must_contain': []")
        return problems
    if item.must_contain == []:
        problems.append("an answerable question needs at least one 'must_contain' string")
    elif needles_ok and isinstance(item.answer, str):
        # The gold answer must pass its own check, or the check (or the answer) has a typo.
        for needle in item.must_contain:
            if casefold_squash(needle) not in casefold_squash(item.answer):
                problems.append(f"the gold answer does not contain must_contain {needle!r}")
    if item.type == "cross_doc":
        if not (isinstance(item.doc, list) and isinstance(item.evidence, list)):
            problems.append("a cross_doc question needs lists for 'doc' and 'evidence'")
        elif len(item.doc) != len(item.evidence):
            problems.append(f"'doc' has {len(item.doc)} entries but 'evidence' has {len(item.evidence)}")
        elif not all(_is_str(d) for d in item.doc) or not all(_is_str(e) for e in item.evidence):
            problems.append("'doc' and 'evidence' entries must be non-empty strings")
        elif len(set(item.doc)) < 2:
            problems.append("a cross_doc question must name at least two different documents")
    elif not (_is_str(item.doc) and _is_str(item.evidence)):
        problems.append(f"a {item.type} question needs one 'doc' and one 'evidence' string (lists are for cross_doc)")
    return problems


def _document_text(path: Path) -> str:
    """The document as the index sees it: the project's loader when present, else the UTF-8 file."""
    try:
        from assistant.ingest.loaders import load_text
    except ImportError:
        return path.read_text(encoding="utf-8")
    return load_text(path)


class _Corpus:
    """Document texts by doc_id, read once, collapsed and case-folded for the checks."""

    def __init__(self, corpus_dir: Path) -> None:
        self.corpus_dir = Path(corpus_dir)
        self._texts: dict[str, tuple[str, str] | None] = {}

    def get(self, doc_id: str) -> tuple[str, str] | None:
        if doc_id not in self._texts:
            files = sorted(p for p in self.corpus_dir.glob(f"{doc_id}.*")
                           if p.stem == doc_id and not p.name.endswith(".meta.json"))
            self._texts[doc_id] = None
            if files:
                text = evidence_form(_document_text(files[0]))
                self._texts[doc_id] = (text, text.casefold())
        return self._texts[doc_id]


def _corpus_problems(item: EvalItem, corpus: _Corpus) -> list[str]:
    problems = []
    folded_docs = []
    for doc_id, evidence in zip(item.docs, item.evidences):
        texts = corpus.get(doc_id)
        if texts is None:
            problems.append(f"unknown document {doc_id!r} (no such file in {corpus.corpus_dir})")
            continue
        folded_docs.append(texts[1])
        if evidence_form(evidence) not in texts[0]:
            problems.append(f"evidence not found verbatim in {doc_id}: {_clip(evidence)!r}")
    if folded_docs:
        for needle in item.must_contain:
            if not any(casefold_squash(needle) in text for text in folded_docs):
                problems.append(f"must_contain {needle!r} does not occur in {' or '.join(item.docs)}")
    return problems


def _clip(text: str, n: int = 60) -> str:
    text = evidence_form(text)
    return text if len(text) <= n else text[: n - 1] + "…"


def validate(items: list[EvalItem], corpus_dir: Path | None = None) -> list[str]:
    """Every contract violation as '<file>:<line>: <id>: <problem>'; [] when the set is sound.

    With `corpus_dir`, also checks that each evidence is verbatim in its document (after collapsing
    whitespace) and that each must_contain string occurs (case-folded) in the evidence documents.
    """
    problems: list[str] = []
    seen: dict[str, EvalItem] = {}
    corpus = _Corpus(corpus_dir) if corpus_dir is not None else None
    for item in items:
        label = f"{item.where}: {item.id}" if _is_str(item.id) else item.where
        found = _shape_problems(item)
        if _is_str(item.id):
            if item.id in seen:
                found.append(f"duplicate id (first used at {seen[item.id].where})")
            else:
                seen[item.id] = item
        if not found and corpus is not None and item.answerable:
            found = _corpus_problems(item, corpus)
        problems.extend(f"{label}: {problem}" for problem in found)
    return problems


def evidence_form(text: str) -> str:
    """NFC and single spaces: the form in which the contract compares evidence with documents."""
    return squash(nfc(text))
