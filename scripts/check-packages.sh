#!/usr/bin/env bash
# Inspects the .deb and .rpm scripts/package.sh built, as a test: each package's metadata, its
# files and its desktop entry against what Cargo.toml and tauri.conf.json say. Lists every
# mismatch and exits 1 if there is one. Reads the packages only (installing is
# scripts/check-install.sh), so it also runs on release artifacts.
#   scripts/check-packages.sh [--debug]   the packages in target/release (target/debug)/bundle/
set -euo pipefail
cd "$(dirname "$0")/.."
profile=release
[ "${1:-}" = --debug ] && profile=debug
export PATH="$HOME/.local/golive-node/bin:$PATH"

deb=$(ls target/$profile/bundle/deb/*.deb)
rpm=$(ls target/$profile/bundle/rpm/*.rpm)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# What the packages must say, from the sources of truth.
version=$(sed -n '/^\[workspace.package\]/,/^\[/ s/^version = "\(.*\)"$/\1/p' Cargo.toml)
license=$(sed -n '/^\[workspace.package\]/,/^\[/ s/^license = "\(.*\)"$/\1/p' Cargo.toml)
conf() { node -p "const c = require('./src-tauri/tauri.conf.json'); $1"; }
product=$(conf c.productName)
app=$(conf c.mainBinaryName)
summary=$(conf c.bundle.shortDescription)
description=$(conf c.bundle.longDescription)
section=$(conf c.bundle.linux.deb.section)
# Every PNG icon the bundle lists goes to the hicolor theme at its size (@2x: the HiDPI one).
icons=$(conf "c.bundle.icon.filter(f => f.endsWith('.png')).map(f => {
  const png = require('fs').readFileSync('src-tauri/' + f);
  const [w, h] = [png.readUInt32BE(16), png.readUInt32BE(20)];
  return '/usr/share/icons/hicolor/' + w + 'x' + h + (f.includes('@2x.') ? '@2' : '') + '/apps/$app.png';
}).join('\n')")
desktop_entry="/usr/share/applications/$product.desktop"
wanted_files=$(printf '%s\n' "/usr/bin/$app" /usr/bin/golive "$desktop_entry" "$icons")

failures=0
fail() { echo "  FAIL $*"; failures=$((failures + 1)); }
# expect WHAT FOUND WANTED
expect() { if [ "$2" = "$3" ]; then echo "  ok   $1: $2"; else fail "$1: found '$2', expected '$3'"; fi; }
# expect_line WHAT LIST LINE: LINE is one of LIST's lines
expect_line() {
  if grep -qxF -- "$3" <<<"$2"; then echo "  ok   $1: $3"; else fail "$1: no '$3'"; fi
}

# The files (`mode path` lines) and the unpacked tree of one package, whatever its format.
check_payload() {
  local kind=$1 files=$2 tree=$3
  for f in $wanted_files; do expect_line "$kind holds" "$(awk '{print $2}' <<<"$files")" "$f"; done
  for bin in "/usr/bin/$app" /usr/bin/golive; do
    expect "$kind $bin mode" "$(awk -v f="$bin" '$2 == f {print $1}' <<<"$files")" "-rwxr-xr-x"
  done
  # The CLI is this build's (a stale or other-profile binary would ride along unnoticed).
  expect "$kind /usr/bin/golive is target/$profile/golive" \
    "$(sha256sum <"$tree/usr/bin/golive" | cut -d' ' -f1)" "$(sha256sum <"target/$profile/golive" | cut -d' ' -f1)"
  local entry="$tree$desktop_entry"
  if out=$(desktop-file-validate "$entry" 2>&1) && [ -z "$out" ]; then
    echo "  ok   $kind desktop-file-validate $desktop_entry"
  else
    fail "$kind desktop-file-validate $desktop_entry: $out"
  fi
  for line in "Name=$product" "Exec=$app" "Icon=$app" "Type=Application" "Comment=$summary"; do
    expect_line "$kind desktop entry" "$(cat "$entry")" "$line"
  done
  expect_line "$kind desktop entry categories" "$(sed -n 's/^Categories=//p' "$entry" | tr ';' '\n')" Development
}

echo "==> $deb"
dpkg-deb --info "$deb" | sed -n '/Package:/,$p'
field() { dpkg-deb --field "$deb" "$1"; }
expect "deb Package" "$(field Package)" golive
expect "deb Version" "$(field Version)" "$version"
expect "deb Architecture" "$(field Architecture)" "$(dpkg --print-architecture)"
expect "deb Section" "$(field Section)" "$section"
expect "deb Description (summary)" "$(field Description | head -n 1)" "$summary"
expect "deb Description (long)" "$(field Description | sed -n '2s/^ //p')" "$description"
depends=$(field Depends | sed 's/, */\n/g; s/ *(.*)//')
# The WebKitGTK and GTK runtimes: apt installs them with the package.
expect_line "deb Depends" "$depends" libwebkit2gtk-4.1-0
expect_line "deb Depends" "$depends" libgtk-3-0
mkdir "$work/deb"
dpkg-deb --extract "$deb" "$work/deb"
check_payload deb "$(dpkg-deb --contents "$deb" | awk '{sub(/^\.?\/?/, "/", $6); print $1, $6}')" "$work/deb"

echo "==> $rpm"
rpm -qip "$rpm"
tag() { rpm -qp --queryformat "%{$1}" "$rpm"; }
expect "rpm Name" "$(tag NAME)" golive
expect "rpm Version" "$(tag VERSION)" "$version"
expect "rpm Arch" "$(tag ARCH)" "$(uname -m)"
expect "rpm License" "$(tag LICENSE)" "$license"
expect "rpm Summary" "$(tag SUMMARY)" "$summary"
expect "rpm Description" "$(tag DESCRIPTION)" "$description"
# No Group: the Tauri bundler sets none (and Fedora dropped the tag); dependencies are the
# libraries' sonames, which Fedora's webkit2gtk4.1 and openSUSE's libwebkit2gtk-4_1-0 provide.
requires=$(rpm -qp --requires "$rpm")
expect_line "rpm Requires" "$requires" "libwebkit2gtk-4.1.so.0()(64bit)"
expect_line "rpm Requires" "$requires" "libgtk-3.so.0()(64bit)"
rpm -qlp "$rpm"
mkdir "$work/rpm"
rpm2archive - <"$rpm" | tar -xz -C "$work/rpm"
check_payload rpm "$(rpm -qp --queryformat '[%{FILEMODES:perms} %{FILENAMES}\n]' "$rpm")" "$work/rpm"

for p in "$deb" "$rpm"; do echo "golive: $p: $(du -h "$p" | cut -f1) ($(stat -c %s "$p") bytes)"; done
echo "golive: installed size of the .deb: $(dpkg-deb --field "$deb" Installed-Size) KiB"
if [ "$failures" -gt 0 ]; then
  echo "golive: $failures package check(s) failed (see FAIL above)." >&2
  exit 1
fi
echo "golive: both packages hold what they should."
