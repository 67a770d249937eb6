#!/usr/bin/env bash
# Set up (first run only) and start the assistant on the shipped corpus at http://127.0.0.1:8000
# Usage: scripts/start.sh [--host 127.0.0.1] [--port 8000]
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
echo "==> building the index if needed, then serving"
exec .venv/bin/assistant serve "$@"
