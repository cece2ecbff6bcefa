//! The update in the real app, against the sandbox's update server: found quietly at start,
//! what changed shown, a tampered download refused with the app still running and its file
//! unchanged, a slow one stopped with Cancel, then the release downloaded, verified against
//! the test key, installed and restarted into.
//!
//! The app under test is the debug build, not an installed package: the updater then installs
//! as it does an AppImage, by replacing the file the app runs from (a .deb would go to dpkg
//! through pkexec instead). So the app runs from a copy, and the new version it installs is
//! `golive-update-probe`, which records that the restart started it from that file.

use std::sync::Arc;

use golive_sandbox::update::{next_version, Mode, Release, ARTIFACT_PATH, CURRENT};

use super::*;

const NOTES: &str = "Faster DNS checks.\nThe Supabase step reads every issuer.";

#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs Xvfb, a keyring and tauri-driver: run scripts/test.sh"]
async fn an_update_is_refused_when_tampered_cancelled_then_installed_and_restarted_into() {
    let next = next_version();
    let probe = std::fs::read(env!("CARGO_BIN_EXE_golive-update-probe")).unwrap();
    let release = Arc::new(Release::sign(&next, NOTES, probe.clone()).unwrap());
    let scratch = tempfile::tempdir().unwrap();
    let app = scratch.path().join("golive-desktop");
    std::fs::copy(app_binary(), &app).unwrap();
    let app = app.canonicalize().unwrap();
    let installed = std::fs::read(&app).unwrap();
    let restarted = scratch.path().join("restarted");
    let rig = Rig::start_with(
        "live",
        &[
            ("GOLIVE_UPDATE_PUBKEY".into(), release.public_key.clone()),
            (
                "GOLIVE_UPDATE_PROBE".into(),
                restarted.display().to_string(),
            ),
        ],
    )
    .await;
    let updates = &rig.sandbox.updates;
    updates.publish(release.clone());
    updates.set_mode(Mode::Available);

    // At start, quietly: a notice in the sidebar, which opens what changed.
    let s = rig.session_of(&app.display().to_string()).await;
    s.wait_text(
        "[data-testid=update-notice]",
        &format!("Version {next} is available"),
    )
    .await;
    s.click("[data-testid=update-notice]").await;
    s.wait_text(
        "[data-testid=update-status]",
        &format!("Version {next} is available — what changed"),
    )
    .await;
    s.wait_text(
        "[data-testid=release-notes]",
        "The Supabase step reads every issuer",
    )
    .await;
    s.wait_text("[data-testid=about]", &format!("Version {CURRENT}"))
        .await;
    s.screenshot(&screenshot_dir().join("14-update.png")).await;

    // A download changed after signing: refused, said so, nothing installed.
    updates.set_mode(Mode::Tampered);
    s.click_button("Install and restart").await;
    let refused = s
        .wait_text("[data-testid=update-status] [role=alert]", "was refused")
        .await;
    assert!(
        refused.contains(&format!(
            "Nothing was installed; Golive {CURRENT} keeps running."
        )),
        "{refused}"
    );
    assert!(
        std::fs::read(&app).unwrap() == installed,
        "the app file changed"
    );
    assert!(!restarted.exists());

    // A slow download shows its progress and stops on Cancel.
    updates.set_mode(Mode::Slow);
    s.click_button("Try again").await;
    let progress = s
        .wait_text(
            "[data-testid=update-progress]",
            &format!("of {}", size(probe.len())),
        )
        .await;
    assert!(progress.starts_with("Downloading: "), "{progress}");
    s.click_button("Cancel").await;
    s.wait_text("[data-testid=update-status]", "Download cancelled.")
        .await;
    assert!(
        std::fs::read(&app).unwrap() == installed,
        "the app file changed"
    );

    // The signed release: downloaded, verified, installed in place of the app, restarted.
    updates.set_mode(Mode::Available);
    s.click_button("Install and restart").await;
    let deadline = Instant::now() + Duration::from_secs(60);
    while !restarted.exists() {
        assert!(
            Instant::now() < deadline,
            "no restart into the new version; requests: {:?}",
            updates.requests()
        );
        std::thread::sleep(Duration::from_millis(100));
    }
    assert_eq!(
        std::fs::read_to_string(&restarted).unwrap(),
        format!("golive-update-probe started from {}\n", app.display())
    );
    assert!(
        std::fs::read(&app).unwrap() == probe,
        "the app file is not the update"
    );
    let downloads = updates
        .requests()
        .iter()
        .filter(|p| *p == ARTIFACT_PATH)
        .count();
    assert_eq!(downloads, 3, "{:?}", updates.requests());
    s.end().await;
}

/// As the window prints a byte count (ui/src/lib/updates.svelte.ts `formatBytes`).
fn size(n: usize) -> String {
    match n {
        n if n < 1024 => format!("{n} bytes"),
        n if n < 1024 * 1024 => format!("{} KB", (n as f64 / 1024.0).round()),
        n => format!("{:.1} MB", n as f64 / (1024.0 * 1024.0)),
    }
}
