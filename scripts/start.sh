#!/usr/bin/env bash
# Sets up what is missing and starts Golive.
#   scripts/start.sh            against the real Clerk and Vercel
#   scripts/start.sh --sandbox  against the local sandbox (fake vendors, demo keys)
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
export PATH="$HOME/.cargo/bin:$HOME/.local/golive-node/bin:$PATH"

if [ -z "${DISPLAY:-}" ] && [ -z "${WAYLAND_DISPLAY:-}" ]; then
  echo "golive: no display found. Run this from a desktop session (or under xvfb-run)." >&2
  exit 1
fi

if [ "${1:-}" = "--sandbox" ]; then
  cargo build --quiet -p golive-sandbox --bin golive-sandbox
  envfile=$(mktemp)
  ./target/debug/golive-sandbox --env-file "$envfile" --with-keys &
  sandbox=$!
  trap 'kill $sandbox 2>/dev/null; rm -f "$envfile"' EXIT
  for _ in $(seq 50); do [ -s "$envfile" ] && break; sleep 0.1; done
  # shellcheck disable=SC1090
  . "$envfile"
  echo "golive: sandbox keys for the demo: CLERK_PUBLISHABLE_KEY=$CLERK_PUBLISHABLE_KEY (secret key: see $envfile)"
fi

cargo run --quiet -p golive-app
