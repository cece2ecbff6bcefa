//! `scripts/node-install.sh`, as `scripts/setup.sh` uses it, run by bash on a fabricated
//! Node.js release in a `file://` dist directory: the archive replaces the install only when
//! it matches the release's SHASUMS256.txt.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

const VERSION: &str = "v9.9.9";
const ARCHIVE: &str = "node-v9.9.9-linux-x64.tar.xz";

fn scripts() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../scripts")
}

/// `<dir>/dist/v9.9.9/` holding the archive (a `bin/node` that prints its version) and a
/// SHASUMS256.txt listing `listed` with the archive's real checksum.
fn release(dir: &Path, listed: &str) -> PathBuf {
    let tree = dir.join("src").join("node-v9.9.9-linux-x64");
    std::fs::create_dir_all(tree.join("bin")).unwrap();
    std::fs::write(tree.join("bin/node"), "#!/bin/sh\necho v9.9.9\n").unwrap();
    std::fs::set_permissions(
        tree.join("bin/node"),
        std::os::unix::fs::PermissionsExt::from_mode(0o755),
    )
    .unwrap();
    let dist = dir.join("dist");
    let release = dist.join(VERSION);
    std::fs::create_dir_all(&release).unwrap();
    let tar = Command::new("tar")
        .arg("-cJf")
        .arg(release.join(ARCHIVE))
        .arg("-C")
        .arg(dir.join("src"))
        .arg("node-v9.9.9-linux-x64")
        .status()
        .unwrap();
    assert!(tar.success());
    let sum = Command::new("sha256sum")
        .arg(release.join(ARCHIVE))
        .output()
        .unwrap();
    let hash = String::from_utf8(sum.stdout).unwrap();
    let hash = hash.split_whitespace().next().unwrap();
    std::fs::write(
        release.join("SHASUMS256.txt"),
        format!(
            "{}  node-v9.9.9-darwin-arm64.tar.gz\n{hash}  {listed}\n",
            "0".repeat(64)
        ),
    )
    .unwrap();
    dist
}

fn install_node(dist: &Path, dest: &Path) -> Output {
    Command::new("bash")
        .arg("-c")
        .arg(r#". "$0"; install_node "file://$1" v9.9.9 x64 "$2""#)
        .arg(scripts().join("node-install.sh"))
        .arg(dist)
        .arg(dest)
        .output()
        .unwrap()
}

/// An earlier install, which a refused download must leave as it was.
fn earlier_install(dest: &Path) {
    std::fs::create_dir_all(dest.join("bin")).unwrap();
    std::fs::write(dest.join("bin/node"), "earlier").unwrap();
}

#[test]
fn a_matching_archive_replaces_the_install() {
    let dir = tempfile::tempdir().unwrap();
    let dist = release(dir.path(), ARCHIVE);
    let dest = dir.path().join("golive-node");
    earlier_install(&dest);
    let out = install_node(&dist, &dest);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let node = Command::new(dest.join("bin/node")).output().unwrap();
    assert_eq!(String::from_utf8_lossy(&node.stdout).trim(), "v9.9.9");
}

#[test]
fn a_tampered_archive_is_refused_and_nothing_changes() {
    let dir = tempfile::tempdir().unwrap();
    let dist = release(dir.path(), ARCHIVE);
    let archive = dist.join(VERSION).join(ARCHIVE);
    let mut bytes = std::fs::read(&archive).unwrap();
    bytes.push(0);
    std::fs::write(&archive, bytes).unwrap();
    let dest = dir.path().join("golive-node");
    earlier_install(&dest);
    let out = install_node(&dist, &dest);
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("does not match the release's checksum")
            && stderr.contains("Nothing was installed"),
        "{stderr}"
    );
    assert_eq!(
        std::fs::read_to_string(dest.join("bin/node")).unwrap(),
        "earlier"
    );
}

#[test]
fn an_archive_the_release_does_not_list_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let dist = release(dir.path(), "node-v9.9.9-linux-arm64.tar.xz");
    let dest = dir.path().join("golive-node");
    let out = install_node(&dist, &dest);
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains(&format!("{ARCHIVE} is not listed")),
        "{stderr}"
    );
    assert!(!dest.exists());
}

#[test]
fn setup_installs_node_only_through_the_checked_download() {
    let setup = std::fs::read_to_string(scripts().join("setup.sh")).unwrap();
    assert!(setup.contains(". scripts/node-install.sh"));
    assert!(setup.contains("install_node https://nodejs.org/dist \"$node_version\""));
    // No other download of Node.js, and none piped straight into tar.
    assert_eq!(setup.matches("nodejs.org").count(), 1, "{setup}");
    assert!(!setup.contains("| tar"));
}
