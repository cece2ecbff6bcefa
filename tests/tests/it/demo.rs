//! The demo project `scripts/start.sh --sandbox` opens (`golive_sandbox::demo`): seeded
//! through the engine with the sandbox's keys, it is ready — every check passes — and seeding
//! it again at the next start keeps what the user did in it.

use std::sync::Arc;

use golive_core::checks::CheckStatus;
use golive_core::config::Endpoints;
use golive_core::engine::Engine;
use golive_core::project::ProjectStore;
use golive_core::secrets::{MemoryStore, SecretKind, SecretStore};
use golive_sandbox::scenario::{LIVE_SECRET_KEY, PLATFORM_KEY, VERCEL_PROJECT_ID};
use golive_sandbox::{demo, Sandbox, Scenario, DOMAIN};

#[tokio::test(flavor = "multi_thread")]
async fn the_demo_project_is_ready_and_seeding_it_again_keeps_the_users_work() {
    let sb = Sandbox::start(Scenario::named("live").unwrap())
        .await
        .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let secrets = Arc::new(MemoryStore::default());
    let engine = Engine::new(
        ProjectStore::new(dir.path()),
        secrets.clone(),
        Endpoints::from_vars(sb.env()).unwrap(),
    )
    .unwrap();

    let project = demo::seed(&engine, &sb).unwrap();
    assert_eq!(
        (project.name.as_str(), project.domain.as_str()),
        (demo::PROJECT_NAME, DOMAIN)
    );
    assert_eq!(
        project.vercel_project.as_ref().unwrap().id,
        VERCEL_PROJECT_ID
    );
    let stored = |kind| secrets.get(&project.id, kind).unwrap().unwrap();
    assert_eq!(stored(SecretKind::ClerkSecretKey).expose(), LIVE_SECRET_KEY);
    assert_eq!(stored(SecretKind::ClerkPlatformKey).expose(), PLATFORM_KEY);

    // A new user's first "Validate everything": nothing is left to fill in.
    let report = engine
        .run_checks(&project.id, None, false, |_| {})
        .await
        .unwrap();
    for c in &report.checks {
        assert_eq!(c.status, CheckStatus::Pass, "{c:?}");
    }

    // The next start seeds again: the same project, with what was done in it.
    engine
        .set_checklist_item(&project.id, "paths", true)
        .unwrap();
    let again = demo::seed(&engine, &sb).unwrap();
    assert_eq!(again.id, project.id);
    assert_eq!(again.clerk_checklist, ["paths"]);
    assert_eq!(engine.list_projects().unwrap().len(), 1);
}
