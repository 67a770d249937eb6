"""Generative answerer: a chat model phrases the answer, validation keeps it grounded.

The model sees the top contexts as [C1]..[C5] and must cite the ids it used. An answer is kept
only if every id it cites was given and every figure it states is in a cited context; anything
else (uncited or invented answers, errors, timeouts, a server that is down) falls back to the
extractive answer, so the user always gets a reply that rests on the documents' own words.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined

from assistant.answer.extractive import Drafted, make_citation, refusal_text
from assistant.vi.sentences import quotable_pieces
from assistant.indexing.build import IndexBundle
from assistant.retrieve.analysis import QueryInfo
from assistant.records import Citation, Hit
from assistant.vi.normalize import fold_diacritics
from assistant.vi.tokens import bm25_tokens

log = logging.getLogger(__name__)

REFUSAL_TOKEN = "KHÔNG_CÓ_THÔNG_TIN"
N_CONTEXTS = 5
DEFAULT_CONTEXT_CHARS = 4000  # all contexts together; SmolLM2 spends ~0.85 token per Vietnamese char, so its 2k window fits ~1000
DEFAULT_MAX_TOKENS = 256

_CITE = re.compile(r"[\[(]\s*(C\s*\d+(?:\s*[,;]\s*C?\s*\d+)*)\s*[\])]", re.IGNORECASE)
_NUMBER = re.compile(r"\d+(?:[.,]\d+)*")
_THOUSANDS = re.compile(r"\d{1,3}(?:[.,]\d{3})+")


@dataclass
class GenerativeDrafted(Drafted):
    """A Drafted that says which backend produced it and, after a fallback, why."""

    backend: str = "generative"  # "generative" | "extractive"
    reason: str = ""  # "" when the model's answer was kept; else e.g. "no_citation", "unsupported_number: 35", "error: timeout"


@dataclass
class PromptContext:
    """One retrieved chunk as the model sees it: an id, its label and its (possibly trimmed) text."""

    id: str
    hit: Hit
    label: str
    text: str


@dataclass
class Verdict:
    """The outcome of checking a model answer against the contexts it was given."""

    ok: bool
    reason: str = ""
    text: str = ""  # the answer without citation markers
    refused: bool = False
    cited: list[PromptContext] = field(default_factory=list)


def build_contexts(hits: list[Hit], n: int = N_CONTEXTS, budget: int = DEFAULT_CONTEXT_CHARS) -> list[PromptContext]:
    """Top-n hits as [C1].., sharing a character budget so the prompt fits the model's window."""
    chosen = hits[:n]
    caps: dict[int, int] = {}
    remaining = budget
    # Water-filling: short chunks keep their full text, long ones share what is left.
    for position, index in enumerate(sorted(range(len(chosen)), key=lambda i: len(chosen[i].chunk.text))):
        share = remaining // (len(chosen) - position)
        caps[index] = min(len(chosen[index].chunk.text), share)
        remaining -= caps[index]
    return [PromptContext(f"C{i + 1}", hit, hit.chunk.label or hit.chunk.section, _trim(hit.chunk.text, caps[i]))
            for i, hit in enumerate(chosen)]


def _trim(text: str, cap: int) -> str:
    if len(text) <= cap:
        return text
    cut = text[:cap]
    return (cut.rsplit(maxsplit=1)[0] if " " in cut else cut) + " …"


def cited_ids(text: str) -> list[str]:
    """Ids cited in an answer, in order of first mention: "[C1]", "[C1, C3]", "(C2)" all count."""
    found: list[str] = []
    for group in _CITE.finditer(text):
        for number in re.findall(r"\d+", group.group(1)):
            cid = f"C{int(number)}"
            if cid not in found:
                found.append(cid)
    return found


def _forms(token: str) -> set[str]:
    """Spellings of one figure that count as the same: "7,5" = "7.5", "05" = "5", "1.000" = "1000"."""
    canonical = token.replace(",", ".").lstrip("0") or "0"
    forms = {canonical}
    if _THOUSANDS.fullmatch(token):
        forms.add(re.sub(r"[.,]", "", token).lstrip("0") or "0")
    return forms


def numbers(text: str) -> set[str]:
    """Every spelling of every figure in a text."""
    return set().union(*(_forms(m.group(0)) for m in _NUMBER.finditer(text)))


def unsupported_numbers(answer: str, sources: str) -> list[str]:
    """Figures of the answer that appear in none of the sources (the hallucinated-figure guard)."""
    allowed = numbers(sources)
    return list(dict.fromkeys(m.group(0) for m in _NUMBER.finditer(answer) if not _forms(m.group(0)) & allowed))


def _fold(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", " ", fold_diacritics(text).lower()).strip()


def validate(raw: str, contexts: list[PromptContext], finish_reason: str | None = None) -> Verdict:
    """Accept a refusal, or an answer citing only given ids whose figures all appear in what it cites."""
    text = re.sub(r"\s+([.,;:!?])", r"\1", _CITE.sub(" ", raw))
    text = re.sub(r"\s+", " ", text).strip(" \t\n-–:")
    if _fold(text) == _fold(REFUSAL_TOKEN):
        return Verdict(True, text="", refused=True)
    if _fold(REFUSAL_TOKEN) in _fold(raw):
        return Verdict(False, "refusal_mixed_with_answer")
    if finish_reason == "length":
        return Verdict(False, "truncated")
    if not text:
        return Verdict(False, "empty")
    ids = cited_ids(raw)
    if not ids:
        return Verdict(False, "no_citation")
    given = {c.id: c for c in contexts}
    unknown = [cid for cid in ids if cid not in given]
    if unknown:
        return Verdict(False, f"unknown_id: {', '.join(unknown)}")
    cited = [given[cid] for cid in ids]
    invented = unsupported_numbers(text, " ".join(f"{c.label} {c.text}" for c in cited))
    if invented:
        return Verdict(False, f"unsupported_number: {', '.join(invented)}")
    return Verdict(True, text=text, cited=cited)


def best_quote(chunk_text: str, answer: str) -> str:
    """The chunk's sentence (verbatim) that shares most words with the answer."""
    units = quotable_pieces(chunk_text) or [chunk_text.strip()]
    answer_tokens = set(bm25_tokens(answer))
    return max(units, key=lambda unit: len(answer_tokens & set(bm25_tokens(unit))))


class Rejected(Exception):
    """The model answered, but not in a way the user can be shown."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def error_reason(exc: Exception) -> str:
    """A stable name for a failed call ("error: timeout", "error: connection", "error: http 500")."""
    try:
        import openai
    except ImportError:  # pragma: no cover - langchain-openai depends on it
        return f"error: {type(exc).__name__}"
    if isinstance(exc, (openai.APITimeoutError, TimeoutError)):
        return "error: timeout"
    if isinstance(exc, openai.APIConnectionError):
        return "error: connection"
    if isinstance(exc, openai.APIStatusError):
        return f"error: http {exc.status_code}"
    return f"error: {type(exc).__name__}"


class PromptRenderer:
    """Renders prompts/system.j2 and prompts/user.j2 into chat messages."""

    def __init__(self, prompts_dir: Path) -> None:
        self.env = Environment(loader=FileSystemLoader(str(prompts_dir)), undefined=StrictUndefined,
                               trim_blocks=True, lstrip_blocks=True, autoescape=False)

    def messages(self, question: str, contexts: list[PromptContext]) -> list[Any]:
        from langchain_core.messages import HumanMessage, SystemMessage

        values = {"question": question, "contexts": contexts, "refusal_token": REFUSAL_TOKEN,
                  "example_id": contexts[0].id if contexts else "C1"}
        return [SystemMessage(self.env.get_template("system.j2").render(**values).strip()),
                HumanMessage(self.env.get_template("user.j2").render(**values).strip())]


class GenerativeAnswerer:
    """Same interface as ExtractiveAnswerer; the extractive one is its fallback for every failure."""

    name = "generative"

    def __init__(self, bundle: IndexBundle, settings, fallback, *, llm: Any = None,
                 max_tokens: int | None = None, context_chars: int | None = None) -> None:
        self.bundle = bundle
        self.settings = settings
        self.fallback = fallback
        self.max_tokens = max_tokens or getattr(settings, "llm_max_tokens", None) or DEFAULT_MAX_TOKENS
        self.context_chars = context_chars or getattr(settings, "llm_context_chars", None) or DEFAULT_CONTEXT_CHARS
        self.renderer = PromptRenderer(Path(settings.prompts_dir))
        self._llm = llm
        self._chain = None

    @property
    def llm(self):
        """The chat model, built on first use so an unused generative mode costs nothing."""
        if self._llm is None:
            try:
                from langchain_openai import ChatOpenAI
            except ImportError as exc:  # pragma: no cover - a declared dependency
                from assistant.errors import MissingDependency

                raise MissingDependency("Chế độ sinh câu trả lời cần gói langchain-openai: pip install langchain-openai") from exc
            # llama-cpp-python's server reads `max_tokens`; langchain sends `max_completion_tokens`: send both.
            self._llm = ChatOpenAI(base_url=self.settings.llm_base_url, model=self.settings.llm_model,
                                   api_key=self.settings.llm_api_key, timeout=self.settings.llm_timeout_s,
                                   max_retries=0, temperature=0, max_tokens=self.max_tokens,
                                   extra_body={"max_tokens": self.max_tokens})
        return self._llm

    def chain(self):
        """LCEL: {question, contexts} → chat messages → model → AIMessage."""
        if self._chain is None:
            from langchain_core.runnables import RunnableLambda

            self._chain = RunnableLambda(lambda x: self.renderer.messages(x["question"], x["contexts"])) | self.llm
        return self._chain

    def answer(self, question: str, info: QueryInfo, hits: list[Hit]) -> Drafted:
        if not hits or (info.unknown_provinces and set(info.provinces) <= set(info.unknown_provinces)):
            return self._fall_back(question, info, hits, "no_contexts" if not hits else "unknown_province")
        try:
            return self._generate(question, hits)
        except Rejected as exc:
            return self._fall_back(question, info, hits, exc.reason)
        except Exception as exc:  # timeouts, refused connections, HTTP errors, bad payloads: never reach the user
            log.warning("generative answerer failed (%s: %s); using the extractive answer", type(exc).__name__, exc)
            return self._fall_back(question, info, hits, error_reason(exc))

    def _generate(self, question: str, hits: list[Hit]) -> GenerativeDrafted:
        contexts = build_contexts(hits, N_CONTEXTS, self.context_chars)
        message = self.chain().invoke({"question": question, "contexts": contexts})
        raw = message.content if isinstance(message.content, str) else str(message.content)
        verdict = validate(raw, contexts, (message.response_metadata or {}).get("finish_reason"))
        if not verdict.ok:
            log.info("generative answer rejected (%s): %r", verdict.reason, raw[:200])
            raise Rejected(verdict.reason)
        if verdict.refused:
            return GenerativeDrafted(refusal_text(self.bundle), True, [])
        return GenerativeDrafted(verdict.text, False, self._citations(verdict))

    def _citations(self, verdict: Verdict) -> list[Citation]:
        return [make_citation(self.bundle, c.hit, best_quote(c.hit.chunk.text, verdict.text)) for c in verdict.cited]

    def _fall_back(self, question: str, info: QueryInfo, hits: list[Hit], reason: str) -> GenerativeDrafted:
        drafted = self.fallback.answer(question, info, hits)
        return GenerativeDrafted(drafted.text, drafted.refused, drafted.citations, backend="extractive", reason=reason)
