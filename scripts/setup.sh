#!/usr/bin/env bash
# Installs whatever is missing to build, run and test Golive on Debian/Ubuntu, then builds
# the UI. Safe to run again: each step is skipped when already done.
#   scripts/setup.sh          build and run the app
#   scripts/setup.sh --test   also the test rig (tauri-driver)
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/system-deps.sh

if ! command -v cargo >/dev/null; then
  [ -x "$HOME/.cargo/bin/cargo" ] || {
    echo "golive: installing the Rust toolchain (rustup)"
    curl --proto '=https' --tlsv1.2 -sSf https://sh.rustup.rs | sh -s -- -y --profile minimal
  }
  export PATH="$HOME/.cargo/bin:$PATH"
fi
rustup component add clippy rustfmt >/dev/null 2>&1 || true

# The UI build needs Node.js 20.19+; Debian and Ubuntu ship older ones, so a private copy
# goes to ~/.local/golive-node (scripts/start.sh and test.sh put it on PATH).
export PATH="$HOME/.local/golive-node/bin:$PATH"
node_ok() { command -v node >/dev/null && node -e 'const [a,b]=process.versions.node.split(".").map(Number); process.exit(a>20||(a===20&&b>=19)?0:1)'; }
if ! node_ok; then
  node_version=v22.12.0
  case "$(uname -m)" in x86_64) node_arch=x64 ;; aarch64) node_arch=arm64 ;; *) node_arch=unknown ;; esac
  echo "golive: installing Node.js $node_version (found: $(node --version 2>/dev/null || echo none))"
  mkdir -p "$HOME/.local/golive-node"
  curl -fsSL "https://nodejs.org/dist/$node_version/node-$node_version-linux-$node_arch.tar.xz" \
    | tar -xJ --strip-components=1 -C "$HOME/.local/golive-node"
  node_ok || { echo "golive: Node.js 20.19 or newer is needed; install it, then run this again." >&2; exit 1; }
fi

# npm ci only when the lockfile changed since the last install.
if [ ! -f ui/node_modules/.package-lock.json ] || [ ui/package-lock.json -nt ui/node_modules/.package-lock.json ]; then
  (cd ui && npm ci --no-audit --no-fund --loglevel=error)
fi

if [ "${1:-}" = "--test" ] && ! command -v tauri-driver >/dev/null; then
  echo "golive: installing tauri-driver"
  cargo install tauri-driver --locked --quiet
fi

(cd ui && npm run --silent build)
