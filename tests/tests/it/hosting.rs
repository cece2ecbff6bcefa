//! The hosting step against the sandbox's Vercel: each check failing in its scenario (CLI),
//! the whole path domain → env plan → apply → redeploy → READY (engine), the migration's
//! idempotence, and its safety when interrupted after any write.

use crate::common;
use crate::common::FAST;

use crate::common::{check, golive, stdout_json};
use golive_core::project::VercelLink;
use golive_core::secrets::SecretKind;
use golive_core::steps::hosting::env_plan::EnvAction;
use golive_sandbox::scenario::{
    publishable_key, DEV_FRONTEND_API, DEV_SECRET_KEY, DEV_WEBHOOK_SECRET, LIVE_SECRET_KEY,
    LIVE_WEBHOOK_SECRET, VERCEL_PROJECT_ID, VERCEL_TOKEN,
};
use golive_sandbox::vercel::env::{PK_VAR, SK_VAR, WEBHOOK_VAR};
use golive_sandbox::{Sandbox, Scenario, DOMAIN};

async fn cli(scenario: &str) -> serde_json::Value {
    let sb = Sandbox::start(Scenario::named(scenario).unwrap())
        .await
        .unwrap();
    let mut vars = sb.env();
    vars.extend(sb.key_env());
    stdout_json(&golive(&["check", "--domain", DOMAIN, "--json"], &vars))
}

#[tokio::test(flavor = "multi_thread")]
async fn each_hosting_check_fails_in_its_scenario() {
    let cases: &[(&str, &str, &str, &str)] = &[
        (
            "fresh-project",
            "vercel.domain",
            "fail",
            "is not on the Vercel project",
        ),
        (
            "fresh-project",
            "site.publishable_key",
            "fail",
            "still serves a development key",
        ),
        (
            "env-shared-targets",
            "vercel.env",
            "fail",
            "still holds a development key",
        ),
        (
            "env-production-only",
            "vercel.env",
            "fail",
            "still holds a development key",
        ),
        ("deploy-error", "vercel.deployment", "fail", "exited with 1"),
        (
            "stale-build",
            "vercel.deployment",
            "fail",
            "changed after the live deployment",
        ),
        ("stale-build", "site.publishable_key", "fail", "pk_test"),
    ];
    let live = cli("live").await;
    for (scenario, id, status, detail_has) in cases {
        let r = cli(scenario).await;
        let c = check(&r, id);
        assert_eq!(c["status"], *status, "{scenario} {id}: {c}");
        assert!(
            c["detail"].as_str().unwrap().contains(detail_has),
            "{scenario} {id}: {c}"
        );
        assert!(c["fix"].is_string(), "{scenario} {id}: a fix");
        assert_eq!(check(&live, id)["status"], "pass", "{id} in live");
    }
}

/// An engine project with the live keys and the Vercel project linked.
fn project(sb: &Sandbox) -> common::TestProject {
    common::project_for(sb).with_live_keys().with_vercel()
}

#[tokio::test(flavor = "multi_thread")]
async fn from_a_fresh_project_to_the_live_key_on_the_site() {
    let sb = Sandbox::start(Scenario::named("fresh-project").unwrap())
        .await
        .unwrap();
    let t = project(&sb);
    let (e, id) = (&t.engine, &t.project.id);

    // Domain: added, unverified with the TXT record to add, then verified.
    let record = common::add_then_verify(e, id).await;
    assert_eq!(record.domain, format!("_vercel.{DOMAIN}"));

    // Env: the shared test keys are re-targeted, the live ones created for production.
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
    assert!(!serde_json::to_string(&plan)
        .unwrap()
        .contains(LIVE_SECRET_KEY));
    assert!(e.hosting_env_apply(id).await.unwrap().done);

    // Redeploy, followed to READY.
    let (d, seen) = common::redeploy_followed(e, id).await;
    assert!(d.live(), "{d:?}");
    assert_eq!(seen.first().map(String::as_str), Some("QUEUED"));
    assert!(seen.iter().any(|s| s == "BUILDING"), "{seen:?}");
    assert_eq!(seen.last().map(String::as_str), Some("READY"));

    common::assert_checks_pass(
        e,
        id,
        &[
            "vercel.domain",
            "vercel.env",
            "vercel.deployment",
            "site.publishable_key",
        ],
    )
    .await;
    // Previews kept the development keys; nothing was deleted.
    let vercel = sb.world.lock().unwrap().vercel.clone();
    assert!(vercel.envs.iter().any(|v| v.key == PK_VAR
        && v.target == ["preview", "development"]
        && v.value == publishable_key(DEV_FRONTEND_API)));
    assert!(vercel.envs.iter().any(|v| v.id == "env_sandbox0001"));
    assert!(vercel.envs.iter().any(|v| v.id == "env_sandbox0002"));
}

#[tokio::test(flavor = "multi_thread")]
async fn production_only_variables_get_the_live_values_and_a_second_run_writes_nothing() {
    let sb = Sandbox::start(Scenario::named("env-production-only").unwrap())
        .await
        .unwrap();
    let t = project(&sb);
    let (e, id) = (&t.engine, &t.project.id);
    let plan = e.hosting_env_plan(id).await.unwrap();
    assert!(
        plan.steps.iter().all(|s| s.action == EnvAction::SetValue),
        "{plan:?}"
    );
    assert!(e.hosting_env_apply(id).await.unwrap().done);
    let writes = |sb: &Sandbox| sb.requests().iter().filter(|r| r.method != "GET").count();
    let before = writes(&sb);
    assert!(e.hosting_env_apply(id).await.unwrap().done);
    assert_eq!(writes(&sb), before, "the second run is a no-op");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_redeploy_is_refused_before_the_plan_and_a_failed_build_is_reported() {
    let sb = Sandbox::start(Scenario::named("env-shared-targets").unwrap())
        .await
        .unwrap();
    let t = project(&sb);
    let err = t
        .engine
        .hosting_redeploy(&t.project.id, FAST, |_| {})
        .await
        .unwrap_err();
    assert_eq!(err.code(), "env_not_ready");

    let sb = Sandbox::start(Scenario::named("deploy-error").unwrap())
        .await
        .unwrap();
    let t = project(&sb);
    let d = t
        .engine
        .hosting_redeploy(&t.project.id, FAST, |_| {})
        .await
        .unwrap();
    assert!(d.failed() && d.ready_state == "ERROR", "{d:?}");
    assert!(d.inspector_url.unwrap().starts_with("https://vercel.com/"));
}

/// Interrupted after its 1st, 2nd, … write, the migration leaves previews on the test
/// keys (and the development webhook secret) and deletes nothing; production lacks a
/// variable only right after its re-target (Vercel allows one variable per name and target;
/// see steps::hosting); and a second run converges to the same state as an uninterrupted one.
#[tokio::test(flavor = "multi_thread")]
async fn an_interrupted_migration_is_safe_at_every_write_and_converges() {
    let total = 6;
    for k in 0..total {
        let sb = Sandbox::start(Scenario::named("env-shared-targets").unwrap())
            .await
            .unwrap();
        let t = project(&sb).with_webhooks();
        let (e, id) = (&t.engine, &t.project.id);
        let original: Vec<String> = sb
            .world
            .lock()
            .unwrap()
            .vercel
            .envs
            .iter()
            .map(|v| v.id.clone())
            .collect();
        sb.world.lock().unwrap().vercel.write_budget = Some(k);
        let err = e.hosting_env_apply(id).await.unwrap_err();
        assert_eq!(err.code(), "vercel_unavailable", "after {k} writes");

        let vercel = sb.world.lock().unwrap().vercel.clone();
        for id in &original {
            assert!(
                vercel.envs.iter().any(|v| &v.id == id),
                "{id} deleted after {k} writes"
            );
        }
        for (key, test) in [
            (PK_VAR, publishable_key(DEV_FRONTEND_API)),
            (SK_VAR, DEV_SECRET_KEY.to_string()),
            (WEBHOOK_VAR, DEV_WEBHOOK_SECRET.to_string()),
        ] {
            for target in ["preview", "development"] {
                let v = vercel
                    .envs
                    .iter()
                    .find(|v| v.key == key && v.target.iter().any(|t| t == target));
                assert_eq!(
                    v.map(|v| v.value.clone()),
                    Some(test.clone()),
                    "{key} {target} after {k} writes"
                );
            }
            let in_production = vercel
                .envs
                .iter()
                .any(|v| v.key == key && v.target.iter().any(|t| t == "production"));
            // Writes go: PK re-target, PK create, SK re-target, SK create, then the same
            // for the webhook secret.
            let gap = (key == PK_VAR && k == 1)
                || (key == SK_VAR && k == 3)
                || (key == WEBHOOK_VAR && k == 5);
            assert_eq!(in_production, !gap, "{key} in production after {k} writes");
        }

        sb.world.lock().unwrap().vercel.write_budget = None;
        assert!(
            e.hosting_env_apply(id).await.unwrap().done,
            "converges after {k} writes"
        );
        let after = sb.world.lock().unwrap().vercel.envs.clone();
        let live: Vec<(String, Vec<String>)> = after
            .iter()
            .filter(|v| {
                v.value.starts_with("pk_live_")
                    || v.value.starts_with("sk_live_")
                    || v.value == LIVE_WEBHOOK_SECRET
            })
            .map(|v| (v.key.clone(), v.target.clone()))
            .collect();
        assert_eq!(
            live,
            [
                (PK_VAR.to_string(), vec!["production".to_string()]),
                (SK_VAR.to_string(), vec!["production".to_string()]),
                (WEBHOOK_VAR.to_string(), vec!["production".to_string()])
            ],
            "after {k} writes"
        );
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn a_domain_on_another_project_says_what_to_do() {
    use golive_core::project::{Hosting, ProjectInput};
    let sb = Sandbox::start(Scenario::named("fresh-project").unwrap())
        .await
        .unwrap();
    let t = project(&sb);
    let e = &t.engine;
    let other = e
        .create_project(ProjectInput {
            name: "Other".into(),
            domain: "otherapp.test".into(),
            hosting: Hosting::Vercel,
            framework: golive_core::framework::Framework::Nextjs,
        })
        .unwrap();
    e.set_secret(&other.id, SecretKind::VercelToken, VERCEL_TOKEN)
        .unwrap();
    e.set_vercel_project(
        &other.id,
        Some(VercelLink {
            id: VERCEL_PROJECT_ID.into(),
            name: "quillmate".into(),
            team_id: None,
        }),
    )
    .unwrap();
    let err = e.hosting_add_domain(&other.id).await.unwrap_err();
    assert_eq!(err.code(), "vercel_domain_elsewhere");
    let msg = err.to_string();
    assert!(msg.contains("already assigned to another project"), "{msg}");
    assert!(msg.contains("Settings → Domains"), "{msg}");
}
