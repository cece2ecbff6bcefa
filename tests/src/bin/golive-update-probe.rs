//! Stands in for a newer Golive in the update e2e: the updater installs this file in place of
//! the app, and the app's restart starts it. It writes where it was started from to the file
//! `$GOLIVE_UPDATE_PROBE`, so the test sees the restart reach the installed file.

fn main() {
    let Some(out) = std::env::var_os("GOLIVE_UPDATE_PROBE") else {
        return;
    };
    let exe = std::env::current_exe()
        .map(|p| p.display().to_string())
        .unwrap_or_default();
    std::fs::write(out, format!("golive-update-probe started from {exe}\n"))
        .expect("the probe's output file is writable");
}
