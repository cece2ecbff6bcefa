//! End to end in the real app: the WebKitGTK window driven through tauri-driver +
//! WebKitWebDriver, the real Secret Service, the sandbox for Clerk.
//! Needs Xvfb, a D-Bus session with an unlocked gnome-keyring, tauri-driver, and the app
//! built with its UI embedded; scripts/test.sh provides all of that.

use crate::common;
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use crate::common::webdriver::{free_port, Session};
use golive_sandbox::scenario::{
    publishable_key, INSTANCE_ID, LIVE_SECRET_KEY, PLATFORM_KEY, SUPABASE_REF, SUPABASE_TOKEN,
};
use golive_sandbox::{Sandbox, Scenario, DOMAIN};

/// The update, installed into a copy of the app: tests/tests/it/e2e/update.rs.
mod update;

const SAVE_SECRET_KEY: &str = "[data-testid=secret-field-clerk-secret-key] button[type=submit]";
const SECRET_KEY_STATUS: &str =
    "[data-testid=secret-field-clerk-secret-key] [data-testid=secret-status]";

fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .unwrap()
        .to_path_buf()
}

pub(crate) fn screenshot_dir() -> PathBuf {
    workspace().join("target/e2e-screenshots")
}

/// tauri-driver on free ports, with the app's environment: the sandbox's `GOLIVE_*`
/// variables and scratch config/data/cache directories.
struct Driver {
    child: Child,
    url: String,
}

impl Driver {
    /// `log` gets tauri-driver's output, which carries the app's own stdout and stderr.
    fn start(env: &[(String, String)], log: &Path) -> Driver {
        no_app_left();
        let port = free_port();
        let native = free_port();
        let child = Command::new("tauri-driver")
            .args([
                "--port",
                &port.to_string(),
                "--native-port",
                &native.to_string(),
            ])
            .envs(env.iter().map(|(k, v)| (k, v)))
            .stdout(std::fs::File::create(log).unwrap())
            .stderr(std::fs::File::create(log.with_extension("err")).unwrap())
            // Its own process group, so the drop below also ends the native driver and the
            // app it started: a test that fails mid-session must not leave its app running
            // (the next test's launch would hand over to it, as a second launch does).
            .process_group(0)
            .spawn()
            .expect("tauri-driver is installed (cargo install tauri-driver)");
        let url = format!("http://127.0.0.1:{port}");
        let deadline = Instant::now() + Duration::from_secs(20);
        while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(Instant::now() < deadline, "tauri-driver did not start");
            std::thread::sleep(Duration::from_millis(100));
        }
        Driver { child, url }
    }
}

impl Drop for Driver {
    fn drop(&mut self) {
        let group = self.child.id();
        let _ = Command::new("kill")
            .args(["-KILL", "--", &format!("-{group}")])
            .status();
        let _ = self.child.wait();
        // The kill is asynchronous: until the app has died, its single-instance name is
        // still taken, and the next test's app would hand over to it and exit.
        let deadline = Instant::now() + Duration::from_secs(10);
        while group_alive(group) && Instant::now() < deadline {
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}

/// The running processes of the app under test (its binary, whatever their process group:
/// the native driver may start it in its own).
fn apps_running() -> Vec<u32> {
    // Not built, or renamed to golive-desktop by `tauri build` (scripts/package.sh): not running.
    let Ok(bin) = std::fs::canonicalize(workspace().join("target/debug/golive-app")) else {
        return vec![];
    };
    let Ok(procs) = std::fs::read_dir("/proc") else {
        return vec![];
    };
    procs
        .flatten()
        .filter_map(|p| {
            let pid: u32 = p.file_name().to_str()?.parse().ok()?;
            let exe = std::fs::read_link(p.path().join("exe")).ok()?;
            let stat = std::fs::read_to_string(p.path().join("stat")).ok()?;
            let state = stat
                .rsplit_once(')')?
                .1
                .split_whitespace()
                .next()?
                .to_string();
            (exe == bin && state != "Z").then_some(pid)
        })
        .collect()
}

/// Ends any app an earlier test left running and waits until it is gone: a new launch would
/// hand over to it through single-instance and exit, failing the next session.
fn no_app_left() {
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let left = apps_running();
        if left.is_empty() {
            return;
        }
        assert!(
            Instant::now() < deadline,
            "the app under test would not end: {left:?}"
        );
        for pid in left {
            let _ = Command::new("kill")
                .args(["-KILL", &pid.to_string()])
                .status();
        }
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// Whether a process of this group is still running (zombies, already dead, do not count).
fn group_alive(group: u32) -> bool {
    let Ok(procs) = std::fs::read_dir("/proc") else {
        return false;
    };
    procs.flatten().any(|p| {
        let stat = std::fs::read_to_string(p.path().join("stat")).unwrap_or_default();
        // After the command's closing parenthesis: state, ppid, pgrp, …
        let fields: Vec<&str> = stat
            .rsplit_once(')')
            .map(|(_, rest)| rest.split_whitespace().collect())
            .unwrap_or_default();
        fields.len() > 2 && fields[0] != "Z" && fields[2] == group.to_string()
    })
}

fn app_binary() -> String {
    let bin = workspace().join("target/debug/golive-app");
    assert!(
        bin.exists(),
        "build the app first: npm --prefix ui run build && cargo build -p golive-app --features custom-protocol"
    );
    bin.to_string_lossy().into_owned()
}

/// Everything one e2e test runs against: the sandbox, scratch app directories, and
/// tauri-driver started with the app's environment.
pub(crate) struct Rig {
    sandbox: Sandbox,
    config: PathBuf,
    data: PathBuf,
    cache: PathBuf,
    log: PathBuf,
    /// The app's environment, for a driver started again.
    env: Vec<(String, String)>,
    driver: std::sync::Mutex<Driver>,
    _scratch: tempfile::TempDir,
}

impl Rig {
    pub(crate) async fn start(scenario: &str) -> Rig {
        Rig::start_with(scenario, &[]).await
    }

    /// With `extra` variables for the app, besides the sandbox's.
    async fn start_with(scenario: &str, extra: &[(String, String)]) -> Rig {
        let sandbox = Sandbox::start(Scenario::named(scenario).unwrap())
            .await
            .unwrap();
        let scratch = tempfile::tempdir().unwrap();
        let (config, data, cache) = (
            scratch.path().join("config"),
            scratch.path().join("data"),
            scratch.path().join("cache"),
        );
        let mut env = sandbox.env();
        env.extend([
            (
                "GOLIVE_CONFIG_DIR".to_string(),
                config.display().to_string(),
            ),
            ("XDG_CONFIG_HOME".to_string(), config.display().to_string()),
            ("XDG_DATA_HOME".to_string(), data.display().to_string()),
            ("XDG_CACHE_HOME".to_string(), cache.display().to_string()),
        ]);
        env.extend(extra.iter().cloned());
        let log = scratch.path().join("driver.log");
        let driver = std::sync::Mutex::new(Driver::start(&env, &log));
        Rig {
            sandbox,
            config,
            data,
            cache,
            log,
            env,
            driver,
            _scratch: scratch,
        }
    }

    /// A new session of the app, recording every IPC answer it gets from here on.
    async fn session(&self) -> Session {
        self.session_of(&app_binary()).await
    }

    /// A session of the app at `binary`.
    pub(crate) async fn session_of(&self, binary: &str) -> Session {
        let s = self.started(binary).await;
        s.find("main").await;
        assert_eq!(s.execute(IPC_RECORDER, serde_json::json!([])).await, true);
        // The sandbox's 13 overrides fold to the banner's one line, as a user may fold them,
        // so the screenshots show the app rather than the list.
        s.click_button("Hide the list").await;
        s
    }

    /// A session, with a second try on a fresh tauri-driver: now and then (twice in six runs
    /// of this suite, once on an idle machine) tauri-driver drops the connection of a new
    /// session before answering. What it logged is printed, so the cause can be found.
    async fn started(&self, binary: &str) -> Session {
        let url = self.driver.lock().unwrap().url.clone();
        match Session::start(&url, binary).await {
            Ok(s) => s,
            Err(e) => {
                let logged = [&self.log, &self.log.with_extension("err")]
                    .map(|p| std::fs::read_to_string(p).unwrap_or_default())
                    .join("\n");
                let tail: Vec<&str> = logged.lines().rev().take(30).collect();
                eprintln!(
                    "e2e: {e}; starting tauri-driver again. It logged:\n{}",
                    tail.into_iter().rev().collect::<Vec<_>>().join("\n")
                );
                let fresh = {
                    let mut driver = self.driver.lock().unwrap();
                    *driver = Driver::start(&self.env, &self.log);
                    driver.url.clone()
                };
                Session::start(&fresh, binary)
                    .await
                    .unwrap_or_else(|e| panic!("no session, twice: {e}"))
            }
        }
    }

    /// Sweeps for every secret the sandbox knows, then ends the session: none may be in an
    /// input's value, an IPC answer or channel message of this session, the web view's
    /// storage, a file the app wrote (settings, WebKit storage, caches) or the app's output.
    async fn finish(&self, s: Session) {
        assert_no_secret_in_inputs(&s, &self.sandbox.canaries()).await;
        let ipc = s
            .execute("return window.__golive_ipc", serde_json::json!([]))
            .await;
        let answers: Vec<String> = serde_json::from_value(ipc).unwrap();
        assert!(answers.len() > 1, "the IPC recorder saw nothing");
        let storage = s
            .execute(
                "return JSON.stringify([localStorage, sessionStorage, document.cookie])",
                serde_json::json!([]),
            )
            .await;
        s.end().await;
        let output = [&self.log, &self.log.with_extension("err")]
            .map(|p| std::fs::read_to_string(p).unwrap_or_default())
            .join("\n");
        for canary in self.sandbox.canaries() {
            assert!(
                !answers.iter().any(|a| a.contains(&canary)),
                "an IPC answer carries a secret"
            );
            assert!(
                !storage.to_string().contains(&canary),
                "web storage holds a secret"
            );
            assert!(!output.contains(&canary), "the app printed a secret");
            self.assert_on_no_disk(&canary);
        }
    }

    /// The project id the app saved (the first project).
    fn project_id(&self) -> String {
        let projects: serde_json::Value =
            serde_json::from_slice(&std::fs::read(self.config.join("projects.json")).unwrap())
                .unwrap();
        projects["projects"][0]["id"].as_str().unwrap().to_string()
    }

    /// `needle` is in no file the app wrote: settings, WebKit storage, caches.
    fn assert_on_no_disk(&self, needle: &str) {
        for dir in [&self.config, &self.data, &self.cache] {
            let hits = common::files_containing(dir, needle.as_bytes());
            assert!(hits.is_empty(), "secret found in {hits:?}");
        }
    }
}

/// Records, as text in `window.__golive_ipc`, everything the app's Rust side sends the page:
/// each command's answer or error and each channel message. Tauri's `invoke` cannot be
/// replaced (a read-only property), but every answer is delivered through a callback kept
/// in `__TAURI_INTERNALS__.callbacks`, so the recorder wraps each callback as it is kept.
const IPC_RECORDER: &str = r#"
const log = (window.__golive_ipc = []);
const callbacks = window.__TAURI_INTERNALS__.callbacks;
const keep = callbacks.set.bind(callbacks);
callbacks.set = (id, callback) => keep(id, (data) => {
  try { log.push(JSON.stringify(data)); } catch (_) { log.push(String(data)); }
  return callback(data);
});
// A first answer through the recorder, so one that did not take is noticed.
return window.__TAURI_INTERNALS__.invoke("list_projects", {}).then(() => log.length > 0);
"#;

/// What the Secret Service holds for a project's secret of `kind`.
fn keychain_lookup(project_id: &str, kind: &str) -> String {
    let out = Command::new("secret-tool")
        .args([
            "lookup",
            "service",
            "golive",
            "username",
            &format!("{project_id}:{kind}"),
        ])
        .output()
        .unwrap();
    String::from_utf8_lossy(&out.stdout).trim().to_string()
}

/// Creates the Quillmate project from the welcome screen.
async fn create_project(s: &Session) {
    s.wait_text("main", "Take your Clerk app live").await;
    s.click_button("Create your first project").await;
    s.type_into("#project-name", "Quillmate").await;
    s.type_into("#project-domain", "https://Quillmate.TEST/")
        .await;
    s.click_button("Create project").await;
    s.wait_text("nav", "quillmate.test").await;
}

fn forget_keychain_entry(project_id: &str, kind: &str) {
    let _ = Command::new("secret-tool")
        .args([
            "clear",
            "service",
            "golive",
            "username",
            &format!("{project_id}:{kind}"),
        ])
        .status();
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs Xvfb, a keyring and tauri-driver: run scripts/test.sh"]
async fn create_a_project_store_a_secret_and_find_it_after_a_restart() {
    let rig = Rig::start("live").await;
    let config = &rig.config;
    let shots = screenshot_dir();

    // First run: the empty state, then a new project.
    let s = rig.session().await;
    s.wait_text("main", "Take your Clerk app live").await;
    // The sandbox's addresses are overrides: a banner names every one.
    s.click_button("Show the list").await;
    let banner = s
        .wait_text("[data-testid=overrides-banner]", "Not the real vendors.")
        .await;
    for (var, _) in rig.sandbox.env() {
        assert!(
            banner.contains(&var),
            "{var} is not in the banner: {banner}"
        );
    }
    s.click_button("Hide the list").await;
    s.screenshot(&shots.join("01-welcome.png")).await;
    s.click_button("Create your first project").await;
    s.type_into("#project-name", "Quillmate").await;
    s.type_into("#project-domain", "https://Quillmate.TEST/")
        .await;
    s.screenshot(&shots.join("02-new-project.png")).await;
    s.click_button("Create project").await;
    s.wait_text("nav", "quillmate.test").await;

    // The Clerk step: a key in the wrong field is refused with the right field named.
    s.type_into(
        "#secret-clerk-secret-key",
        &publishable_key("clerk.quillmate.test"),
    )
    .await;
    s.click(SAVE_SECRET_KEY).await;
    s.wait_text(
        "[data-testid=secret-field-clerk-secret-key]",
        "Publishable key field",
    )
    .await;

    // Then the real one, pasted as an .env line: stored, shown masked.
    s.clear("#secret-clerk-secret-key").await;
    s.type_into(
        "#secret-clerk-secret-key",
        &format!("CLERK_SECRET_KEY={LIVE_SECRET_KEY}"),
    )
    .await;
    s.click(SAVE_SECRET_KEY).await;
    let last4 = &LIVE_SECRET_KEY[LIVE_SECRET_KEY.len() - 4..];
    let status = s.wait_text(SECRET_KEY_STATUS, last4).await;
    assert!(status.contains("Stored in your keychain"), "{status}");
    assert_no_secret_in_inputs(&s, &[LIVE_SECRET_KEY.to_string()]).await;
    // Replacing it starts from an empty field, not the value saved a moment ago.
    s.click("[data-testid=secret-field-clerk-secret-key] .stored button")
        .await;
    assert_eq!(
        s.property("#secret-clerk-secret-key", "value").await,
        serde_json::json!("")
    );
    s.click("[data-testid=secret-field-clerk-secret-key] form button:last-of-type")
        .await;
    s.wait_text(SECRET_KEY_STATUS, last4).await;
    s.type_into("#clerk-pk", &publishable_key("clerk.quillmate.test"))
        .await;
    s.click("#save-pk").await;
    s.wait_text("[data-testid=publishable-key]", "pk_live_")
        .await;
    s.screenshot(&shots.join("03-clerk-step.png")).await;
    assert!(
        !s.source().await.contains(LIVE_SECRET_KEY),
        "the secret is in the page"
    );
    rig.finish(s).await;

    // Second run: the project and its secret's status are still there.
    let s = rig.session().await;
    s.wait_text("nav", "Quillmate").await;
    let status = s.wait_text(SECRET_KEY_STATUS, last4).await;
    assert!(status.contains("Stored in your keychain"));
    assert!(!s.source().await.contains(LIVE_SECRET_KEY));

    // Validate: every check streams in and passes against the sandbox.
    s.click_button("Validate").await;
    s.click_button("Validate everything").await;
    s.wait_text("[data-testid=checks-summary]", "0 failed")
        .await;
    s.wait_text(
        "[data-testid=check-clerk\\.secret_key]",
        "Accepted by Clerk",
    )
    .await;
    s.screenshot(&shots.join("04-checks.png")).await;
    rig.finish(s).await;

    // The secret is in the Secret Service, under the project's id...
    let project_id = rig.project_id();
    let saved = std::fs::read_to_string(config.join("projects.json")).unwrap();
    assert!(
        saved.contains(&format!("\"domain\": \"{DOMAIN}\"")),
        "{saved}"
    );
    assert_eq!(
        keychain_lookup(&project_id, "clerk-secret-key"),
        LIVE_SECRET_KEY
    );

    // ...and in no file the app wrote: settings, WebKit storage, caches.
    rig.assert_on_no_disk(LIVE_SECRET_KEY);
    assert!(
        config.join("projects.json").exists(),
        "the scan looked at the app's files"
    );

    forget_keychain_entry(&project_id, "clerk-secret-key");
}

/// Settings that do not parse are kept aside and the app says so until dismissed; a second
/// launch hands over to the running app (its window comes to the front) and exits, so two
/// apps never edit the same settings.
#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs Xvfb, a keyring and tauri-driver: run scripts/test.sh"]
async fn corrupt_settings_are_announced_and_a_second_launch_hands_over() {
    let rig = Rig::start("live").await;
    std::fs::create_dir_all(&rig.config).unwrap();
    std::fs::write(rig.config.join("projects.json"), b"{ half a file").unwrap();
    let s = rig.session().await;
    s.wait_text("[data-testid=settings-notice]", "could not be read")
        .await;
    s.wait_text("[data-testid=settings-notice]", "projects.json.corrupt-")
        .await;

    let mut second = Command::new(app_binary())
        .envs(rig.sandbox.env())
        .env("GOLIVE_CONFIG_DIR", &rig.config)
        .env("XDG_CONFIG_HOME", &rig.config)
        .env("XDG_DATA_HOME", &rig.data)
        .env("XDG_CACHE_HOME", &rig.cache)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let deadline = Instant::now() + Duration::from_secs(30);
    let exited = loop {
        if let Some(status) = second.try_wait().unwrap() {
            break status;
        }
        if Instant::now() > deadline {
            let _ = second.kill();
            panic!("a second launch kept running beside the first");
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    };
    assert!(exited.success(), "{exited}");

    // The first app goes on, from empty settings.
    s.click_button("Dismiss").await;
    create_project(&s).await;
    assert!(!s.source().await.contains("settings-notice"));
    rig.finish(s).await;
    let kept = std::fs::read_dir(&rig.config)
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| p.to_string_lossy().contains("projects.json.corrupt-"))
        .expect("the corrupt file is kept");
    assert_eq!(std::fs::read(kept).unwrap(), b"{ half a file");
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs Xvfb, a keyring and tauri-driver: run scripts/test.sh"]
async fn the_clerk_step_from_created_to_live() {
    let rig = Rig::start("fresh").await;
    let shots = screenshot_dir();
    let s = rig.session().await;
    create_project(&s).await;

    // A platform key: Golive lists the applications and creates the production instance.
    s.type_into("#secret-clerk-platform-key", PLATFORM_KEY)
        .await;
    s.click("[data-testid=secret-field-clerk-platform-key] button[type=submit]")
        .await;
    s.wait_text(
        "[data-testid=production-instance]",
        "Create production instance",
    )
    .await;
    assert_no_secret_in_inputs(&s, &[PLATFORM_KEY.to_string()]).await;
    s.click_button("Create production instance").await;
    let created = s
        .wait_text(
            "[data-testid=production-created]",
            "Created the production instance",
        )
        .await;
    assert!(created.contains(INSTANCE_ID), "{created}");
    // Its keys were kept: the publishable key in the project, the secret in the keychain.
    s.wait_text("[data-testid=publishable-key]", "pk_live_")
        .await;
    s.wait_text(
        SECRET_KEY_STATUS,
        &LIVE_SECRET_KEY[LIVE_SECRET_KEY.len() - 4..],
    )
    .await;

    // Created, DNS pending: Clerk's status lists the missing records; the checks say what to do.
    s.click_button("Show").await;
    s.wait_text(
        "[data-testid=domain-status]",
        "No CNAME record found for clerk.quillmate.test",
    )
    .await;
    s.click_button("Check Clerk").await;
    s.wait_text("[data-testid=checks-summary]", "2 failed")
        .await;
    s.wait_text("[data-testid=check-clerk\\.frontend_api]", "not reachable")
        .await;
    s.scroll_to("[data-testid=domain-status]").await;
    s.screenshot(&shots.join("05-clerk-created.png")).await;

    // The records propagate and Clerk issues the certificates: everything passes.
    rig.sandbox.switch(Scenario::named("live").unwrap());
    s.click_button("Refresh").await;
    s.wait_text("[data-testid=domain-status]", "complete").await;
    s.click_button("Check Clerk").await;
    s.wait_text("[data-testid=checks-summary]", "6 passed")
        .await;
    s.wait_text(
        "[data-testid=check-clerk\\.frontend_api]",
        "certificate by Golive Sandbox CA",
    )
    .await;
    s.scroll_to("[data-testid=checks-summary]").await;
    s.screenshot(&shots.join("06-clerk-live.png")).await;
    assert!(!s.source().await.contains(LIVE_SECRET_KEY));
    assert!(!s.source().await.contains(PLATFORM_KEY));
    rig.finish(s).await;

    let id = rig.project_id();
    forget_keychain_entry(&id, "clerk-secret-key");
    forget_keychain_entry(&id, "clerk-platform-key");
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs Xvfb, a keyring and tauri-driver: run scripts/test.sh"]
async fn supabase_learns_to_trust_the_production_issuer() {
    let rig = Rig::start("dev-issuer-only").await;
    let s = rig.session().await;
    create_project(&s).await;
    s.click_button("Supabase").await;
    s.type_into(
        "#supabase-ref",
        &format!("https://{SUPABASE_REF}.supabase.co"),
    )
    .await;
    s.click("#save-supabase-ref").await;
    s.wait_text("[data-testid=supabase-ref]", SUPABASE_REF)
        .await;
    store_secret(&s, "supabase-token", SUPABASE_TOKEN).await;

    // Only the development issuer: the check fails, with the fix.
    s.click_button("Check Supabase").await;
    s.wait_text(
        "[data-testid=check-supabase\\.third_party_auth]",
        "only the development issuer",
    )
    .await;

    // Add it (after confirming): trusted, the development issuer kept, the check passes.
    s.click_button("Read from Supabase").await;
    s.click_button("Add the production issuer").await;
    s.click_button("Add it").await;
    s.wait_text(
        "[data-testid=supabase-trusted]",
        "trusts https://clerk.quillmate.test",
    )
    .await;
    s.wait_text(
        "[data-testid=supabase-trust]",
        "quillmate-dev-13.clerk.accounts.dev",
    )
    .await;
    s.click_button("Check Supabase").await;
    s.wait_text("[data-testid=checks-summary]", "1 passed")
        .await;
    s.scroll_to("[data-testid=supabase-trust]").await;
    s.screenshot(&screenshot_dir().join("07-supabase.png"))
        .await;
    assert!(!s.source().await.contains(SUPABASE_TOKEN));
    rig.finish(s).await;
    forget_keychain_entry(&rig.project_id(), "supabase-token");
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs Xvfb, a keyring and tauri-driver: run scripts/test.sh"]
async fn the_dns_view_shows_records_and_their_propagation() {
    let rig = Rig::start("propagating").await;
    let s = rig.session().await;
    create_project(&s).await;
    // With the secret key, the plan is Clerk's own list for the domain.
    store_secret(&s, "clerk-secret-key", LIVE_SECRET_KEY).await;

    s.click_button("DNS").await;
    s.click_button("Check propagation").await;
    s.wait_text(
        "[data-testid=record-dns\\.clk\\._domainkey]",
        "dkim1.sbx1a2b3c4d5e.clerk.services",
    )
    .await;
    s.wait_text("main", "15 of 15 answers").await;
    let matrix = s.source().await;
    assert!(
        matrix.contains(&format!(
            "clerk.quillmate.test at {}",
            rig.sandbox.authoritative
        )),
        "the matrix names its servers"
    );
    assert!(
        matrix.contains("name does not exist"),
        "the lagging resolver shows"
    );
    s.scroll_to("[data-testid=dns-records]").await;
    s.screenshot(&screenshot_dir().join("08-dns.png")).await;
    // With the Vercel project linked, the site's own records are checked too.
    s.click_button("Hosting").await;
    store_secret(&s, "vercel-token", golive_sandbox::scenario::VERCEL_TOKEN).await;
    s.click_button("List projects").await;
    s.click("[aria-label='Use quillmate']").await;
    s.wait_text("[data-testid=vercel-linked]", "quillmate")
        .await;
    s.click_button("DNS").await;

    // Every diagnosis the CLI gives, the window gives too, fix included.
    for (scenario, id, status, detail_has, fix_has) in common::DIAGNOSES {
        rig.sandbox.switch(Scenario::named(scenario).unwrap());
        s.click_button("Check DNS").await;
        let css = format!("[data-testid=check-{}]", id.replace('.', "\\."));
        let shown = s.wait_text(&css, detail_has).await;
        assert!(shown.contains(fix_has), "{scenario} {id}: {shown}");
        assert!(
            shown.to_lowercase().contains(status),
            "{scenario} {id}: {shown}"
        );
    }
    rig.finish(s).await;
    let id = rig.project_id();
    for kind in ["clerk-secret-key", "vercel-token"] {
        forget_keychain_entry(&id, kind);
    }
}

/// A new project on `hosting` (the form's value), its live keys saved, the Hosting step open
/// in the host's words, and the host's token stored (`token`: secret kind and value).
async fn open_hosting_on(s: &Session, hosting: &str, host_name: &str, token: (&str, &str)) {
    s.wait_text("main", "Take your Clerk app live").await;
    s.click_button("Create your first project").await;
    s.type_into("#project-name", "Quillmate").await;
    s.type_into("#project-domain", DOMAIN).await;
    s.click(&format!("#project-hosting option[value={hosting}]"))
        .await;
    s.click_button("Create project").await;
    s.wait_text("nav", DOMAIN).await;
    save_live_keys(s).await;
    s.click_button("Hosting").await;
    s.wait_text("main", &format!("Hosting on {host_name}"))
        .await;
    store_secret(s, token.0, token.1).await;
}

/// The domain added to what the host serves (`on`: project, site, service), the record it
/// waits for shown (`shows`), then verified.
async fn add_and_verify_domain(s: &Session, on: &str, shows: &str) {
    s.click_button(&format!("Add {DOMAIN} to the {on}")).await;
    s.wait_text("[data-testid=hosting-domain]", shows).await;
    s.click_button("Verify").await;
    s.wait_text("[data-testid=domain-ready]", "verified").await;
}

/// The env plan previewed (`shows`: a selector and what it says), with no secret in the page,
/// then its `changes` applied.
async fn preview_and_apply_env(s: &Session, shows: (&str, &str), changes: u32) {
    s.click_button("Preview the changes").await;
    s.wait_text(shows.0, shows.1).await;
    assert!(
        !s.source().await.contains(LIVE_SECRET_KEY),
        "no secret in the page"
    );
    s.click_button(&format!("Apply {changes} changes")).await;
    s.wait_text("[data-testid=env-done]", "production has the live keys")
        .await;
}

/// The hosting checks run from the step: the site serves the live key, and the host's three
/// checks (`prefix`: `vercel` or `host`) pass.
async fn hosting_checks_pass(s: &Session, prefix: &str) {
    s.click_button("Check hosting").await;
    s.wait_text(
        "[data-testid=check-site\\.publishable_key]",
        "serves the live key",
    )
    .await;
    for check in ["domain", "env", "deployment"] {
        let id = format!("{prefix}\\.{check}");
        let text = s
            .wait_text(&format!("[data-testid=check-{id}]"), "Pass")
            .await;
        assert!(!text.contains("Fail"), "{id}: {text}");
    }
}

/// Ends the run and forgets what it stored in the keychain.
async fn finish_hosting(rig: &Rig, s: Session, kinds: &[&str]) {
    rig.finish(s).await;
    let id = rig.project_id();
    for kind in kinds {
        forget_keychain_entry(&id, kind);
    }
}

/// Saves the sandbox instance's live keys on the Clerk step (open after a new project).
async fn save_live_keys(s: &Session) {
    s.type_into("#clerk-pk", &publishable_key(&format!("clerk.{DOMAIN}")))
        .await;
    s.click("#save-pk").await;
    s.wait_text("[data-testid=publishable-key]", "pk_live_")
        .await;
    store_secret(s, "clerk-secret-key", LIVE_SECRET_KEY).await;
}

/// Stores a secret through its field in the open view; then no input holds it.
async fn store_secret(s: &Session, kind: &str, value: &str) {
    s.type_into(&format!("#secret-{kind}"), value).await;
    s.click(&format!(
        "[data-testid=secret-field-{kind}] button[type=submit]"
    ))
    .await;
    s.wait_text(
        &format!("[data-testid=secret-field-{kind}] [data-testid=secret-status]"),
        "Stored in your keychain",
    )
    .await;
    assert_no_secret_in_inputs(s, &[value.to_string()]).await;
}

/// No input or text area of the page holds any of `secrets` in its `value` (which page
/// source never shows).
async fn assert_no_secret_in_inputs(s: &Session, secrets: &[String]) {
    for (id, value) in s.input_values().await {
        for secret in secrets {
            assert!(
                !value.contains(secret.as_str()),
                "#{id} still holds a secret"
            );
        }
    }
}

/// A secret input that stays on the page after saving is empty, and no other input holds
/// the secret.
async fn assert_secret_input_emptied(s: &Session, css: &str, secret: &str) {
    assert_eq!(
        s.property(css, "value").await,
        serde_json::json!(""),
        "{css}"
    );
    assert_no_secret_in_inputs(s, &[secret.to_string()]).await;
}

/// Watches the session bus for desktop notifications (the app's, once DNS has propagated).
struct NotificationMonitor {
    child: Child,
    log: PathBuf,
}

impl NotificationMonitor {
    fn start(dir: &Path) -> NotificationMonitor {
        let log = dir.join("notifications.log");
        let child = Command::new("dbus-monitor")
            .args([
                "--session",
                "type=method_call,interface=org.freedesktop.Notifications,member=Notify",
            ])
            .stdout(std::fs::File::create(&log).unwrap())
            .stderr(Stdio::null())
            .spawn()
            .expect("dbus-monitor (package dbus) in the D-Bus session scripts/test.sh starts");
        NotificationMonitor { child, log }
    }

    async fn wait_for(&self, needle: &str) {
        let deadline = Instant::now() + Duration::from_secs(15);
        loop {
            let seen = std::fs::read_to_string(&self.log).unwrap_or_default();
            if seen.contains(needle) {
                return;
            }
            assert!(
                Instant::now() < deadline,
                "no notification with {needle:?}; the bus saw:\n{seen}"
            );
            tokio::time::sleep(Duration::from_millis(200)).await;
        }
    }
}

impl Drop for NotificationMonitor {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs Xvfb, a keyring and tauri-driver: run scripts/test.sh"]
async fn records_created_at_cloudflare_then_watched_until_propagated() {
    use golive_sandbox::scenario::{CLOUDFLARE_TOKEN, VERCEL_TOKEN};
    let rig = Rig::start("cloudflare-dns").await;
    let monitor = NotificationMonitor::start(rig._scratch.path());
    let s = rig.session().await;
    create_project(&s).await;
    store_secret(&s, "clerk-secret-key", LIVE_SECRET_KEY).await;

    // Hosting: connect the Vercel project, so the plan has the site's own records.
    s.click_button("Hosting").await;
    store_secret(&s, "vercel-token", VERCEL_TOKEN).await;
    s.type_into("#vercel-search", "quill").await;
    s.click_button("List projects").await;
    s.wait_text("main", "quillmate-docs").await;
    s.click("[aria-label='Use quillmate']").await;
    s.wait_text("[data-testid=vercel-linked]", "quillmate")
        .await;

    // DNS: the dry run, then the missing records and the one confirmed conflict.
    s.click_button("DNS").await;
    store_secret(&s, "cloudflare-token", CLOUDFLARE_TOKEN).await;
    s.click_button("Preview changes").await;
    let plan = s.wait_text("[data-testid=auto-plan]", "In the way").await;
    assert!(plan.contains("Already right"), "{plan}");
    s.click("[data-testid=auto-plan] input[type=checkbox]")
        .await;
    s.scroll_to("[data-testid=auto-plan]").await;
    s.screenshot(&screenshot_dir().join("09-dns-auto.png"))
        .await;
    s.click_button("Create 4 records and replace 1").await;
    s.wait_text(
        "[data-testid=auto-applied]",
        "4 records created, 1 replaced",
    )
    .await;
    let host = rig.sandbox.world.lock().unwrap().host_records.clone();
    assert!(host.iter().all(|r| !r.proxied), "all DNS only: {host:?}");
    assert!(
        host.iter().any(|r| r.kind == "MX"),
        "unrelated records kept"
    );

    // Applying re-probes: all seven records at the three servers.
    s.wait_text("main", "21 of 21 answers").await;

    // Watch: everything answers as planned, so the first round ends it, with a notification.
    s.click_button("Watch until propagated").await;
    s.wait_text("[data-testid=propagated]", "Every record has propagated")
        .await;
    monitor.wait_for("DNS has propagated").await;
    monitor.wait_for("quillmate.test").await;
    rig.finish(s).await;
    let id = rig.project_id();
    for kind in ["clerk-secret-key", "vercel-token", "cloudflare-token"] {
        forget_keychain_entry(&id, kind);
    }
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs Xvfb, a keyring and tauri-driver: run scripts/test.sh"]
async fn hosting_from_domain_to_a_ready_redeploy_serving_the_live_key() {
    use golive_sandbox::scenario::VERCEL_TOKEN;
    let rig = Rig::start("fresh-project").await;
    let s = rig.session().await;
    create_project(&s).await;
    save_live_keys(&s).await;

    s.click_button("Hosting").await;
    store_secret(&s, "vercel-token", VERCEL_TOKEN).await;
    s.click_button("List projects").await;
    s.click("[aria-label='Use quillmate']").await;

    // Domain: added, unverified with its TXT record, then verified.
    add_and_verify_domain(&s, "project", "vc-domain-verify=").await;
    // Env: the plan first, then applied.
    preview_and_apply_env(&s, ("[data-testid=env-plan]", "Keep the test key here"), 4).await;

    // Redeploy, followed to READY, and the checks agree.
    s.click_button("Redeploy production").await;
    s.wait_text("[data-testid=deploy-ready]", "now serves the new build")
        .await;
    s.scroll_to("[data-testid=deploy-stages]").await;
    s.screenshot(&screenshot_dir().join("10-hosting.png")).await;
    hosting_checks_pass(&s, "vercel").await;
    finish_hosting(&rig, s, &["clerk-secret-key", "vercel-token"]).await;
}

/// The same path on a Netlify site: a project made for Netlify, its token and site picked,
/// the domain's certificate, the env plan in deploy contexts, a build followed to ready, and
/// the `host.*` checks agreeing.
#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs Xvfb, a keyring and tauri-driver: run scripts/test.sh"]
async fn hosting_on_netlify_from_an_unlinked_site_to_a_ready_build_serving_the_live_key() {
    use golive_sandbox::scenario::NETLIFY_TOKEN;
    let rig = Rig::start("netlify-fresh").await;
    let s = rig.session().await;
    open_hosting_on(&s, "netlify", "Netlify", ("netlify-token", NETLIFY_TOKEN)).await;
    s.click_button("List sites").await;
    s.click("[aria-label='Use quillmate']").await;

    // Domain: set on the site, the CNAME to add shown, then its certificate issued.
    add_and_verify_domain(&s, "site", "quillmate.netlify.app").await;
    // Env: the plan in deploy contexts first, then applied.
    preview_and_apply_env(&s, ("[data-testid=env-plan]", "deploy-preview"), 4).await;

    // A production build, followed to ready, and the checks agree.
    s.click_button("Redeploy production").await;
    s.wait_text("[data-testid=deploy-ready]", "now serves the new build")
        .await;
    hosting_checks_pass(&s, "host").await;
    finish_hosting(&rig, s, &["clerk-secret-key", "netlify-token"]).await;
}

/// The same path on Cloudflare Pages: a project made for Pages, its API token, a project name
/// typed wrong (Cloudflare says so) then right, the domain validated, production's variables
/// set (preview's left), the newest production deployment retried and followed to live, and
/// the `host.*` checks agreeing.
#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs Xvfb, a keyring and tauri-driver: run scripts/test.sh"]
async fn hosting_on_cloudflare_pages_from_an_unlinked_project_to_a_live_deployment_serving_the_live_key(
) {
    use golive_sandbox::scenario::{CLOUDFLARE_ACCOUNT_ID, CLOUDFLARE_TOKEN};
    let rig = Rig::start("cloudflare-pages-fresh").await;
    let s = rig.session().await;
    open_hosting_on(
        &s,
        "cloudflare-pages",
        "Cloudflare Pages",
        ("cloudflare-token", CLOUDFLARE_TOKEN),
    )
    .await;
    s.type_into("#cloudflare-account", CLOUDFLARE_ACCOUNT_ID)
        .await;
    s.type_into("#cloudflare-project", "quilmate").await;
    s.click_button("Link project").await;
    s.wait_text("[role=alert]", "has no Pages project named quilmate")
        .await;
    s.clear("#cloudflare-project").await;
    s.type_into("#cloudflare-project", "quillmate").await;
    s.click_button("Link project").await;
    s.wait_text("[data-testid=cloudflare-linked]", "quillmate")
        .await;

    // Domain: added to the project, the CNAME Cloudflare waits for shown, then validated.
    add_and_verify_domain(&s, "project", "quillmate.pages.dev").await;
    // Env: production's values, previewed then applied.
    preview_and_apply_env(&s, ("[data-testid=env-plan]", "production"), 2).await;

    // A production deployment, followed to live, and the checks agree.
    s.click_button("Redeploy production").await;
    s.wait_text("[data-testid=deploy-ready]", "now serves the new build")
        .await;
    hosting_checks_pass(&s, "host").await;
    // The DNS step takes the site's record from Cloudflare's API: the apex's CNAME to the
    // project, which answers flattened, with Cloudflare's addresses, as Pages serves it.
    s.click_button("DNS").await;
    s.wait_text("main", "The records Clerk and Cloudflare Pages ask for")
        .await;
    s.click_button("Check propagation").await;
    s.wait_text("[data-testid=record-dns\\.apex]", "quillmate.pages.dev")
        .await;
    s.wait_text("[data-testid=record-dns\\.apex]", "from Cloudflare")
        .await;
    s.wait_text("main", "18 of 18 answers").await;
    let page = s.source().await;
    assert!(
        page.contains(&format!(
            "quillmate.test at {}: matches: 104.16.132.229",
            rig.sandbox.authoritative
        )),
        "the flattened apex matches"
    );
    assert!(!page.contains("record-dns.www"), "Pages adds no www");
    s.scroll_to("[data-testid=dns-records]").await;
    s.screenshot(&screenshot_dir().join("17-dns-pages.png"))
        .await;
    finish_hosting(&rig, s, &["clerk-secret-key", "cloudflare-token"]).await;
}

/// The same path on Cloudflare Workers: the Worker linked, what Golive does with a Worker's
/// environments said, its custom domain attached, the keys set as secrets, and the live
/// version confirmed without a rebuild, the `host.*` checks agreeing.
#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs Xvfb, a keyring and tauri-driver: run scripts/test.sh"]
async fn hosting_on_cloudflare_workers_from_an_unlinked_worker_to_the_live_key() {
    use golive_sandbox::scenario::{CLOUDFLARE_ACCOUNT_ID, CLOUDFLARE_TOKEN, WORKER_SCRIPT};
    let rig = Rig::start("cloudflare-workers-fresh").await;
    let s = rig.session().await;
    open_hosting_on(
        &s,
        "cloudflare-workers",
        "Cloudflare Workers",
        ("cloudflare-token", CLOUDFLARE_TOKEN),
    )
    .await;
    s.wait_text(
        "[data-testid=cloudflare-limits]",
        "never touches the others",
    )
    .await;
    s.type_into("#cloudflare-account", CLOUDFLARE_ACCOUNT_ID)
        .await;
    s.type_into("#cloudflare-project", WORKER_SCRIPT).await;
    s.click_button("Link Worker").await;
    s.wait_text("[data-testid=cloudflare-linked]", WORKER_SCRIPT)
        .await;

    // Domain: attached in the account's zone, and so served at once.
    s.click_button("Add quillmate.test to the Worker").await;
    s.wait_text("[data-testid=domain-ready]", "verified").await;
    // Env: the keys as secrets, previewed then applied.
    preview_and_apply_env(&s, ("[data-testid=env-plan]", "production"), 2).await;

    // No build: the version the secrets deployed is confirmed live, and the checks agree.
    s.wait_text("[data-testid=deploy-worker]", "nothing to redeploy")
        .await;
    s.click_button("Confirm the live version").await;
    s.wait_text("[data-testid=deploy-ready]", "with the live keys")
        .await;
    hosting_checks_pass(&s, "host").await;
    finish_hosting(&rig, s, &["clerk-secret-key", "cloudflare-token"]).await;
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs Xvfb, a keyring and tauri-driver: run scripts/test.sh"]
async fn google_credentials_are_probed_good_then_bad_and_the_secret_stays_in_the_keychain() {
    use golive_sandbox::oauth::client;
    use golive_sandbox::scenario::DEV_FRONTEND_API;
    let rig = Rig::start("live").await;
    let s = rig.session().await;
    create_project(&s).await;
    store_secret(&s, "clerk-secret-key", LIVE_SECRET_KEY).await;

    s.click_button("Social sign-in").await;
    s.wait_text(
        "[data-testid=sso-values]",
        "https://clerk.quillmate.test/v1/oauth_callback",
    )
    .await;
    s.type_into("#dev-pk", &publishable_key(DEV_FRONTEND_API))
        .await;
    s.click("form.card button[type=submit]").await;
    s.wait_text("[data-testid=sso-google]", "On in development")
        .await;

    let google = client("google");
    let bad = "GOCSPX-notTheRightSecret00";
    s.type_into("#sso-google-client-id", google.client_id).await;
    s.type_into("#sso-google-secret", google.secret).await;
    s.click("[data-testid=sso-google] button[type=submit]")
        .await;
    s.wait_text("[data-testid=sso-google]", "Credentials saved")
        .await;
    assert_secret_input_emptied(&s, "#sso-google-secret", google.secret).await;
    s.click_button("Test with Google").await;
    s.wait_text("[data-testid=sso-google-result]", "Accepted by Google")
        .await;
    s.scroll_to("[data-testid=sso-google]").await;
    s.screenshot(&screenshot_dir().join("11-sso.png")).await;

    s.type_into("#sso-google-secret", bad).await;
    s.click("[data-testid=sso-google] button[type=submit]")
        .await;
    s.wait_text("[data-testid=sso-google]", "Credentials saved")
        .await;
    s.click_button("Test with Google").await;
    s.wait_text(
        "[data-testid=sso-google-result]",
        "rejected the client ID or secret",
    )
    .await;
    // The pill was already there: the probe's answer about the new secret is what shows
    // this save finished.
    assert_secret_input_emptied(&s, "#sso-google-secret", bad).await;

    let page = s.source().await;
    assert!(
        !page.contains(google.secret) && !page.contains(bad),
        "a secret in the page"
    );
    rig.finish(s).await;
    let id = rig.project_id();
    assert_eq!(keychain_lookup(&id, "oauth-google"), bad);
    rig.assert_on_no_disk(google.secret);
    rig.assert_on_no_disk(bad);
    let settings = std::fs::read_to_string(rig.config.join("projects.json")).unwrap();
    assert!(settings.contains(google.client_id), "{settings}");
    for kind in ["clerk-secret-key", "oauth-google"] {
        forget_keychain_entry(&id, kind);
    }
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs Xvfb, a keyring and tauri-driver: run scripts/test.sh"]
async fn validate_everything_streams_a_report_with_fixes_and_step_statuses() {
    let rig = Rig::start("propagating").await;
    let s = rig.session().await;
    create_project(&s).await;
    save_live_keys(&s).await;

    s.click_button("Validate").await;
    s.click_button("Validate everything").await;
    let summary = s.wait_text("[data-testid=checks-summary]", "passed").await;
    assert!(summary.contains("warnings"), "{summary}");
    s.wait_text("[data-testid=check-dns\\.clerk]", "Still propagating")
        .await;
    let page = s.source().await;
    assert!(
        page.contains("DNS has warnings"),
        "the sidebar shows the DNS step's status"
    );
    assert!(
        page.contains("Clerk passed"),
        "the sidebar shows the Clerk step's status"
    );
    // No Vercel project is linked: Hosting is not set up, though the live site passed.
    assert!(
        page.contains("Hosting not set up"),
        "the sidebar shows Hosting as not set up"
    );
    s.find("[data-testid=report-export]").await;

    // A record that is wrong shows what was expected next to what was found.
    rig.sandbox.switch(Scenario::named("wrong-target").unwrap());
    s.click_button("Validate everything").await;
    let clerk = s
        .wait_text("[data-testid=check-dns\\.clerk]", "Expected")
        .await;
    assert!(
        clerk.contains("CNAME clerk.quillmate.test → frontend-api.clerk.services")
            && clerk.contains("Found"),
        "{clerk}"
    );
    s.wait_text("[data-testid=checks-summary]", "2 failed")
        .await;
    s.scroll_to("[data-testid=checks-group-dns]").await;
    s.screenshot(&screenshot_dir().join("12-validate.png"))
        .await;
    rig.finish(s).await;
    forget_keychain_entry(&rig.project_id(), "clerk-secret-key");
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs Xvfb, a keyring and tauri-driver: run scripts/test.sh"]
async fn a_sign_in_rehearsal_confirmed_in_the_dialog_proves_sign_in_and_cleans_up() {
    use golive_sandbox::clerk::accounts::EXISTING_USER_ID;
    use golive_sandbox::scenario::SUPABASE_ANON_KEY;
    let rig = Rig::start("live").await;
    let s = rig.session().await;
    create_project(&s).await;
    save_live_keys(&s).await;
    s.click_button("Supabase").await;
    s.type_into("#supabase-ref", SUPABASE_REF).await;
    s.click("#save-supabase-ref").await;
    s.wait_text("[data-testid=supabase-ref]", SUPABASE_REF)
        .await;

    s.click_button("Launch proof").await;
    s.type_into("#anon-key", SUPABASE_ANON_KEY).await;
    s.click("#save-launch-settings").await;
    s.wait_text("form[aria-labelledby=launch-settings-title]", "Saved.")
        .await;

    // Cancelled: nothing is created.
    s.click_button("Rehearse a sign-in…").await;
    s.wait_text("[data-testid=rehearsal-confirm]", "delete the user")
        .await;
    s.click_button("Cancel").await;
    assert!(
        rig.sandbox.sessions().is_empty(),
        "nothing before confirming"
    );

    s.click_button("Rehearse a sign-in…").await;
    s.wait_text("[data-testid=rehearsal-confirm]", "golive-rehearsal")
        .await;
    s.click("#confirm-rehearsal").await;
    s.wait_text(
        "[data-testid=rehearsal] [data-testid=checks-summary]",
        "0 failed",
    )
    .await;
    s.wait_text("[data-testid=stage-cleanUp]", "deleted").await;
    for id in [
        "launch\\.sign_in",
        "site\\.session",
        "supabase\\.session",
        "launch\\.cleanup",
    ] {
        s.wait_text(
            &format!("[data-testid=rehearsal] [data-testid=check-{id}]"),
            "Pass",
        )
        .await;
    }
    s.scroll_to("[data-testid=rehearsal]").await;
    s.screenshot(&screenshot_dir().join("13-launch-proof.png"))
        .await;

    let users: Vec<String> = rig.sandbox.users().into_iter().map(|u| u.id).collect();
    assert_eq!(users, [EXISTING_USER_ID], "the throwaway user is gone");
    assert!(rig.sandbox.sessions().iter().all(|x| x.status != "active"));
    let page = s.source().await;
    for canary in rig.sandbox.canaries() {
        assert!(!page.contains(&canary), "session material in the page");
    }
    rig.finish(s).await;
    forget_keychain_entry(&rig.project_id(), "clerk-secret-key");
}

/// Links the sandbox's Vercel project on the Hosting step.
async fn link_vercel(s: &Session) {
    s.click_button("Hosting").await;
    store_secret(s, "vercel-token", golive_sandbox::scenario::VERCEL_TOKEN).await;
    s.click_button("List projects").await;
    s.click("[aria-label='Use quillmate']").await;
    s.wait_text("[data-testid=vercel-linked]", "quillmate")
        .await;
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs Xvfb, a keyring and tauri-driver: run scripts/test.sh"]
async fn an_app_on_a_subdomain_gets_its_clerk_domain_records_and_host_fields() {
    use golive_sandbox::scenario::{APP_SUBDOMAIN, OWN_CLERK_FRONTEND_API};
    let rig = Rig::start("subdomain-app-own-clerk").await;
    let s = rig.session().await;
    s.wait_text("main", "Take your Clerk app live").await;
    s.click_button("Create your first project").await;
    s.type_into("#project-name", "Quillmate").await;
    s.type_into("#project-domain", APP_SUBDOMAIN).await;
    // The one choice a subdomain brings, said before the project exists.
    s.wait_text(
        "[data-testid=domain-hint]",
        "app.quillmate.test is a subdomain: Clerk can live at clerk.quillmate.test",
    )
    .await;
    s.click_button("Create project").await;
    s.wait_text("nav", APP_SUBDOMAIN).await;
    s.type_into("#clerk-pk", &publishable_key(OWN_CLERK_FRONTEND_API))
        .await;
    s.click("#save-pk").await;
    s.wait_text("[data-testid=publishable-key]", "pk_live_")
        .await;
    store_secret(&s, "clerk-secret-key", LIVE_SECRET_KEY).await;
    link_vercel(&s).await;

    // The layout, as the key says: Clerk on the app's own subdomain.
    s.click_button("DNS").await;
    s.wait_text(
        "[data-testid=layout-card]",
        "Detected: Clerk's domain app.quillmate.test: from the publishable key",
    )
    .await;
    let checked = s
        .execute(
            "return document.querySelector('input[name=clerk-domain]:checked').value",
            serde_json::json!([]),
        )
        .await;
    assert_eq!(checked, APP_SUBDOMAIN);

    // Its records, with the Host field the registrar wants for a subdomain's names.
    s.click_button("Check propagation").await;
    s.wait_text("[data-testid=record-dns\\.clerk]", "clerk.app")
        .await;
    s.wait_text("[data-testid=record-dns\\.app]", "CNAME").await;
    let page = s.source().await;
    assert!(
        !page.contains("record-dns.apex"),
        "no apex A for a subdomain app"
    );
    s.scroll_to("[data-testid=dns-records]").await;
    s.screenshot(&screenshot_dir().join("15-layout-subdomain.png"))
        .await;
    s.click_button("Check DNS").await;
    for id in ["dns\\.clerk", "dns\\.app", "dns\\.dmarc"] {
        let text = s
            .wait_text(&format!("[data-testid=check-{id}]"), "Pass")
            .await;
        assert!(!text.contains("Fail"), "{id}: {text}");
    }
    rig.finish(s).await;
    let id = rig.project_id();
    for kind in ["clerk-secret-key", "vercel-token"] {
        forget_keychain_entry(&id, kind);
    }
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs Xvfb, a keyring and tauri-driver: run scripts/test.sh"]
async fn proxy_mode_is_detected_edited_and_proven_in_the_window() {
    use golive_sandbox::scenario::PROXY_URL;
    let rig = Rig::start("proxy-mode").await;
    let s = rig.session().await;
    create_project(&s).await;
    save_live_keys(&s).await;

    s.click_button("DNS").await;
    s.wait_text(
        "[data-testid=layout-card]",
        "Detected: Proxy https://quillmate.test/__clerk: from Clerk's domain settings.",
    )
    .await;
    s.wait_text("[data-testid=layout-summary]", PROXY_URL).await;
    // A proxy URL on plain http is refused with what to do; what was typed stays.
    s.clear("#layout-proxy-url").await;
    s.type_into("#layout-proxy-url", "http://quillmate.test/__clerk")
        .await;
    s.click_button("Save layout").await;
    s.wait_text("[data-testid=layout-card] [role=alert]", "must use https")
        .await;
    let typed = s.property("#layout-proxy-url", "value").await;
    assert_eq!(typed, "http://quillmate.test/__clerk");
    s.clear("#layout-proxy-url").await;
    s.type_into("#layout-proxy-url", PROXY_URL).await;
    s.click_button("Save layout").await;
    s.wait_text("[data-testid=layout-card]", "Layout saved")
        .await;
    s.scroll_to("[data-testid=layout-card]").await;
    s.screenshot(&screenshot_dir().join("16-layout-proxy.png"))
        .await;

    // No clerk record behind a proxy; the mail records stay.
    s.click_button("Check propagation").await;
    s.wait_text("[data-testid=record-dns\\.clkmail]", "CNAME")
        .await;
    assert!(!s.source().await.contains("record-dns.clerk\""));
    // The proxy is proven as this production instance.
    s.click_button("Clerk").await;
    s.click_button("Check Clerk").await;
    s.wait_text(
        "[data-testid=check-clerk\\.proxy]",
        "production instance through the proxy",
    )
    .await;
    let page = s.source().await;
    assert!(
        !page.contains("check-clerk.frontend_api"),
        "not listed behind a proxy"
    );
    rig.finish(s).await;
    forget_keychain_entry(&rig.project_id(), "clerk-secret-key");
}

/// The same path on a Render service: a project made for Render, its API key and service
/// picked, what Render's API does not do said with the dashboard link, the domain with the
/// service's onrender.com target, the env plan on Render's single set of variables, a deploy
/// followed to live, and the `host.*` checks agreeing.
#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs Xvfb, a keyring and tauri-driver: run scripts/test.sh"]
async fn hosting_on_render_from_an_unlinked_service_to_a_live_deploy_serving_the_live_key() {
    use golive_sandbox::scenario::RENDER_API_KEY;
    let rig = Rig::start("render-fresh").await;
    let s = rig.session().await;
    open_hosting_on(&s, "render", "Render", ("render-api-key", RENDER_API_KEY)).await;
    s.click_button("List services").await;
    s.click("[aria-label='Use quillmate']").await;
    s.wait_text(
        "[data-testid=render-limits]",
        "One set of variables per service",
    )
    .await;

    // Domain: added to the service, its onrender.com target shown, then verified.
    add_and_verify_domain(&s, "service", "quillmate.onrender.com").await;
    // Env: the plan with Render's notes first, then applied.
    preview_and_apply_env(
        &s,
        (
            "[data-testid=env-notes]",
            "one set of variables per service",
        ),
        2,
    )
    .await;

    // A deploy, followed to live, and the checks agree.
    s.click_button("Redeploy production").await;
    s.wait_text("[data-testid=deploy-ready]", "now serves the new build")
        .await;
    s.scroll_to("[data-testid=render-limits]").await;
    s.screenshot(&screenshot_dir().join("18-hosting-render.png"))
        .await;
    hosting_checks_pass(&s, "host").await;
    finish_hosting(&rig, s, &["clerk-secret-key", "render-api-key"]).await;
}
