//! The steps' actions against the sandbox: creating the Clerk production
//! instance (and adopting it when it exists), what a 402 leaves behind, Clerk's domain status;
//! adding the production issuer to Supabase.

use crate::common;
use std::sync::Arc;

use golive_core::engine::Engine;
use golive_core::project::Project;
use golive_core::secrets::{MemoryStore, SecretKind, SecretStore};
use golive_sandbox::scenario::{APP_ID, INSTANCE_ID, LIVE_SECRET_KEY, PLATFORM_KEY};
use golive_sandbox::{Sandbox, Scenario};

struct Setup {
    sandbox: Sandbox,
    engine: Arc<Engine>,
    secrets: Arc<MemoryStore>,
    project: Project,
    _test: common::TestProject,
}

async fn setup(scenario: &str, platform_key: bool) -> Setup {
    let sandbox = Sandbox::start(Scenario::named(scenario).unwrap())
        .await
        .unwrap();
    let test = common::project_for(&sandbox);
    if platform_key {
        test.engine
            .set_secret(&test.project.id, SecretKind::ClerkPlatformKey, PLATFORM_KEY)
            .unwrap();
    }
    Setup {
        engine: test.engine.clone(),
        secrets: test.secrets.clone(),
        project: test.project.clone(),
        sandbox,
        _test: test,
    }
}

#[tokio::test]
async fn creates_the_production_instance_and_keeps_its_keys() {
    let s = setup("fresh", true).await;
    let apps = s.engine.clerk_applications(&s.project.id).await.unwrap();
    assert_eq!(
        (apps[0].id.as_str(), apps[0].has_production),
        (APP_ID, false)
    );

    let created = s
        .engine
        .clerk_create_production(&s.project.id, APP_ID)
        .await
        .unwrap();
    assert_eq!(created.instance.instance_id, INSTANCE_ID);
    assert!(!created.instance.adopted);
    assert_eq!(created.instance.cname_targets.len(), 5);
    assert_eq!(
        created.project.clerk_application_id.as_deref(),
        Some(APP_ID)
    );
    assert!(created
        .project
        .publishable_key
        .as_deref()
        .unwrap()
        .starts_with("pk_live_"));
    let stored = s
        .secrets
        .get(&s.project.id, SecretKind::ClerkSecretKey)
        .unwrap()
        .unwrap();
    assert_eq!(stored.expose(), LIVE_SECRET_KEY);
    // Saved, not just returned.
    assert_eq!(s.engine.list_projects().unwrap()[0], created.project);

    // The request cloned the development instance.
    let post = s
        .sandbox
        .requests()
        .into_iter()
        .find(|r| r.method == "POST")
        .unwrap();
    assert_eq!(
        post.body.unwrap()["clone_instance_id"],
        "ins_2sandboxDEVquillmate"
    );

    // Running it again adopts the instance that now exists (Clerk's 409), same keys.
    let again = s
        .engine
        .clerk_create_production(&s.project.id, APP_ID)
        .await
        .unwrap();
    assert!(again.instance.adopted);
    assert_eq!(again.instance.instance_id, INSTANCE_ID);
    assert_eq!(
        again.project.publishable_key,
        created.project.publishable_key
    );
    assert!(s.engine.clerk_applications(&s.project.id).await.unwrap()[0].has_production);
}

#[tokio::test]
async fn a_plan_without_production_changes_nothing() {
    let s = setup("free-plan", true).await;
    let err = s
        .engine
        .clerk_create_production(&s.project.id, APP_ID)
        .await
        .unwrap_err();
    assert_eq!(err.code(), "clerk_plan_insufficient");
    assert!(err.to_string().contains("Billing"), "{err}");
    assert!(s
        .secrets
        .get(&s.project.id, SecretKind::ClerkSecretKey)
        .unwrap()
        .is_none());
    assert_eq!(s.engine.list_projects().unwrap()[0], s.project);
}

#[tokio::test]
async fn without_a_platform_key_the_guided_path_is_named() {
    let s = setup("fresh", false).await;
    let err = s
        .engine
        .clerk_applications(&s.project.id)
        .await
        .unwrap_err();
    assert_eq!(err.code(), "platform_key_missing");
    assert!(err.to_string().contains("guided steps"));
    assert!(s.sandbox.requests().is_empty(), "nothing was sent");
}

#[tokio::test]
async fn domain_status_with_hints_and_a_recheck_already_running() {
    let s = setup("created", true).await;
    let status = s
        .engine
        .clerk_domain_status(&s.project.id, false)
        .await
        .unwrap();
    assert_eq!(status.status, "incomplete");
    let clerk = &status.dns.cnames["clerk"];
    assert!(!clerk.verified);
    assert!(clerk.failure_hints[0]
        .message
        .contains("No CNAME record found"));

    // The first re-check starts one; a second while it runs gets Clerk's 409, which is no
    // error: the current status comes back.
    s.engine
        .clerk_domain_status(&s.project.id, true)
        .await
        .unwrap();
    let second = s
        .engine
        .clerk_domain_status(&s.project.id, true)
        .await
        .unwrap();
    assert_eq!(second.dns.status, "in_progress");
    let checks = s
        .sandbox
        .requests()
        .iter()
        .filter(|r| r.path.ends_with("/dns_check"))
        .count();
    assert_eq!(checks, 2);
}

#[tokio::test]
async fn the_checklist_ticks_are_saved_and_unknown_items_refused() {
    let s = setup("fresh", false).await;
    let p = s
        .engine
        .set_checklist_item(&s.project.id, "webhooks", true)
        .unwrap();
    assert_eq!(p.clerk_checklist, ["webhooks"]);
    let p = s
        .engine
        .set_checklist_item(&s.project.id, "webhooks", true)
        .unwrap();
    assert_eq!(p.clerk_checklist, ["webhooks"], "ticking twice keeps one");
    let p = s
        .engine
        .set_checklist_item(&s.project.id, "webhooks", false)
        .unwrap();
    assert!(p.clerk_checklist.is_empty());
    assert_eq!(
        s.engine
            .set_checklist_item(&s.project.id, "nope", true)
            .unwrap_err()
            .code(),
        "checklist_unknown"
    );
}

#[tokio::test]
async fn supabase_gets_the_production_issuer_and_keeps_the_development_one() {
    use golive_sandbox::scenario::{DEV_ISSUER, SUPABASE_TOKEN};
    let s = setup("dev-issuer-only", false).await;
    let id = &s.project.id;
    assert_eq!(
        s.engine.supabase_trust(id).await.unwrap_err().code(),
        "supabase_token_missing"
    );
    s.engine
        .set_secret(id, SecretKind::SupabaseToken, SUPABASE_TOKEN)
        .unwrap();
    let p = s
        .engine
        .set_supabase_project(
            id,
            "NEXT_PUBLIC_SUPABASE_URL=https://quillmatesandboxrefx.supabase.co",
        )
        .unwrap();
    assert_eq!(
        p.supabase_project_ref.as_deref(),
        Some("quillmatesandboxrefx")
    );

    let before = s.engine.supabase_trust(id).await.unwrap();
    assert!(!before.trusted);
    assert_eq!(before.production_issuer, "https://clerk.quillmate.test");

    let after = s.engine.supabase_add_issuer(id).await.unwrap();
    assert!(after.trusted);
    let issuers: Vec<_> = after
        .integrations
        .iter()
        .filter_map(|i| i.oidc_issuer_url.clone())
        .collect();
    assert_eq!(
        issuers,
        [DEV_ISSUER, "https://clerk.quillmate.test"],
        "nothing removed"
    );

    // Again: already trusted, so nothing is sent.
    s.engine.supabase_add_issuer(id).await.unwrap();
    let posts = s
        .sandbox
        .requests()
        .iter()
        .filter(|r| r.method == "POST")
        .count();
    assert_eq!(posts, 1);
    assert!(!s.sandbox.requests().iter().any(|r| r.method == "DELETE"));
}
