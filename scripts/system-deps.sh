#!/usr/bin/env bash
# The one place that names the system packages Golive needs on Debian/Ubuntu
# (build, run, and the headless test rig). Idempotent: installs only what is missing.
set -euo pipefail

PACKAGES=(
  # build the Tauri shell
  build-essential pkg-config libwebkit2gtk-4.1-dev libssl-dev libayatana-appindicator3-dev
  librsvg2-dev libxdo-dev libdbus-1-dev
  # run headless + real keychain + WebDriver e2e
  xvfb xauth dbus dbus-x11 gnome-keyring libsecret-tools webkit2gtk-driver imagemagick
  # inspect the packages CI builds (rpm -qip, desktop-file-validate)
  rpm desktop-file-utils
  # the benchmarks' sequential baseline (dig)
  bind9-dnsutils
  # the test tools setup.sh installs in a private virtualenv (check-jsonschema)
  python3 python3-venv
  # fetching toolchains the distribution lacks (rustup, Node.js)
  curl ca-certificates xz-utils
)

missing=()
for p in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  SUDO=""
  [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  echo "golive: installing system packages: ${missing[*]}"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi
