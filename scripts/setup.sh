#!/usr/bin/env bash
# Create .venv and install the assistant with everything it needs, offline-model included.
# Idempotent: a second run only checks that everything is in place.
# Usage: scripts/setup.sh [--test] [--llm]
set -euo pipefail
cd "$(dirname "$0")/.."

want_test=0; want_llm=0
for arg in "$@"; do
  case "$arg" in
    --test) want_test=1 ;;
    --llm) want_llm=1 ;;
    *) echo "unknown option: $arg" >&2; exit 2 ;;
  esac
done

PY=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then
  echo "==> creating .venv"
  "$PY" -m venv .venv
fi
VPY=.venv/bin/python
export PIP_DISABLE_PIP_VERSION_CHECK=1

# CPU torch first: a bare `torch` requirement would pull a multi-GB CUDA build.
if ! "$VPY" -c "import torch, sys; sys.exit(0 if torch.__version__.startswith('2.13.0') else 1)" 2>/dev/null; then
  echo "==> installing CPU torch 2.13.0"
  "$VPY" -m pip install -q "torch==2.13.0"
fi

extras=""
[ "$want_test" = 1 ] && extras="test"
[ "$want_llm" = 1 ] && extras="${extras:+$extras,}llm"
spec="."
[ -n "$extras" ] && spec=".[$extras]"
echo "==> installing the assistant ($spec)"
"$VPY" -m pip install -q -e "$spec"

# Debian packages the tests need; installed when missing and we are root, else a clear note.
apt_install() {  # apt_install PACKAGE "what it is for"
  echo "==> installing Debian $1 for $2"
  if [ "$(id -u)" = 0 ]; then
    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$1" >/dev/null) \
      || echo "!! could not install $1; $2 will be skipped" >&2
  else
    echo "!! not root: install $1 yourself (apt-get install $1); $2 will be skipped" >&2
  fi
}
if [ "$want_test" = 1 ] && [ ! -x /usr/bin/chromium ]; then
  apt_install chromium "the browser tests"
fi
# PostgreSQL for the feedback store's tests (tests/pg_server.py starts a throwaway cluster on loopback).
if [ "$want_test" = 1 ] && ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 && ! command -v initdb >/dev/null 2>&1; then
  apt_install postgresql "the PostgreSQL feedback tests"
fi
echo "==> setup done"
