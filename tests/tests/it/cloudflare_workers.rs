//! The hosting step against the sandbox's Cloudflare Workers: the `host.*` checks per
//! scenario through the CLI (`HOSTING=cloudflare-workers`), the path from a fresh Worker to
//! the live key (domain attached, keys as secrets with their markers, no rebuild), a
//! replaced marker removed, the migration safe when interrupted after any write, and bad
//! input said clearly. Only `live`, `fresh` and `domain-unverified` apply to a Worker (see
//! the fake's header).

use crate::common;
use crate::common::{cli_with, FAST};

use crate::common::check;
use golive_core::project::{CloudflareLink, Hosting, ProjectInput};
use golive_core::secrets::SecretKind;
use golive_core::steps::hosting::env_plan::EnvAction;
use golive_sandbox::cloudflare::workers::{Binding, OTHER_WORKER, OTHER_WORKER_DOMAIN};
use golive_sandbox::scenario::{
    publishable_key, CLOUDFLARE_ACCOUNT_ID, CLOUDFLARE_TOKEN, DEV_FRONTEND_API, LIVE_SECRET_KEY,
    LIVE_WEBHOOK_SECRET, VERCEL_TOKEN, WORKER_SCRIPT,
};
use golive_sandbox::vercel::env::{PK_VAR, SK_VAR, WEBHOOK_VAR};
use golive_sandbox::{Sandbox, Scenario, DOMAIN};

#[tokio::test(flavor = "multi_thread")]
async fn each_worker_check_says_its_scenario_and_passes_when_live() {
    let cases: &[(&str, &str, &str, &str)] = &[
        (
            "cloudflare-workers-fresh",
            "host.domain",
            "fail",
            "is not on the Cloudflare Workers script",
        ),
        (
            "cloudflare-workers-fresh",
            "host.env",
            "warn",
            "Golive did not set it",
        ),
        (
            "cloudflare-workers-fresh",
            "site.publishable_key",
            "fail",
            "still serves a development key",
        ),
        (
            "cloudflare-workers-domain-unverified",
            "host.domain",
            "fail",
            "is not on",
        ),
    ];
    let live = cli_with("cloudflare-workers-live", &[]).await;
    for (scenario, id, status, detail_has) in cases {
        let r = cli_with(scenario, &[]).await;
        let c = check(&r, id);
        assert_eq!(c["status"], *status, "{scenario} {id}: {c}");
        assert!(
            c["detail"].as_str().unwrap().contains(detail_has),
            "{scenario} {id}: {c}"
        );
        assert_eq!(
            check(&live, id)["status"],
            "pass",
            "{id} in cloudflare-workers-live: {live}"
        );
    }
    assert_eq!(check(&live, "host.deployment")["status"], "pass", "{live}");
    // Cloudflare makes a Worker domain's record: the DNS step has none of the site's to add.
    let apex = check(&live, "dns.apex");
    assert_eq!(apex["status"], "skip", "{apex}");
    assert!(apex["detail"]
        .as_str()
        .unwrap()
        .starts_with("Cloudflare makes the domain's record itself"));
    // The signing secret rests on its marker's digest, which names the saved secret.
    let c = check(&live, "webhook.secret");
    assert_eq!(c["status"], "pass", "{c}");
    let r = cli_with("cloudflare-workers-domain-unverified", &[]).await;
    let fix = check(&r, "host.domain")["fix"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(
        fix.contains("its zone must be in the Worker's account"),
        "{fix}"
    );
}

async fn project(sb: &Sandbox) -> common::TestProject {
    common::project_for(sb)
        .with_live_keys()
        .with_cloudflare_workers()
        .await
}

fn secrets_of(sb: &Sandbox) -> Vec<Binding> {
    sb.world.lock().unwrap().cloudflare_worker.bindings.clone()
}

fn markers(bindings: &[Binding], key: &str) -> usize {
    let prefix = format!("GOLIVE_MARKER_{key}_");
    bindings
        .iter()
        .filter(|b| b.name.starts_with(&prefix))
        .count()
}

#[tokio::test(flavor = "multi_thread")]
async fn from_a_fresh_worker_to_the_live_key_without_a_rebuild() {
    let sb = Sandbox::start(Scenario::named("cloudflare-workers-fresh").unwrap())
        .await
        .unwrap();
    let t = project(&sb).await;
    let (e, id) = (&t.engine, &t.project.id);

    // Domain: attached to the Worker in the account's zone, and so served at once.
    assert!(e.hosting_domain(id).await.unwrap().domain.is_none());
    assert!(
        e.hosting_add_domain(id)
            .await
            .unwrap()
            .domain
            .unwrap()
            .verified
    );
    assert!(
        e.hosting_verify_domain(id)
            .await
            .unwrap()
            .domain
            .unwrap()
            .verified
    );

    // Env: both keys are secrets Golive did not set: their values are set (as secrets).
    let plan = e.hosting_env_plan(id).await.unwrap();
    let actions = common::actions(&plan);
    assert_eq!(
        actions,
        [(PK_VAR, EnvAction::SetValue), (SK_VAR, EnvAction::SetValue)]
    );
    assert_eq!(plan.steps[0].target, ["production"]);
    assert!(e.hosting_env_apply(id).await.unwrap().done);
    let b = secrets_of(&sb);
    assert_eq!(markers(&b, SK_VAR), 1);
    assert!(b.iter().any(|b| b.name == "APP_ENV"), "other bindings stay");

    // No rebuild: the version the secrets deployed is live; the "redeploy" writes nothing.
    let writes = |sb: &Sandbox| sb.requests().iter().filter(|r| r.method != "GET").count();
    let before = writes(&sb);
    let d = e.hosting_redeploy(id, FAST, |_| {}).await.unwrap();
    assert!(d.live(), "{d:?}");
    assert_eq!(writes(&sb), before);
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
    assert!(e.hosting_env_apply(id).await.unwrap().done);
    assert_eq!(writes(&sb), before, "the second run is a no-op");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_new_signing_secret_replaces_its_marker() {
    let sb = Sandbox::start(Scenario::named("cloudflare-workers-live").unwrap())
        .await
        .unwrap();
    let t = project(&sb).await.with_webhooks();
    let (e, id) = (&t.engine, &t.project.id);
    assert!(e.hosting_env_plan(id).await.unwrap().done);
    let renewed = format!("{}x", &LIVE_WEBHOOK_SECRET[..LIVE_WEBHOOK_SECRET.len() - 1]);
    e.set_secret(id, SecretKind::ClerkWebhookSecret, &renewed)
        .unwrap();
    let plan = e.hosting_env_plan(id).await.unwrap();
    assert!(plan
        .steps
        .iter()
        .any(|s| s.key == WEBHOOK_VAR && s.action == EnvAction::SetValue));
    assert!(e.hosting_env_apply(id).await.unwrap().done);
    let b = secrets_of(&sb);
    assert_eq!(
        markers(&b, WEBHOOK_VAR),
        1,
        "the replaced marker is removed: {b:?}"
    );
    assert_eq!(
        b.iter().find(|b| b.name == WEBHOOK_VAR).unwrap().text,
        renewed
    );
}

/// Interrupted after any write, the migration deletes no variable, never leaves a marker on a
/// value it did not set, and a second run converges.
#[tokio::test(flavor = "multi_thread")]
async fn an_interrupted_migration_is_safe_at_every_write_and_converges() {
    // Per key: its value, then its marker.
    for k in 0..6 {
        let sb = Sandbox::start(Scenario::named("cloudflare-workers-fresh").unwrap())
            .await
            .unwrap();
        let t = project(&sb).await.with_webhooks();
        let (e, id) = (&t.engine, &t.project.id);
        let start = secrets_of(&sb);
        sb.world.lock().unwrap().cloudflare_worker.write_budget = Some(k);
        let err = e.hosting_env_apply(id).await.unwrap_err();
        assert_eq!(err.code(), "cloudflare_unavailable", "after {k} writes");
        let now = secrets_of(&sb);
        for b in &start {
            assert!(
                now.iter().any(|n| n.name == b.name),
                "{} deleted after {k} writes",
                b.name
            );
        }
        for (key, live) in [
            (PK_VAR, publishable_key(&format!("clerk.{DOMAIN}"))),
            (SK_VAR, LIVE_SECRET_KEY.to_string()),
            (WEBHOOK_VAR, LIVE_WEBHOOK_SECRET.to_string()),
        ] {
            if markers(&now, key) > 0 {
                let v = &now.iter().find(|b| b.name == key).unwrap().text;
                assert_eq!(v, &live, "{key} marked before it was set, after {k} writes");
            }
        }
        sb.world.lock().unwrap().cloudflare_worker.write_budget = None;
        assert!(
            e.hosting_env_apply(id).await.unwrap().done,
            "converges after {k} writes"
        );
        let after = secrets_of(&sb);
        assert_eq!(
            after.iter().find(|b| b.name == PK_VAR).unwrap().text,
            publishable_key(&format!("clerk.{DOMAIN}"))
        );
        assert_ne!(
            after.iter().find(|b| b.name == PK_VAR).unwrap().text,
            publishable_key(DEV_FRONTEND_API)
        );
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn bad_input_is_said_clearly() {
    let sb = Sandbox::start(Scenario::named("cloudflare-workers-fresh").unwrap())
        .await
        .unwrap();
    let t = project(&sb).await;
    let (e, id) = (&t.engine, &t.project.id);
    let link = |account: &str, name: &str| {
        Some(CloudflareLink {
            account_id: account.into(),
            name: name.into(),
            kind: None,
        })
    };
    // A Worker of another account; a name the account does not have.
    let err = e
        .set_cloudflare_project(id, link("0000aaaa1111bbbb2222cccc3333dddd", WORKER_SCRIPT))
        .await
        .unwrap_err();
    assert_eq!(err.code(), "cloudflare_account_rejected");
    let err = e
        .set_cloudflare_project(id, link(CLOUDFLARE_ACCOUNT_ID, "elsewhere"))
        .await
        .unwrap_err();
    assert_eq!(err.code(), "cloudflare_project_not_found");
    assert!(
        err.to_string().contains("no Worker named elsewhere"),
        "{err}"
    );

    // A domain another Worker serves: said, and not taken from it.
    let other = e
        .create_project(ProjectInput {
            name: "Other".into(),
            domain: OTHER_WORKER_DOMAIN.into(),
            hosting: Hosting::CloudflareWorkers,
            framework: golive_core::framework::Framework::Nextjs,
        })
        .unwrap();
    e.set_secret(&other.id, SecretKind::CloudflareToken, CLOUDFLARE_TOKEN)
        .unwrap();
    e.set_cloudflare_project(&other.id, link(CLOUDFLARE_ACCOUNT_ID, WORKER_SCRIPT))
        .await
        .unwrap();
    let err = e.hosting_add_domain(&other.id).await.unwrap_err();
    assert_eq!(err.code(), "cloudflare_domain_elsewhere");
    assert!(err.to_string().contains(OTHER_WORKER), "{err}");
    assert!(!sb
        .requests()
        .iter()
        .any(|r| r.method == "PUT" && r.path.ends_with("/workers/domains")));

    // A plain [vars] variable in the way of a key: said, not changed.
    sb.world
        .lock()
        .unwrap()
        .cloudflare_worker
        .bindings
        .iter_mut()
        .find(|b| b.name == PK_VAR)
        .unwrap()
        .secret = false;
    let err = e.hosting_env_apply(id).await.unwrap_err();
    assert_eq!(err.code(), "cloudflare_worker_plain_var");
    assert!(err.to_string().contains("wrangler.toml's [vars]"), "{err}");

    // A domain whose zone is not in the account cannot be attached: said with what to do.
    let sb = Sandbox::start(Scenario::named("cloudflare-workers-domain-unverified").unwrap())
        .await
        .unwrap();
    let t = project(&sb).await;
    let err = t
        .engine
        .hosting_add_domain(&t.project.id)
        .await
        .unwrap_err();
    assert_eq!(err.code(), "cloudflare_zone_elsewhere");
    assert!(
        err.to_string()
            .contains("cannot attach a domain whose DNS is elsewhere"),
        "{err}"
    );

    // The CLI: another host's token in CLOUDFLARE_API_TOKEN.
    let r = cli_with(
        "cloudflare-workers-live",
        &[("CLOUDFLARE_API_TOKEN", VERCEL_TOKEN)],
    )
    .await;
    let c = check(&r, "host.env");
    assert_eq!(c["status"], "fail", "{c}");
    assert!(
        c["detail"]
            .as_str()
            .unwrap()
            .contains("a Vercel access token"),
        "{c}"
    );
}

/// A Pages project's link is not read as a Worker's: a project moved from Pages to Workers
/// asks for its Worker (the Pages name is not written to as one), and moved back finds its
/// Pages project linked again.
#[tokio::test(flavor = "multi_thread")]
async fn a_pages_link_is_not_read_as_a_worker() {
    let sb = Sandbox::start(Scenario::named("cloudflare-pages-live").unwrap())
        .await
        .unwrap();
    let t = common::project_for(&sb)
        .with_live_keys()
        .with_cloudflare_pages()
        .await;
    let (e, id) = (&t.engine, &t.project.id);
    let move_to = |hosting| {
        let p = e.project(id).unwrap();
        e.update_project(
            id,
            ProjectInput {
                name: p.name.clone(),
                domain: p.domain.clone(),
                hosting,
                framework: p.framework,
            },
        )
        .unwrap()
    };
    let moved = move_to(Hosting::CloudflareWorkers);
    assert!(moved.cloudflare_link().is_none(), "{moved:?}");
    let err = e.hosting_env_plan(id).await.unwrap_err();
    assert_eq!(err.code(), "cloudflare_project_missing");
    assert!(err.to_string().contains("the Worker's name"), "{err}");
    // The Pages link is kept, and is the project's again once it is back on Pages.
    let back = move_to(Hosting::CloudflarePages);
    assert_eq!(back.cloudflare_link().unwrap().name, "quillmate");
    assert!(e.hosting_env_plan(id).await.is_ok());
}
