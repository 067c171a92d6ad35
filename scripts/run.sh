#!/usr/bin/env bash
# One command: install everything, load the sample kits into the voice store, start the app.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
source scripts/offline-env.sh
# The quick start logs in with the demo accounts; a real deployment sets STUDIO_USERS_FILE instead.
if [[ -z "${STUDIO_USERS_FILE:-}" ]]; then export STUDIO_DEMO_USERS="${STUDIO_DEMO_USERS:-1}"; fi
exec .venv/bin/studio serve --host "${STUDIO_HOST:-127.0.0.1}" --port "${STUDIO_PORT:-7860}"
