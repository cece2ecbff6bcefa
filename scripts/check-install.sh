#!/usr/bin/env bash
# Installs the .deb scripts/package.sh built as a user would (apt pulls its runtime
# dependencies), runs what it installed — `golive --version`, `golive check` against the
# sandbox and the CLI contract, the desktop app's first screen under Xvfb through
# tauri-driver — then purges it and proves no file it installed is left. Needs root or sudo,
# and the workspace built (the sandbox and the `it` tests: scripts/test.sh runs this after its
# build). A Golive package already installed here is never replaced: this stops and says so.
#   scripts/check-install.sh [--debug]   the .deb in target/release (target/debug)/bundle/deb/
set -euo pipefail
cd "$(dirname "$0")/.."
profile=release
[ "${1:-}" = --debug ] && profile=debug
export PATH="$HOME/.cargo/bin:$HOME/.local/golive-node/bin:$PATH"

deb=$(realpath target/$profile/bundle/deb/*.deb)
version=$(sed -n '/^\[workspace.package\]/,/^\[/ s/^version = "\(.*\)"$/\1/p' Cargo.toml)
SUDO=""
[ "$(id -u)" -ne 0 ] && SUDO="sudo"
apt_get() { $SUDO env DEBIAN_FRONTEND=noninteractive apt-get -y -q -o DPkg::Lock::Timeout=300 "$@"; }
installed() { dpkg-query -W -f='${Status}' golive 2>/dev/null | grep -q "ok installed"; }

if installed; then
  echo "golive: Golive $(dpkg-query -W -f='${Version}' golive) is installed on this machine; this test" \
    "installs and purges its own build, so it stops here. Remove it first: sudo apt-get remove golive" >&2
  exit 1
fi
work=$(mktemp -d)
sandbox=""
# Whatever happens, the sandbox stops and the package this run installed goes.
cleanup() {
  [ -n "$sandbox" ] && kill "$sandbox" 2>/dev/null
  installed && apt_get remove --purge golive >/dev/null
  rm -rf "$work"
}
trap cleanup EXIT

echo "==> apt-get install $deb"
apt_get install "$deb"
dpkg -L golive >"$work/files"
echo "golive: installed: $(dpkg-query -W -f='${Installed-Size}' golive) KiB (dpkg's Installed-Size)," \
  "$(grep -c . "$work/files") paths, its files $(xargs -d '\n' stat -c '%s %F' <"$work/files" |
    awk '/regular file$/ {n += $1} END {printf "%.1f MiB", n / 1048576}')"

echo "==> the installed CLI, found on a default PATH"
cli_env=(env -i PATH=/usr/local/bin:/usr/bin:/bin HOME="$work/home" GOLIVE_CONFIG_DIR="$work/home/config")
found=$("${cli_env[@]}" sh -c 'command -v golive')
[ "$found" = /usr/bin/golive ] || { echo "golive: golive on PATH is '$found', not /usr/bin/golive" >&2; exit 1; }
said=$("${cli_env[@]}" golive --version)
[ "$said" = "golive $version" ] || { echo "golive: golive --version said '$said', not 'golive $version'" >&2; exit 1; }
echo "golive: $found --version: $said"

echo "==> golive check --domain quillmate.test --json against the sandbox (scenario live)"
target/debug/golive-sandbox --scenario live --with-keys --env-file "$work/env" &
sandbox=$!
while [ ! -s "$work/env" ] && kill -0 "$sandbox" 2>/dev/null; do sleep 0.1; done
[ -s "$work/env" ] || { echo "golive: the sandbox did not start (see above)." >&2; exit 1; }
code=0
# shellcheck disable=SC2016
"${cli_env[@]}" sh -c '. "$1" && exec golive check --domain quillmate.test --json' _ "$work/env" \
  >"$work/report.json" 2>"$work/stderr" || code=$?
[ "$code" -eq 0 ] || { echo "golive: golive check exited $code:" >&2; cat "$work/stderr" "$work/report.json" >&2; exit 1; }
node -e '
  const r = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
  const bad = r.checks.filter(c => c.status !== "pass").map(c => c.id + ": " + c.status);
  if (r.domain !== "quillmate.test" || r.checks.length === 0 || bad.length || r.summary.fail !== 0
      || r.summary.pass !== r.checks.length) {
    console.error("golive: unexpected report:", r.domain, r.checks.length, "checks", bad, r.summary);
    process.exit(1);
  }
  console.log("golive: exit 0, " + r.checks.length + " checks, every one passes (" +
    r.checks.map(c => c.id).join(", ") + ")");
' "$work/report.json"
# The secrets it was handed (not the Apple key's path) are in neither its output nor its errors.
mapfile -t secrets < <(sed -n "s/^export [A-Z_]*\(_SECRET\|_SECRET_KEY\|_TOKEN\|_API_KEY\)='\([^/][^']*\)'$/\2/p" "$work/env")
[ ${#secrets[@]} -gt 0 ] || { echo "golive: no secret found in the sandbox's variables to look for" >&2; exit 1; }
for secret in "${secrets[@]}"; do
  if grep -qF -- "$secret" "$work/report.json" "$work/stderr"; then
    echo "golive: golive check printed a secret it was given" >&2
    exit 1
  fi
done
echo "golive: none of the ${#secrets[@]} secrets it was given is in its output"
kill "$sandbox"
sandbox=""
# And the whole CLI contract (tests/tests/it/cli.rs: every scenario, exit code and the JSON's
# shape) on the installed binary.
GOLIVE_CLI_BIN=/usr/bin/golive cargo test --workspace --test it -- cli::

echo "==> the installed desktop app's first screen (Xvfb, tauri-driver)"
xvfb-run -a -s "-screen 0 1280x800x24" dbus-run-session -- \
  env GOLIVE_INSTALLED_APP=/usr/bin/golive-desktop \
  cargo test --workspace --test it -- --ignored --exact installed::the_installed_app_opens_on_its_first_screen

echo "==> apt-get remove --purge golive"
apt_get remove --purge golive
if installed || dpkg-query -W golive >/dev/null 2>&1; then
  echo "golive: dpkg still knows golive after the purge" >&2
  exit 1
fi
# Every path it installed is gone, but directories another package owns too.
left=()
kept=0
while read -r path; do
  [ -e "$path" ] || [ -L "$path" ] || continue
  if [ -d "$path" ] && [ ! -L "$path" ] && dpkg-query -S "$path" >/dev/null 2>&1; then
    kept=$((kept + 1))
  else
    left+=("$path")
  fi
done <"$work/files"
if [ ${#left[@]} -gt 0 ]; then
  echo "golive: the purge left what the package installed: ${left[*]}" >&2
  exit 1
fi
echo "golive: purged: $(grep -c . "$work/files") paths gone but $kept directories other packages own"
