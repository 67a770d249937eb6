"""Installed from its wheel into a fresh environment, the assistant answers and serves from any folder.

The wheel is built from this checkout and installed (without dependencies) into a new virtual
environment that borrows the project environment's site-packages through a `.pth` file, so only the
assistant itself comes from the wheel. Its data lives in a temporary ASSISTANT_HOME and every
command runs from an unrelated folder: nothing may be found through the repository.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import sysconfig
import zipfile
from pathlib import Path

import httpx
import pytest

from corpus_docs import ROOT
from servers import free_port, stop_process, wait_until_responds

pytestmark = pytest.mark.slow

QUESTION = "Mục tiêu tỷ trọng kinh tế số của Đồng Nai đến năm 2025?"
BUILD_TIMEOUT_S = 300
ASK_TIMEOUT_S = 600  # builds the index with the shipped model on first use (about a minute on 2 cores)
SERVE_TIMEOUT_S = 180


def _run(args: list, *, cwd: Path, env: dict[str, str], timeout: float) -> subprocess.CompletedProcess:
    return subprocess.run([str(a) for a in args], cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout)


def _clean_env(**extra: str) -> dict[str, str]:
    """The caller's environment without anything that could point back at the checkout."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("ASSISTANT_") and k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    return {**env, "HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1", "PYTHONUNBUFFERED": "1", **extra}


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    result = _run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q", "-w", out, ROOT],
                  cwd=out, env=_clean_env(), timeout=BUILD_TIMEOUT_S)
    assert result.returncode == 0, f"wheel build failed (is hatchling installed? pip install -e '.[test]'):\n{result.stderr}"
    (built,) = out.glob("assistant-*.whl")
    return built


@pytest.fixture(scope="module")
def venv(tmp_path_factory, wheel) -> Path:
    """A new environment with the wheel installed and the project's dependencies visible."""
    target = tmp_path_factory.mktemp("venv") / "env"
    env = _clean_env()
    _run([sys.executable, "-m", "venv", "--without-pip", target], cwd=target.parent, env=env, timeout=120).check_returncode()
    python = target / "bin" / "python"
    purelib = Path(_run([python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                        cwd=target.parent, env=env, timeout=60).stdout.strip())
    # A plain path line: the project's packages become importable, but its .pth files (the editable
    # install of the checkout) are not run, so `assistant` can only come from the wheel.
    (purelib / "project-dependencies.pth").write_text(sysconfig.get_paths()["purelib"] + "\n", encoding="utf-8")
    result = _run([sys.executable, "-m", "pip", "--python", python, "install", "-q", "--no-deps", "--no-index", wheel],
                  cwd=target.parent, env=env, timeout=BUILD_TIMEOUT_S)
    assert result.returncode == 0, result.stderr
    return target


@pytest.fixture(scope="module")
def home(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("home")
    shutil.copytree(ROOT / "corpus", folder / "corpus")
    return folder


@pytest.fixture(scope="module")
def elsewhere(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("elsewhere")


def test_wheel_carries_the_web_pages_prompts_and_text_data(wheel):
    names = set(zipfile.ZipFile(wheel).namelist())
    for name in ["assistant/web/templates/chat.html", "assistant/web/static/widget.js", "assistant/prompts/system.j2",
                 "assistant/prompts/user.j2", "assistant/vi/data/stopwords.txt", "assistant/vi/data/synonyms.tsv"]:
        assert name in names, name
    assert not any(n.startswith(("corpus/", "index/", "tests/", "assistant/corpus/")) for n in names)


def test_the_package_is_imported_from_the_fresh_environment(venv, elsewhere):
    result = _run([venv / "bin" / "python", "-c", "import assistant; print(assistant.__file__)"],
                  cwd=elsewhere, env=_clean_env(), timeout=120)
    assert result.returncode == 0, result.stderr
    assert Path(result.stdout.strip()).is_relative_to(venv), result.stdout


def test_ask_without_a_corpus_explains_assistant_home(venv, elsewhere):
    result = _run([venv / "bin" / "assistant", "ask", QUESTION], cwd=elsewhere, env=_clean_env(), timeout=ASK_TIMEOUT_S)
    assert result.returncode == 1
    assert f"Không tìm thấy thư mục văn bản (corpus) tại {elsewhere / 'corpus'}" in result.stderr
    assert "ASSISTANT_HOME" in result.stderr and "Traceback" not in result.stderr
    assert not (elsewhere / "index").exists()


def test_ask_answers_from_assistant_home_run_from_another_folder(venv, home, elsewhere):
    env = _clean_env(ASSISTANT_HOME=str(home), ASSISTANT_RETRIEVAL_MODE="bm25")
    result = _run([venv / "bin" / "assistant", "ask", QUESTION, "--json"], cwd=elsewhere, env=env, timeout=ASK_TIMEOUT_S)
    assert result.returncode == 0, result.stderr[-3000:]
    answer = json.loads(result.stdout)
    assert not answer["refused"], answer["answer"]
    assert "dong-nai-kh-198-2022" in {c["doc_id"] for c in answer["citations"]}
    version = (home / "index" / "current").read_text(encoding="ascii").strip()
    assert (home / "index" / version / "manifest.json").is_file()
    assert not list(venv.rglob("manifest.json")) and not (elsewhere / "index").exists()


def test_serve_shows_the_chat_page_and_the_widget(venv, home, elsewhere):
    port = free_port()
    env = _clean_env(ASSISTANT_HOME=str(home), ASSISTANT_RETRIEVAL_MODE="bm25")
    process = subprocess.Popen([str(venv / "bin" / "assistant"), "serve", "--host", "127.0.0.1", "--port", str(port)],
                               cwd=elsewhere, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    url = f"http://127.0.0.1:{port}"
    try:
        wait_until_responds(url + "/healthz", SERVE_TIMEOUT_S, process)
        page = httpx.get(url + "/", timeout=30)
        assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
        assert '<textarea id="question"' in page.text and 'class="starter"' in page.text
        script = httpx.get(url + "/widget.js", timeout=30)
        assert script.status_code == 200 and "javascript" in script.headers["content-type"]
        assert httpx.get(url + "/static/app.css", timeout=30).status_code == 200
    finally:
        stop_process(process)
