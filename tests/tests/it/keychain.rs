//! The real OS keychain (Secret Service on Linux). Needs an unlocked keyring on a session
//! bus, so it is ignored by default; scripts/test.sh runs it under dbus-run-session with
//! gnome-keyring. It proves the secret really persisted: another process (secret-tool)
//! reads it back, which keyring's silent mock store could never satisfy.

use std::process::Command;

use golive_core::secrets::{KeyringStore, Secret, SecretKind, SecretStore, KEYCHAIN_SERVICE};

#[test]
#[ignore = "needs a Secret Service: run scripts/test.sh"]
fn secrets_round_trip_through_the_secret_service() {
    let store = KeyringStore::new();
    let project = format!("keychain-test-{}", std::process::id());
    let kind = SecretKind::ClerkSecretKey;
    let value = Secret::new("sk_live_keychainRoundTrip000000000001");

    assert_eq!(store.get(&project, kind).unwrap(), None);
    store.set(&project, kind, &value).unwrap();
    assert_eq!(store.get(&project, kind).unwrap(), Some(value.clone()));

    let account = format!("{project}:{}", kind.as_str());
    let out = Command::new("secret-tool")
        .args(["lookup", "service", KEYCHAIN_SERVICE, "username", &account])
        .output()
        .expect("secret-tool (libsecret-tools) is installed");
    assert_eq!(String::from_utf8_lossy(&out.stdout).trim(), value.expose());

    // Another project's entry is separate.
    assert_eq!(store.get("another-project", kind).unwrap(), None);

    store.delete(&project, kind).unwrap();
    assert_eq!(store.get(&project, kind).unwrap(), None);
    store.delete(&project, kind).unwrap();
}

/// `scripts/start.sh --sandbox`'s demo: the sandbox saves it in its own settings directory and
/// keychain service, never `golive`'s, and the variables it writes open exactly that — here
/// through the CLI, which reads the settings and the keychain as the app does.
#[test]
#[ignore = "needs a Secret Service: run scripts/test.sh"]
fn the_sandbox_demo_keeps_its_own_settings_and_keychain_service() {
    use golive_sandbox::demo::{PROJECT_NAME, SANDBOX_KEYCHAIN_SERVICE};
    use golive_sandbox::scenario::LIVE_SECRET_KEY;

    let scratch = tempfile::tempdir().unwrap();
    let (demo_dir, env_file) = (scratch.path().join("demo"), scratch.path().join("env"));
    let mut sandbox = Stopped(
        Command::new(env!("CARGO_BIN_EXE_golive-sandbox"))
            .arg("--env-file")
            .arg(&env_file)
            .arg("--demo")
            .arg(&demo_dir)
            .spawn()
            .unwrap(),
    );
    let started = std::time::Instant::now();
    while !env_file.exists() && started.elapsed().as_secs() < 60 {
        assert!(
            sandbox.0.try_wait().unwrap().is_none(),
            "the sandbox exited"
        );
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
    let mut vars: Vec<(String, String)> = std::fs::read_to_string(&env_file)
        .expect("the sandbox wrote its variables")
        .lines()
        .filter_map(|l| l.strip_prefix("export ")?.split_once('='))
        .map(|(k, v)| (k.to_string(), v.trim_matches('\'').to_string()))
        .collect();
    let var = |vars: &[(String, String)], name: &str| {
        vars.iter().find(|(k, _)| k == name).map(|(_, v)| v.clone())
    };
    assert_eq!(
        var(&vars, "GOLIVE_CONFIG_DIR"),
        Some(demo_dir.display().to_string())
    );
    assert_eq!(
        var(&vars, "GOLIVE_KEYCHAIN_SERVICE").as_deref(),
        Some(SANDBOX_KEYCHAIN_SERVICE)
    );

    let settings: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(demo_dir.join("projects.json")).unwrap())
            .unwrap();
    let id = settings["projects"][0]["id"].as_str().unwrap().to_string();
    let account = format!("{id}:{}", SecretKind::ClerkSecretKey.as_str());
    let lookup = |service: &str| {
        let out = Command::new("secret-tool")
            .args(["lookup", "service", service, "username", &account])
            .output()
            .unwrap();
        String::from_utf8_lossy(&out.stdout).trim().to_string()
    };
    assert_eq!(lookup(SANDBOX_KEYCHAIN_SERVICE), LIVE_SECRET_KEY);
    assert_eq!(
        lookup(KEYCHAIN_SERVICE),
        "",
        "the demo wrote a real keychain entry"
    );

    // The CLI, given those variables, finds the demo and its keys; without the keychain
    // service it reads the real one, which has none of them.
    vars.extend(
        std::env::var("DBUS_SESSION_BUS_ADDRESS")
            .map(|a| ("DBUS_SESSION_BUS_ADDRESS".to_string(), a)),
    );
    let check = |vars: &[(String, String)]| {
        let out = crate::common::golive_in(
            scratch.path(),
            &["check", "--project", PROJECT_NAME, "--json"],
            vars,
        );
        crate::common::stdout_json(&out)
    };
    let report = check(&vars);
    assert_eq!(report["summary"]["fail"], 0, "{report}");
    assert_eq!(
        crate::common::check(&report, "clerk.secret_key")["status"],
        "pass"
    );
    vars.retain(|(k, _)| k != "GOLIVE_KEYCHAIN_SERVICE");
    let report = check(&vars);
    assert_eq!(
        crate::common::check(&report, "clerk.secret_key")["status"],
        "skip"
    );

    drop(sandbox);
    for kind in SecretKind::ALL {
        let account = format!("{id}:{}", kind.as_str());
        let _ = Command::new("secret-tool")
            .args([
                "clear",
                "service",
                SANDBOX_KEYCHAIN_SERVICE,
                "username",
                &account,
            ])
            .status();
    }
}

/// `golive forget`, as a user uninstalling would run it, against the real Secret Service:
/// `--project` removes that project's entries only; `--all` every saved project's and, as
/// the Secret Service lists its entries, one left by a project no longer saved. It prints
/// kinds and project names, never a value, and leaves the projects and another service's
/// entries alone.
#[test]
#[ignore = "needs a Secret Service: run scripts/test.sh"]
fn forget_removes_every_entry_golive_made_and_nothing_else() {
    use golive_core::framework::Framework;
    use golive_core::project::{Hosting, ProjectInput, ProjectStore};

    let home = tempfile::tempdir().unwrap();
    let service = format!("golive-forget-test-{}", std::process::id());
    let other_service = format!("{service}-other");
    let _cleared = Cleared(vec![service.clone(), other_service.clone()]);
    let projects = ProjectStore::new(&home.path().join("config"));
    let project = |name: &str, domain: &str| {
        projects
            .create(ProjectInput {
                name: name.into(),
                domain: domain.into(),
                hosting: Hosting::Vercel,
                framework: Framework::Nextjs,
            })
            .unwrap()
    };
    let (quillmate, other) = (
        project("Quillmate", "quillmate.test"),
        project("Other", "other.test"),
    );
    let keychain = KeyringStore::with_service(&service);
    let values = [
        (
            quillmate.id.as_str(),
            SecretKind::ClerkSecretKey,
            "sk_live_forgetQuillmate000000000001",
        ),
        (
            quillmate.id.as_str(),
            SecretKind::VercelToken,
            "vercel_forgetQuillmate0000000002",
        ),
        (
            other.id.as_str(),
            SecretKind::CloudflareToken,
            "cf_forgetOther000000000000000003",
        ),
        (
            "project-no-longer-saved",
            SecretKind::ClerkPlatformKey,
            "ak_forgetUnsaved00000000000004",
        ),
    ];
    for (id, kind, value) in values {
        keychain.set(id, kind, &Secret::new(value)).unwrap();
    }
    let elsewhere = Secret::new("sk_live_anotherService0000000000005");
    KeyringStore::with_service(&other_service)
        .set(&quillmate.id, SecretKind::ClerkSecretKey, &elsewhere)
        .unwrap();
    let lookup = |service: &str, id: &str, kind: SecretKind| {
        let account = format!("{id}:{}", kind.as_str());
        let out = Command::new("secret-tool")
            .args(["lookup", "service", service, "username", &account])
            .output()
            .unwrap();
        String::from_utf8_lossy(&out.stdout).trim().to_string()
    };
    let vars = vec![
        ("GOLIVE_KEYCHAIN_SERVICE".to_string(), service.clone()),
        (
            "DBUS_SESSION_BUS_ADDRESS".to_string(),
            std::env::var("DBUS_SESSION_BUS_ADDRESS").unwrap(),
        ),
    ];
    let forget = |args: &[&str]| {
        let out = crate::common::golive_in(home.path(), args, &vars);
        let (stdout, stderr) = (
            String::from_utf8_lossy(&out.stdout).to_string(),
            String::from_utf8_lossy(&out.stderr).to_string(),
        );
        assert_eq!(out.status.code(), Some(0), "{stdout}{stderr}");
        for (_, _, value) in values {
            assert!(
                !stdout.contains(value) && !stderr.contains(value),
                "{stdout}{stderr}"
            );
        }
        stdout
    };

    let printed = forget(&["forget", "--project", "other"]);
    assert!(printed.contains("Removed 1 keychain entry"), "{printed}");
    assert!(
        printed.contains("  Other: Cloudflare API token\n"),
        "{printed}"
    );
    assert!(!printed.contains("Quillmate"), "{printed}");
    assert_eq!(lookup(&service, &other.id, SecretKind::CloudflareToken), "");
    assert_eq!(
        lookup(&service, &quillmate.id, SecretKind::ClerkSecretKey),
        values[0].2,
        "--project removed another project's entry"
    );

    let printed = forget(&["forget", "--all"]);
    assert!(
        printed.contains(&format!(
            "Removed 3 keychain entries under the service \"{service}\""
        )),
        "{printed}"
    );
    assert!(
        printed.contains("  Quillmate: Clerk secret key, Vercel access token\n"),
        "{printed}"
    );
    assert!(
        printed.contains(
            "  a project no longer saved (project-no-longer-saved): Clerk platform key\n"
        ),
        "{printed}"
    );
    for (id, kind, _) in values {
        assert_eq!(
            lookup(&service, id, kind),
            "",
            "{id} {kind:?} is still there"
        );
    }
    // Nothing else: another service's entry and the projects themselves stay.
    assert_eq!(
        lookup(&other_service, &quillmate.id, SecretKind::ClerkSecretKey),
        elsewhere.expose()
    );
    assert_eq!(
        projects.list().unwrap(),
        vec![quillmate.clone(), other.clone()]
    );

    let printed = forget(&["forget", "--all"]);
    assert!(
        printed.starts_with("No keychain entries to remove"),
        "{printed}"
    );
}

/// `forget` says what it needs, and a project it does not know, before touching a keychain.
#[test]
fn forget_needs_all_or_a_known_project() {
    for (args, says) in [
        (&["forget"][..], "--all"),
        (
            &["forget", "--all", "--project", "Quillmate"][..],
            "cannot be used with",
        ),
        (&["forget", "--project", "Nowhere"][..], "Nowhere"),
    ] {
        let out = crate::common::golive(args, &[]);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {stderr}");
        assert!(stderr.contains(says), "{args:?}: {stderr}");
        assert!(out.stdout.is_empty(), "{args:?}");
    }
}

/// Every entry under these keychain services is cleared when dropped, even by a failing
/// assertion.
struct Cleared(Vec<String>);

impl Drop for Cleared {
    fn drop(&mut self) {
        for service in &self.0 {
            let _ = Command::new("secret-tool")
                .args(["clear", "service", service])
                .status();
        }
    }
}

/// A child process stopped when dropped, even by a failing assertion (else it would hold the
/// test runner's output open).
struct Stopped(std::process::Child);

impl Drop for Stopped {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}
