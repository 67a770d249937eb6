"""Extractive answerer: pick the sentence, bullet or table row that answers, quote it, cite it.

Offline and deterministic: the answer text is the document's own words, so figures are never
altered, and every answer carries the clause it came from.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .indexing import IndexBundle
from .query import QueryInfo
from .quotes import locate_quote
from .records import Citation, Hit
from .text import bm25_tokens

REFUSAL = (
    "Xin lỗi, tôi không tìm thấy thông tin này trong các văn bản hiện có. "
    "Trợ lý chỉ trả lời dựa trên các kế hoạch, chương trình chuyển đổi số của: {provinces}."
)
_SPLIT = re.compile(r"(?<=[.;:!?])\s+(?=[A-ZÀ-Ỹa-zà-ỹĐđ0-9\-+“\"(])|\n+")


@dataclass
class Drafted:
    text: str
    refused: bool
    citations: list[Citation]


def candidate_units(text: str) -> list[str]:
    """Sentences, bullets and lines of a chunk: the smallest pieces worth quoting."""
    return [u.strip(" -+\t") for u in _SPLIT.split(text) if len(u.strip(" -+\t")) > 8]


def _score(unit: str, query_tokens: set[str], info: QueryInfo) -> float:
    tokens = set(bm25_tokens(unit))
    if not tokens:
        return 0.0
    overlap = len(tokens & query_tokens) / (len(query_tokens) or 1)
    bonus = 0.0
    if info.wants == "number" and re.search(r"\d\s*%|\d", unit):
        bonus += 0.15
    for year in info.years:
        if str(year) in unit:
            bonus += 0.1
    return overlap + bonus


def refusal_text(bundle: IndexBundle) -> str:
    provinces = sorted({d.meta.province for d in bundle.documents.values() if d.meta.province})
    return REFUSAL.format(provinces=", ".join(provinces) or "(chưa có văn bản)")


def make_citation(bundle: IndexBundle, hit: Hit, quote: str) -> Citation:
    chunk = hit.chunk
    doc = bundle.documents[chunk.doc_id]
    start, end = locate_quote(doc.text, quote, chunk.start, chunk.end)
    return Citation(doc_id=chunk.doc_id, title=doc.meta.title, section=chunk.section, label=chunk.label,
                    quote=quote, chunk_id=chunk.chunk_id, start=start, end=end)


class ExtractiveAnswerer:
    name = "extractive"

    def __init__(self, bundle: IndexBundle, settings) -> None:
        self.bundle = bundle
        self.settings = settings

    def answer(self, question: str, info: QueryInfo, hits: list[Hit]) -> Drafted:
        if info.unknown_provinces and not info.provinces:
            return Drafted(refusal_text(self.bundle), True, [])
        query_tokens = set(bm25_tokens(question, is_query=True))
        best: tuple[float, Hit, str] | None = None
        for rank, hit in enumerate(hits[:3]):
            for unit in candidate_units(hit.chunk.text):
                score = _score(unit, query_tokens, info) - 0.05 * rank
                if best is None or score > best[0]:
                    best = (score, hit, unit)
        if best is None or best[0] < max(self.settings.refusal_threshold, 0.2):
            return Drafted(refusal_text(self.bundle), True, [])
        _, hit, unit = best
        return Drafted(unit, False, [make_citation(self.bundle, hit, unit)])
