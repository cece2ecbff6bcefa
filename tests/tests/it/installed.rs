//! The desktop app as the .deb installed it: scripts/check-install.sh installs the package CI
//! builds, names its binary in `GOLIVE_INSTALLED_APP` and runs this under Xvfb and D-Bus.

use std::path::Path;

use crate::e2e::{screenshot_dir, Rig};

/// Whether a running process is `exe`: the driven app is the installed one, not a build of
/// this tree.
fn running(exe: &Path) -> bool {
    std::fs::read_dir("/proc")
        .unwrap()
        .flatten()
        .any(|p| std::fs::read_link(p.path().join("exe")).is_ok_and(|e| e == exe))
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs the installed .deb, Xvfb and tauri-driver: run scripts/check-install.sh"]
async fn the_installed_app_opens_on_its_first_screen() {
    let app = std::env::var("GOLIVE_INSTALLED_APP")
        .expect("GOLIVE_INSTALLED_APP names the installed app (scripts/check-install.sh)");
    // Pointed at the sandbox, with scratch settings: no real vendor, no user's projects.
    let rig = Rig::start("live").await;
    let s = rig.session_of(&app).await;

    s.wait_text("main", "Take your Clerk app live").await;
    assert!(running(Path::new(&app)), "no process runs {app}");
    // The UI is the one embedded in the binary, not a dev server's.
    let page = s
        .execute("return location.href", serde_json::json!([]))
        .await;
    assert!(
        page.as_str().is_some_and(|p| p.starts_with("tauri://")),
        "{page}"
    );
    // It read its environment: the banner names the sandbox's overrides.
    s.wait_text("[data-testid=overrides-banner]", "Not the real vendors.")
        .await;
    s.screenshot(&screenshot_dir().join("installed-first-screen.png"))
        .await;
    // And it is this version: About shows the one built into the binary.
    s.click_button("About Golive").await;
    let version = env!("CARGO_PKG_VERSION");
    s.wait_text("[data-testid=about]", &format!("Version {version}"))
        .await;
    s.end().await;
}
