"""settings.py: data folders follow ASSISTANT_HOME or the working directory; shipped folders follow the code."""

from __future__ import annotations


import pytest

from assistant import settings as settings_mod
from assistant.settings import Settings, bundled_dir
from corpus_docs import ROOT

DATA_FIELDS = {"corpus_dir": "corpus", "index_dir": "index", "feedback_db": "feedback.sqlite3"}


@pytest.fixture(autouse=True)
def clean_env(monkeypatch):
    for name in ["HOME", "CORPUS_DIR", "INDEX_DIR", "FEEDBACK_DB", "WEB_DIR", "PROMPTS_DIR"]:
        monkeypatch.delenv(f"ASSISTANT_{name}", raising=False)


def test_data_folders_default_to_the_working_directory(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    s = Settings()
    assert {f: getattr(s, f) for f in DATA_FIELDS} == {f: tmp_path / name for f, name in DATA_FIELDS.items()}


def test_data_folders_follow_assistant_home(tmp_path, monkeypatch):
    monkeypatch.setenv("ASSISTANT_HOME", str(tmp_path / "home"))
    s = Settings()
    assert {f: getattr(s, f) for f in DATA_FIELDS} == {f: tmp_path / "home" / name for f, name in DATA_FIELDS.items()}


def test_an_explicit_folder_wins_over_home(tmp_path, monkeypatch):
    monkeypatch.setenv("ASSISTANT_HOME", str(tmp_path / "home"))
    monkeypatch.setenv("ASSISTANT_CORPUS_DIR", str(tmp_path / "plans"))
    monkeypatch.setenv("ASSISTANT_WEB_DIR", str(tmp_path / "site"))
    s = Settings()
    assert (s.corpus_dir, s.index_dir, s.web_dir) == (tmp_path / "plans", tmp_path / "home" / "index", tmp_path / "site")


def test_web_and_prompts_come_from_the_checkout_whatever_the_working_directory(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    s = Settings()
    assert (s.web_dir, s.prompts_dir) == (ROOT / "web", ROOT / "prompts")


def test_outside_a_checkout_web_and_prompts_are_the_packages_own_copies(tmp_path, monkeypatch):
    package = tmp_path / "site-packages" / "assistant"
    package.mkdir(parents=True)
    (tmp_path / "site-packages" / "web").mkdir()  # somebody else's folder, not ours: no pyproject.toml beside it
    monkeypatch.setattr(settings_mod, "PACKAGE_DIR", package)
    assert (bundled_dir("web"), bundled_dir("prompts")) == (package / "web", package / "prompts")
