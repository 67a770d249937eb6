"""The holdout stays held out: nothing the code or the tests say reuses its wording.

eval/holdout/ is measured once at the end of a round of work, never tuned on. A rule, constant or
test written after reading a holdout question would show as a run of its words in assistant/ or
tests/; six words in a row is far longer than the plans' shared phrases.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from assistant.vi.normalize import fold_diacritics

ROOT = Path(__file__).resolve().parents[1]
RUN = 6
# Term lists (places, abbreviations, the domain lexicon) name the domain's concepts; a six-word term
# shared with a question is the term, not the question's wording. They were written from general
# knowledge before the holdout existed (git log), and are checked by review, not by this test.
VOCABULARY = ROOT / "assistant" / "vi" / "data"
ALLOWED = ROOT / "tests" / "data" / "holdout_isolation_allowed.tsv"  # the exceptions, not checked against themselves


def _words(text: str) -> list[str]:
    return re.findall(r"\w+", fold_diacritics(text).lower())


def _shared_runs() -> set[tuple[str, ...]]:
    """Runs of words that are not a holdout question's own: the plans' vocabulary, the plans' file
    names, and phrasings the development questions use too ("mục tiêu tỷ trọng kinh tế số …")."""
    texts = [p.read_text(encoding="utf-8") for p in [*(ROOT / "corpus").glob("*.txt"),
                                                      *(ROOT / "eval" / "added_plans").glob("*.txt")]]
    texts += [p.stem for p in (ROOT / "corpus").glob("*.txt")]
    texts += [json.loads(line)["question"] for p in [*(ROOT / "eval").glob("*.jsonl"), *(ROOT / "eval" / "blind").rglob("*.jsonl")]
              for line in p.read_text(encoding="utf-8").splitlines() if line.strip()]
    out = set()
    for text in texts:
        words = _words(text)
        out.update(tuple(words[i : i + RUN]) for i in range(len(words) - RUN + 1))
    return out


def _holdout_runs() -> dict[tuple[str, ...], str]:
    """Runs of six words of the holdout questions that are their own."""
    plans = _shared_runs()
    runs = {}
    for path in sorted((ROOT / "eval" / "holdout").rglob("*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                item = json.loads(line)
                words = _words(item["question"])
                for i in range(len(words) - RUN + 1):
                    run = tuple(words[i : i + RUN])
                    if run not in plans:
                        runs.setdefault(run, item["id"])
    return runs


def test_the_holdout_exists_and_is_large():
    items = [line for p in (ROOT / "eval" / "holdout").rglob("*.jsonl") for line in p.read_text(encoding="utf-8").splitlines() if line.strip()]
    assert len(items) >= 100


def _allowed() -> set[tuple[str, str]]:
    """(file, run) pairs written before the holdout existed (tests/data/holdout_isolation_allowed.tsv)."""
    rows = ALLOWED.read_text(encoding="utf-8").splitlines()
    return {tuple(row.split("\t")[:2]) for row in rows if row.strip() and not row.startswith("#")}


def test_no_code_or_test_shares_six_words_in_a_row_with_a_holdout_question():
    runs = _holdout_runs()
    assert runs
    allowed = _allowed()
    found = []
    for folder in ("assistant", "tests"):
        for path in sorted((ROOT / folder).rglob("*")):
            if not path.is_file() or path.suffix not in {".py", ".tsv", ".txt", ".json", ".jsonl", ".html", ".js"} \
                    or "artifacts" in path.parts or path.parent == VOCABULARY or path.name == ALLOWED.name:
                continue
            words = _words(path.read_text(encoding="utf-8", errors="replace"))
            for i in range(len(words) - RUN + 1):
                hit = runs.get(tuple(words[i : i + RUN]))
                if hit and (str(path.relative_to(ROOT)), " ".join(words[i : i + RUN])) not in allowed:
                    found.append(f"{path.relative_to(ROOT)} shares '{' '.join(words[i:i + RUN])}' with {hit}")
                    break
    assert found == []
