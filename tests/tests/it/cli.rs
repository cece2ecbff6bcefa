//! The `golive check` contract, run as a real process against the sandbox over real sockets:
//! the JSON shape, the exit codes, and each check passing and failing in the scenario meant
//! for it.

use crate::common;
use crate::common::{check, golive, golive_bin, stdout_json};
use golive_sandbox::scenario::{LIVE_SECRET_KEY, PLATFORM_KEY};
use golive_sandbox::{Sandbox, Scenario, DOMAIN};
use serde_json::Value;

async fn sandbox(name: &str) -> Sandbox {
    Sandbox::start(Scenario::named(name).unwrap())
        .await
        .unwrap()
}

/// The sandbox's variables, the scenario's keys and the platform key.
fn all_inputs(sb: &Sandbox) -> Vec<(String, String)> {
    let mut v = sb.env();
    v.extend(sb.key_env());
    v.extend(sb.platform_key_env());
    v
}

/// Runs `golive check --json` and returns the exit code and the report.
fn run(vars: &[(String, String)]) -> (i32, Value) {
    let out = golive(&["check", "--domain", DOMAIN, "--json"], vars);
    let stdout = String::from_utf8_lossy(&out.stdout);
    for secret in [LIVE_SECRET_KEY, PLATFORM_KEY] {
        assert!(!stdout.contains(secret), "a secret in the output");
    }
    (out.status.code().unwrap(), stdout_json(&out))
}

fn status<'a>(report: &'a Value, id: &str) -> &'a str {
    check(report, id)["status"].as_str().unwrap()
}

fn detail<'a>(report: &'a Value, id: &str) -> &'a str {
    check(report, id)["detail"].as_str().unwrap()
}

#[tokio::test(flavor = "multi_thread")]
async fn live_passes_everything_and_the_json_is_the_contract() {
    let sb = sandbox("live").await;
    let out = golive(&["check", "--domain", DOMAIN, "--json"], &all_inputs(&sb));
    assert_eq!(
        out.status.code(),
        Some(0),
        "stderr: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let stdout = String::from_utf8(out.stdout.clone()).unwrap();
    assert_eq!(stdout.trim().lines().count(), 1, "exactly one JSON object");
    let report = stdout_json(&out);

    let mut top: Vec<_> = report.as_object().unwrap().keys().cloned().collect();
    top.sort();
    assert_eq!(top, ["checks", "domain", "summary"]);
    assert_eq!(report["domain"], DOMAIN);
    for c in report["checks"].as_array().unwrap() {
        let mut keys: Vec<_> = c.as_object().unwrap().keys().cloned().collect();
        keys.sort();
        assert_eq!(keys, ["detail", "fix", "id", "status", "title"]);
        assert_eq!(c["status"], "pass", "{c}");
        assert!(c["fix"].is_null());
    }
    let ids: Vec<&str> = report["checks"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["id"].as_str().unwrap())
        .collect();
    assert_eq!(
        ids,
        [
            "clerk.publishable_key",
            "clerk.secret_key",
            "clerk.key_pair",
            "clerk.frontend_api",
            "clerk.accounts_portal",
            "clerk.domain_status",
            "dns.clerk",
            "dns.accounts",
            "dns.clkmail",
            "dns.clk._domainkey",
            "dns.clk2._domainkey",
            "dns.apex",
            "dns.www",
            "dns.caa",
            "sso.google",
            "sso.github",
            "sso.microsoft",
            "sso.discord",
            "sso.apple",
            "vercel.domain",
            "vercel.env",
            "vercel.deployment",
            "site.publishable_key",
            "supabase.third_party_auth"
        ]
    );
    let s = &report["summary"];
    assert_eq!(
        (s["pass"].as_u64(), s["fail"].as_u64()),
        (Some(24), Some(0))
    );
    assert!(detail(&report, "clerk.frontend_api").contains("certificate by Golive Sandbox CA"));
    assert!(detail(&report, "clerk.key_pair").contains("ins_2sandboxLIVEquillmate"));
}

#[tokio::test(flavor = "multi_thread")]
async fn created_instance_with_dns_pending() {
    let sb = sandbox("created").await;
    let (code, r) = run(&all_inputs(&sb));
    assert_eq!(code, 1);
    assert_eq!(status(&r, "clerk.secret_key"), "pass");
    assert_eq!(status(&r, "clerk.key_pair"), "pass");
    assert!(
        detail(&r, "clerk.key_pair").contains("matched by domain"),
        "{r}"
    );
    // The DNS checks say what to do; the HTTPS probes behind them wait for that.
    assert_eq!(status(&r, "dns.clerk"), "fail");
    assert_eq!(status(&r, "clerk.frontend_api"), "skip");
    assert!(
        detail(&r, "clerk.frontend_api").contains("dns.clerk failed"),
        "{r}"
    );
    assert_eq!(status(&r, "clerk.accounts_portal"), "skip");
    assert_eq!(status(&r, "clerk.domain_status"), "warn");
    assert!(
        detail(&r, "clerk.domain_status")
            .contains("No CNAME record found for clerk.quillmate.test"),
        "{r}"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn certificates_pending_is_a_warning_with_the_reason() {
    let sb = sandbox("cert-pending").await;
    let (code, r) = run(&all_inputs(&sb));
    assert_eq!(code, 0, "{r}");
    for id in ["clerk.frontend_api", "clerk.accounts_portal"] {
        assert_eq!(status(&r, id), "warn", "{id}");
        assert!(detail(&r, id).contains("not issued the certificate"), "{r}");
        assert!(
            detail(&r, id).contains("frontend-api.clerk.services"),
            "{r}"
        );
    }
    assert_eq!(status(&r, "clerk.domain_status"), "warn");
    assert!(
        detail(&r, "clerk.domain_status").contains("certificates in_process"),
        "{r}"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn mismatched_keys_are_caught() {
    let sb = sandbox("mismatched-keys").await;
    let (code, r) = run(&all_inputs(&sb));
    assert_eq!(code, 1);
    assert_eq!(status(&r, "clerk.publishable_key"), "pass");
    assert_eq!(
        status(&r, "clerk.key_pair"),
        "fail",
        "{}",
        detail(&r, "clerk.key_pair")
    );
    let d = detail(&r, "clerk.key_pair");
    assert!(
        d.contains("ins_2sandboxLIVEquillmate") && d.contains("ins_2sandboxLIVEotherapp"),
        "{d}"
    );
    assert_eq!(status(&r, "clerk.secret_key"), "fail");
    assert!(detail(&r, "clerk.secret_key").contains("otherapp.test"));
    let evidence = &check(&r, "clerk.secret_key")["evidence"];
    assert_eq!(
        evidence["expected"],
        format!("a production instance for {DOMAIN}")
    );
    assert!(evidence["actual"]
        .as_str()
        .unwrap()
        .contains("otherapp.test"));
}

#[tokio::test(flavor = "multi_thread")]
async fn keys_of_another_domain_fail() {
    let sb = sandbox("other-domain").await;
    let (code, r) = run(&all_inputs(&sb));
    assert_eq!(code, 1);
    assert_eq!(status(&r, "clerk.publishable_key"), "fail");
    assert!(detail(&r, "clerk.publishable_key").contains("clerk.otherapp.test"));
    assert_eq!(status(&r, "clerk.secret_key"), "fail");
    assert_eq!(
        status(&r, "clerk.key_pair"),
        "pass",
        "both keys are the other app's: a pair"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn before_the_production_instance_exists() {
    let sb = sandbox("fresh").await;
    let (code, r) = run(&all_inputs(&sb));
    assert_eq!(code, 1);
    assert_eq!(status(&r, "clerk.secret_key"), "skip");
    assert_eq!(status(&r, "clerk.frontend_api"), "skip");
    assert_eq!(status(&r, "clerk.domain_status"), "fail");
    assert!(
        detail(&r, "clerk.domain_status").contains("no production domain"),
        "{r}"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_rejected_secret_key_fails_with_exit_1() {
    let sb = sandbox("live").await;
    let mut v = sb.env();
    let wrong = "sk_live_wrongwrongwrongwrong0000";
    v.push(("CLERK_SECRET_KEY".into(), wrong.into()));
    v.push(("CLERK_PLATFORM_API_KEY".into(), "ak_wrong".into()));
    let out = golive(&["check", "--domain", DOMAIN, "--json"], &v);
    assert_eq!(out.status.code(), Some(1));
    let r = stdout_json(&out);
    let c = check(&r, "clerk.secret_key");
    assert_eq!(c["status"], "fail");
    assert!(
        c["detail"]
            .as_str()
            .unwrap()
            .contains("rejected this secret key"),
        "{c}"
    );
    assert!(c["fix"].as_str().unwrap().contains("API keys"));
    assert!(
        detail(&r, "clerk.domain_status").contains("rejected this platform key"),
        "{r}"
    );
    assert!(!String::from_utf8_lossy(&out.stdout).contains(wrong));
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
    let (_, r) = run(&v);
    assert!(detail(&r, "clerk.publishable_key").contains("development key"));
    assert!(detail(&r, "clerk.secret_key").contains("development key"));
    assert_eq!(status(&r, "clerk.key_pair"), "skip");
}

#[tokio::test(flavor = "multi_thread")]
async fn without_inputs_key_checks_skip() {
    let sb = sandbox("live").await;
    let (code, r) = run(&sb.env());
    assert_eq!(code, 0);
    for id in [
        "clerk.publishable_key",
        "clerk.secret_key",
        "clerk.key_pair",
        "clerk.domain_status",
    ] {
        assert_eq!(status(&r, id), "skip", "{id}");
    }
    assert!(detail(&r, "clerk.secret_key").contains("CLERK_SECRET_KEY"));
    // The domain's own hosts need no key.
    assert_eq!(status(&r, "clerk.frontend_api"), "pass");
}

#[tokio::test(flavor = "multi_thread")]
async fn unreachable_vendors_fail_with_the_reason_and_nothing_hangs() {
    let sb = sandbox("live").await;
    // Ports nothing listens on: every vendor is unreachable.
    let dead = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap();
    let mut v: Vec<(String, String)> = all_inputs(&sb)
        .into_iter()
        .filter(|(k, _)| k != "GOLIVE_CLERK_API_URL" && k != "GOLIVE_CONNECT_TO")
        .collect();
    v.push(("GOLIVE_CLERK_API_URL".into(), format!("http://{dead}")));
    v.push((
        "GOLIVE_CONNECT_TO".into(),
        format!("clerk.{DOMAIN}:443:{dead},accounts.{DOMAIN}:443:{dead}"),
    ));
    let (code, r) = run(&v);
    assert_eq!(code, 1);
    for id in ["clerk.secret_key", "clerk.domain_status"] {
        assert_eq!(status(&r, id), "fail", "{id}");
        assert!(detail(&r, id).contains("could not be reached"), "{r}");
    }
    assert!(
        detail(&r, "clerk.frontend_api").contains("not reachable"),
        "{r}"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn the_table_names_every_check() {
    let sb = sandbox("live").await;
    let out = golive(&["check", "--domain", DOMAIN], &all_inputs(&sb));
    assert_eq!(out.status.code(), Some(0));
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("PASS  clerk.publishable_key"), "{text}");
    assert!(text.contains("clerk.domain_status"));
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

#[tokio::test(flavor = "multi_thread")]
async fn supabase_trusting_only_the_development_issuer_fails() {
    let sb = sandbox("dev-issuer-only").await;
    let (code, r) = run(&all_inputs(&sb));
    assert_eq!(code, 1);
    assert_eq!(status(&r, "supabase.third_party_auth"), "fail");
    let d = detail(&r, "supabase.third_party_auth");
    assert!(d.contains("only the development issuer"), "{d}");
    assert!(d.contains("quillmate-dev-13.clerk.accounts.dev"), "{d}");
    let fix = check(&r, "supabase.third_party_auth")["fix"]
        .as_str()
        .unwrap();
    assert!(fix.contains("https://clerk.quillmate.test"), "{fix}");

    let sb = sandbox("both-issuers").await;
    let (code, r) = run(&all_inputs(&sb));
    assert_eq!((code, status(&r, "supabase.third_party_auth")), (0, "pass"));
}

#[tokio::test(flavor = "multi_thread")]
async fn supabase_errors_say_what_to_do() {
    let sb = sandbox("live").await;
    for (var, value, needle) in [
        (
            "SUPABASE_ACCESS_TOKEN",
            "sbp_wrong",
            "rejected the access token",
        ),
        (
            "SUPABASE_PROJECT_REF",
            "nosuchprojectrefxxxx",
            "has no project nosuchprojectrefxxxx",
        ),
    ] {
        let mut v: Vec<(String, String)> = all_inputs(&sb)
            .into_iter()
            .filter(|(k, _)| k != var)
            .collect();
        v.push((var.to_string(), value.to_string()));
        let (_, r) = run(&v);
        assert_eq!(status(&r, "supabase.third_party_auth"), "fail");
        assert!(
            detail(&r, "supabase.third_party_auth").contains(needle),
            "{r}"
        );
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn wait_rechecks_until_everything_passes() {
    let sb = sandbox("propagating").await;
    let vars = all_inputs(&sb);
    let _ = golive_bin(); // built before the clock matters
    let cli = tokio::task::spawn_blocking(move || {
        golive(
            &[
                "check",
                "--domain",
                DOMAIN,
                "--json",
                "--wait",
                "--interval",
                "1",
                "--timeout",
                "60",
            ],
            &vars,
        )
    });
    // The first round sees the lagging resolver; then the caches catch up.
    tokio::time::sleep(std::time::Duration::from_millis(1500)).await;
    sb.switch(Scenario::named("all-good").unwrap());
    let out = cli.await.unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    assert!(stderr.contains("checking again in 1 s"), "{stderr}");
    let r = stdout_json(&out);
    assert_eq!(status(&r, "dns.clerk"), "pass");
    assert_eq!(r["summary"]["warn"], 0);
}

#[tokio::test(flavor = "multi_thread")]
async fn wait_gives_up_at_the_timeout_with_the_last_report() {
    let sb = sandbox("created").await;
    let out = golive(
        &[
            "check",
            "--domain",
            DOMAIN,
            "--json",
            "--wait",
            "--interval",
            "1",
            "--timeout",
            "2",
        ],
        &all_inputs(&sb),
    );
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("gave up after"));
    assert_eq!(status(&stdout_json(&out), "dns.clerk"), "fail");
}

/// Secret canaries: every secret the sandbox knows goes to `golive check` in runs that pass,
/// fail, and meet vendors that quote the credential back in their errors; none appears in
/// the output (JSON or table, stdout or stderr) or in any file under the CLI's home.
#[tokio::test(flavor = "multi_thread")]
async fn no_secret_reaches_the_output_or_the_disk() {
    use golive_sandbox::faults::FaultKind;
    for (scenario, quoting) in [
        ("all-good", false),
        ("mismatched-keys", false),
        ("sso-wrong-redirect", false),
        ("all-good", true),
    ] {
        let sb = sandbox(scenario).await;
        if quoting {
            sb.fault("*", "*", FaultKind::Echo(401));
        }
        let vars = all_inputs(&sb);
        for args in [
            &["check", "--domain", DOMAIN, "--json"][..],
            &["check", "--domain", DOMAIN],
        ] {
            let home = tempfile::tempdir().unwrap();
            let out = common::golive_in(home.path(), args, &vars);
            let printed = [out.stdout, out.stderr].concat();
            assert!(!printed.is_empty(), "{scenario}: the run printed nothing");
            for canary in sb.canaries() {
                let at = format!("{scenario} {args:?} (quoting {quoting})");
                assert!(
                    !String::from_utf8_lossy(&printed).contains(&canary),
                    "{at}: a secret in the output"
                );
                let files = common::files_containing(home.path(), canary.as_bytes());
                assert!(files.is_empty(), "{at}: a secret in {files:?}");
            }
        }
        if quoting {
            let quoted = sb.requests().iter().filter(|r| r.status == 401).count();
            assert!(quoted > 5, "the vendors quoted credentials {quoted} times");
        }
    }
}
