#!/usr/bin/env bash
# Every test, in order: unit and integration tests, data validation, training, story tests, end-to-end.
set -euo pipefail
cd "$(dirname "$0")/.."
export RASA_TELEMETRY_ENABLED=false TF_CPP_MIN_LOG_LEVEL=2 SQLALCHEMY_SILENCE_UBER_WARNING=1 PYTHONPATH="$PWD${PYTHONPATH:+:$PYTHONPATH}"
step() { printf '\n=== %s ===\n' "$*"; }

step "setup"
scripts/setup.sh
scripts/system-deps.sh  # PostgreSQL and Redis from Debian's packages; the tests start private servers
scripts/system-deps.sh faketime  # the unit tests run a second time with the clock a year ahead
scripts/system-deps.sh chromium  # the browser tests drive Debian's Chromium (never a downloaded browser)
scripts/web-setup.sh  # playwright-core and axe-core from package-lock.json

# Two environments (docs/testing.md): every test runs in exactly one of them. The tests that need
# Rasa itself (marker "rasa") on Python 3.10 (.venv); all others on Python 3.11 (.venv311), where
# the action server, the web server, the relay and the CLI run.
step "unit and integration tests on Python 3.11 (pytest, .venv311)"
.venv311/bin/python -m pytest -q -m "not servers and not rasa"

step "the unit tests that need Rasa itself, on Python 3.10 (pytest -m rasa, .venv)"
.venv/bin/python -m pytest -q -m "rasa and not servers"

step "the same tests with the clock a year ahead (no test may depend on today's date)"
faketime -f '+366d' .venv311/bin/python -m pytest -q -m "not servers and not rasa" -p no:cacheprovider
faketime -f '+366d' .venv/bin/python -m pytest -q -m "rasa and not servers" -p no:cacheprovider

step "rasa data validate (warnings fail)"
.venv/bin/rasa data validate --domain bot/domain.yml --data bot/data --config config.yml --fail-on-warnings \
  > results.validate.log 2>&1 || { cat results.validate.log; exit 1; }
grep -E "UserWarning|WARNING" results.validate.log && { echo "rasa data validate printed warnings"; exit 1; }
rm -f results.validate.log
echo "no warnings"

step "training (skipped when nothing changed)"
scripts/train.sh

step "story tests (rasa test --stories tests)"
rm -rf results/stories
.venv/bin/rasa test core --model models/traeningsguiden.tar.gz --stories tests/stories \
  --fail-on-prediction-errors --out results/stories > results.stories.log 2>&1 || {
  tail -n 40 results.stories.log; cat results/stories/failed_test_stories.yml 2>/dev/null; exit 1; }
grep -E "Correct:|Accuracy:" results.stories.log | head -n 4 || true
rm -f results.stories.log

step "NLU on the held-out test set (rasa test nlu)"
rm -rf results/nlu
.venv/bin/rasa test nlu --model models/traeningsguiden.tar.gz --nlu tests/nlu/test_nlu.yml \
  --out results/nlu > results.nlu.log 2>&1 || { tail -n 40 results.nlu.log; exit 1; }
rm -f results.nlu.log
.venv/bin/python scripts/nlu_report.py results/nlu

step "end-to-end: REST, the web page and the staff console in headless Chromium (servers on free loopback ports)"
# The test process and every server but Rasa on Python 3.11; the Rasa server on Python 3.10.
.venv311/bin/python -m pytest -q -m servers
