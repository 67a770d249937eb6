"""ASGI factory the browser tests serve with uvicorn: the real corpus and the fake embedder.

Settings come from `ASSISTANT_*` environment variables (the fixture points the index and the
feedback database at a temporary folder), so this is the product's own app on a fast index.
`python -m uvicorn tests.browser.server_app:create --factory --host 127.0.0.1 --port N`
"""

from __future__ import annotations

import sys
from pathlib import Path

TESTS_DIR = Path(__file__).resolve().parent.parent


def create():
    if str(TESTS_DIR) not in sys.path:
        sys.path.insert(0, str(TESTS_DIR))
    from fakes import HashingEmbedder  # tests/fakes.py: the same fake embedder as the unit tests

    from assistant.api.app import create_app
    from assistant.pipeline import Assistant
    from assistant.settings import Settings

    settings = Settings()
    return create_app(settings, assistant=Assistant.open(settings, embedder=HashingEmbedder()))
