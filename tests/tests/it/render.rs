//! The hosting step against the sandbox's Render: each `host.*` check passing and failing
//! per scenario through the CLI (`HOSTING=render golive check --json`), the whole path
//! domain → verification → env plan → apply → deploy → live (engine), the previews that
//! hold the live keys back, the migration's idempotence and its safety when interrupted
//! after any write, and bad input said clearly.

use crate::common;
use crate::common::{cli_in, cli_with, FAST};

use crate::common::check;
use golive_core::project::{Hosting, ProjectInput, RenderLink};
use golive_core::secrets::SecretKind;
use golive_core::steps::hosting::env_plan::EnvAction;
use golive_sandbox::render::env::stamp_key;
use golive_sandbox::scenario::{
    publishable_key, DEV_FRONTEND_API, DEV_SECRET_KEY, DEV_WEBHOOK_SECRET, LIVE_SECRET_KEY,
    LIVE_WEBHOOK_SECRET, NETLIFY_TOKEN, RENDER_API_KEY, RENDER_SERVICE_ID, VERCEL_TOKEN,
};
use golive_sandbox::vercel::env::{PK_VAR, SK_VAR, WEBHOOK_VAR};
use golive_sandbox::{Sandbox, Scenario, DOMAIN};

const DASHBOARD: &str = "https://dashboard.render.com/web/srv-d0sandboxquillmate0";

#[tokio::test(flavor = "multi_thread")]
async fn each_render_check_fails_in_its_scenario_and_passes_when_live() {
    let cases: &[(&str, &str, &str)] = &[
        (
            "render-fresh",
            "host.domain",
            "is not on the Render service",
        ),
        (
            "render-fresh",
            "site.publishable_key",
            "still serves a development key",
        ),
        (
            "render-shared-key",
            "host.env",
            "still holds a development key",
        ),
        (
            "render-production-only",
            "host.env",
            "still holds a development key",
        ),
        ("render-build-error", "host.deployment", "build_failed"),
        (
            "render-stale-build",
            "host.deployment",
            "changed after the live deployment",
        ),
        ("render-stale-build", "site.publishable_key", "pk_test"),
        (
            "render-domain-unverified",
            "host.domain",
            "Render has not seen its DNS point to the service",
        ),
    ];
    let live = cli_with("render-live", &[]).await;
    for (scenario, id, detail_has) in cases {
        let r = cli_with(scenario, &[]).await;
        let c = check(&r, id);
        assert_eq!(c["status"], "fail", "{scenario} {id}: {c}");
        assert!(
            c["detail"].as_str().unwrap().contains(detail_has),
            "{scenario} {id}: {c}"
        );
        assert!(c["fix"].is_string(), "{scenario} {id}: a fix");
        assert_eq!(check(&live, id)["status"], "pass", "{id} in render-live");
    }
    // The build error's fix links the deploy in Render's dashboard; an unverified domain's
    // names the service's onrender.com host.
    let r = cli_with("render-build-error", &[]).await;
    let fix = check(&r, "host.deployment")["fix"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(fix.contains(&format!("{DASHBOARD}/deploys/dep-")), "{fix}");
    let r = cli_with("render-domain-unverified", &[]).await;
    let fix = check(&r, "host.domain")["fix"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(
        fix.contains("CNAME quillmate.test \"quillmate.onrender.com\""),
        "{fix}"
    );
    // A Render run lists the host's checks, no `vercel.*`.
    let ids: Vec<&str> = live["checks"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["id"].as_str().unwrap())
        .collect();
    assert!(ids.contains(&"host.env") && !ids.iter().any(|i| i.starts_with("vercel.")));
}

/// The live keys in a service that makes previews: every new preview would read them.
#[tokio::test(flavor = "multi_thread")]
async fn live_keys_in_a_service_with_previews_fail_host_env() {
    let sb = Sandbox::start(Scenario::named("render-shared-key").unwrap())
        .await
        .unwrap();
    {
        let mut w = sb.world.lock().unwrap();
        for (key, value) in [
            (PK_VAR, publishable_key(&format!("clerk.{DOMAIN}"))),
            (SK_VAR, LIVE_SECRET_KEY.to_string()),
        ] {
            w.render.vars.iter_mut().find(|v| v.0 == key).unwrap().1 = value;
        }
    }
    let r = cli_in(&sb, &[]).await;
    let c = check(&r, "host.env");
    assert_eq!(c["status"], "fail", "{c}");
    let detail = c["detail"].as_str().unwrap();
    assert!(detail.contains("new previews would get them too"), "{c}");
    assert!(detail.contains(DASHBOARD), "{c}");
}

/// A preview instance left from when the service made previews, holding live keys (copied
/// from production): production is right, the preview is named.
#[tokio::test(flavor = "multi_thread")]
async fn a_preview_instance_with_live_keys_is_named() {
    let sb = Sandbox::start(Scenario::named("render-live").unwrap())
        .await
        .unwrap();
    {
        let mut w = sb.world.lock().unwrap();
        w.render.preview = Some(w.render.vars.clone());
    }
    let r = cli_in(&sb, &[]).await;
    let c = check(&r, "host.env");
    assert_eq!(c["status"], "warn", "{c}");
    let detail = c["detail"].as_str().unwrap();
    assert!(
        detail.contains("CLERK_SECRET_KEY (preview quillmate-pr-7)"),
        "{c}"
    );
    assert!(
        c["fix"].as_str().unwrap().contains("preview instances"),
        "{c}"
    );
}

/// An engine project with the live keys and the Render service linked.
fn project(sb: &Sandbox) -> common::TestProject {
    common::project_for(sb).with_live_keys().with_render()
}

#[tokio::test(flavor = "multi_thread")]
async fn from_a_fresh_service_to_the_live_key_on_the_site() {
    let sb = Sandbox::start(Scenario::named("render-fresh").unwrap())
        .await
        .unwrap();
    let t = project(&sb);
    let (e, id) = (&t.engine, &t.project.id);

    // Domain: added, unverified with the record to add, then verified.
    let record = common::add_then_verify(e, id).await;
    assert_eq!(
        (record.kind.as_str(), record.value.as_str()),
        ("CNAME", "quillmate.onrender.com")
    );

    // Env: one set of variables, so production's values are set; the plan says why.
    let plan = e.hosting_env_plan(id).await.unwrap();
    let actions = common::actions(&plan);
    assert_eq!(
        actions,
        [(PK_VAR, EnvAction::SetValue), (SK_VAR, EnvAction::SetValue)]
    );
    assert!(plan.held.is_none());
    assert!(
        plan.notes
            .iter()
            .any(|n| n.contains("one set of variables per service")),
        "{:?}",
        plan.notes
    );
    assert!(!serde_json::to_string(&plan)
        .unwrap()
        .contains(LIVE_SECRET_KEY));
    assert!(e.hosting_env_apply(id).await.unwrap().done);

    // A deploy, followed to live. Another is still building, so Render queues this one
    // and answers without it (202): the newest deploy is the one followed.
    let building = {
        let mut w = sb.world.lock().unwrap();
        let mut d = w.render.deploys[0].clone();
        (d.id, d.started) = ("dep-d0sandboxbuilding0".into(), std::time::Instant::now());
        w.render.deploys.push(d.clone());
        d.id
    };
    let (d, seen) = common::redeploy_followed(e, id).await;
    assert!(d.live() && d.id != building, "{d:?}");
    assert_eq!(seen.first().map(String::as_str), Some("CREATED"));
    assert!(seen.iter().any(|s| s == "BUILD_IN_PROGRESS"), "{seen:?}");
    assert_eq!(seen.last().map(String::as_str), Some("LIVE"));

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
    // Nothing else changed or went; each value Golive set is dated.
    let render = sb.world.lock().unwrap().render.clone();
    assert_eq!(render.value("NODE_VERSION"), Some("22"));
    assert_eq!(render.value(SK_VAR), Some(LIVE_SECRET_KEY));
    for key in [PK_VAR, SK_VAR] {
        assert!(render.value(&stamp_key(key)).is_some(), "{key} stamped");
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn previews_hold_the_live_keys_back_and_nothing_is_written() {
    let sb = Sandbox::start(Scenario::named("render-shared-key").unwrap())
        .await
        .unwrap();
    let t = project(&sb);
    let (e, id) = (&t.engine, &t.project.id);
    let before = sb.world.lock().unwrap().render.clone();
    let plan = e.hosting_env_plan(id).await.unwrap();
    assert!(!plan.done);
    let held = plan.held.unwrap();
    assert!(held.contains("Previews are automatic"), "{held}");
    assert!(held.contains(DASHBOARD), "{held}");
    let err = e.hosting_env_apply(id).await.unwrap_err();
    assert_eq!(err.code(), "live_keys_would_reach_previews");
    let err = e.hosting_redeploy(id, FAST, |_| {}).await.unwrap_err();
    assert_eq!(err.code(), "env_not_ready");
    assert!(
        !sb.requests().iter().any(|r| r.method != "GET"),
        "nothing written"
    );
    let after = sb.world.lock().unwrap().render.clone();
    assert_eq!((after.vars, after.preview), (before.vars, before.preview));

    // The preview instance's variables were read (for host.env), never written.
    let preview = format!(
        "/render/v1/services/{}/env-vars",
        golive_sandbox::scenario::RENDER_PREVIEW_ID
    );
    assert!(sb.requests().iter().any(|r| r.path == preview));
}

#[tokio::test(flavor = "multi_thread")]
async fn a_deploy_is_refused_before_the_plan_and_a_failed_one_is_reported_with_its_page() {
    let sb = Sandbox::start(Scenario::named("render-production-only").unwrap())
        .await
        .unwrap();
    let t = project(&sb);
    let err = t
        .engine
        .hosting_redeploy(&t.project.id, FAST, |_| {})
        .await
        .unwrap_err();
    assert_eq!(err.code(), "env_not_ready");
    assert!(!sb.requests().iter().any(|r| r.method == "POST"));

    let sb = Sandbox::start(Scenario::named("render-build-error").unwrap())
        .await
        .unwrap();
    let t = project(&sb);
    let d = t
        .engine
        .hosting_redeploy(&t.project.id, FAST, |_| {})
        .await
        .unwrap();
    assert!(d.failed() && d.ready_state == "BUILD_FAILED", "{d:?}");
    assert!(d
        .inspector_url
        .unwrap()
        .starts_with(&format!("{DASHBOARD}/deploys/dep-")));
    assert!(d.error_message.unwrap().contains("build failed"));
}

/// Interrupted after its 1st, 2nd, … write, the migration deletes nothing, never leaves
/// production without a value (one PUT per key: the test value or the live one), never
/// dates a value that is not the live one, and a second run converges. Writes go: PK
/// value, PK stamp, SK value, SK stamp, then the webhook secret's.
#[tokio::test(flavor = "multi_thread")]
async fn an_interrupted_migration_is_safe_at_every_write_and_converges() {
    let test = [
        (PK_VAR, publishable_key(DEV_FRONTEND_API)),
        (SK_VAR, DEV_SECRET_KEY.to_string()),
        (WEBHOOK_VAR, DEV_WEBHOOK_SECRET.to_string()),
    ];
    let live = [
        (PK_VAR, publishable_key(&format!("clerk.{DOMAIN}"))),
        (SK_VAR, LIVE_SECRET_KEY.to_string()),
        (WEBHOOK_VAR, LIVE_WEBHOOK_SECRET.to_string()),
    ];
    for k in 0..6 {
        let sb = Sandbox::start(Scenario::named("render-production-only").unwrap())
            .await
            .unwrap();
        let t = project(&sb).with_webhooks();
        let (e, id) = (&t.engine, &t.project.id);
        let keys: Vec<String> = sb
            .world
            .lock()
            .unwrap()
            .render
            .vars
            .iter()
            .map(|v| v.0.clone())
            .collect();
        sb.world.lock().unwrap().render.write_budget = Some(k);
        let err = e.hosting_env_apply(id).await.unwrap_err();
        assert_eq!(err.code(), "render_unavailable", "after {k} writes");

        let r = sb.world.lock().unwrap().render.clone();
        for key in &keys {
            assert!(r.value(key).is_some(), "{key} deleted after {k} writes");
        }
        for ((key, test), (_, live)) in test.iter().zip(&live) {
            let v = r.value(key).unwrap();
            // The i-th key's value lands with write 2i+1.
            let i = [PK_VAR, SK_VAR, WEBHOOK_VAR]
                .iter()
                .position(|x| x == key)
                .unwrap() as u32;
            let want = if k > 2 * i { live } else { test };
            assert_eq!(v, want, "{key} after {k} writes");
            if r.value(&stamp_key(key)).is_some() {
                assert_eq!(v, live, "a stamp follows its value ({key}, {k} writes)");
            }
        }

        sb.world.lock().unwrap().render.write_budget = None;
        assert!(
            e.hosting_env_apply(id).await.unwrap().done,
            "converges after {k} writes"
        );
        let after = sb.world.lock().unwrap().render.clone();
        for (key, live) in &live {
            assert_eq!(after.value(key), Some(live.as_str()), "{key}");
        }
        let writes = |sb: &Sandbox| sb.requests().iter().filter(|r| r.method != "GET").count();
        let done = writes(&sb);
        assert!(e.hosting_env_apply(id).await.unwrap().done);
        assert_eq!(writes(&sb), done, "a further run is a no-op");
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn bad_input_is_said_clearly() {
    let sb = Sandbox::start(Scenario::named("render-fresh").unwrap())
        .await
        .unwrap();
    let t = project(&sb);
    let (e, id) = (&t.engine, &t.project.id);

    // Another host's token pasted as Render's key: refused before it is kept.
    for (token, what) in [
        (NETLIFY_TOKEN, "a Netlify access token"),
        (VERCEL_TOKEN, "a Vercel access token"),
    ] {
        let err = e
            .set_secret(id, SecretKind::RenderApiKey, token)
            .unwrap_err();
        assert_eq!(err.code(), "render_key_invalid");
        assert!(err.to_string().contains(what), "{err}");
    }

    // A service of another workspace: Render answers 404, said with what to check.
    e.set_render_service(
        id,
        Some(RenderLink {
            id: "srv-d0otherworkspace00000".into(),
            name: "elsewhere".into(),
            dashboard_url: None,
        }),
    )
    .unwrap();
    let err = e.hosting_domain(id).await.unwrap_err();
    assert_eq!(err.code(), "render_not_found");
    assert!(err.to_string().contains("service ID"), "{err}");

    // A domain another service has.
    let other = e
        .create_project(ProjectInput {
            name: "Other".into(),
            domain: "otherapp.test".into(),
            hosting: Hosting::Render,
            framework: golive_core::framework::Framework::Nextjs,
        })
        .unwrap();
    e.set_secret(&other.id, SecretKind::RenderApiKey, RENDER_API_KEY)
        .unwrap();
    e.set_render_service(
        &other.id,
        Some(RenderLink {
            id: RENDER_SERVICE_ID.into(),
            name: "quillmate".into(),
            dashboard_url: None,
        }),
    )
    .unwrap();
    let err = e.hosting_add_domain(&other.id).await.unwrap_err();
    assert_eq!(err.code(), "render_domain_elsewhere");
    let msg = err.to_string();
    assert!(msg.contains("already exists"), "{msg}");
    assert!(msg.contains("Custom Domains"), "{msg}");

    // The CLI: another host's token in RENDER_API_KEY, a service of another workspace.
    let r = cli_with("render-live", &[("RENDER_API_KEY", VERCEL_TOKEN)]).await;
    let c = check(&r, "host.env");
    assert_eq!(c["status"], "fail", "{c}");
    assert!(
        c["detail"]
            .as_str()
            .unwrap()
            .contains("a Vercel access token"),
        "{c}"
    );
    let r = cli_with("render-live", &[("RENDER_SERVICE_ID", "srv-d0other")]).await;
    let c = check(&r, "host.domain");
    assert_eq!(c["status"], "fail", "{c}");
    assert!(
        c["fix"].as_str().unwrap().contains("RENDER_SERVICE_ID"),
        "{c}"
    );
}
