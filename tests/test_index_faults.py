"""Fault injection on the versioned index: every damage is detected, an older good version answers,
nothing is answered from bad data, a killed build leaves the previous version serving, and bad
corpus files are skipped by name while the rest is indexed."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from click.testing import CliRunner
from fastapi.testclient import TestClient

from assistant import cli
from assistant.api.app import create_app
from assistant.errors import IndexError_
from assistant.indexing import embeddings
from assistant.indexing.build import (build_index, current_version, ensure_index, load_index, open_current,
                                      publish_new_version)
from assistant.indexing.versions import list_versions, write_pointer
from assistant.pipeline import Assistant
from assistant.settings import Settings

from corpus_docs import CORPUS, ROOT

QUESTION = "Mục tiêu tỷ trọng kinh tế số của Đồng Nai đến năm 2025?"
DONG_NAI = "dong-nai-kh-198-2022"
# Every file of a version; test_every_component_is_covered fails when a new one appears unlisted.
COMPONENTS = ["chunks.jsonl", "documents.json", "dense.faiss", "dense.chunks.npy", "bm25/params.index.json", "bm25/vocab.index.json",
              "bm25/data.csc.index.npy", "bm25/indices.csc.index.npy", "bm25/indptr.csc.index.npy"]


def _replace(path: Path, data: bytes) -> None:
    """Put damaged bytes where the file was: a new file renamed over it, as any tool rewriting it would
    (published versions are read-only, and a server may have the old file memory-mapped)."""
    tmp = path.with_name(path.name + ".damaged")
    tmp.write_bytes(data)
    os.replace(tmp, path)


def delete(path: Path) -> None:
    path.unlink()


def truncate(path: Path) -> None:
    _replace(path, path.read_bytes()[: path.stat().st_size // 2])


def empty(path: Path) -> None:
    _replace(path, b"")


def garble(path: Path) -> None:
    _replace(path, bytes((i * 131 + 7) % 256 for i in range(path.stat().st_size)))


FAULTS = [delete, truncate, empty, garble]


@pytest.fixture(scope="module")
def template(tmp_path_factory, fake_embedder) -> tuple[Path, str, str]:
    """A home with the corpus and two good versions of the same corpus (older, current)."""
    home = tmp_path_factory.mktemp("home")
    shutil.copytree(CORPUS, home / "corpus")
    settings = _settings(home)
    older = build_index(settings, fake_embedder).version
    newer = build_index(settings, fake_embedder).version
    return home, older, newer


def _settings(home: Path, **extra) -> Settings:
    return Settings(home=home, embedding_model="test-hashing", rate_limit_per_minute=0, **extra)


@pytest.fixture
def home(template, tmp_path) -> tuple[Settings, str, str]:
    """A private copy of the template home, safe to damage."""
    source, older, newer = template
    target = tmp_path / "home"
    shutil.copytree(source, target)
    return _settings(target), older, newer


def _answers_dong_nai(assistant: Assistant) -> bool:
    answer = assistant.ask(QUESTION)
    return not answer.refused and answer.citations[0].doc_id == DONG_NAI


def test_every_component_is_covered(home):
    settings, _, newer = home
    manifest = json.loads((settings.index_dir / newer / "manifest.json").read_text(encoding="utf-8"))
    assert sorted(manifest["files"]) == sorted(COMPONENTS)


def test_published_versions_are_read_only_with_a_checksum_per_file(home):
    settings, _, newer = home
    folder = settings.index_dir / newer
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["version"] == newer == current_version(settings.index_dir)
    assert all(len(f["sha256"]) == 64 and f["bytes"] > 0 for f in manifest["files"].values())
    assert all((folder / rel).stat().st_mode & 0o222 == 0 for rel in COMPONENTS)


@pytest.mark.parametrize("fault", FAULTS, ids=lambda f: f.__name__)
@pytest.mark.parametrize("component", COMPONENTS)
def test_a_damaged_component_falls_back_to_the_previous_good_version(home, fake_embedder, component, fault, caplog):
    settings, older, newer = home
    fault(settings.index_dir / newer / component)
    assistant = Assistant.open(settings, embedder=fake_embedder)
    assert assistant.bundle.version == older
    assert component in assistant.bundle.fallback_reason
    assert f"previous good version {older}" in caplog.text
    assert _answers_dong_nai(assistant)


@pytest.mark.parametrize("manifest", [b"\x00\x9c garbage \xff", b'{"version": "', b"{}", b"[1, 2]",
                                      b'{"format": 2, "version": "x", "files": {}, "chunks": 1, "model": "m", "corpus_hash": "h"}'],
                         ids=["binary", "cut-json", "empty-object", "json-list", "wrong-version"])
def test_a_garbled_manifest_falls_back_to_the_previous_good_version(home, fake_embedder, manifest):
    settings, older, newer = home
    _replace(settings.index_dir / newer / "manifest.json", manifest)
    bundle = open_current(settings)
    assert (bundle.version, bundle.fallback_reason is not None) == (older, True)
    assert _answers_dong_nai(Assistant(settings, bundle, fake_embedder))


@pytest.mark.parametrize("pointer", ["missing-folder", "garbled", "deleted"])
def test_a_bad_current_pointer_falls_back_to_the_newest_good_version(home, fake_embedder, pointer):
    settings, _, newer = home
    current = settings.index_dir / "current"
    if pointer == "missing-folder":
        current.write_text("20990101T000000000000Z-deadbeef\n", encoding="ascii")
    elif pointer == "garbled":
        current.write_bytes(b"\xff\xfe../../etc\n")
    else:
        current.unlink()
    bundle = open_current(settings)
    assert bundle.version == newer and bundle.fallback_reason
    assert _answers_dong_nai(Assistant(settings, bundle, fake_embedder))


def test_with_no_good_version_left_opening_refuses_and_ensure_rebuilds(home, fake_embedder):
    settings, older, newer = home
    garble(settings.index_dir / older / "dense.faiss")
    delete(settings.index_dir / newer / "chunks.jsonl")
    with pytest.raises(IndexError_, match="không còn phiên bản chỉ mục tốt nào: hãy chạy lại `assistant index`"):
        load_index(settings)
    bundle = ensure_index(settings, lambda: fake_embedder)
    assert bundle.version not in (older, newer) and bundle.fallback_reason is None
    assert current_version(settings.index_dir) == bundle.version


def test_where_building_is_impossible_the_cli_refuses_in_vietnamese_without_a_traceback(home, monkeypatch):
    settings, older, newer = home
    empty(settings.index_dir / older / "chunks.jsonl")
    empty(settings.index_dir / newer / "chunks.jsonl")
    for plan in settings.corpus_dir.glob("*.txt"):
        plan.write_text("", encoding="utf-8")  # nothing left to rebuild from
    monkeypatch.setenv("ASSISTANT_HOME", str(settings.home))
    result = CliRunner().invoke(cli.main, ["--model", "test-hashing", "ask", QUESTION])
    assert result.exit_code == 1
    assert "Không có văn bản nào đọc được trong thư mục văn bản; chưa thể xây dựng chỉ mục." in result.output
    assert "Traceback" not in result.output and isinstance(result.exception, SystemExit)


def test_old_flat_index_is_treated_as_stale_rebuilt_and_removed(tmp_path, corpus_copy, fake_embedder):
    index_dir = tmp_path / "index"
    (index_dir / "bm25").mkdir(parents=True)
    for name in ["manifest.json", "chunks.jsonl", "documents.json", "dense.faiss", "bm25/params.index.json"]:
        (index_dir / name).write_text('{"format": 1}', encoding="utf-8")
    settings = Settings(corpus_dir=corpus_copy, index_dir=index_dir, embedding_model="test-hashing")
    bundle = ensure_index(settings, lambda: fake_embedder)
    assert sorted(p.name for p in index_dir.iterdir()) == sorted([".lock", "cache", "current", bundle.version])


def test_old_versions_are_pruned_to_the_keep_setting(home, fake_embedder):
    settings, older, newer = home
    settings = settings.model_copy(update={"index_keep_versions": 2})
    third = build_index(settings, fake_embedder).version
    assert list_versions(settings.index_dir) == [third, newer]
    assert older not in list_versions(settings.index_dir)


def test_pruning_keeps_good_versions_and_drops_damaged_ones(home, fake_embedder):
    settings, older, newer = home
    garble(settings.index_dir / newer / "documents.json")
    settings = settings.model_copy(update={"index_keep_versions": 2})
    third = build_index(settings, fake_embedder).version
    assert list_versions(settings.index_dir) == [third, older]


# --- a build killed with SIGKILL ------------------------------------------------------------------

KILLED_BUILD = """
import sys, time
sys.path.insert(0, sys.argv[4])
from fakes import HashingEmbedder
from assistant.indexing.build import publish_new_version
from assistant.settings import Settings

def progress(stage):
    print(stage, flush=True)
    if stage == sys.argv[1]:
        time.sleep(120)  # killed here by the test

settings = Settings(corpus_dir=sys.argv[2], index_dir=sys.argv[3], embedding_model="test-hashing")
publish_new_version(settings, HashingEmbedder, progress=progress)
print("finished", flush=True)
"""


@pytest.mark.parametrize("stage", ["parse", "embed", "write chunks.jsonl", "write bm25", "write dense",
                                   "write manifest.json", "verify", "publish"])
def test_a_build_killed_mid_way_leaves_the_previous_version_serving(home, fake_embedder, stage):
    settings, _, newer = home
    shutil.copy(ROOT / "eval" / "added_plans" / "quang-tri-kh-2156-2023.txt", settings.corpus_dir)
    process = subprocess.Popen([sys.executable, "-c", KILLED_BUILD, stage, str(settings.corpus_dir), str(settings.index_dir),
                                str(ROOT / "tests")], cwd=ROOT, stdout=subprocess.PIPE, text=True)
    watchdog = threading.Timer(60, process.kill)
    watchdog.start()
    try:
        seen = []
        while (line := process.stdout.readline()) and line.strip() != stage:
            seen.append(line.strip())
        assert process.poll() is None, f"the build ended before stage {stage!r}: {seen}"
        os.kill(process.pid, signal.SIGKILL)
        process.wait(10)
    finally:
        watchdog.cancel()
        process.stdout.close()
    assert current_version(settings.index_dir) == newer
    bundle = open_current(settings)
    assert (bundle.version, bundle.fallback_reason) == (newer, None)
    assert _answers_dong_nai(Assistant(settings, bundle, fake_embedder))
    # The next build clears what the killed one left behind and publishes the added plan.
    published = publish_new_version(settings, lambda: fake_embedder)
    assert not list(settings.index_dir.glob(".building-*"))
    assert len(open_current(settings).documents) == 6 and published == current_version(settings.index_dir)


# --- the server -----------------------------------------------------------------------------------

def test_a_server_started_on_a_damaged_version_answers_then_heals_in_the_background(home, fake_embedder):
    settings, older, newer = home
    settings = settings.model_copy(update={"index_watch_interval_s": 0.1})
    garble(settings.index_dir / newer / "dense.faiss")
    assistant = Assistant.open(settings, embedder=fake_embedder)
    assert assistant.bundle.version == older
    with TestClient(create_app(settings, assistant=assistant)) as client:
        versions_seen = set()
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            r = client.post("/api/ask", json={"question": QUESTION})
            assert r.status_code == 200 and r.json()["citations"][0]["doc_id"] == DONG_NAI
            versions_seen.add(client.get("/healthz").json()["version"])
            if current_version(settings.index_dir) not in (older, newer) and len(versions_seen) > 1:
                break
            time.sleep(0.05)
        healed = current_version(settings.index_dir)
        assert healed not in (older, newer)
        assert client.get("/healthz").json()["version"] == healed
    assert versions_seen == {older, healed}


def test_a_running_server_keeps_answering_when_its_files_are_damaged_or_current_names_a_bad_version(home, fake_embedder):
    settings, older, newer = home
    settings = settings.model_copy(update={"index_watch_interval_s": 0.05})
    with TestClient(create_app(settings, assistant=Assistant.open(settings, embedder=fake_embedder))) as client:
        for component in COMPONENTS:
            garble(settings.index_dir / newer / component)  # the served version is in memory
        garble(settings.index_dir / older / "chunks.jsonl")
        write_pointer(settings.index_dir, older)
        watcher = client.app.state.index_watcher
        deadline = time.monotonic() + 10
        while older not in watcher.rejected and time.monotonic() < deadline:
            assert client.post("/api/ask", json={"question": QUESTION}).status_code == 200
            time.sleep(0.05)
        assert "chunks.jsonl does not match its checksum" in watcher.rejected[older]
        assert client.get("/healthz").json()["version"] == newer
        r = client.post("/api/ask", json={"question": QUESTION})
        assert r.status_code == 200 and r.json()["citations"][0]["doc_id"] == DONG_NAI


# --- corpus files -------------------------------------------------------------------------------

def _unreadable(path: Path) -> None:
    """A file whose read fails: mode 000, or for root (who reads anything) a link to /proc/self/mem (EIO)."""
    if os.geteuid() == 0:
        path.symlink_to("/proc/self/mem")
    else:
        path.write_text("Kế hoạch", encoding="utf-8")
        path.chmod(0)


BAD_FILES = {
    "unreadable": ("khong-doc-duoc.txt", _unreadable, "Không đọc được tệp khong-doc-duoc.txt"),
    "binary": ("nhi-phan.txt", lambda p: p.write_bytes(bytes(range(256)) * 64), "tệp chứa dữ liệu nhị phân"),
    "empty": ("rong.txt", lambda p: p.write_bytes(b""), "tệp rỗng"),
    "huge": ("qua-lon.txt", lambda p: p.write_text((CORPUS / f"{DONG_NAI}.txt").read_text(encoding="utf-8") * 4,
                                                    encoding="utf-8"), "Tệp qua-lon.txt quá lớn"),
}


@pytest.mark.parametrize("kind", BAD_FILES)
def test_a_bad_corpus_file_is_skipped_by_name_and_the_rest_indexed(tmp_path, corpus_copy, fake_embedder, monkeypatch, kind):
    name, make, message = BAD_FILES[kind]
    make(corpus_copy / name)
    settings = Settings(corpus_dir=corpus_copy, index_dir=tmp_path / "index", embedding_model="test-hashing",
                        max_document_bytes=150_000)
    bundle = ensure_index(settings, lambda: fake_embedder)
    assert len(bundle.documents) == 5
    [skipped] = bundle.manifest["skipped"]
    assert skipped["file"] == name and message in skipped["error"]
    assert _answers_dong_nai(Assistant(settings, bundle, fake_embedder))
    monkeypatch.setattr(embeddings, "create_embedder", lambda s: fake_embedder)
    monkeypatch.setenv("ASSISTANT_MAX_DOCUMENT_BYTES", "150000")
    result = CliRunner().invoke(cli.main, ["--corpus", str(corpus_copy), "--index-dir", str(tmp_path / "index"),
                                           "--model", "test-hashing", "index"])
    assert result.exit_code == 0, result.output
    assert f"Bỏ qua {name}: " in result.output and "Phiên bản " in result.output
