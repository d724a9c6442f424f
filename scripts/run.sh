#!/usr/bin/env bash
# Set up if needed, train if needed, then run the servers (bot and web page) on 127.0.0.1 until Ctrl-C.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
scripts/web-setup.sh || echo "run: the page works without the npm packages; only the browser tests need them" >&2
scripts/train.sh
exec .venv311/bin/python scripts/servers.py  # the launcher; Rasa itself runs from .venv (Python 3.10)
