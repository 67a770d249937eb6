"""Seeing what a running assistant does: request ids, logs (text or JSON) and Prometheus metrics.

Every request gets an id — the caller's `X-Request-ID` when it is sane, else a fresh one — echoed in
the response and carried by every log record written while it is served, so one complaint ("answer
abc123 was wrong") leads to its log lines. Metrics live in a registry per app (tests build many apps)
and are served at `/metrics`: requests by route template and status, latency, refusals, rate-limited
and overload-rejected requests, and the loaded index's version and age.
"""

from __future__ import annotations

import json
import logging
import os
import re
import sys
import time
import uuid
from contextvars import ContextVar
from typing import Any

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram
from prometheus_client.core import GaugeMetricFamily
from starlette.types import ASGIApp, Message, Receive, Scope, Send

REQUEST_ID_HEADER = "x-request-id"
WORKER_HEADER = b"x-worker"
# What an incoming id may look like: short, printable, no spaces (it goes into logs and headers as is).
SANE_REQUEST_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._:+=/-]{0,127}")
NO_REQUEST = "-"

request_id_var: ContextVar[str] = ContextVar("request_id", default=NO_REQUEST)
access_log = logging.getLogger("assistant.access")

# The body of a 500: the app's exception handler and this module's middleware send the same one.
INTERNAL_ERROR = ("internal_error", "Đã có lỗi không mong muốn; vui lòng thử lại sau.")

# Latency buckets (seconds): answers take tens of milliseconds to a few seconds on 2 cores.
LATENCY_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0)


def current_request_id() -> str:
    """The id of the request being served in this context ("-" outside any request)."""
    return request_id_var.get()


def accept_request_id(raw: bytes | None) -> str:
    """The caller's id when it is sane, else a new random one."""
    if raw:
        text = raw.decode("latin-1")
        if SANE_REQUEST_ID.fullmatch(text):
            return text
    return uuid.uuid4().hex


# --------------------------------------------------------------------------- logging

def install_request_id_on_records() -> None:
    """Give every log record a `request_id` attribute, whichever logger or handler sees it.

    A record factory rather than a handler filter, so records reach pytest's caplog, uvicorn's
    handlers and ours alike with the id on them. Installed once per process.
    """
    previous = logging.getLogRecordFactory()
    if getattr(previous, "adds_request_id", False):
        return

    def factory(*args: Any, **kwargs: Any) -> logging.LogRecord:
        record = previous(*args, **kwargs)
        if not hasattr(record, "request_id"):
            record.request_id = request_id_var.get()
        return record

    factory.adds_request_id = True  # type: ignore[attr-defined]
    logging.setLogRecordFactory(factory)


# Attributes every LogRecord has; anything else on a record came from `extra=` and goes into the JSON.
# (uvicorn adds `color_message`, the message with terminal colours: noise in JSON.)
_STANDARD_ATTRS = frozenset(vars(logging.LogRecord("", 0, "", 0, "", None, None))) | {"message", "asctime", "color_message"}


class JsonFormatter(logging.Formatter):
    """One JSON object per line (time, level, logger, message, request_id, extras): for log shippers."""

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "time": time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(record.created)) + f".{int(record.msecs):03d}Z",
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": getattr(record, "request_id", NO_REQUEST),
        }
        for key, value in vars(record).items():
            if key not in _STANDARD_ATTRS and key not in entry:
                entry[key] = value if isinstance(value, (str, int, float, bool, type(None))) else str(value)
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False)


TEXT_FORMAT = "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"


def log_formatter(log_format: str) -> logging.Formatter:
    return JsonFormatter() if log_format == "json" else logging.Formatter(TEXT_FORMAT)


def configure_logging(log_format: str = "text", level: str = "WARNING") -> None:
    """One stderr handler on the `assistant` logger (replacing ours from an earlier call), text or JSON.

    With JSON, uvicorn's own handlers write JSON too, and its access log is silenced: ours carries
    the request id, the route template and the duration.
    """
    install_request_id_on_records()
    logger = logging.getLogger("assistant")
    for handler in [h for h in logger.handlers if getattr(h, "assistant_owned", False)]:
        logger.removeHandler(handler)
    handler = logging.StreamHandler(sys.stderr)
    handler.assistant_owned = True  # type: ignore[attr-defined]
    handler.setFormatter(log_formatter(log_format))
    logger.addHandler(handler)
    logger.setLevel(level.upper())
    if log_format == "json":
        for name in ("uvicorn", "uvicorn.error"):
            for h in logging.getLogger(name).handlers:
                h.setFormatter(JsonFormatter())
    logging.getLogger("uvicorn.access").disabled = log_format == "json"


# --------------------------------------------------------------------------- metrics

def index_version(bundle: Any) -> str:
    """The loaded index's version: the bundle's or manifest's own when it has one, else built_at + corpus hash."""
    manifest = getattr(bundle, "manifest", None) or {}
    version = getattr(bundle, "version", None) or manifest.get("version") or manifest.get("index_version")
    if version:
        return str(version)
    return "@".join(str(p) for p in (manifest.get("corpus_hash"), manifest.get("built_at")) if p) or "unknown"


def built_timestamp(manifest: dict[str, Any]) -> float | None:
    """`built_at` ("2026-12-03T05:32:27", local time as the builder writes it) as a Unix time."""
    built_at = manifest.get("built_at")
    if not isinstance(built_at, str):
        return None
    try:
        return time.mktime(time.strptime(built_at[:19], "%Y-%m-%dT%H:%M:%S"))
    except ValueError:
        return None


class IndexCollector:
    """Index facts read at scrape time from the app's current assistant, so a reloaded index shows at once."""

    def __init__(self, state: Any) -> None:
        self.state = state

    def collect(self):
        assistant = getattr(self.state, "assistant", None)
        bundle = getattr(assistant, "bundle", None)
        if bundle is None:
            return
        manifest = getattr(bundle, "manifest", None) or {}
        info = GaugeMetricFamily("assistant_index_info", "The loaded index (value 1), by version and model.",
                                 labels=["version", "model"])
        info.add_metric([index_version(bundle), str(manifest.get("model", ""))], 1.0)
        yield info
        yield GaugeMetricFamily("assistant_index_chunks", "Chunks in the loaded index.", value=len(bundle.chunks))
        yield GaugeMetricFamily("assistant_index_documents", "Plans in the loaded index.", value=len(bundle.documents))
        built = built_timestamp(manifest)
        if built is not None:
            yield GaugeMetricFamily("assistant_index_built_timestamp_seconds", "When the loaded index was built.",
                                    value=built)
            yield GaugeMetricFamily("assistant_index_age_seconds", "Seconds since the loaded index was built.",
                                    value=max(0.0, time.time() - built))


class Metrics:
    """The app's metrics, in a registry of its own."""

    def __init__(self, state: Any = None) -> None:
        self.registry = CollectorRegistry()
        r = self.registry
        self.requests = Counter("assistant_http_requests", "HTTP requests, by method, route template and status.",
                                ["method", "route", "status"], registry=r)
        self.latency = Histogram("assistant_http_request_duration_seconds", "Time to serve a request, by route template.",
                                 ["method", "route"], buckets=LATENCY_BUCKETS, registry=r)
        self.answers = Counter("assistant_answers", "Answers given (API and stream), by whether they were refusals.",
                               ["refused"], registry=r)
        self.rate_limited = Counter("assistant_rate_limited_requests", "Requests refused with 429 by the per-client rate limit.",
                                    registry=r)
        self.overload_rejected = Counter("assistant_overload_rejections",
                                         "Answer requests refused with 503 because the work bound and its queue were full.",
                                         registry=r)
        self.answer_cache_hits = Counter("assistant_answer_cache_hits", "Answers (/api/ask) served from the answer cache.",
                                         registry=r)
        self.answer_work = Gauge("assistant_answer_work_in_progress", "Answer requests being worked on now.", registry=r)
        self.answer_queue = Gauge("assistant_answer_work_queued", "Answer requests waiting for a free slot now.", registry=r)
        self.worker = Gauge("assistant_worker_info", "This server process (value 1): its worker number under "
                            "`serve --workers N` (\"\" when single) and pid.", ["worker", "pid"], registry=r)
        if state is not None:
            r.register(IndexCollector(state))

    def set_worker(self, worker: int | None) -> None:
        """Label the metrics with the process they come from: each worker keeps its own counts."""
        self.worker.clear()
        self.worker.labels(worker="" if worker is None else str(worker), pid=str(os.getpid())).set(1)

    def count_answer(self, refused: bool, cached: bool = False) -> None:
        self.answers.labels(refused="true" if refused else "false").inc()
        if cached:
            self.answer_cache_hits.inc()


def count_answer(state: Any, refused: bool, *, cached: bool = False) -> None:
    """Count an answer on the app's metrics, when the app has them (`cached`: served from the answer cache)."""
    metrics = getattr(state, "metrics", None)
    if metrics is not None:
        metrics.count_answer(refused, cached)


def route_template(scope: Scope) -> str:
    """"/api/documents/{doc_id}", not the id asked for: label values stay few."""
    route = scope.get("route")
    path = getattr(route, "path", None)
    return path if isinstance(path, str) and path else "unmatched"


class ObservabilityMiddleware:
    """Outermost: sets the request id, echoes it, times and counts every request, writes the access log.

    Under `serve --workers N` it also names the worker in `X-Worker`, so a client can see how its
    connections spread over the processes.
    """

    def __init__(self, app: ASGIApp, metrics: Metrics, worker: int | None = None) -> None:
        self.app = app
        self.metrics = metrics
        self.extra_headers = [(WORKER_HEADER, str(worker).encode())] if worker is not None else []

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        request_id = accept_request_id(dict(scope.get("headers") or []).get(REQUEST_ID_HEADER.encode()))
        token = request_id_var.set(request_id)
        status, responded = 500, False
        started = time.perf_counter()

        async def send_with_id(message: Message) -> None:
            nonlocal status, responded
            if message["type"] == "http.response.start":
                status, responded = message["status"], True
                headers = [(k, v) for k, v in message.get("headers", []) if k.lower() != REQUEST_ID_HEADER.encode()]
                message = {**message, "headers": [*headers, (REQUEST_ID_HEADER.encode(), request_id.encode()),
                                                  *self.extra_headers]}
            await send(message)

        try:
            await self.app(scope, receive, send_with_id)
        except Exception:
            # Answer the 500 here, with the request id, then let the app's handler log it: the id is
            # still set for its log record (same task), and Starlette sends nothing more once we have.
            if not responded:
                code, message = INTERNAL_ERROR
                body = json.dumps({"error": {"code": code, "message": message}}, ensure_ascii=False).encode()
                await send_with_id({"type": "http.response.start", "status": 500,
                                    "headers": [(b"content-type", b"application/json"),
                                                (b"content-length", str(len(body)).encode())]})
                await send_with_id({"type": "http.response.body", "body": body})
            token = None
            raise
        except BaseException:  # cancelled: the client went away before an answer
            status = status if responded else 499
            raise
        finally:
            elapsed = time.perf_counter() - started
            method, route = scope.get("method", ""), route_template(scope)
            self.metrics.requests.labels(method=method, route=route, status=str(status)).inc()
            self.metrics.latency.labels(method=method, route=route).observe(elapsed)
            if status == 429:
                self.metrics.rate_limited.inc()
            level = logging.ERROR if status >= 500 else logging.INFO
            if access_log.isEnabledFor(level):  # at the default WARNING, no record or extras are built per request
                access_log.log(level, "%s %s %d %.1f ms", method, scope.get("path", ""), status, elapsed * 1000,
                               extra={"method": method, "route": route, "status": status,
                                      "duration_ms": round(elapsed * 1000, 1)})
            if token is not None:
                request_id_var.reset(token)
