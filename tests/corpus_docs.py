"""The real plans, parsed once per test session, for the parser and chunker tests."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from assistant.ingest.loaders import load_text
from assistant.ingest.metadata import load_meta_override
from assistant.records import ParsedDocument
from assistant.ingest.structure import parse_document

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "corpus"
DATA = ROOT / "tests" / "data"
DOC_IDS = ["dong-nai-kh-198-2022", "ba-ria-vung-tau-kh-cds-2024", "tp-ho-chi-minh-kh-411-2023",
           "hai-duong-kh-780-2022", "phu-yen-qd-1728-2020"]


@lru_cache(maxsize=None)
def parsed(doc_id: str) -> ParsedDocument:
    return parse_document(doc_id, load_text(CORPUS / f"{doc_id}.txt"), load_meta_override(CORPUS, doc_id))


def assistant_with_plans(home: Path, embedder, plans: dict[str, str]):
    """An assistant (BM25, the fake embedder) over the shipped plans plus `plans` (file stem -> text)
    written in `home`: behaviour pinned on plans the shipped corpus does not hold."""
    import shutil

    from assistant.pipeline import Assistant
    from assistant.settings import Settings

    shutil.copytree(CORPUS, home / "corpus")
    for stem, text in plans.items():
        (home / "corpus" / f"{stem}.txt").write_text(text, encoding="utf-8")
    return Assistant.open(Settings(home=home, retrieval_mode="bm25", embedding_model="test-hashing"), embedder=embedder)
