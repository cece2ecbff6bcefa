#!/usr/bin/env bash
# Builds the Debian package with the Tauri bundler: the desktop app and the `golive` CLI,
# optimized. Prints where the .deb is and what it holds.
#   scripts/package.sh
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
export PATH="$HOME/.cargo/bin:$HOME/.local/golive-node/bin:$PATH"

# The CLI rides along in the package (see bundle.linux.deb.files in tauri.conf.json).
cargo build --release --locked -p golive-core --bin golive
# The updater's signature needs the release key (TAURI_SIGNING_PRIVATE_KEY, a CI secret);
# without it the package is built, unsigned for the updater.
sign=()
[ -n "${TAURI_SIGNING_PRIVATE_KEY:-}" ] || sign=(--no-sign)
(cd src-tauri && ../ui/node_modules/.bin/tauri build --bundles deb --ci "${sign[@]}")

deb=$(ls -t target/release/bundle/deb/*.deb | head -n 1)
dpkg-deb --info "$deb" | sed -n '/Package:/,$p'
dpkg-deb --contents "$deb" | awk '{print $6}' | grep -E 'bin/|\.desktop$|icons/.*/golive' || true
echo "golive: $deb ($(du -h "$deb" | cut -f1))"
