#!/usr/bin/env bash
# Install the Debian packages the tests need (PostgreSQL, Redis, HAProxy, systemd for
# `systemd-analyze verify`, and whatever else is named),
# but only those that are missing. As root it uses apt-get; otherwise sudo when it works without a
# password; otherwise it says exactly what to install and fails.
#   scripts/system-deps.sh                  the default set
#   scripts/system-deps.sh chromium         only these
set -euo pipefail

packages=("$@")
[ ${#packages[@]} -gt 0 ] || packages=(postgresql redis-server haproxy systemd)

missing=()
for pkg in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
[ ${#missing[@]} -eq 0 ] && { echo "system packages present: ${packages[*]}"; exit 0; }

if [ "$(id -u)" -eq 0 ]; then
  apt=(apt-get)
elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
  apt=(sudo -n apt-get)
else
  echo "system-deps: these Debian packages are missing: ${missing[*]}" >&2
  echo "             install them (sudo apt-get install ${missing[*]}) and run this again." >&2
  exit 1
fi
echo "system-deps: installing ${missing[*]} from Debian's packages"
export DEBIAN_FRONTEND=noninteractive
"${apt[@]}" install -y -q --no-install-recommends "${missing[@]}" >/tmp/tg-apt.log 2>&1 || {
  # A stale package index is the usual cause; refresh it once and try again.
  "${apt[@]}" update -q >>/tmp/tg-apt.log 2>&1 || true
  "${apt[@]}" install -y -q --no-install-recommends "${missing[@]}" >>/tmp/tg-apt.log 2>&1 || {
    tail -n 20 /tmp/tg-apt.log >&2; echo "system-deps: apt-get install failed" >&2; exit 1; }
}
echo "system-deps: installed ${missing[*]}"
