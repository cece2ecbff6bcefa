//! The `golive check` contract, run as a real process against the sandbox over real sockets:
//! the JSON shape, the exit codes, and each check passing and failing in the scenario meant
//! for it.

use crate::common;
use crate::common::{check, golive, golive_bin, sandbox, stdout_json};
use golive_sandbox::scenario::{LIVE_SECRET_KEY, PLATFORM_KEY};
use golive_sandbox::{Sandbox, Scenario, DOMAIN};
use serde_json::Value;

/// The sandbox's variables, the scenario's keys and the platform key.
fn all_inputs(sb: &Sandbox) -> Vec<(String, String)> {
    let mut v = sb.env();
    v.extend(sb.key_env());
    v.extend(sb.platform_key_env());
    v
}

/// Runs `golive check --json` and returns the exit code and the report. No Clerk secret, the
/// sandbox's or one handed in, may appear in the output.
fn run(vars: &[(String, String)]) -> (i32, Value) {
    let out = golive(&["check", "--domain", DOMAIN, "--json"], vars);
    let stdout = String::from_utf8_lossy(&out.stdout);
    let given = vars
        .iter()
        .filter(|(k, _)| k == "CLERK_SECRET_KEY" || k == "CLERK_PLATFORM_API_KEY")
        .map(|(_, v)| v.as_str());
    for secret in [LIVE_SECRET_KEY, PLATFORM_KEY].into_iter().chain(given) {
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
    assert_eq!(top, ["checks", "domain", "layout", "summary"]);
    assert_eq!(report["domain"], DOMAIN);
    // The layout is at the top, before the checks, and says where everything lives.
    assert!(stdout.find("\"layout\"").unwrap() < stdout.find("\"checks\"").unwrap());
    assert_eq!(
        report["layout"],
        serde_json::json!({
            "app_domain": DOMAIN,
            "clerk_domain": DOMAIN,
            "frontend_api": format!("clerk.{DOMAIN}"),
            "proxy_url": null,
            "satellites": [],
            "detected": [format!(
                "Clerk's domain {DOMAIN}: from the publishable key (its Frontend API is clerk.{DOMAIN})."
            )],
        })
    );
    for c in report["checks"].as_array().unwrap() {
        let mut keys: Vec<_> = c.as_object().unwrap().keys().cloned().collect();
        keys.sort();
        // Evidence only where a check shows what it compared.
        keys.retain(|k| k != "evidence");
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
            "dns.dmarc",
            "sso.google",
            "sso.github",
            "sso.microsoft",
            "sso.discord",
            "sso.apple",
            "vercel.domain",
            "vercel.env",
            "vercel.deployment",
            "site.publishable_key",
            "webhook.endpoint",
            "webhook.secret",
            "supabase.third_party_auth",
            "site.handshake",
            "site.csp"
        ]
    );
    let s = &report["summary"];
    assert_eq!(
        (s["pass"].as_u64(), s["fail"].as_u64()),
        (Some(29), Some(0))
    );
    assert!(detail(&report, "clerk.frontend_api").contains("certificate by Golive Sandbox CA"));
    assert!(detail(&report, "clerk.key_pair").contains("ins_2sandboxLIVEquillmate"));
}

/// What `golive check` is handed: everything the scenario's user has (the sandbox's
/// addresses, the scenario's keys, the platform key), that with some variables replaced, or
/// only the sandbox's addresses and these.
enum Inputs {
    All,
    AllBut(&'static [(&'static str, &'static str)]),
    Only(&'static [(&'static str, &'static str)]),
}

impl Inputs {
    fn vars(&self, sb: &Sandbox) -> Vec<(String, String)> {
        let (mut vars, given) = match self {
            Inputs::All => (all_inputs(sb), &[][..]),
            Inputs::AllBut(given) => (all_inputs(sb), *given),
            Inputs::Only(given) => (sb.env(), *given),
        };
        vars.retain(|(k, _)| !given.iter().any(|(g, _)| g == k));
        vars.extend(given.iter().map(|(k, v)| (k.to_string(), v.to_string())));
        vars
    }
}

/// What one check of the report must say: its status, text one of its fields contains, or a
/// field's exact value (fields as JSON pointers into the check: `/detail`, `/fix`,
/// `/evidence/actual`).
enum Says {
    Status(&'static str, &'static str),
    Has(&'static str, &'static str, &'static str),
    Is(&'static str, &'static str, &'static str),
}
use Says::{Has, Is, Status};

/// A `golive check --json` run: what it is about, its scenario and inputs, the exit code and
/// what its checks must say.
struct Row {
    name: &'static str,
    scenario: &'static str,
    inputs: Inputs,
    code: i32,
    says: &'static [Says],
}

const WRONG_SECRET_KEY: &str = "sk_live_wrongwrongwrongwrong0000";

const ROWS: &[Row] = &[
    Row {
        name: "no DMARC policy is a warning with the record to add",
        scenario: "no-dmarc",
        inputs: Inputs::All,
        code: 0,
        says: &[
            Status("dns.dmarc", "warn"),
            Has("dns.dmarc", "/detail", "no DMARC record"),
            Has(
                "dns.dmarc",
                "/fix",
                "v=DMARC1; p=none; rua=mailto:dmarc-reports@quillmate.test",
            ),
            Has(
                "dns.dmarc",
                "/evidence/actual",
                "no DMARC record at _dmarc.quillmate.test",
            ),
        ],
    },
    Row {
        name: "created instance with DNS pending",
        scenario: "created",
        inputs: Inputs::All,
        code: 1,
        says: &[
            Status("clerk.secret_key", "pass"),
            Status("clerk.key_pair", "pass"),
            Has("clerk.key_pair", "/detail", "matched by domain"),
            // The DNS checks say what to do; the HTTPS probes behind them wait for that.
            Status("dns.clerk", "fail"),
            Status("clerk.frontend_api", "skip"),
            Has("clerk.frontend_api", "/detail", "dns.clerk failed"),
            Status("clerk.accounts_portal", "skip"),
            Status("clerk.domain_status", "warn"),
            Has(
                "clerk.domain_status",
                "/detail",
                "No CNAME record found for clerk.quillmate.test",
            ),
        ],
    },
    Row {
        name: "certificates pending is a warning with the reason",
        scenario: "cert-pending",
        inputs: Inputs::All,
        code: 0,
        says: &[
            Status("clerk.frontend_api", "warn"),
            Has(
                "clerk.frontend_api",
                "/detail",
                "not issued the certificate",
            ),
            Has(
                "clerk.frontend_api",
                "/detail",
                "frontend-api.clerk.services",
            ),
            Status("clerk.accounts_portal", "warn"),
            Has(
                "clerk.accounts_portal",
                "/detail",
                "not issued the certificate",
            ),
            Has(
                "clerk.accounts_portal",
                "/detail",
                "frontend-api.clerk.services",
            ),
            Status("clerk.domain_status", "warn"),
            Has("clerk.domain_status", "/detail", "certificates in_process"),
        ],
    },
    Row {
        name: "mismatched keys are caught",
        scenario: "mismatched-keys",
        inputs: Inputs::All,
        code: 1,
        says: &[
            Status("clerk.publishable_key", "pass"),
            Status("clerk.key_pair", "fail"),
            Has("clerk.key_pair", "/detail", "ins_2sandboxLIVEquillmate"),
            Has("clerk.key_pair", "/detail", "ins_2sandboxLIVEotherapp"),
            Status("clerk.secret_key", "fail"),
            Has("clerk.secret_key", "/detail", "otherapp.test"),
            Is(
                "clerk.secret_key",
                "/evidence/expected",
                "a production instance for quillmate.test",
            ),
            Has("clerk.secret_key", "/evidence/actual", "otherapp.test"),
        ],
    },
    Row {
        name: "keys of another domain fail",
        scenario: "other-domain",
        inputs: Inputs::All,
        code: 1,
        says: &[
            Status("clerk.publishable_key", "fail"),
            Has("clerk.publishable_key", "/detail", "clerk.otherapp.test"),
            Status("clerk.secret_key", "fail"),
            // Both keys are the other app's: a pair.
            Status("clerk.key_pair", "pass"),
        ],
    },
    Row {
        name: "before the production instance exists",
        scenario: "fresh",
        inputs: Inputs::All,
        code: 1,
        says: &[
            Status("clerk.secret_key", "skip"),
            Status("clerk.frontend_api", "skip"),
            Status("clerk.domain_status", "fail"),
            Has("clerk.domain_status", "/detail", "no production domain"),
        ],
    },
    Row {
        name: "a rejected secret key fails with exit 1",
        scenario: "live",
        inputs: Inputs::Only(&[
            ("CLERK_SECRET_KEY", WRONG_SECRET_KEY),
            ("CLERK_PLATFORM_API_KEY", "ak_wrong"),
        ]),
        code: 1,
        says: &[
            Status("clerk.secret_key", "fail"),
            Has("clerk.secret_key", "/detail", "rejected this secret key"),
            Has("clerk.secret_key", "/fix", "API keys"),
            Has(
                "clerk.domain_status",
                "/detail",
                "rejected this platform key",
            ),
        ],
    },
    Row {
        name: "development keys fail offline",
        scenario: "live",
        inputs: Inputs::Only(&[
            (
                "NEXT_PUBLIC_CLERK_PUBLISHABLE_KEY",
                "pk_test_ZXhhbXBsZS5hY2NvdW50cy5kZXYk",
            ),
            ("CLERK_SECRET_KEY", "sk_test_abcdefghijklmnopqrstuvwxyz"),
        ]),
        code: 1,
        says: &[
            Has("clerk.publishable_key", "/detail", "development key"),
            Has("clerk.secret_key", "/detail", "development key"),
            Status("clerk.key_pair", "skip"),
        ],
    },
    Row {
        name: "without inputs key checks skip",
        scenario: "live",
        inputs: Inputs::Only(&[]),
        code: 0,
        says: &[
            Status("clerk.publishable_key", "skip"),
            Status("clerk.secret_key", "skip"),
            Status("clerk.key_pair", "skip"),
            Status("clerk.domain_status", "skip"),
            Has("clerk.secret_key", "/detail", "CLERK_SECRET_KEY"),
            // The domain's own hosts need no key.
            Status("clerk.frontend_api", "pass"),
        ],
    },
    Row {
        name: "Supabase trusting only the development issuer fails",
        scenario: "dev-issuer-only",
        inputs: Inputs::All,
        code: 1,
        says: &[
            Status("supabase.third_party_auth", "fail"),
            Has(
                "supabase.third_party_auth",
                "/detail",
                "only the development issuer",
            ),
            Has(
                "supabase.third_party_auth",
                "/detail",
                "quillmate-dev-13.clerk.accounts.dev",
            ),
            Has(
                "supabase.third_party_auth",
                "/fix",
                "https://clerk.quillmate.test",
            ),
        ],
    },
    Row {
        name: "Supabase trusting both issuers passes",
        scenario: "both-issuers",
        inputs: Inputs::All,
        code: 0,
        says: &[Status("supabase.third_party_auth", "pass")],
    },
    Row {
        name: "a rejected Supabase token says what to do",
        scenario: "live",
        inputs: Inputs::AllBut(&[("SUPABASE_ACCESS_TOKEN", "sbp_wrong")]),
        code: 1,
        says: &[
            Status("supabase.third_party_auth", "fail"),
            Has(
                "supabase.third_party_auth",
                "/detail",
                "rejected the access token",
            ),
        ],
    },
    Row {
        name: "an unknown Supabase project says what to do",
        scenario: "live",
        inputs: Inputs::AllBut(&[("SUPABASE_PROJECT_REF", "nosuchprojectrefxxxx")]),
        code: 1,
        says: &[
            Status("supabase.third_party_auth", "fail"),
            Has(
                "supabase.third_party_auth",
                "/detail",
                "has no project nosuchprojectrefxxxx",
            ),
        ],
    },
];

/// Each row in its own sandbox, all at once; a failure names its row.
#[tokio::test(flavor = "multi_thread")]
async fn each_scenario_reports_what_it_is_for() {
    let runs = ROWS.iter().map(|row| async move {
        let sb = sandbox(row.scenario).await;
        let vars = row.inputs.vars(&sb);
        let ran = tokio::task::spawn_blocking(move || run(&vars)).await;
        (row, ran.unwrap_or_else(|e| panic!("{}: {e}", row.name)))
    });
    for (row, (code, report)) in futures::future::join_all(runs).await {
        assert_eq!(code, row.code, "{}: exit code; {report}", row.name);
        for says in row.says {
            let (id, field) = match says {
                Status(id, _) => (id, "/status"),
                Has(id, field, _) | Is(id, field, _) => (id, *field),
            };
            let c = check(&report, id);
            let found = c.pointer(field).and_then(Value::as_str).unwrap_or_default();
            let ok = match says {
                Status(_, want) | Is(_, _, want) => found == *want,
                Has(_, _, needle) => found.contains(needle),
            };
            assert!(ok, "{}: {id} {field} is {found:?}; {c}", row.name);
        }
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn unreachable_vendors_fail_with_the_reason_and_nothing_hangs() {
    let sb = sandbox("live").await;
    // A port held but never listened on: every connection is refused, and no other test's
    // server (they share this process) can be given the port meanwhile.
    let held = tokio::net::TcpSocket::new_v4().unwrap();
    held.bind("127.0.0.1:0".parse().unwrap()).unwrap();
    let dead = held.local_addr().unwrap();
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

/// Saved settings that do not parse are kept aside, never overwritten, and the CLI says where.
#[test]
fn corrupt_settings_are_kept_aside_and_reported_on_stderr() {
    let home = tempfile::tempdir().unwrap();
    let config = home.path().join("config");
    std::fs::create_dir_all(&config).unwrap();
    std::fs::write(
        config.join("projects.json"),
        b"{\"version\": 1, \"projects\": [",
    )
    .unwrap();
    let out = common::golive_in(home.path(), &["check", "--project", "Quillmate"], &[]);
    assert_eq!(out.status.code(), Some(2));
    assert!(out.stdout.is_empty());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("could not be read"), "{err}");
    let kept: Vec<_> = std::fs::read_dir(&config)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.to_string_lossy().contains("projects.json.corrupt-"))
        .collect();
    assert_eq!(kept.len(), 1, "{kept:?}");
    assert!(err.contains(&kept[0].display().to_string()), "{err}");
    assert_eq!(
        std::fs::read(&kept[0]).unwrap(),
        b"{\"version\": 1, \"projects\": ["
    );
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

/// A non-loopback `http://` override is refused before anything is sent: exit 2 naming the
/// variable, nothing on stdout, and not one request or probe reaches the sandbox.
#[tokio::test(flavor = "multi_thread")]
async fn a_plain_http_override_off_this_computer_is_refused_before_any_connection() {
    let sb = sandbox("live").await;
    for var in [
        "GOLIVE_CLERK_API_URL",
        "GOLIVE_VERCEL_API_URL",
        "GOLIVE_CLOUDFLARE_API_URL",
        "GOLIVE_SUPABASE_API_URL",
        "GOLIVE_OAUTH_GOOGLE_TOKEN_URL",
    ] {
        let mut vars: Vec<(String, String)> = all_inputs(&sb)
            .into_iter()
            .filter(|(k, _)| k != var)
            .collect();
        // TEST-NET-1: documentation only, never routed.
        vars.push((var.into(), "http://192.0.2.1:8080/".into()));
        let out = golive(&["check", "--domain", DOMAIN, "--json"], &vars);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{var}: {stderr}");
        assert!(out.stdout.is_empty(), "{var} printed to stdout");
        assert!(
            stderr.contains(&format!("{var}=http://192.0.2.1:8080/ would send secrets")),
            "{stderr}"
        );
    }
    assert!(sb.requests().is_empty(), "{:?}", sb.requests());
    assert!(sb.probes().is_empty(), "{:?}", sb.probes());
}

/// Each override is a warning line on stderr; `--json` stdout stays the one report object.
#[tokio::test(flavor = "multi_thread")]
async fn each_override_is_a_warning_on_stderr_and_never_in_the_json() {
    let sb = sandbox("live").await;
    let out = golive(&["check", "--domain", DOMAIN, "--json"], &all_inputs(&sb));
    assert_eq!(out.status.code(), Some(0));
    let stdout = String::from_utf8(out.stdout.clone()).unwrap();
    assert!(
        !stdout.contains("warning") && !stdout.contains("GOLIVE_"),
        "{stdout}"
    );
    let _ = stdout_json(&out);
    let stderr = String::from_utf8_lossy(&out.stderr);
    let warnings: Vec<&str> = stderr
        .lines()
        .filter(|l| l.starts_with("golive: warning: not the real vendors: "))
        .collect();
    assert_eq!(warnings.len(), sb.env().len(), "{stderr}");
    for (var, _) in sb.env() {
        let named = format!(": {var}=");
        assert!(
            warnings.iter().any(|w| w.contains(&named)),
            "no warning for {var}: {stderr}"
        );
    }
}
