#!/usr/bin/env bash
# Regenerate the lock files with hashes (docs/operations.md, "Dependencies"):
#   requirements/base.in  -> requirements/lock.txt   what the assistant needs to run
#   requirements/test.in  -> requirements/test.txt   test tools only, within lock.txt's pins
# pip-tools runs in a throwaway Python 3.10 venv (the project's interpreter, so the resolution is
# the one Rasa gets). Existing pins are kept: pip-compile only adds what a new line in a .in file
# needs. To upgrade one package on purpose: requirements/compile.sh --upgrade-package NAME.
# Hashes come from PyPI's own index (local wheel folders from pip.conf are left out, so that
# pip-compile does not download every file of every pinned version to hash it).
set -euo pipefail
cd "$(dirname "$0")"
python=$(../.venv/bin/python -c 'import sys; print(sys._base_executable)')
tools=$(mktemp -d)
trap 'rm -rf "$tools"' EXIT
"$python" -m venv "$tools"
PIP_CONFIG_FILE=/dev/null "$tools/bin/pip" install -q --disable-pip-version-check "pip-tools==7.6.2"
compile() {
  PIP_CONFIG_FILE=/dev/null PIP_FIND_LINKS= CUSTOM_COMPILE_COMMAND="requirements/compile.sh" \
    "$tools/bin/pip-compile" --quiet --generate-hashes --allow-unsafe --strip-extras --resolver=backtracking \
    "$@"
}
compile --output-file lock.txt base.in "${@}"
compile --output-file test.txt test.in "${@}"
echo "requirements: lock.txt and test.txt written"
