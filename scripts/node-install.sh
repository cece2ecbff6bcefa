# Sourced by scripts/setup.sh: a private Node.js, installed only once its download matches
# the checksum the release publishes. Functions only, so a test can run them on a
# fabricated release (tests/tests/it/setup_script.rs).

# verify_sha256 FILE SUMS: FILE's SHA-256 is the one the SHASUMS256.txt-style file SUMS lists
# for FILE's name; otherwise says why and fails.
verify_sha256() {
  local file=$1 sums=$2 name want got
  name=$(basename "$file")
  want=$(awk -v n="$name" '$2 == n || $2 == "*" n { print $1; exit }' "$sums")
  if [ -z "$want" ]; then
    echo "golive: $name is not listed in the release's $(basename "$sums"); not installing it." >&2
    return 1
  fi
  got=$(sha256sum "$file" | cut -d' ' -f1)
  if [ "$got" != "$want" ]; then
    echo "golive: $name does not match the release's checksum (expected $want, got $got): the download is corrupt or was tampered with. Nothing was installed; run this again, or install Node.js yourself." >&2
    return 1
  fi
}

# install_node DIST VERSION ARCH DEST: downloads node-VERSION-linux-ARCH.tar.xz and the
# release's SHASUMS256.txt from DIST/VERSION/; only when the archive's checksum matches does
# it replace DEST (unpacked beside it first, so a failed unpack leaves DEST as it was).
install_node() {
  local dist=$1 version=$2 arch=$3 dest=$4 archive tmp status=0
  archive="node-$version-linux-$arch.tar.xz"
  tmp=$(mktemp -d)
  if ! curl -fsSL "$dist/$version/SHASUMS256.txt" -o "$tmp/SHASUMS256.txt" \
    || ! curl -fsSL "$dist/$version/$archive" -o "$tmp/$archive"; then
    echo "golive: could not download Node.js $version ($archive) from $dist." >&2
    status=1
  elif verify_sha256 "$tmp/$archive" "$tmp/SHASUMS256.txt"; then
    rm -rf "$dest.new" && mkdir -p "$dest.new" \
      && tar -xJf "$tmp/$archive" --strip-components=1 -C "$dest.new" \
      && rm -rf "$dest" && mv "$dest.new" "$dest" || status=1
  else
    status=1
  fi
  rm -rf "$tmp"
  return $status
}
