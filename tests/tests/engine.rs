//! The engine as the desktop app drives it: a saved project, secrets in a store, checks
//! streamed as they finish, against the sandbox over real sockets.

mod common;

use std::sync::Mutex;

use golive_core::checks::{CheckEvent, CheckStatus};
use golive_core::secrets::SecretKind;
use golive_sandbox::scenario::{publishable_key, LIVE_SECRET_KEY};
use golive_sandbox::{Sandbox, Scenario};

#[tokio::test]
async fn checks_stream_a_plan_then_one_result_each() {
    let sb = Sandbox::start(Scenario::named("live").unwrap())
        .await
        .unwrap();
    let test = common::project_for(&sb);
    let (engine, p) = (&test.engine, &test.project);
    engine
        .set_publishable_key(&p.id, &publishable_key("clerk.quillmate.test"))
        .unwrap();
    engine
        .set_secret(&p.id, SecretKind::ClerkSecretKey, LIVE_SECRET_KEY)
        .unwrap();

    let events = Mutex::new(vec![]);
    let report = engine
        .run_checks(&p.id, None, |e| events.lock().unwrap().push(e))
        .await
        .unwrap();
    let events = events.into_inner().unwrap();

    let CheckEvent::Planned { checks } = &events[0] else {
        panic!("first event: {:?}", events[0])
    };
    assert_eq!(checks.len(), report.checks.len());
    let finished: Vec<_> = events[1..]
        .iter()
        .map(|e| match e {
            CheckEvent::Finished { result } => result.id.clone(),
            other => panic!("unexpected {other:?}"),
        })
        .collect();
    assert_eq!(finished.len(), checks.len());
    // Everything passes but what needs a key this project has not given.
    for c in &report.checks {
        let needs_more = [
            "clerk.domain_status",
            "dns.apex",
            "dns.www",
            "supabase.third_party_auth",
        ]
        .contains(&c.id.as_str())
            || c.id.starts_with("vercel.")
            || c.id.starts_with("sso.");
        let want = if needs_more {
            CheckStatus::Skip
        } else {
            CheckStatus::Pass
        };
        assert_eq!(c.status, want, "{c:#?}");
    }
}
