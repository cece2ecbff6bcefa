#!/usr/bin/env bash
# Builds the Linux packages with the Tauri bundler: a .deb and an .rpm, each with the desktop
# app (`golive-desktop`, its menu entry and icons) and the `golive` CLI. Prints where they are,
# their sizes and what they hold.
#   scripts/package.sh           optimized, for a release: target/release/bundle/{deb,rpm}/
#   scripts/package.sh --debug   the debug profile, as CI builds them (scripts/test.sh, which
#                                then checks, installs and removes them): target/debug/bundle/
set -euo pipefail
cd "$(dirname "$0")/.."
case "${1:-}" in
  "") profile=release ;;
  --debug) profile=debug ;;
  *) echo "usage: scripts/package.sh [--debug]" >&2; exit 2 ;;
esac
bash scripts/setup.sh
export PATH="$HOME/.cargo/bin:$HOME/.local/golive-node/bin:$PATH"

# The CLI rides along in both packages: bundle.linux.{deb,rpm}.files in tauri.conf.json name
# the release build, which a debug bundle replaces with the debug one. It is built with the
# app's features (-p golive-app), so `tauri build` reuses its engine and dependencies rather
# than compiling them once more.
cli_build=(cargo build --locked -p golive-app -p golive-core --bin golive)
tauri_args=(--bundles deb,rpm --ci)
# The updater's signature needs the release key (TAURI_SIGNING_PRIVATE_KEY, a CI secret);
# without it the packages are built, unsigned for the updater.
[ -n "${TAURI_SIGNING_PRIVATE_KEY:-}" ] || tauri_args+=(--no-sign)
if [ "$profile" = release ]; then
  "${cli_build[@]}" --release
else
  "${cli_build[@]}"
  cli='{"/usr/bin/golive": "../target/debug/golive"}'
  tauri_args+=(--debug --config "{\"bundle\": {\"linux\": {\"deb\": {\"files\": $cli}, \"rpm\": {\"files\": $cli}}}}")
fi
# Only this build's packages are left to find (a version bump would leave the old ones).
rm -rf "target/$profile/bundle/deb" "target/$profile/bundle/rpm"
(cd src-tauri && ../ui/node_modules/.bin/tauri build "${tauri_args[@]}")

deb=$(ls target/$profile/bundle/deb/*.deb)
rpm=$(ls target/$profile/bundle/rpm/*.rpm)
dpkg-deb --info "$deb" | sed -n '/Package:/,$p'
dpkg-deb --contents "$deb" | awk '{print $6}' | grep -E 'bin/|\.desktop$|icons/.*/golive' || true
for p in "$deb" "$rpm"; do
  echo "golive: $p ($(du -h "$p" | cut -f1), $(stat -c %s "$p") bytes)"
done
echo "golive: installed size of the .deb: $(dpkg-deb --field "$deb" Installed-Size) KiB"
