#!/usr/bin/env bash
# Regenerate the lock files with hashes (docs/operations.md, "Dependencies"). Two environments:
#   Python 3.10, the Rasa server only (.venv):
#     requirements/base.in     -> requirements/lock.txt      what the Rasa server needs to run
#     requirements/test.in     -> requirements/test.txt      test tools only, within lock.txt's pins
#   Python 3.11, everything else: action server, core, web server, relay, CLI (.venv311):
#     requirements/base311.in  -> requirements/lock311.txt   what they need to run
#     requirements/test311.in  -> requirements/test311.txt   test tools only, within lock311.txt's pins
# pip-tools runs in a throwaway venv of each interpreter (the one the environment uses, so the
# resolution is the one it gets). Existing pins are kept: pip-compile only adds what a new line in
# a .in file needs. To upgrade one package on purpose: requirements/compile.sh --upgrade-package NAME.
# Only one side: requirements/compile.sh --only 310 (or 311) [pip-compile options].
# Hashes come from PyPI's own index (local wheel folders from pip.conf are left out, so that
# pip-compile does not download every file of every pinned version to hash it).
set -euo pipefail
cd "$(dirname "$0")"
only=
if [ "${1:-}" = "--only" ]; then only=$2; shift 2; fi
compile_side() {  # compile_side PYTHON OUT_SUFFIX [pip-compile options]
  local python=$1 suffix=$2 tools
  shift 2
  tools=$(mktemp -d)
  "$python" -m venv "$tools"
  PIP_CONFIG_FILE=/dev/null "$tools/bin/pip" install -q --disable-pip-version-check "pip-tools==7.6.2"
  compile() {
    PIP_CONFIG_FILE=/dev/null PIP_FIND_LINKS= CUSTOM_COMPILE_COMMAND="requirements/compile.sh" \
      "$tools/bin/pip-compile" --quiet --generate-hashes --allow-unsafe --strip-extras --resolver=backtracking \
      "$@"
  }
  compile --output-file "lock$suffix.txt" "base$suffix.in" "$@"
  compile --output-file "test$suffix.txt" "test$suffix.in" "$@"
  rm -rf "$tools"
  echo "requirements: lock$suffix.txt and test$suffix.txt written"
}
if [ "$only" != 311 ]; then
  compile_side "$(../.venv/bin/python -c 'import sys; print(sys._base_executable)')" "" "$@"
fi
if [ "$only" != 310 ]; then
  # The interpreter .venv311 was made from, or the one scripts/setup.sh would use.
  if [ -x ../.venv311/bin/python ]; then
    py311=$(../.venv311/bin/python -c 'import sys; print(sys._base_executable)')
  else
    py311=$(../scripts/setup.sh --print-python 3.11)
  fi
  compile_side "$py311" 311 "$@"
fi
