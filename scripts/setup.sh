#!/usr/bin/env bash
# Installs what Mail Queue needs and is missing, then the npm dependencies.
# Safe to run again: every step checks first.
set -euo pipefail
cd "$(dirname "$0")/.."

say() { printf '\033[1m==>\033[0m %s\n' "$*"; }

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; elif command -v sudo >/dev/null 2>&1; then sudo "$@"; else
    echo "Need root to run: $* (install it by hand, then run this again)" >&2; exit 1
  fi
}

# Node.js >= 20.19 (engines in package.json; engine-strict refuses older ones).
if ! command -v node >/dev/null 2>&1; then
  echo "Node.js >= 20.19 is required: https://nodejs.org/en/download" >&2; exit 1
fi
node -e 'const [a,b]=process.versions.node.split(".").map(Number); process.exit(a>20||(a===20&&b>=19)?0:1)' \
  || { echo "Node.js >= 20.19 is required (found $(node --version))" >&2; exit 1; }

# redis-server and redis-cli: the platform's queue and store, and the test suites' real Redis.
if command -v redis-server >/dev/null 2>&1 && command -v redis-cli >/dev/null 2>&1; then
  say "redis-server $(redis-server --version | sed -E 's/.*v=([0-9.]+).*/\1/') already installed"
elif command -v apt-get >/dev/null 2>&1; then
  say "Installing redis-server with apt-get"
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq redis-server >/dev/null
  # Debian starts a system redis on :6379; Mail Queue starts its own, so leave that one alone.
elif command -v brew >/dev/null 2>&1; then
  say "Installing redis with Homebrew"
  brew install redis
else
  echo "Please install redis-server and redis-cli (Redis >= 7), then run this again." >&2; exit 1
fi

# openssl: the test suite makes a throwaway CA to check Redis over TLS.
if ! command -v openssl >/dev/null 2>&1; then
  if command -v apt-get >/dev/null 2>&1; then
    say "Installing openssl with apt-get"
    as_root apt-get update -qq
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq openssl >/dev/null
  elif command -v brew >/dev/null 2>&1; then
    brew install openssl
  fi
fi

say "Installing npm dependencies (npm ci)"
npm ci --no-audit --no-fund

say "Ready. Next: npm start   (or: npm test)"
