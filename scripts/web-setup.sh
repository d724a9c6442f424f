#!/usr/bin/env bash
# npm packages for the browser tests (playwright-core, axe-core), exactly as package-lock.json pins
# them, from the npm registry. Skipped when nothing changed. The page itself needs no npm package.
set -euo pipefail
cd "$(dirname "$0")/.."

command -v npm >/dev/null 2>&1 || {
  echo "web-setup: npm was not found. Install Node.js 20 (with npm) and run this again." >&2
  exit 1
}
stamp=node_modules/.tg-installed
want=$(cat package.json package-lock.json | sha256sum | cut -c1-16)
if [ "$(cat "$stamp" 2>/dev/null)" = "$want" ]; then
  echo "web-setup: npm packages up to date"
  exit 0
fi
echo "web-setup: installing npm packages from package-lock.json"
# No install scripts run: playwright-core never downloads a browser; the tests use Debian's chromium.
npm ci --ignore-scripts --no-audit --no-fund --loglevel=error 2>&1 | grep -v 'Unknown user config "nodedir"' || true
[ -f node_modules/playwright-core/package.json ] && [ -f node_modules/axe-core/axe.min.js ] \
  || { echo "web-setup: npm ci did not complete" >&2; exit 1; }
echo "$want" > "$stamp"
