#!/usr/bin/env bash
# Create the two environments and install their locked dependencies. Skips what is already done.
#   .venv     Python 3.10: the Rasa server only (Rasa 3.6 supports Python 3.8-3.10)
#   .venv311  Python 3.11: everything else this project wrote (action server, core, web server,
#             relay, CLI), with current libraries
# The project's code reaches the Rasa server through PYTHONPATH (scripts/servers.py); it is installed
# as a package (pyproject.toml, the `tg` command) in .venv311 only.
#   scripts/setup.sh --only 310|311      set up one environment
#   scripts/setup.sh --print-python 3.11 the interpreter it would use (requirements/compile.sh)
set -euo pipefail
cd "$(dirname "$0")/.."

want=$(cat .python-version)  # the Rasa server's Python, e.g. 3.10.13
want311=3.11
find_python() {  # find_python VERSION (X.Y or X.Y.Z): a pyenv version, then pythonX.Y on PATH
  local version=$1 minor root candidate
  minor=$(echo "$version" | cut -d. -f1,2)
  if command -v pyenv >/dev/null 2>&1; then
    root=$(pyenv root)
    for candidate in "$root/versions/$version/bin/python" $(ls -d "$root"/versions/"$minor".*/bin/python 2>/dev/null | sort -V -r); do
      [ -x "$candidate" ] && { echo "$candidate"; return; }
    done
  fi
  for candidate in "$HOME/.pyenv/versions/$version/bin/python" \
      $(ls -d "$HOME"/.pyenv/versions/"$minor".*/bin/python 2>/dev/null | sort -V -r) "python$minor"; do
    command -v "$candidate" >/dev/null 2>&1 && { command -v "$candidate"; return; }
  done
  return 1
}
is_minor() { "$1" -c "import sys; sys.exit(sys.version_info[:2] != tuple(map(int, '$2'.split('.'))))"; }

if [ "${1:-}" = "--print-python" ]; then
  find_python "${2:-$want}" || { echo "setup: Python ${2:-$want} was not found" >&2; exit 1; }
  exit 0
fi
only=
if [ "${1:-}" = "--only" ]; then only=${2:?--only 310 or 311}; fi

# make_venv DIR VERSION WHY: DIR on Python VERSION's minor release, made anew if it has another.
make_venv() {
  local dir=$1 version=$2 why=$3 minor py
  minor=$(echo "$version" | cut -d. -f1,2)
  if [ -x "$dir/bin/python" ] && ! is_minor "$dir/bin/python" "$minor"; then
    echo "setup: $dir uses $("$dir/bin/python" -V 2>&1), not Python $minor. Removing it." >&2
    rm -rf "$dir"
  fi
  [ -x "$dir/bin/python" ] && return 0
  py=$(find_python "$version") && is_minor "$py" "$minor" || {
    echo "setup: Python $version was not found. $why" >&2
    echo "       Install it, e.g. 'pyenv install $version', and run this again." >&2
    exit 1
  }
  echo "setup: creating $dir with $("$py" -V)"
  "$py" -m venv "$dir"
}

# install_locked DIR LOCK TEST IMPORTS [project]: the locked dependencies and test tools into DIR,
# every file checked against its hash (requirements/compile.sh), once per version of the lock files;
# with "project", this checkout as a package too (the `tg` command). IMPORTS proves the install.
install_locked() {
  local dir=$1 lock=$2 test=$3 imports=$4 project=${5:-} stamp want_hash
  stamp=$dir/.tg-installed
  want_hash=$(cat "$lock" "$test" ${project:+pyproject.toml} | sha256sum | cut -c1-16)
  if [ "$(cat "$stamp" 2>/dev/null)" = "$want_hash" ]; then
    echo "setup: $dir dependencies up to date"
    return 0
  fi
  echo "setup: installing the locked dependencies into $dir (one to two minutes the first time)"
  "$dir/bin/python" -m pip install -q --disable-pip-version-check --require-hashes -r "$lock" -r "$test" 2>&1 \
    | grep -vE "Location 'file:.*is ignored|DEPRECATION: .*legacy 'setup.py install'" || true
  if [ -n "$project" ]; then
    "$dir/bin/python" -m pip install -q --disable-pip-version-check --no-deps -e . 2>&1 \
      | grep -vE "Location 'file:.*is ignored" || true
  fi
  "$dir/bin/python" -c "import $imports" 2>/dev/null \
    || { echo "setup: the install into $dir did not complete" >&2; exit 1; }
  echo "$want_hash" > "$stamp"
}

setup_310() {  # .venv: Python 3.10, the Rasa server only
  make_venv .venv "$want" "The Rasa server needs it: Rasa 3.6 supports Python 3.8-3.10."
  install_locked .venv requirements/lock.txt requirements/test.txt \
    "rasa, rasa_sdk, spacy_lookups_data, holidays, babel, prometheus_client, pytest"
}

setup_311() {  # .venv311: Python 3.11 for the action server, the core, the web server, the relay, the CLI
  make_venv .venv311 "$want311" "The action server, the web server, the relay and the CLI run on it."
  install_locked .venv311 requirements/lock311.txt requirements/test311.txt \
    "rasa_sdk, sanic, sqlalchemy, pydantic, psycopg, training_guidance.cli, pytest" project
}

# Both environments at once when both are wanted: each install mostly waits on one core for
# downloads and unpacking, so together they take little longer than the larger one alone. The
# 3.11 side's messages come after the 3.10 side's.
case "$only" in
  310) setup_310 ;;
  311) setup_311 ;;
  *)
    log311=$(mktemp)
    setup_311 >"$log311" 2>&1 &
    pid311=$!
    status310=0
    (setup_310) || status310=$?
    status311=0
    wait "$pid311" || status311=$?
    cat "$log311"
    rm -f "$log311"
    [ "$status310" -eq 0 ] && [ "$status311" -eq 0 ] || exit 1
    ;;
esac

if [ "$only" = 311 ]; then exit 0; fi
if [ ! -f build/spacy-da/meta.json ]; then
  .venv/bin/python -m training_guidance.danish_nlp build/spacy-da 2>&1 | grep -v -iE 'tensorflow|cuda|rebuild|oneDNN' || true
  [ -f build/spacy-da/meta.json ] || { echo "setup: building the Danish spaCy pipeline failed" >&2; exit 1; }
else
  echo "setup: Danish spaCy pipeline present (build/spacy-da)"
fi
