#!/usr/bin/env bash
# Sets up what is missing and starts Golive.
#   scripts/start.sh            against the real Clerk and Vercel
#   scripts/start.sh --sandbox  against the local sandbox (fake vendors), with a demo project
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
export PATH="$HOME/.cargo/bin:$HOME/.local/golive-node/bin:$PATH"

if [ -z "${DISPLAY:-}" ] && [ -z "${WAYLAND_DISPLAY:-}" ]; then
  echo "golive: no display found. Run this from a desktop session (or under xvfb-run)." >&2
  exit 1
fi

if [ "${1:-}" = "--sandbox" ]; then
  # The demo keeps its own settings and keychain service (golive-sandbox): trying it never
  # touches your projects or your keychain entries.
  demo_dir="${XDG_CONFIG_HOME:-$HOME/.config}/golive-sandbox"
  cargo build --quiet -p golive-sandbox --bin golive-sandbox
  envdir=$(mktemp -d)
  envfile="$envdir/env"
  "${CARGO_TARGET_DIR:-target}/debug/golive-sandbox" --env-file "$envfile" --demo "$demo_dir" &
  sandbox=$!
  trap 'kill $sandbox 2>/dev/null; rm -rf "$envdir"' EXIT
  # Saving the demo's keys may wait on the keychain's unlock prompt.
  while [ ! -s "$envfile" ] && kill -0 $sandbox 2>/dev/null; do sleep 0.1; done
  [ -s "$envfile" ] || { echo "golive: the sandbox did not start (see above)." >&2; exit 1; }
  # shellcheck disable=SC1090
  . "$envfile"
  echo "golive: sandbox demo: open \"Quillmate (demo)\", its keys already saved (settings in $demo_dir)."
fi

cargo run --quiet -p golive-app
