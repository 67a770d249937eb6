"""Answers about a plan itself — số hiệu, ngày ban hành, người ký, cơ quan ban hành, trích yếu —
from its metadata, quoting the header or signature line that states each field."""

from __future__ import annotations

import re
from dataclasses import dataclass

from assistant.answer.compose import make_citation
from assistant.answer.refusal import refusal_text
from assistant.vi.normalize import folded, squash
from assistant.vi.sentences import split_sentences
from assistant.records import Chunk, Citation, Hit

_EXPAND = (("UBND", "Ủy ban nhân dân"), ("HĐND", "Hội đồng nhân dân"))


def _find_line(text: str, needle: str) -> str:
    """The (whitespace-normalised) line of `text` holding `needle`, compared folded; "" if none."""
    want = folded(needle)
    if not want:
        return ""
    for line in text.split("\n"):
        if want in folded(line):
            return squash(line)
    flat = squash(text)
    i = folded(flat).find(want)
    return flat[i : i + len(needle)] if i >= 0 else ""


def _date_phrase(doc_text: str, iso: str) -> str:
    """The document's own wording of its date ("ngày 09 tháng 9 năm 2022"), else one built from ISO."""
    m = re.fullmatch(r"(\d{4})-(\d{2})-(\d{2})", iso or "")
    if not m:
        return f"năm {iso}" if re.fullmatch(r"\d{4}", iso or "") else ""
    year, month, day = m.group(1), int(m.group(2)), int(m.group(3))
    pattern = re.compile(rf"ngày\W+0?{day}\W+tháng\W+0?{month}\W+năm\W+{year}", re.I)
    found = pattern.search(doc_text)
    if found:
        return squash(re.sub(r"[|/]", " ", found.group()))
    return f"ngày {day:02d} tháng {month} năm {year}"


def _expand(issuer: str) -> str:
    for short, full in _EXPAND:
        issuer = re.sub(rf"\b{short}\b", full, issuer)
    return issuer


def _meta_chunks(bundle, doc_id: str, hits: list[Hit]) -> dict[str, Hit]:
    """The plan's header and signature chunks, from the hits or else from the index."""
    out: dict[str, Hit] = {}
    for hit in hits:
        if hit.chunk.doc_id == doc_id and hit.chunk.kind in ("header", "signature"):
            out.setdefault(hit.chunk.kind, hit)
    for chunk in getattr(bundle, "chunks", []) or []:
        if chunk.doc_id == doc_id and chunk.kind in ("header", "signature"):
            out.setdefault(chunk.kind, Hit(chunk, 0.0))
    return out


def _citation(bundle, hits_by_kind: dict[str, Hit], doc_id: str, needle: str, prefer: str) -> Citation | None:
    """Cite the line stating `needle`: in the preferred header/signature chunk, else anywhere in the plan."""
    for kind in (prefer, "header", "signature"):
        hit = hits_by_kind.get(kind)
        if hit is not None:
            line = _find_line(hit.chunk.text, needle)
            if line:
                return make_citation(bundle, hit, line)
    doc = bundle.documents[doc_id]
    line = _find_line(doc.text, needle)
    if not line:
        return None
    pseudo = Chunk(f"{doc_id}#meta", doc_id, line, ["Thông tin văn bản"], doc.meta.short_label or doc_id,
                   0, len(doc.text), kind="header")
    return make_citation(bundle, Hit(pseudo, 0.0), line)


_ATTACHED_LINE = re.compile(r"\((?:Kèm theo|kèm theo|Đính kèm|đính kèm|Ban hành kèm theo)[^()]{5,250}\)")


def attached_line(text: str, annex: bool) -> str:
    """The "(Kèm theo Quyết định số … )" line of the plan — of its annex when `annex` (the first one
    after "PHỤ LỤC"), else the first; "" when it says none."""
    start = 0
    if annex:
        found = re.search(r"phụ lục", text, re.IGNORECASE)
        start = found.start() if found else len(text)
    m = _ATTACHED_LINE.search(text, start)
    return squash(m.group()) if m else ""


def answer_meta(bundle, doc_id: str, fields: list[str], hits: list[Hit], *, annex: bool = False
                ) -> tuple[str, list[Citation]]:
    """A one-line answer with the fields asked for, each backed by a quoted line of the plan."""
    doc = bundle.documents[doc_id]
    meta = doc.meta
    chunks = _meta_chunks(bundle, doc_id, hits)
    kind = meta.doc_type or "Văn bản"
    parts: list[str] = []
    citations: list[Citation] = []

    def cite(needle: str, prefer: str = "header") -> None:
        citation = _citation(bundle, chunks, doc_id, needle, prefer) if needle else None
        if citation and all(c.quote != citation.quote for c in citations):
            citations.append(citation)

    issuer = f" của {_expand(meta.issuer)}" if meta.issuer and "issuer" not in fields else ""
    if meta.number:
        parts.append(f"{kind} số {meta.number}{issuer}")
        if "number" in fields or not fields:
            cite(meta.number)
    else:
        parts.append(f"{kind}{issuer} (văn bản không ghi số hiệu)")
    if "title" in fields:
        if meta.title:
            parts.append(f"trích yếu: {meta.title}")
            cite(meta.title.split(" ", 2)[-1][:60])
    if "issuer" in fields and meta.issuer:
        parts.append(f"cơ quan ban hành: {_expand(meta.issuer)}")
        cite(meta.province or meta.issuer)
    if "date" in fields or "number" in fields:
        date = _date_phrase(doc.text, meta.date)
        if date:
            parts.append(f"ban hành {date}")
            cite(date)
    if "attached" in fields and (line := attached_line(doc.text, annex)):
        parts.append(f"{'phụ lục ' if annex else ''}ban hành kèm theo: {line}")
        cite(line[1:40])
    if "signer" in fields and meta.signer:
        title = f" ({meta.signer_title})" if meta.signer_title else ""
        parts.append(f"người ký: {meta.signer}{title}")
        cite(meta.signer, prefer="signature")
    if not citations and chunks:
        hit = chunks.get("header") or next(iter(chunks.values()))
        citations.append(make_citation(bundle, hit, squash(hit.chunk.text.split("\n")[0])))
    text = "; ".join(parts)
    return f"{text[0].upper()}{text[1:]}." if text else "", citations


_RECIPIENTS_RE = re.compile(r"^\s*N[ơo]i nh[ậa]n\s*:?\s*$", re.I | re.M)


def asks_recipients(question: str) -> bool:
    """"phần Nơi nhận gửi những cơ quan nào": the plan's distribution list, printed under its signature."""
    return "noi nhan" in folded(question)


def distribution_lists(chunks: list[Chunk]) -> dict[str, Chunk]:
    """Per plan, the signature block that holds its "Nơi nhận" list (built once, not per question)."""
    return {c.doc_id: c for c in chunks if c.kind == "signature" and _RECIPIENTS_RE.search(c.text)}


def answer_recipients(bundle, chunk: Chunk | None, score: float) -> tuple[str, list[Citation]] | None:
    """The plan's "Nơi nhận" list (the file copy "Lưu: …" left out), quoting the signature block."""
    if chunk is None:
        return None
    lines = chunk.text[_RECIPIENTS_RE.search(chunk.text).end():].split("\n")
    names = []
    for line in lines:
        line = squash(line)
        if not line.startswith(("-", "–", "+", "•")):
            if names:
                break  # the signature title that follows the list
            continue
        name = line.lstrip("-–+• ").rstrip(";.,")
        if name and not folded(name).startswith("luu"):
            names.append(name)
    if not names:
        return None
    quote = "Nơi nhận: " + "; ".join(names)
    return quote + ".", [make_citation(bundle, Hit(chunk, score), quote)]


_SUBMISSION_RE = re.compile(r"Tờ trình số\s*\d+")
def asks_submission(question: str) -> bool:
    """The question asks on whose submission (tờ trình) the plan was issued — not someone's duty to
    draft one ("Sở nào soạn tờ trình để HĐND ra nghị quyết …" names no issuing of this plan)."""
    q = folded(question)
    return "to trinh" in q and bool(re.search(r"\b(?:ban hanh|phe duyet|de nghi|de xuat|dua tren|tren co so)\b", q))


def submissions(chunks: list[Chunk]) -> dict[str, tuple[Chunk, str]]:
    """Per plan, the preamble sentence naming the submission it was issued on ("Theo đề nghị của Sở … tại
    Tờ trình số 30/TTr-STTTT ngày 05/04/2024")."""
    out: dict[str, tuple[Chunk, str]] = {}
    for chunk in chunks:
        if chunk.doc_id in out or not _SUBMISSION_RE.search(chunk.text):
            continue
        parts = [part for sentence in split_sentences(squash(chunk.text)) for part in sentence.split("; ")]
        sentence = next((part for part in parts if _SUBMISSION_RE.search(part)), "")  # its clause of the preamble
        if sentence:
            out[chunk.doc_id] = (chunk, sentence.rstrip(";"))
    return out


@dataclass
class PartAnswer:
    text: str
    refused: bool
    citations: list[Citation]
    reason: str


class DocumentParts:
    """Per plan, the parts of the document itself a question may ask for besides its header fields: the
    distribution list under its signature and the submission it was issued on."""

    def __init__(self, chunks: list[Chunk]) -> None:
        self.recipients = distribution_lists(chunks)
        self.submissions = submissions(chunks)

    def reply(self, bundle, question: str, hits: list[Hit]) -> PartAnswer | None:
        if not hits:
            return None
        doc_id, score = hits[0].chunk.doc_id, hits[0].score
        if asks_recipients(question):
            sent = answer_recipients(bundle, self.recipients.get(doc_id), score)
            if sent is None:  # the plan's text holds no distribution list: nothing to quote
                return PartAnswer(refusal_text(bundle), True, [], "recipients")
            return PartAnswer(sent[0], False, sent[1], "recipients")
        if asks_submission(question) and doc_id in self.submissions:
            chunk, sentence = self.submissions[doc_id]
            return PartAnswer(sentence.rstrip(" .") + ".", False, [make_citation(bundle, Hit(chunk, score), sentence)],
                              "submission")
        return None
