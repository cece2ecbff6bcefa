//! The `golive check` contract, run as a real process against the sandbox over real sockets.

mod common;

use common::{check, golive, stdout_json};
use golive_sandbox::{scenario::LIVE_SECRET_KEY, Sandbox, Scenario, DOMAIN};

fn vars(sandbox: &Sandbox, keys: bool) -> Vec<(String, String)> {
    let mut v = sandbox.env();
    if keys {
        v.extend(sandbox.key_env());
    }
    v
}

async fn sandbox(name: &str) -> Sandbox {
    Sandbox::start(Scenario::named(name).unwrap())
        .await
        .unwrap()
}

#[tokio::test(flavor = "multi_thread")]
async fn live_keys_pass_and_the_json_is_the_contract() {
    let sb = sandbox("live").await;
    let out = golive(&["check", "--domain", DOMAIN, "--json"], &vars(&sb, true));
    assert_eq!(
        out.status.code(),
        Some(0),
        "stderr: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let report = stdout_json(&out);

    let mut top: Vec<_> = report.as_object().unwrap().keys().cloned().collect();
    top.sort();
    assert_eq!(top, ["checks", "domain", "summary"]);
    assert_eq!(report["domain"], DOMAIN);
    for c in report["checks"].as_array().unwrap() {
        let mut keys: Vec<_> = c.as_object().unwrap().keys().cloned().collect();
        keys.sort();
        assert_eq!(keys, ["detail", "fix", "id", "status", "title"]);
        assert!(["pass", "warn", "fail", "skip"].contains(&c["status"].as_str().unwrap()));
    }
    assert_eq!(check(&report, "clerk.publishable_key")["status"], "pass");
    assert_eq!(check(&report, "clerk.secret_key")["status"], "pass");
    let s = &report["summary"];
    let total: u64 = ["pass", "warn", "fail", "skip"]
        .iter()
        .map(|k| s[k].as_u64().unwrap())
        .sum();
    assert_eq!(total as usize, report["checks"].as_array().unwrap().len());
    assert_eq!(s["fail"], 0);

    // Exactly one JSON object, and no secret in it.
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert_eq!(stdout.trim().lines().count(), 1);
    assert!(!stdout.contains(LIVE_SECRET_KEY));
}

#[tokio::test(flavor = "multi_thread")]
async fn a_rejected_secret_key_fails_with_exit_1() {
    let sb = sandbox("live").await;
    let mut v = vars(&sb, true);
    let wrong = "sk_live_wrongwrongwrongwrong0000";
    v.retain(|(k, _)| k != "CLERK_SECRET_KEY");
    v.push(("CLERK_SECRET_KEY".into(), wrong.into()));
    let out = golive(&["check", "--domain", DOMAIN, "--json"], &v);
    assert_eq!(out.status.code(), Some(1));
    let report = stdout_json(&out);
    let c = check(&report, "clerk.secret_key");
    assert_eq!(c["status"], "fail");
    assert!(c["detail"].as_str().unwrap().contains("rejected"), "{c}");
    assert!(c["fix"].as_str().unwrap().contains("API keys"));
    assert!(!String::from_utf8_lossy(&out.stdout).contains(wrong));
}

#[tokio::test(flavor = "multi_thread")]
async fn keys_of_another_domain_fail() {
    let sb = sandbox("other-domain").await;
    let out = golive(&["check", "--domain", DOMAIN, "--json"], &vars(&sb, true));
    assert_eq!(out.status.code(), Some(1));
    let report = stdout_json(&out);
    let pk = check(&report, "clerk.publishable_key");
    assert_eq!(pk["status"], "fail");
    assert!(
        pk["detail"]
            .as_str()
            .unwrap()
            .contains("clerk.otherapp.test"),
        "{pk}"
    );
    let sk = check(&report, "clerk.secret_key");
    assert_eq!(sk["status"], "fail");
    assert!(
        sk["detail"].as_str().unwrap().contains("otherapp.test"),
        "{sk}"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn development_keys_fail_offline() {
    let sb = sandbox("live").await;
    let mut v = sb.env();
    v.push((
        "NEXT_PUBLIC_CLERK_PUBLISHABLE_KEY".into(),
        "pk_test_ZXhhbXBsZS5hY2NvdW50cy5kZXYk".into(),
    ));
    v.push((
        "CLERK_SECRET_KEY".into(),
        "sk_test_abcdefghijklmnopqrstuvwxyz".into(),
    ));
    let report = stdout_json(&golive(&["check", "--domain", DOMAIN, "--json"], &v));
    assert!(check(&report, "clerk.publishable_key")["detail"]
        .as_str()
        .unwrap()
        .contains("development key"));
    assert!(check(&report, "clerk.secret_key")["detail"]
        .as_str()
        .unwrap()
        .contains("development key"));
}

#[tokio::test(flavor = "multi_thread")]
async fn without_inputs_checks_skip_and_exit_0() {
    let sb = sandbox("live").await;
    let out = golive(&["check", "--domain", DOMAIN, "--json"], &vars(&sb, false));
    assert_eq!(out.status.code(), Some(0));
    let report = stdout_json(&out);
    assert!(report["checks"]
        .as_array()
        .unwrap()
        .iter()
        .all(|c| c["status"] == "skip"));
    assert!(check(&report, "clerk.secret_key")["detail"]
        .as_str()
        .unwrap()
        .contains("CLERK_SECRET_KEY"));
}

#[tokio::test(flavor = "multi_thread")]
async fn unreachable_vendors_fail_with_the_reason_and_nothing_hangs() {
    let sb = sandbox("live").await;
    let mut v = vars(&sb, true);
    // A port nothing listens on: the vendor is unreachable.
    let dead = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap();
    v.retain(|(k, _)| k != "GOLIVE_CLERK_API_URL");
    v.push(("GOLIVE_CLERK_API_URL".into(), format!("http://{dead}")));
    let out = golive(&["check", "--domain", DOMAIN, "--json"], &v);
    assert_eq!(out.status.code(), Some(1));
    let report = stdout_json(&out);
    let c = check(&report, "clerk.secret_key");
    assert_eq!(c["status"], "fail");
    assert!(
        c["detail"]
            .as_str()
            .unwrap()
            .contains("could not be reached"),
        "{c}"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn the_table_names_every_check() {
    let sb = sandbox("live").await;
    let out = golive(&["check", "--domain", DOMAIN], &vars(&sb, true));
    assert_eq!(out.status.code(), Some(0));
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("PASS  clerk.publishable_key"), "{text}");
    assert!(text.contains("clerk.secret_key"));
    assert!(!text.contains(LIVE_SECRET_KEY));
}

#[test]
fn bad_usage_and_configuration_exit_2_with_a_message() {
    let none: &[(String, String)] = &[];
    let bad_url = &[("GOLIVE_CLERK_API_URL".to_string(), "nope".to_string())][..];
    let cases = [
        (&["check", "--json"][..], none, "--domain"),
        (
            &["check", "--domain", "shop.vercel.app"],
            none,
            "Vercel preview domain",
        ),
        (
            &["check", "--domain", DOMAIN],
            bad_url,
            "GOLIVE_CLERK_API_URL",
        ),
        (
            &["check", "--project", "nothing-here"],
            none,
            "No project named",
        ),
    ];
    for (args, vars, needle) in cases {
        let out = golive(args, vars);
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        assert!(out.stdout.is_empty(), "{args:?} printed to stdout");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains(needle), "{args:?}: {err}");
    }
    assert_eq!(golive(&["frobnicate"], &[]).status.code(), Some(2));
}
