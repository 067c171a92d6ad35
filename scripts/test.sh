#!/usr/bin/env bash
# One command: install the app and what the tests need (Debian packages included), run the whole suite.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh --test
source scripts/offline-env.sh
exec .venv/bin/python -m pytest "$@"
