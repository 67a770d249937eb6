#!/usr/bin/env bash
# Set up (with test extras, the local LLM server and Debian chromium) and run the whole test suite:
# unit tests, the real model on the real corpus, the evaluation gate and the browser tests.
# Extra arguments go to pytest, e.g. scripts/test.sh -m "not slow" -x
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh --test --llm
echo "==> running tests"
exec .venv/bin/python -m pytest -q -p no:cacheprovider "$@"
