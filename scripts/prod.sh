#!/usr/bin/env bash
# The production layout on this machine (docs/operations.md): HAProxy, 2 Rasa servers, 2 web
# servers, the action server, the relay, PostgreSQL and Redis, all on loopback, in data/prod/.
#   scripts/prod.sh up        set up if needed, train if needed, start everything, print the addresses
#   scripts/prod.sh down      stop everything (the data stays in data/prod/)
#   scripts/prod.sh status    which processes answer
# Extra arguments go to scripts/prod.py (e.g. --dir /tmp/tg-prod).
set -euo pipefail
cd "$(dirname "$0")/.."
command=${1:-up}
shift || true
if [ "$command" = up ]; then
  scripts/setup.sh
  scripts/system-deps.sh            # PostgreSQL, Redis, HAProxy from Debian's packages
  scripts/train.sh
fi
exec .venv311/bin/python scripts/prod.py "$command" "$@"
