#!/usr/bin/env bash
# Create .venv from Python 3.10 and install the locked dependencies. Skips what is already done.
set -euo pipefail
cd "$(dirname "$0")/.."

want=$(cat .python-version)
find_python() {
  local root candidate
  if command -v pyenv >/dev/null 2>&1; then
    root=$(pyenv root)
    candidate="$root/versions/$want/bin/python"
    [ -x "$candidate" ] && { echo "$candidate"; return; }
  fi
  for candidate in "$HOME/.pyenv/versions/$want/bin/python" python3.10; do
    command -v "$candidate" >/dev/null 2>&1 && { command -v "$candidate"; return; }
  done
  return 1
}

if [ -x .venv/bin/python ] && ! .venv/bin/python -c 'import sys; sys.exit(sys.version_info[:2] != (3, 10))'; then
  echo "setup: .venv uses $(.venv/bin/python -V 2>&1), not Python 3.10. Removing it." >&2
  rm -rf .venv
fi

if [ ! -x .venv/bin/python ]; then
  py=$(find_python) || {
    echo "setup: Python $want (3.10) was not found. Rasa 3.6 needs Python 3.8-3.10." >&2
    echo "       Install it, e.g. 'pyenv install $want', and run this again." >&2
    exit 1
  }
  if ! "$py" -c 'import sys; sys.exit(sys.version_info[:2] != (3, 10))'; then
    echo "setup: $py is $("$py" -V 2>&1); Træningsguiden needs Python 3.10 (Rasa 3.6 does not support newer)." >&2
    exit 1
  fi
  echo "setup: creating .venv with $("$py" -V)"
  "$py" -m venv .venv
fi

stamp=.venv/.tg-installed
want_hash=$(cat requirements/lock.txt requirements/test.txt pyproject.toml | sha256sum | cut -c1-16)
if [ "$(cat "$stamp" 2>/dev/null)" != "$want_hash" ]; then
  echo "setup: installing locked dependencies (about 2 minutes the first time)"
  # The runtime lock and the test tools, every file checked against its hash (requirements/compile.sh).
  .venv/bin/python -m pip install -q --disable-pip-version-check --require-hashes \
    -r requirements/lock.txt -r requirements/test.txt 2>&1 \
    | grep -vE "Location 'file:.*is ignored|DEPRECATION: .*legacy 'setup.py install'" || true
  .venv/bin/python -m pip install -q --disable-pip-version-check --no-deps -e . 2>&1 \
    | grep -vE "Location 'file:.*is ignored" || true
  .venv/bin/python -c 'import rasa, rasa_sdk, spacy_lookups_data, holidays, babel, prometheus_client, pytest' 2>/dev/null \
    || { echo "setup: the install did not complete" >&2; exit 1; }
  echo "$want_hash" > "$stamp"
else
  echo "setup: dependencies up to date"
fi

if [ ! -f build/spacy-da/meta.json ]; then
  .venv/bin/python -m training_guidance.danish_nlp build/spacy-da 2>&1 | grep -v -iE 'tensorflow|cuda|rebuild|oneDNN' || true
  [ -f build/spacy-da/meta.json ] || { echo "setup: building the Danish spaCy pipeline failed" >&2; exit 1; }
else
  echo "setup: Danish spaCy pipeline present (build/spacy-da)"
fi
