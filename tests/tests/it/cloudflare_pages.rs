//! The hosting step against the sandbox's Cloudflare Pages: each `host.*` check passing and
//! failing per scenario through the CLI (`HOSTING=cloudflare-pages golive check --json`),
//! only the run's host's checks listed, the whole path domain → validation → env plan →
//! apply → retried production deployment → live (engine), the migration's idempotence and
//! its safety when interrupted after any write, and bad input said clearly.

use crate::common;
use crate::common::{cli_with, ids, FAST};

use crate::common::check;
use golive_core::project::{CloudflareLink, Hosting, ProjectInput};
use golive_core::secrets::SecretKind;
use golive_core::steps::hosting::env_plan::EnvAction;
use golive_sandbox::cloudflare::pages::{marker_key, Env, PAGES_VALIDATION};
use golive_sandbox::scenario::{
    publishable_key, CLOUDFLARE_ACCOUNT_ID, CLOUDFLARE_TOKEN, DEV_FRONTEND_API, DEV_SECRET_KEY,
    DEV_WEBHOOK_SECRET, LIVE_SECRET_KEY, LIVE_WEBHOOK_SECRET, NETLIFY_TOKEN, PAGES_PROJECT,
    VERCEL_TOKEN,
};
use golive_sandbox::vercel::env::{PK_VAR, SK_VAR, WEBHOOK_VAR};
use golive_sandbox::{Sandbox, Scenario, DOMAIN};

#[tokio::test(flavor = "multi_thread")]
async fn each_pages_check_fails_in_its_scenario_and_passes_when_live() {
    let cases: &[(&str, &str, &str)] = &[
        (
            "cloudflare-pages-fresh",
            "host.domain",
            "is not on the Cloudflare Pages project",
        ),
        (
            "cloudflare-pages-fresh",
            "site.publishable_key",
            "still serves a development key",
        ),
        (
            "cloudflare-pages-shared-key",
            "host.env",
            "still holds a development key",
        ),
        (
            "cloudflare-pages-production-only",
            "host.env",
            "still holds a development key",
        ),
        (
            "cloudflare-pages-build-error",
            "host.deployment",
            "the build stage failed",
        ),
        (
            "cloudflare-pages-stale-build",
            "host.deployment",
            "changed after the live deployment",
        ),
        (
            "cloudflare-pages-stale-build",
            "site.publishable_key",
            "pk_test",
        ),
        (
            "cloudflare-pages-domain-unverified",
            "host.domain",
            "Cloudflare has not activated it yet",
        ),
    ];
    let live = cli_with("cloudflare-pages-live", &[]).await;
    for (scenario, id, detail_has) in cases {
        let r = cli_with(scenario, &[]).await;
        let c = check(&r, id);
        assert_eq!(c["status"], "fail", "{scenario} {id}: {c}");
        assert!(
            c["detail"].as_str().unwrap().contains(detail_has),
            "{scenario} {id}: {c}"
        );
        assert!(c["fix"].is_string(), "{scenario} {id}: a fix");
        assert_eq!(
            check(&live, id)["status"],
            "pass",
            "{id} in cloudflare-pages-live"
        );
    }
    // The failed build's fix links it in Cloudflare's dashboard; the unverified domain's
    // names the record Cloudflare waits for.
    let r = cli_with("cloudflare-pages-build-error", &[]).await;
    let fix = check(&r, "host.deployment")["fix"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(
        fix.contains(&format!(
            "https://dash.cloudflare.com/{CLOUDFLARE_ACCOUNT_ID}/pages/view/{PAGES_PROJECT}/"
        )),
        "{fix}"
    );
    let r = cli_with("cloudflare-pages-domain-unverified", &[]).await;
    let fix = check(&r, "host.domain")["fix"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(
        fix.contains("CNAME quillmate.test \"quillmate.pages.dev\""),
        "{fix}"
    );
    assert!(
        fix.contains(&format!(
            "TXT _cf-custom-hostname.quillmate.test \"{PAGES_VALIDATION}\""
        )),
        "{fix}"
    );
}

/// The DNS plan takes a Pages project's records from Cloudflare's API: the apex's CNAME to
/// the project's address (answered with Cloudflare's addresses, flattened: not a mistake
/// here), and while Cloudflare has not validated the domain, the TXT record it named.
#[tokio::test(flavor = "multi_thread")]
async fn the_dns_step_checks_the_records_cloudflare_names() {
    let live = cli_with("cloudflare-pages-live", &[]).await;
    let apex = check(&live, "dns.apex");
    assert_eq!(apex["status"], "pass", "{apex}");
    assert!(
        apex["detail"]
            .as_str()
            .unwrap()
            .starts_with("CNAME quillmate.test → quillmate.pages.dev: at the nameservers"),
        "{apex}"
    );
    let validation = check(&live, "dns.validation");
    assert_eq!(validation["status"], "skip", "{validation}");
    let r = cli_with("cloudflare-pages-domain-unverified", &[]).await;
    let validation = check(&r, "dns.validation");
    assert_eq!(validation["status"], "fail", "{validation}");
    assert_eq!(
        validation["fix"],
        format!("Add a TXT record: Host _cf-custom-hostname → Value {PAGES_VALIDATION}."),
    );
    // The domain still points to the previous host: an A record at the apex.
    let apex = check(&r, "dns.apex");
    assert_eq!(apex["status"], "fail", "{apex}");
    let fix = apex["fix"].as_str().unwrap();
    assert!(
        fix.starts_with(
            "Delete the A record for @ and add a CNAME: Host @ → Value quillmate.pages.dev."
        ),
        "{fix}"
    );
    // Cloudflare's addresses say nothing of where it sends visitors: before Cloudflare has
    // activated the domain on the project, they only warn.
    let fresh = cli_with("cloudflare-pages-fresh", &[]).await;
    let apex = check(&fresh, "dns.apex");
    assert_eq!(apex["status"], "warn", "{apex}");
    assert!(
        apex["detail"]
            .as_str()
            .unwrap()
            .contains("Cloudflare has not activated the domain on the project yet"),
        "{apex}"
    );
    // No other host's run lists the validation record.
    assert!(!ids(&cli_with("netlify-live", &[]).await).contains(&"dns.validation".to_string()));
}

/// A Pages run lists the `host.*` checks and no `vercel.*` one.
#[tokio::test(flavor = "multi_thread")]
async fn a_pages_run_lists_only_its_hosts_checks() {
    let run = ids(&cli_with("cloudflare-pages-live", &[]).await);
    for id in [
        "host.domain",
        "host.env",
        "host.deployment",
        "site.publishable_key",
    ] {
        assert!(run.iter().any(|i| i == id), "{id}: {run:?}");
    }
    assert!(!run.iter().any(|i| i.starts_with("vercel.")), "{run:?}");
}

/// An engine project with the live keys and the Pages project linked.
async fn project(sb: &Sandbox) -> common::TestProject {
    common::project_for(sb)
        .with_live_keys()
        .with_cloudflare_pages()
        .await
}

#[tokio::test(flavor = "multi_thread")]
async fn from_a_fresh_project_to_the_live_key_on_the_site() {
    let sb = Sandbox::start(Scenario::named("cloudflare-pages-fresh").unwrap())
        .await
        .unwrap();
    let t = project(&sb).await;
    let (e, id) = (&t.engine, &t.project.id);

    // Domain: added, pending with the record to add, then validated.
    let record = common::add_then_verify(e, id).await;
    assert_eq!(
        (record.kind.as_str(), record.value.as_str()),
        ("CNAME", "quillmate.pages.dev")
    );
    assert!(record.reason.contains("CNAME record not set"), "{record:?}");

    // Env: production's test keys get the live values; the secret key's value is not shown.
    let plan = e.hosting_env_plan(id).await.unwrap();
    let actions = common::actions(&plan);
    assert_eq!(
        actions,
        [(PK_VAR, EnvAction::SetValue), (SK_VAR, EnvAction::SetValue)]
    );
    assert!(plan.steps[1]
        .detail
        .contains("Cloudflare Pages does not show this secret value"));
    assert!(!serde_json::to_string(&plan)
        .unwrap()
        .contains(LIVE_SECRET_KEY));
    assert!(e.hosting_env_apply(id).await.unwrap().done);

    // A production deployment (the newest one retried), followed to live.
    let (d, seen) = common::redeploy_followed(e, id).await;
    assert!(d.live(), "{d:?}");
    assert_eq!(seen.first().map(String::as_str), Some("QUEUED"));
    assert!(seen.iter().any(|s| s == "BUILD"), "{seen:?}");
    assert_eq!(seen.last().map(String::as_str), Some("READY"));
    assert!(sb
        .requests()
        .iter()
        .any(|r| r.method == "POST" && r.path.ends_with("/retry")));

    common::assert_checks_pass(
        e,
        id,
        &[
            "host.domain",
            "host.env",
            "host.deployment",
            "site.publishable_key",
        ],
    )
    .await;
    // Preview kept the development keys; nothing was deleted; the secret key is secret.
    let p = sb.world.lock().unwrap().cloudflare_pages.clone();
    assert_eq!(
        p.preview[PK_VAR].value,
        publishable_key(DEV_FRONTEND_API),
        "preview"
    );
    assert_eq!(p.preview[SK_VAR].value, DEV_SECRET_KEY);
    assert!(p.production[SK_VAR].secret);
    assert!(!p.production[&marker_key(SK_VAR)].value.is_empty());
    assert!(p.production.contains_key(WEBHOOK_VAR), "not deleted");
}

#[tokio::test(flavor = "multi_thread")]
async fn production_only_values_get_the_live_values_marked_and_a_second_run_writes_nothing() {
    let sb = Sandbox::start(Scenario::named("cloudflare-pages-production-only").unwrap())
        .await
        .unwrap();
    let t = project(&sb).await;
    let (e, id) = (&t.engine, &t.project.id);
    let plan = e.hosting_env_plan(id).await.unwrap();
    assert!(
        plan.steps.iter().all(|s| s.action == EnvAction::SetValue),
        "{plan:?}"
    );
    assert!(e.hosting_env_apply(id).await.unwrap().done);
    let p = sb.world.lock().unwrap().cloudflare_pages.clone();
    assert_eq!(p.production[SK_VAR].value, LIVE_SECRET_KEY);
    assert!(p.production.contains_key(&marker_key(SK_VAR)));
    assert!(
        p.preview.is_empty(),
        "preview is not written: {:?}",
        p.preview
    );
    let writes = |sb: &Sandbox| sb.requests().iter().filter(|r| r.method != "GET").count();
    let before = writes(&sb);
    assert!(e.hosting_env_apply(id).await.unwrap().done);
    assert_eq!(writes(&sb), before, "the second run is a no-op");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_deployment_is_refused_before_the_plan_and_a_failed_one_is_reported() {
    let sb = Sandbox::start(Scenario::named("cloudflare-pages-shared-key").unwrap())
        .await
        .unwrap();
    let t = project(&sb).await;
    let err = t
        .engine
        .hosting_redeploy(&t.project.id, FAST, |_| {})
        .await
        .unwrap_err();
    assert_eq!(err.code(), "env_not_ready");
    assert!(!sb.requests().iter().any(|r| r.path.ends_with("/retry")));

    let sb = Sandbox::start(Scenario::named("cloudflare-pages-build-error").unwrap())
        .await
        .unwrap();
    let t = project(&sb).await;
    let d = t
        .engine
        .hosting_redeploy(&t.project.id, FAST, |_| {})
        .await
        .unwrap();
    assert!(d.failed() && d.ready_state == "ERROR", "{d:?}");
    assert!(d
        .inspector_url
        .unwrap()
        .starts_with("https://dash.cloudflare.com/"));
    assert_eq!(d.error_message.as_deref(), Some("the build stage failed"));

    // A project uploaded directly has no build Cloudflare can run again: said, not tried.
    sb.world.lock().unwrap().cloudflare_pages.direct_upload = true;
    let before = sb.requests().len();
    let err = t
        .engine
        .hosting_redeploy(&t.project.id, FAST, |_| {})
        .await
        .unwrap_err();
    assert_eq!(err.code(), "cloudflare_direct_upload");
    let msg = err.to_string();
    assert!(
        msg.contains("wrangler pages deploy") && msg.contains("https://dash.cloudflare.com"),
        "{msg}"
    );
    assert!(!sb.requests()[before..]
        .iter()
        .any(|r| r.path.ends_with("/retry")));
}

/// Interrupted after its 1st, 2nd, … write, the migration leaves preview on the test keys
/// (and the development webhook secret), deletes nothing, never leaves production without a
/// value (Pages has one set per environment: nothing is re-targeted), never marks a value it
/// did not set (value and marker go in one request), and a second run converges.
#[tokio::test(flavor = "multi_thread")]
async fn an_interrupted_migration_is_safe_at_every_write_and_converges() {
    // One write per key: the publishable key, the secret key, the signing secret.
    for scenario in [
        "cloudflare-pages-shared-key",
        "cloudflare-pages-production-only",
    ] {
        for k in 0..3 {
            let sb = Sandbox::start(Scenario::named(scenario).unwrap())
                .await
                .unwrap();
            let t = project(&sb).await.with_webhooks();
            let (e, id) = (&t.engine, &t.project.id);
            let start = sb.world.lock().unwrap().cloudflare_pages.clone();
            sb.world.lock().unwrap().cloudflare_pages.write_budget = Some(k);
            let err = e.hosting_env_apply(id).await.unwrap_err();
            assert_eq!(
                err.code(),
                "cloudflare_unavailable",
                "{scenario} after {k} writes"
            );

            let now = sb.world.lock().unwrap().cloudflare_pages.clone();
            assert_eq!(now.preview, start.preview, "{scenario} after {k} writes");
            for key in start.production.keys() {
                assert!(
                    now.production.contains_key(key),
                    "{key} deleted in {scenario} after {k} writes"
                );
            }
            let marked = |env: &Env, key: &str, live: &str| {
                if env.contains_key(&marker_key(key)) {
                    assert_eq!(env[key].value, live, "{key} {scenario} after {k} writes");
                }
            };
            marked(&now.production, SK_VAR, LIVE_SECRET_KEY);
            marked(&now.production, WEBHOOK_VAR, LIVE_WEBHOOK_SECRET);

            sb.world.lock().unwrap().cloudflare_pages.write_budget = None;
            assert!(
                e.hosting_env_apply(id).await.unwrap().done,
                "{scenario} converges after {k} writes"
            );
            let after = sb.world.lock().unwrap().cloudflare_pages.clone();
            for (key, live) in [
                (PK_VAR, publishable_key(&format!("clerk.{DOMAIN}"))),
                (SK_VAR, LIVE_SECRET_KEY.to_string()),
                (WEBHOOK_VAR, LIVE_WEBHOOK_SECRET.to_string()),
            ] {
                assert_eq!(after.production[key].value, live, "{key}");
            }
            if let Some(v) = after.preview.get(WEBHOOK_VAR) {
                assert_eq!(v.value, DEV_WEBHOOK_SECRET);
            }
        }
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn bad_input_is_said_clearly() {
    let sb = Sandbox::start(Scenario::named("cloudflare-pages-fresh").unwrap())
        .await
        .unwrap();
    let t = project(&sb).await;
    let (e, id) = (&t.engine, &t.project.id);

    // Another host's token pasted as Cloudflare's: refused before it is kept.
    for (token, host) in [
        (VERCEL_TOKEN, "a Vercel access token"),
        (NETLIFY_TOKEN, "a Netlify access token"),
    ] {
        let err = e
            .set_secret(id, SecretKind::CloudflareToken, token)
            .unwrap_err();
        assert_eq!(err.code(), "cloudflare_token_invalid");
        assert!(err.to_string().contains(host), "{err}");
    }

    // A project of another account, and a name the account does not have: said when linked,
    // and the link is not kept.
    let link = |account: &str, name: &str| {
        Some(CloudflareLink {
            account_id: account.into(),
            name: name.into(),
            kind: None,
        })
    };
    let err = e
        .set_cloudflare_project(id, link("0000aaaa1111bbbb2222cccc3333dddd", PAGES_PROJECT))
        .await
        .unwrap_err();
    assert_eq!(err.code(), "cloudflare_account_rejected");
    assert!(
        err.to_string().contains("is not the one that owns"),
        "{err}"
    );
    let err = e
        .set_cloudflare_project(id, link(CLOUDFLARE_ACCOUNT_ID, "elsewhere"))
        .await
        .unwrap_err();
    assert_eq!(err.code(), "cloudflare_project_not_found");
    assert!(
        err.to_string().contains("no Pages project named elsewhere"),
        "{err}"
    );
    let kept = e.project(id).unwrap().cloudflare_project.unwrap();
    assert_eq!(kept.name, PAGES_PROJECT);

    // A domain another project has.
    let other = e
        .create_project(ProjectInput {
            name: "Other".into(),
            domain: "otherapp.test".into(),
            hosting: Hosting::CloudflarePages,
            framework: golive_core::framework::Framework::Nextjs,
        })
        .unwrap();
    e.set_secret(&other.id, SecretKind::CloudflareToken, CLOUDFLARE_TOKEN)
        .unwrap();
    e.set_cloudflare_project(&other.id, link(CLOUDFLARE_ACCOUNT_ID, PAGES_PROJECT))
        .await
        .unwrap();
    let err = e.hosting_add_domain(&other.id).await.unwrap_err();
    assert_eq!(err.code(), "cloudflare_domain_elsewhere");
    let msg = err.to_string();
    assert!(msg.contains("already in use by another project"), "{msg}");
    assert!(msg.contains("Custom domains"), "{msg}");

    // The CLI: another host's token in CLOUDFLARE_API_TOKEN, a project of another account.
    let r = cli_with(
        "cloudflare-pages-live",
        &[("CLOUDFLARE_API_TOKEN", NETLIFY_TOKEN)],
    )
    .await;
    let c = check(&r, "host.env");
    assert_eq!(c["status"], "fail", "{c}");
    assert!(
        c["detail"]
            .as_str()
            .unwrap()
            .contains("a Netlify access token"),
        "{c}"
    );
    let r = cli_with(
        "cloudflare-pages-live",
        &[("CLOUDFLARE_ACCOUNT_ID", "0000aaaa1111bbbb2222cccc3333dddd")],
    )
    .await;
    let c = check(&r, "host.domain");
    assert_eq!(c["status"], "fail", "{c}");
    assert!(
        c["fix"].as_str().unwrap().contains("CLOUDFLARE_ACCOUNT_ID"),
        "{c}"
    );
}
