"""Small typed records passed between pipeline stages.

Every stage speaks these types, so a stage can be swapped without touching its neighbours:
loaders return raw text, `structure` turns it into a `ParsedDocument`, `chunking` into `Chunk`s,
the retriever into `Hit`s and the answerer into an `Answer`.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any


@dataclass
class Block:
    """A leaf of a section's body: a paragraph, a bullet (`-`/`+`) or a rebuilt table row."""

    kind: str  # "paragraph" | "bullet" | "table_row"
    text: str  # re-joined text (hard wraps removed), without the bullet marker
    start: int  # offset of the block's first character in ParsedDocument.text
    end: int  # offset just past the block's last character
    cells: dict[str, str] | None = None  # table rows: column name -> cell text
    caption: str = ""  # table rows: the table's caption line ("Bảng 1. … đến hết năm 2025"), if any


@dataclass
class Section:
    """A node of the document's own outline (I. / 1. / 1.1. / a) / Điều / Phụ lục / header)."""

    kind: str  # "root" | "header" | "roman" | "arabic" | "decimal" | "letter" | "dieu" | "chuong" | "appendix" | "group" | "signature"
    number: str  # the label as written, without punctuation: "II", "1", "1.1", "a", "Điều 1", ""
    title: str  # heading text without its number, re-joined: "MỤC TIÊU CỤ THỂ"
    heading: str  # heading as it reads in a path: "II. MỤC TIÊU CỤ THỂ"
    start: int
    end: int
    blocks: list[Block] = field(default_factory=list)
    children: list[Section] = field(default_factory=list)


@dataclass
class DocumentMeta:
    """What a plan is: read from its header and signature, filled or overridden by corpus/<doc_id>.meta.json."""

    doc_id: str
    title: str = ""  # "Kế hoạch phát triển kinh tế số và xã hội số tỉnh Đồng Nai đến năm 2025, ..."
    number: str = ""  # số hiệu: "198/KH-UBND" ("" when the plan has none)
    doc_type: str = ""  # loại văn bản: "Kế hoạch" | "Quyết định" | "Chương trình" ...
    issuer: str = ""  # cơ quan ban hành: "UBND tỉnh Đồng Nai"
    province: str = ""  # "Đồng Nai", "Thành phố Hồ Chí Minh"
    date: str = ""  # ISO date "2022-09-09", or "2024" when only the year is known
    signer: str = ""  # "Nguyễn Sơn Hùng"
    signer_title: str = ""  # "KT. CHỦ TỊCH PHÓ CHỦ TỊCH"
    short_label: str = ""  # used in citation labels: "KH 198/KH-UBND (Đồng Nai)"
    # questions the chat page offers as chips: the meta.json's list as written, else one derived from the outline
    starter_questions: list[str] = field(default_factory=list)
    extra: dict[str, Any] = field(default_factory=dict)


@dataclass
class ParsedDocument:
    doc_id: str
    text: str  # the source text every offset points into (NFC-normalised loader output)
    meta: DocumentMeta
    root: Section


@dataclass
class Chunk:
    """The unit that is indexed, retrieved and cited."""

    chunk_id: str  # f"{doc_id}#{ordinal:04d}", stable for a given corpus and chunker version
    doc_id: str
    text: str  # the chunk's own text (re-joined, verbatim words of the document)
    heading_path: list[str]  # ["II. MỤC TIÊU CỤ THỂ", "1. Phát triển kinh tế số", "a) Mục tiêu cơ bản đến năm 2025"]
    label: str  # "KH 198/KH-UBND (Đồng Nai), mục II.1.a"
    start: int  # offsets into ParsedDocument.text of the span the chunk covers
    end: int
    kind: str = "text"  # "text" | "table_row" | "header" | "signature"
    extra: dict[str, Any] = field(default_factory=dict)  # e.g. table row cells, group

    @property
    def section(self) -> str:
        return " > ".join(self.heading_path)


@dataclass
class Hit:
    """A retrieved chunk with its fused score and the per-retriever ranks that produced it."""

    chunk: Chunk
    score: float
    ranks: dict[str, int] = field(default_factory=dict)  # "bm25" -> 1-based rank, "dense" -> ...


@dataclass
class Citation:
    doc_id: str
    title: str
    section: str
    label: str
    quote: str
    chunk_id: str = ""
    start: int = -1  # offsets of the quote in the document text, for highlighting
    end: int = -1


@dataclass
class Answer:
    question: str
    answer: str
    refused: bool
    citations: list[Citation]
    contexts: list[Hit]
    timings_ms: dict[str, float] = field(default_factory=dict)
    id: Any = None
    confidence: float | None = None  # the refusal model's probability that the cited clause answers


# --------------------------------------------------------------------------- JSON of shared/CONTRACT.md


def hit_to_json(hit: Hit) -> dict[str, Any]:
    chunk = hit.chunk
    return {
        "doc_id": chunk.doc_id, "section": chunk.section, "text": chunk.text, "score": round(float(hit.score), 6),
        "chunk_id": chunk.chunk_id, "label": chunk.label, "start": chunk.start, "end": chunk.end, "ranks": hit.ranks,
    }


def answer_to_json(answer: Answer) -> dict[str, Any]:
    data: dict[str, Any] = {}
    if answer.id is not None:
        data["id"] = answer.id
    data.update({
        "question": answer.question,
        "answer": answer.answer,
        "refused": answer.refused,
        "citations": [asdict(c) for c in answer.citations],
        "contexts": [hit_to_json(h) for h in answer.contexts],
        "timings_ms": {k: round(v, 2) for k, v in answer.timings_ms.items()},
    })
    if answer.confidence is not None:
        data["confidence"] = round(answer.confidence, 4)
    return data
