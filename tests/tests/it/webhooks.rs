//! Webhooks against the sandbox over real sockets: the CLI's webhook checks passing and
//! failing in their scenarios, the env plan giving production its own signing secret (and
//! only production), the live site verifying deliveries with the secret its build holds, the
//! production webhook dashboard's link, the endpoint setting, and no signing secret in any
//! output.

use crate::common;
use crate::common::FAST;
use crate::common::{check, golive, sandbox, stdout_json};
use golive_core::config::Endpoints;
use golive_core::https_probe::Prober;
use golive_core::secrets::SecretKind;
use golive_core::steps::hosting::env_plan::EnvAction;
use golive_sandbox::faults::FaultKind;
use golive_sandbox::scenario::{
    DEV_SECRET_KEY, DEV_WEBHOOK_SECRET, LIVE_WEBHOOK_SECRET, SVIX_LOGIN_KEY, WEBHOOK_URL,
};
use golive_sandbox::site_webhook;
use golive_sandbox::vercel::env::WEBHOOK_VAR;
use golive_sandbox::{Sandbox, DOMAIN};
use serde_json::Value;

/// `golive check --json` with the scenario's inputs (less `without`, plus `with`): the
/// report, after checking that no sandbox secret is in anything it printed.
fn cli(sb: &Sandbox, without: &[&str], with: &[(&str, &str)]) -> Value {
    let mut vars = sb.env();
    vars.extend(sb.key_env());
    vars.retain(|(k, _)| !without.contains(&k.as_str()) && !with.iter().any(|(w, _)| w == k));
    vars.extend(with.iter().map(|(k, v)| (k.to_string(), v.to_string())));
    let out = golive(&["check", "--domain", DOMAIN, "--json"], &vars);
    let printed =
        String::from_utf8_lossy(&[out.stdout.clone(), out.stderr.clone()].concat()).into_owned();
    for canary in sb.canaries() {
        assert!(!printed.contains(&canary), "a secret in the CLI's output");
    }
    stdout_json(&out)
}

fn says(report: &Value, id: &str, status: &str, detail_has: &str) {
    let c = check(report, id);
    assert_eq!(c["status"], status, "{id}: {c}");
    assert!(
        c["detail"].as_str().unwrap().contains(detail_has),
        "{id}: {c}"
    );
    if status == "fail" {
        assert!(c["fix"].is_string(), "{id}: a fix");
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn each_webhook_check_passes_and_fails_in_its_scenario() {
    let live = cli(&sandbox("live").await, &[], &[]);
    says(&live, "webhook.endpoint", "pass", "answered 400");
    says(
        &live,
        "webhook.secret",
        "pass",
        "production secret Golive set",
    );

    let missing = cli(&sandbox("webhook-missing").await, &[], &[]);
    says(&missing, "webhook.endpoint", "fail", "(404)");
    assert_eq!(
        check(&missing, "webhook.endpoint")["evidence"]["actual"],
        "404"
    );
    says(&missing, "webhook.secret", "pass", "");

    let dev = cli(&sandbox("webhook-dev-secret").await, &[], &[]);
    says(
        &dev,
        "webhook.secret",
        "fail",
        "is the development signing secret",
    );
    let evidence = &check(&dev, "webhook.secret")["evidence"];
    assert!(
        evidence["actual"]
            .as_str()
            .unwrap()
            .contains("the development secret"),
        "{evidence}"
    );
    // The handler is there and refuses unsigned calls: only the secret is wrong.
    says(&dev, "webhook.endpoint", "pass", "answered 400");
}

#[tokio::test(flavor = "multi_thread")]
async fn without_an_endpoint_or_a_secret_variable_the_checks_skip_and_say_how_to_enable_them() {
    let sb = sandbox("live").await;
    sb.world
        .lock()
        .unwrap()
        .vercel
        .envs
        .retain(|e| e.key != WEBHOOK_VAR);
    let r = cli(
        &sb,
        &["CLERK_WEBHOOK_URL", "CLERK_WEBHOOK_SIGNING_SECRET"],
        &[],
    );
    for id in ["webhook.endpoint", "webhook.secret"] {
        says(&r, id, "skip", "CLERK_WEBHOOK_URL");
    }
    assert!(!sb.probes().iter().any(
        |p| matches!(p, golive_sandbox::Probe::Https { path, .. } if path == site_webhook::PATH)
    ));
    // A signing-secret variable on Vercel is enough for the secret check to run.
    let sb = sandbox("webhook-dev-secret").await;
    let r = cli(
        &sb,
        &["CLERK_WEBHOOK_URL", "CLERK_WEBHOOK_SIGNING_SECRET"],
        &[],
    );
    says(&r, "webhook.endpoint", "skip", "CLERK_WEBHOOK_URL");
    says(&r, "webhook.secret", "fail", "development signing secret");
}

#[tokio::test(flavor = "multi_thread")]
async fn an_endpoint_that_is_not_https_on_the_domain_fails_with_the_reason() {
    let sb = sandbox("live").await;
    for (url, reason) in [
        ("http://quillmate.test/api/webhooks/clerk", "https://"),
        ("https://hooks.elsewhere.test/clerk", "not quillmate.test"),
        (
            "quillmate.test/api/webhooks/clerk",
            "starting with https://",
        ),
        ("a webhook", "is not a URL"),
    ] {
        let r = cli(&sb, &[], &[("CLERK_WEBHOOK_URL", url)]);
        says(&r, "webhook.endpoint", "fail", reason);
    }
    // Not one of them was called.
    assert!(!sb.probes().iter().any(|p| matches!(p,
        golive_sandbox::Probe::Https { path, .. } if path == site_webhook::PATH)));
}

/// Sends `body` to the live site's webhook route, signed with `secret` (or unsigned).
async fn deliver(sb: &Sandbox, secret: Option<&str>) -> u16 {
    let prober = Prober::new(&Endpoints::from_vars(sb.env()).unwrap()).unwrap();
    let body = br#"{"object":"event","type":"user.created","data":{"id":"user_1"}}"#;
    let at = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64;
    let (at_text, signature) = (
        at.to_string(),
        secret.map(|s| site_webhook::sign(s, "msg_1", at, body)),
    );
    let mut headers = vec![("content-type", "application/json")];
    if let Some(sig) = &signature {
        headers.extend([
            ("svix-id", "msg_1"),
            ("svix-timestamp", at_text.as_str()),
            ("svix-signature", sig.as_str()),
        ]);
    }
    let request = golive_core::https_probe::ProbeRequest {
        method: "POST",
        path: site_webhook::PATH,
        headers: &headers,
        body,
    };
    prober.send(DOMAIN, request).await.unwrap().status
}

#[tokio::test(flavor = "multi_thread")]
async fn the_plan_gives_production_its_own_secret_and_previews_keep_developments() {
    let sb = sandbox("fresh-project").await;
    let t = common::project_for(&sb)
        .with_live_keys()
        .with_vercel()
        .with_webhooks();
    let (e, id) = (&t.engine, &t.project.id);

    // The shared development secret is re-targeted to the previews, then production's
    // created: shown first, with no value in it.
    let plan = e.hosting_env_plan(id).await.unwrap();
    let webhook: Vec<_> = plan
        .steps
        .iter()
        .filter(|s| s.key == WEBHOOK_VAR)
        .map(|s| (s.action, s.target.clone()))
        .collect();
    assert_eq!(
        webhook,
        [
            (
                EnvAction::Retarget,
                vec!["preview".to_string(), "development".to_string()]
            ),
            (EnvAction::Create, vec!["production".to_string()]),
        ]
    );
    let shown = serde_json::to_string(&plan).unwrap();
    for canary in sb.canaries() {
        assert!(!shown.contains(&canary), "a secret in the plan");
    }

    // Before the plan, the live build verifies with the development secret.
    assert_eq!(deliver(&sb, Some(DEV_WEBHOOK_SECRET)).await, 200);
    assert!(e.hosting_env_apply(id).await.unwrap().done);
    let envs = sb.world.lock().unwrap().vercel.envs.clone();
    let of = |target: &str| {
        envs.iter()
            .find(|v| v.key == WEBHOOK_VAR && v.target.iter().any(|t| t == target))
            .unwrap()
            .clone()
    };
    let production = of("production");
    assert_eq!(
        (
            production.value.as_str(),
            production.kind.as_str(),
            production.target.len()
        ),
        (LIVE_WEBHOOK_SECRET, "sensitive", 1)
    );
    for target in ["preview", "development"] {
        assert_eq!(of(target).value, DEV_WEBHOOK_SECRET, "{target}");
    }
    assert!(
        envs.iter().any(|v| v.id == "env_sandbox0005"),
        "nothing deleted"
    );

    // Once redeployed, the site takes production's deliveries and refuses the rest.
    e.hosting_redeploy(id, FAST, |_| {}).await.unwrap();
    assert_eq!(deliver(&sb, Some(LIVE_WEBHOOK_SECRET)).await, 200);
    assert_eq!(deliver(&sb, Some(DEV_WEBHOOK_SECRET)).await, 400);
    assert_eq!(deliver(&sb, None).await, 400);

    let report = e.run_checks(id, None, false, |_| {}).await.unwrap();
    for id in ["webhook.endpoint", "webhook.secret", "vercel.deployment"] {
        let c = report.checks.iter().find(|c| c.id == id).unwrap();
        assert_eq!(
            c.status,
            golive_core::checks::CheckStatus::Pass,
            "{id}: {c:?}"
        );
    }
    // And a second run writes nothing.
    let writes = |sb: &Sandbox| sb.requests().iter().filter(|r| r.method != "GET").count();
    let before = writes(&sb);
    assert!(e.hosting_env_apply(id).await.unwrap().done);
    assert_eq!(writes(&sb), before);
}

/// An app that reads `WEBHOOK_SECRET` (Clerk's earlier guides) gets production's secret
/// under that name, and the check reads that name too.
#[tokio::test(flavor = "multi_thread")]
async fn the_secret_goes_under_the_name_the_app_reads() {
    let sb = sandbox("fresh-project").await;
    for v in sb.world.lock().unwrap().vercel.envs.iter_mut() {
        if v.key == WEBHOOK_VAR {
            v.key = "WEBHOOK_SECRET".into();
        }
    }
    let t = common::project_for(&sb)
        .with_live_keys()
        .with_vercel()
        .with_webhooks();
    let (e, id) = (&t.engine, &t.project.id);
    let plan = e.hosting_env_plan(id).await.unwrap();
    let keys: Vec<&str> = plan
        .steps
        .iter()
        .filter(|s| s.key.contains("WEBHOOK"))
        .map(|s| s.key.as_str())
        .collect();
    assert_eq!(keys, ["WEBHOOK_SECRET", "WEBHOOK_SECRET"]);
    assert!(e.hosting_env_apply(id).await.unwrap().done);
    let report = e
        .run_checks(id, Some("webhook.secret"), false, |_| {})
        .await
        .unwrap();
    assert_eq!(
        report.checks[0].status,
        golive_core::checks::CheckStatus::Pass,
        "{:?}",
        report.checks[0]
    );
    assert!(report.checks[0].detail.contains("WEBHOOK_SECRET"));
    assert!(!sb
        .world
        .lock()
        .unwrap()
        .vercel
        .envs
        .iter()
        .any(|v| v.key == WEBHOOK_VAR));
}

#[tokio::test(flavor = "multi_thread")]
async fn the_development_secret_pasted_as_production_is_refused_before_any_write() {
    let sb = sandbox("env-production-only").await;
    let t = common::project_for(&sb).with_live_keys().with_vercel();
    let (e, id) = (&t.engine, &t.project.id);
    e.set_secret(id, SecretKind::ClerkWebhookSecret, DEV_WEBHOOK_SECRET)
        .unwrap();
    for err in [
        e.hosting_env_plan(id).await.unwrap_err(),
        e.hosting_env_apply(id).await.unwrap_err(),
    ] {
        assert_eq!(err.code(), "webhook_secret_is_development");
        assert!(err.to_string().contains("production endpoint's secret"));
        assert!(!err.to_string().contains(DEV_WEBHOOK_SECRET));
    }
    assert!(sb.requests().iter().all(|r| r.method == "GET"));

    // Production holding the saved secret in clear is right, not a mistake: kept.
    for v in sb.world.lock().unwrap().vercel.envs.iter_mut() {
        if v.key == WEBHOOK_VAR && v.target == ["production"] {
            v.value = LIVE_WEBHOOK_SECRET.into();
        }
    }
    e.set_secret(id, SecretKind::ClerkWebhookSecret, LIVE_WEBHOOK_SECRET)
        .unwrap();
    let plan = e.hosting_env_plan(id).await.unwrap();
    let webhook: Vec<EnvAction> = plan
        .steps
        .iter()
        .filter(|s| s.key == WEBHOOK_VAR)
        .map(|s| s.action)
        .collect();
    assert_eq!(webhook, [EnvAction::Keep]);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_renewed_secret_replaces_the_one_golive_set_before() {
    let sb = sandbox("live").await;
    let t = common::project_for(&sb)
        .with_live_keys()
        .with_vercel()
        .with_webhooks();
    let (e, id) = (&t.engine, &t.project.id);
    let secret_check = |r: &golive_core::checks::Report| {
        r.checks
            .iter()
            .find(|c| c.id == "webhook.secret")
            .unwrap()
            .clone()
    };
    let renewed = "whsec_cmVuZXdlZFNhbmRib3hXZWJob29rS2V5";
    e.set_secret(id, SecretKind::ClerkWebhookSecret, renewed)
        .unwrap();
    let stale = secret_check(&e.run_checks(id, None, false, |_| {}).await.unwrap());
    assert_eq!(stale.status, golive_core::checks::CheckStatus::Fail);
    assert!(stale.detail.contains("not the one saved now"), "{stale:?}");

    let plan = e.hosting_env_plan(id).await.unwrap();
    let webhook: Vec<EnvAction> = plan
        .steps
        .iter()
        .filter(|s| s.key == WEBHOOK_VAR)
        .map(|s| s.action)
        .collect();
    assert_eq!(webhook, [EnvAction::SetValue]);
    assert!(e.hosting_env_apply(id).await.unwrap().done);
    let fresh = secret_check(&e.run_checks(id, None, false, |_| {}).await.unwrap());
    assert_eq!(
        fresh.status,
        golive_core::checks::CheckStatus::Pass,
        "{fresh:?}"
    );
    let production = sb
        .world
        .lock()
        .unwrap()
        .vercel
        .envs
        .iter()
        .find(|v| v.key == WEBHOOK_VAR && v.target == ["production"])
        .cloned()
        .unwrap();
    assert_eq!(production.value, renewed);
}

#[tokio::test(flavor = "multi_thread")]
async fn the_webhook_dashboard_link_needs_the_production_key_and_stays_a_secret() {
    let sb = sandbox("live").await;
    let t = common::project_for(&sb).with_live_keys();
    let (e, id) = (&t.engine, &t.project.id);
    let link = e.webhook_dashboard(id).await.unwrap();
    assert_eq!(link.host, "app.svix.com");
    assert!(link.url().expose().contains(SVIX_LOGIN_KEY));
    assert_eq!(format!("{:?}", link.url()), "Secret(…)");

    // Clerk refusing (no webhooks for the instance yet): what to do.
    sb.fault("POST", "/v1/webhooks/svix_url", FaultKind::Echo(400));
    let err = e.webhook_dashboard(id).await.err().unwrap();
    assert_eq!(err.code(), "clerk_webhooks_refused");
    assert!(err.to_string().contains("Open Webhooks once"), "{err}");

    // With the development key it is not asked at all.
    let calls = sb.requests().len();
    e.set_secret(id, SecretKind::ClerkSecretKey, DEV_SECRET_KEY)
        .unwrap();
    let err = e.webhook_dashboard(id).await.err().unwrap();
    assert_eq!(err.code(), "live_secret_key_missing");
    assert_eq!(sb.requests().len(), calls);
}

#[test]
fn the_endpoint_setting_is_validated_and_keeps_what_was_saved() {
    let t = common::project_with(Endpoints::default());
    let (e, id) = (&t.engine, &t.project.id);
    let saved = e
        .set_webhook_url(id, " https://Quillmate.test/api/webhooks/clerk ")
        .unwrap();
    assert_eq!(saved.webhook_url.as_deref(), Some(WEBHOOK_URL));
    let file = t.dir().join("projects.json");
    let before = std::fs::read(&file).unwrap();
    for bad in [
        "http://quillmate.test/api/webhooks/clerk",
        "https://other.test/hook",
        "not a url",
    ] {
        let err = e.set_webhook_url(id, bad).unwrap_err();
        assert_eq!(err.code(), "webhook_url_invalid", "{bad}");
    }
    assert_eq!(std::fs::read(&file).unwrap(), before, "nothing was changed");
    // Other settings saved later keep it; an empty field clears it.
    let p = e.set_checklist_item(id, "paths", true).unwrap();
    assert_eq!(p.webhook_url.as_deref(), Some(WEBHOOK_URL));
    assert_eq!(e.set_webhook_url(id, "").unwrap().webhook_url, None);
}

/// The signing secrets reach neither a report, a plan, nor an error — also where Vercel
/// shows the development one in clear and where vendors quote what they were sent.
#[tokio::test(flavor = "multi_thread")]
async fn no_signing_secret_reaches_any_output() {
    let sb = sandbox("webhook-dev-secret").await;
    let t = common::project_for(&sb)
        .with_live_keys()
        .with_vercel()
        .with_webhooks();
    let (e, id) = (&t.engine, &t.project.id);
    let mut shown = vec![
        serde_json::to_string(&e.run_checks(id, None, false, |_| {}).await.unwrap()).unwrap(),
        serde_json::to_string(&e.hosting_env_plan(id).await.unwrap()).unwrap(),
    ];
    // Production's development secret gets the saved one (a PATCH); the vendors refuse,
    // quoting what they were sent.
    sb.fault("PATCH", "*", FaultKind::Echo(400));
    sb.fault("POST", "*", FaultKind::Echo(400));
    shown.push(e.hosting_env_apply(id).await.unwrap_err().to_string());
    shown.push(e.webhook_dashboard(id).await.err().unwrap().to_string());
    assert!(
        sb.requests().iter().any(|r| r.status == 400
            && r.response
                .as_ref()
                .is_some_and(|b| b.to_string().contains("whsec_"))),
        "Vercel quoted the secret it was sent"
    );
    for text in &shown {
        for canary in sb.canaries() {
            assert!(!text.contains(&canary), "a secret in {text}");
        }
    }
    // And the CLI, given the production secret, in both formats.
    let mut vars = sb.env();
    vars.extend(sb.key_env());
    sb.world.lock().unwrap().faults.clear();
    for args in [
        &["check", "--domain", DOMAIN, "--json"][..],
        &["check", "--domain", DOMAIN],
    ] {
        let home = tempfile::tempdir().unwrap();
        let out = common::golive_in(home.path(), args, &vars);
        let printed = String::from_utf8_lossy(&[out.stdout, out.stderr].concat()).into_owned();
        assert!(printed.contains("webhook.secret"), "{printed}");
        for canary in sb.canaries() {
            assert!(!printed.contains(&canary), "a secret in the CLI output");
            assert!(common::files_containing(home.path(), canary.as_bytes()).is_empty());
        }
    }
}

#[test]
fn the_cli_help_names_the_webhook_inputs() {
    let out = golive(&["check", "--help"], &[]);
    let help = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{help}");
    for name in [
        "CLERK_WEBHOOK_URL",
        "CLERK_WEBHOOK_SIGNING_SECRET",
        "VERCEL_TOKEN",
    ] {
        assert!(help.contains(name), "{name} is not in the help:\n{help}");
    }
}
