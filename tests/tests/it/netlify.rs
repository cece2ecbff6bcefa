//! The hosting step against the sandbox's Netlify: each `host.*` check passing and failing
//! per scenario through the CLI (`HOSTING=netlify golive check --json`), only the run's
//! host's checks listed, the whole path domain → certificate → env plan → apply → build →
//! ready (engine), the migration's idempotence and its safety when interrupted after any
//! write, and bad input said clearly.

use crate::common;
use crate::common::{cli_with, ids, FAST};

use crate::common::{check, golive};
use golive_core::project::{Hosting, NetlifyLink, ProjectInput};
use golive_core::secrets::SecretKind;
use golive_core::steps::hosting::env_plan::EnvAction;
use golive_sandbox::netlify::env::{marker_key, Var};
use golive_sandbox::scenario::{
    publishable_key, DEV_FRONTEND_API, DEV_SECRET_KEY, DEV_WEBHOOK_SECRET, LIVE_SECRET_KEY,
    LIVE_WEBHOOK_SECRET, NETLIFY_SITE_ID, NETLIFY_TOKEN, VERCEL_TOKEN,
};
use golive_sandbox::vercel::env::{PK_VAR, SK_VAR, WEBHOOK_VAR};
use golive_sandbox::{Sandbox, Scenario, DOMAIN};

#[tokio::test(flavor = "multi_thread")]
async fn each_netlify_check_fails_in_its_scenario_and_passes_when_live() {
    let cases: &[(&str, &str, &str)] = &[
        ("netlify-fresh", "host.domain", "is not on the Netlify site"),
        (
            "netlify-fresh",
            "site.publishable_key",
            "still serves a development key",
        ),
        (
            "netlify-shared-key",
            "host.env",
            "still holds a development key",
        ),
        (
            "netlify-production-only",
            "host.env",
            "still holds a development key",
        ),
        (
            "netlify-build-error",
            "host.deployment",
            "non-zero exit code",
        ),
        (
            "netlify-stale-build",
            "host.deployment",
            "changed after the live deployment",
        ),
        ("netlify-stale-build", "site.publishable_key", "pk_test"),
        (
            "netlify-domain-unverified",
            "host.domain",
            "Netlify has no certificate for it yet",
        ),
        // The signing secret, read through the same host: one value for `all` contexts.
        (
            "netlify-shared-key",
            "webhook.secret",
            "serves production, deploy-preview, branch-deploy",
        ),
    ];
    let live = cli_with("netlify-live", &[]).await;
    for (scenario, id, detail_has) in cases {
        let r = cli_with(scenario, &[]).await;
        let c = check(&r, id);
        assert_eq!(c["status"], "fail", "{scenario} {id}: {c}");
        assert!(
            c["detail"].as_str().unwrap().contains(detail_has),
            "{scenario} {id}: {c}"
        );
        assert!(c["fix"].is_string(), "{scenario} {id}: a fix");
        assert_eq!(check(&live, id)["status"], "pass", "{id} in netlify-live");
    }
    // The build error's fix links its log in Netlify's console.
    let r = cli_with("netlify-build-error", &[]).await;
    assert!(
        check(&r, "host.deployment")["fix"]
            .as_str()
            .unwrap()
            .contains("https://app.netlify.com/projects/quillmate/deploys/"),
        "{r}"
    );
}

/// A run lists the checks of its host only: a Netlify run no `vercel.*`, a Vercel run no
/// `host.*`, both the live site's.
#[tokio::test(flavor = "multi_thread")]
async fn a_run_lists_only_its_hosts_checks() {
    let report = cli_with("netlify-live", &[]).await;
    let netlify = ids(&report);
    let vercel = ids(&cli_with("live", &[]).await);
    // The site's records come from Netlify's API: `www` points to the site's own address;
    // the apex's record is not the API's to say, and the DNS step says so.
    let www = check(&report, "dns.www");
    assert_eq!(www["status"], "pass", "{www}");
    assert!(www["detail"]
        .as_str()
        .unwrap()
        .starts_with("CNAME www.quillmate.test → quillmate.netlify.app"));
    let apex = check(&report, "dns.apex");
    assert_eq!(apex["status"], "skip", "{apex}");
    assert!(apex["detail"]
        .as_str()
        .unwrap()
        .starts_with("Netlify's API does not say the apex's record"));
    // Unverified, the domain still points to Vercel, where the app was: the DNS step says
    // where `www` must point instead.
    let moved = cli_with("netlify-domain-unverified", &[]).await;
    let www = check(&moved, "dns.www");
    assert_eq!(www["status"], "fail", "{www}");
    assert!(
        www["fix"]
            .as_str()
            .unwrap()
            .contains("so its value is exactly quillmate.netlify.app"),
        "{www}"
    );
    for id in ["host.domain", "host.env", "host.deployment"] {
        assert!(netlify.iter().any(|i| i == id), "{id}: {netlify:?}");
        assert!(!vercel.iter().any(|i| i == id), "{id}: {vercel:?}");
    }
    assert!(
        !netlify.iter().any(|i| i.starts_with("vercel.")),
        "{netlify:?}"
    );
    for (run, has) in [(&netlify, "site.publishable_key"), (&vercel, "vercel.env")] {
        assert!(run.iter().any(|i| i == has), "{has}: {run:?}");
    }
}

/// An engine project with the live keys and the Netlify site linked.
fn project(sb: &Sandbox) -> common::TestProject {
    common::project_for(sb).with_live_keys().with_netlify()
}

#[tokio::test(flavor = "multi_thread")]
async fn from_a_fresh_site_to_the_live_key_on_the_site() {
    let sb = Sandbox::start(Scenario::named("netlify-fresh").unwrap())
        .await
        .unwrap();
    let t = project(&sb);
    let (e, id) = (&t.engine, &t.project.id);

    // Domain: added, unverified with the record to add, then its certificate issued.
    let record = common::add_then_verify(e, id).await;
    assert_eq!(
        (record.kind.as_str(), record.value.as_str()),
        ("CNAME", "quillmate.netlify.app")
    );

    // Env: the shared test keys are re-targeted, the live ones set for production.
    let plan = e.hosting_env_plan(id).await.unwrap();
    let actions = common::actions(&plan);
    assert_eq!(
        actions,
        [
            (PK_VAR, EnvAction::Retarget),
            (PK_VAR, EnvAction::Create),
            (SK_VAR, EnvAction::Retarget),
            (SK_VAR, EnvAction::Create),
        ]
    );
    assert_eq!(
        plan.steps[0].target,
        ["deploy-preview", "branch-deploy", "dev", "dev-server"]
    );
    assert!(!serde_json::to_string(&plan)
        .unwrap()
        .contains(LIVE_SECRET_KEY));
    assert!(e.hosting_env_apply(id).await.unwrap().done);

    // A production build, followed to ready.
    let (d, seen) = common::redeploy_followed(e, id).await;
    assert!(d.live(), "{d:?}");
    assert_eq!(seen.first().map(String::as_str), Some("ENQUEUED"));
    assert!(seen.iter().any(|s| s == "BUILDING"), "{seen:?}");
    assert_eq!(seen.last().map(String::as_str), Some("READY"));

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
    // The other contexts kept the development keys; nothing was deleted.
    let site = sb.world.lock().unwrap().netlify.clone();
    let pk = site.vars.iter().find(|v| v.key == PK_VAR).unwrap();
    for context in ["deploy-preview", "branch-deploy", "dev", "dev-server"] {
        assert_eq!(
            pk.for_context(context),
            Some(publishable_key(DEV_FRONTEND_API).as_str()),
            "{context}"
        );
    }
    assert_eq!(site.vars.len(), 3, "{:?}", site.vars);
}

/// The production value of `key` at the fake, and whether the variable is secret.
fn production(vars: &[Var], key: &str) -> Option<(String, bool)> {
    let v = vars.iter().find(|v| v.key == key)?;
    Some((v.for_context("production")?.to_string(), v.is_secret))
}

#[tokio::test(flavor = "multi_thread")]
async fn production_only_values_get_the_live_values_marked_and_a_second_run_writes_nothing() {
    let sb = Sandbox::start(Scenario::named("netlify-production-only").unwrap())
        .await
        .unwrap();
    let t = project(&sb);
    let (e, id) = (&t.engine, &t.project.id);
    let plan = e.hosting_env_plan(id).await.unwrap();
    assert!(
        plan.steps.iter().all(|s| s.action == EnvAction::SetValue),
        "{plan:?}"
    );
    // Netlify does not show the secret key's value: the plan says so in its words.
    let sk = plan.steps.iter().find(|s| s.key == SK_VAR).unwrap();
    assert!(
        sk.detail
            .contains("Netlify does not show this secret value"),
        "{sk:?}"
    );
    assert!(e.hosting_env_apply(id).await.unwrap().done);
    let vars = sb.world.lock().unwrap().netlify.vars.clone();
    assert_eq!(
        production(&vars, SK_VAR),
        Some((LIVE_SECRET_KEY.to_string(), true))
    );
    assert!(production(&vars, &marker_key(SK_VAR)).is_some());
    let writes = |sb: &Sandbox| sb.requests().iter().filter(|r| r.method != "GET").count();
    let before = writes(&sb);
    assert!(e.hosting_env_apply(id).await.unwrap().done);
    assert_eq!(writes(&sb), before, "the second run is a no-op");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_build_is_refused_before_the_plan_and_a_failed_one_is_reported_with_its_log() {
    let sb = Sandbox::start(Scenario::named("netlify-shared-key").unwrap())
        .await
        .unwrap();
    let t = project(&sb);
    let err = t
        .engine
        .hosting_redeploy(&t.project.id, FAST, |_| {})
        .await
        .unwrap_err();
    assert_eq!(err.code(), "env_not_ready");
    assert!(!sb.requests().iter().any(|r| r.path.ends_with("/builds")));

    let sb = Sandbox::start(Scenario::named("netlify-build-error").unwrap())
        .await
        .unwrap();
    let t = project(&sb);
    let d = t
        .engine
        .hosting_redeploy(&t.project.id, FAST, |_| {})
        .await
        .unwrap();
    assert!(d.failed() && d.ready_state == "ERROR", "{d:?}");
    assert!(d
        .inspector_url
        .unwrap()
        .starts_with("https://app.netlify.com/projects/quillmate/deploys/"));
    assert!(d.error_message.unwrap().contains("non-zero exit code"));
}

/// Interrupted after its 1st, 2nd, … write, the migration leaves the other contexts on the
/// test keys (and the development webhook secret) and deletes nothing; production lacks a
/// value only right after its re-target (one value per context at Netlify); a secret value
/// is never marked before it is set; and a second run converges to the uninterrupted state.
/// `netlify-shared-key` re-targets and sets values; `netlify-production-only` sets a secret
/// value and creates its marker.
#[tokio::test(flavor = "multi_thread")]
async fn an_interrupted_migration_is_safe_at_every_write_and_converges() {
    for (scenario, total) in [("netlify-shared-key", 6), ("netlify-production-only", 4)] {
        for k in 0..total {
            let sb = Sandbox::start(Scenario::named(scenario).unwrap())
                .await
                .unwrap();
            let t = project(&sb).with_webhooks();
            let (e, id) = (&t.engine, &t.project.id);
            let keys: Vec<String> = sb
                .world
                .lock()
                .unwrap()
                .netlify
                .vars
                .iter()
                .map(|v| v.key.clone())
                .collect();
            sb.world.lock().unwrap().netlify.write_budget = Some(k);
            let err = e.hosting_env_apply(id).await.unwrap_err();
            assert_eq!(
                err.code(),
                "netlify_unavailable",
                "{scenario} after {k} writes"
            );

            let vars = sb.world.lock().unwrap().netlify.vars.clone();
            for key in &keys {
                assert!(
                    vars.iter().any(|v| &v.key == key),
                    "{key} deleted in {scenario} after {k} writes"
                );
            }
            for (key, test) in [
                (PK_VAR, publishable_key(DEV_FRONTEND_API)),
                (SK_VAR, DEV_SECRET_KEY.to_string()),
                (WEBHOOK_VAR, DEV_WEBHOOK_SECRET.to_string()),
            ] {
                let v = vars.iter().find(|v| v.key == key).unwrap();
                for context in ["deploy-preview", "branch-deploy"] {
                    assert_eq!(
                        v.for_context(context),
                        Some(test.as_str()),
                        "{key} {context} in {scenario} after {k} writes"
                    );
                }
                // Writes go: PK re-target, PK value, SK re-target, SK value, then the same
                // for the webhook secret.
                let gap = scenario == "netlify-shared-key"
                    && ((key == PK_VAR && k == 1)
                        || (key == SK_VAR && k == 3)
                        || (key == WEBHOOK_VAR && k == 5));
                assert_eq!(
                    v.for_context("production").is_some(),
                    !gap,
                    "{key} in production in {scenario} after {k} writes"
                );
            }
            // A marker only ever follows its value.
            if production(&vars, &marker_key(SK_VAR)).is_some() {
                assert_eq!(
                    production(&vars, SK_VAR).unwrap().0,
                    LIVE_SECRET_KEY,
                    "{scenario} after {k} writes"
                );
            }

            sb.world.lock().unwrap().netlify.write_budget = None;
            assert!(
                e.hosting_env_apply(id).await.unwrap().done,
                "{scenario} converges after {k} writes"
            );
            let after = sb.world.lock().unwrap().netlify.vars.clone();
            for (key, live) in [
                (PK_VAR, publishable_key(&format!("clerk.{DOMAIN}"))),
                (SK_VAR, LIVE_SECRET_KEY.to_string()),
                (WEBHOOK_VAR, LIVE_WEBHOOK_SECRET.to_string()),
            ] {
                let v = after.iter().find(|v| v.key == key).unwrap();
                assert_eq!(v.for_context("production"), Some(live.as_str()));
                for context in ["deploy-preview", "branch-deploy"] {
                    assert_ne!(v.for_context(context), Some(live.as_str()), "{key}");
                }
            }
        }
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn bad_input_is_said_clearly() {
    let sb = Sandbox::start(Scenario::named("netlify-fresh").unwrap())
        .await
        .unwrap();
    let t = project(&sb);
    let (e, id) = (&t.engine, &t.project.id);

    // Another host's token pasted as Netlify's: refused before it is kept.
    let err = e
        .set_secret(id, SecretKind::NetlifyToken, VERCEL_TOKEN)
        .unwrap_err();
    assert_eq!(err.code(), "netlify_token_invalid");
    assert!(err.to_string().contains("a Vercel access token"), "{err}");

    // A site of another team: Netlify answers 404, said with what to check.
    e.set_netlify_site(
        id,
        Some(NetlifyLink {
            id: "0c1d2e3f-other-team-site-000000000000".into(),
            name: "elsewhere".into(),
        }),
    )
    .unwrap();
    let err = e.hosting_domain(id).await.unwrap_err();
    assert_eq!(err.code(), "netlify_not_found");
    assert!(err.to_string().contains("Site ID"), "{err}");

    // A domain another site has.
    let other = e
        .create_project(ProjectInput {
            name: "Other".into(),
            domain: "otherapp.test".into(),
            hosting: Hosting::Netlify,
            framework: golive_core::framework::Framework::Nextjs,
        })
        .unwrap();
    e.set_secret(&other.id, SecretKind::NetlifyToken, NETLIFY_TOKEN)
        .unwrap();
    e.set_netlify_site(
        &other.id,
        Some(NetlifyLink {
            id: NETLIFY_SITE_ID.into(),
            name: "quillmate".into(),
        }),
    )
    .unwrap();
    let err = e.hosting_add_domain(&other.id).await.unwrap_err();
    assert_eq!(err.code(), "netlify_domain_elsewhere");
    let msg = err.to_string();
    assert!(msg.contains("already been taken"), "{msg}");
    assert!(msg.contains("Remove domain"), "{msg}");

    // The CLI: another host's token in NETLIFY_TOKEN, a site of another team, a host Golive
    // does not know.
    let r = cli_with("netlify-live", &[("NETLIFY_TOKEN", VERCEL_TOKEN)]).await;
    let c = check(&r, "host.env");
    assert_eq!(c["status"], "fail", "{c}");
    assert!(
        c["detail"]
            .as_str()
            .unwrap()
            .contains("a Vercel access token"),
        "{c}"
    );
    let r = cli_with("netlify-live", &[("NETLIFY_SITE_ID", "0c1d2e3f-other")]).await;
    let c = check(&r, "host.domain");
    assert_eq!(c["status"], "fail", "{c}");
    assert!(
        c["fix"].as_str().unwrap().contains("NETLIFY_SITE_ID"),
        "{c}"
    );
    let mut vars = sb.env();
    vars.push(("HOSTING".into(), "heroku".into()));
    let out = golive(&["check", "--domain", DOMAIN, "--json"], &vars);
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("vercel (the default)") && stderr.contains("netlify"),
        "{stderr}"
    );
}
