#!/usr/bin/env bash
# Set up if needed, train if needed, then run both servers on 127.0.0.1 until Ctrl-C.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
scripts/train.sh
exec .venv/bin/python scripts/servers.py
