//! The engine as the desktop app drives it: a saved project, secrets in a store, checks
//! streamed as they finish, against the sandbox over real sockets.

use crate::common;
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
        .run_checks(&p.id, None, false, |e| events.lock().unwrap().push(e))
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
            || c.id.starts_with("sso.")
            || c.id.starts_with("webhook.");
        let want = if needs_more {
            CheckStatus::Skip
        } else {
            CheckStatus::Pass
        };
        assert_eq!(c.status, want, "{c:#?}");
    }
}

/// A project whose public resolvers never answer, so its DNS checks take their full timeout.
fn slow_project(sb: &Sandbox, silent: &golive_sandbox::dns::Silent) -> common::TestProject {
    let mut vars: Vec<(String, String)> = sb
        .env()
        .into_iter()
        .filter(|(k, _)| k != "GOLIVE_RESOLVERS")
        .collect();
    vars.push(("GOLIVE_RESOLVERS".into(), silent.addr.to_string()));
    common::project_with(golive_core::config::Endpoints::from_vars(vars).unwrap())
}

#[tokio::test(flavor = "multi_thread")]
async fn a_second_run_replaces_the_first_and_a_run_can_be_cancelled() {
    let sb = Sandbox::start(Scenario::named("live").unwrap())
        .await
        .unwrap();
    let silent = golive_sandbox::dns::Silent::bind().await.unwrap();
    let t = slow_project(&sb, &silent);
    let (e, id) = (t.engine.clone(), t.project.id.clone());
    let started = std::sync::Arc::new(tokio::sync::Notify::new());
    let first = tokio::spawn({
        let (e, id, started) = (e.clone(), id.clone(), started.clone());
        async move {
            e.run_checks(&id, None, false, |ev| {
                if matches!(ev, CheckEvent::Planned { .. }) {
                    started.notify_one();
                }
            })
            .await
        }
    });
    started.notified().await;
    let second = tokio::spawn({
        let (e, id) = (e.clone(), id.clone());
        async move { e.run_checks(&id, None, false, |_| {}).await }
    });
    let err = first.await.unwrap().unwrap_err();
    assert_eq!(err.code(), "checks_cancelled");
    e.cancel_checks(&id);
    assert_eq!(
        second.await.unwrap().unwrap_err().code(),
        "checks_cancelled"
    );
}

/// The export writes the engine's own report of the last whole run: none before one has
/// finished, not a step's own run, and none once a new run started (as the window shows).
#[tokio::test(flavor = "multi_thread")]
async fn the_last_whole_run_exports_as_markdown_or_json() {
    use golive_core::report::ReportFormat;
    let sb = Sandbox::start(Scenario::named("created").unwrap())
        .await
        .unwrap();
    let t = common::project_for(&sb);
    let (e, id) = (&t.engine, &t.project.id);
    e.set_secret(id, SecretKind::ClerkSecretKey, LIVE_SECRET_KEY)
        .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let md = dir.path().join("report.md");
    let no_report = |e: &golive_core::engine::Engine| {
        e.export_report(id, ReportFormat::Markdown, &md)
            .unwrap_err()
            .code()
    };
    assert_eq!(no_report(e), "no_report");
    e.run_checks(id, Some("clerk"), false, |_| {})
        .await
        .unwrap();
    assert_eq!(no_report(e), "no_report", "a step's run is not exported");
    assert!(!md.exists());

    let report = e.run_checks(id, None, false, |_| {}).await.unwrap();
    e.run_checks(id, Some("clerk"), false, |_| {})
        .await
        .unwrap();
    e.export_report(id, ReportFormat::Markdown, &md).unwrap();
    let text = std::fs::read_to_string(&md).unwrap();
    assert!(text.starts_with("# Golive report for quillmate.test"));
    assert!(
        text.contains("## DNS") && text.contains("- **`dns.clerk`**"),
        "{text}"
    );
    let json = dir.path().join("report.json");
    e.export_report(id, ReportFormat::Json, &json).unwrap();
    let back: golive_core::checks::Report =
        serde_json::from_slice(&std::fs::read(&json).unwrap()).unwrap();
    assert_eq!(
        serde_json::to_value(&back).unwrap(),
        serde_json::to_value(&report).unwrap()
    );
    assert_eq!(e.last_report(id).unwrap().checks.len(), report.checks.len());

    // A new whole run forgets the last one, even when it is stopped.
    let started = std::sync::Arc::new(tokio::sync::Notify::new());
    let run = tokio::spawn({
        let (e, id, started) = (t.engine.clone(), id.clone(), started.clone());
        async move {
            e.run_checks(&id, None, false, |ev| {
                if matches!(ev, CheckEvent::Planned { .. }) {
                    started.notify_one();
                }
            })
            .await
        }
    });
    started.notified().await;
    e.cancel_checks(id);
    assert_eq!(run.await.unwrap().unwrap_err().code(), "checks_cancelled");
    std::fs::remove_file(&md).unwrap();
    assert_eq!(no_report(e), "no_report");
    assert!(!md.exists());
}

/// The secret key's domains serve the key checks, the DNS plan and every SSO redirect URI:
/// one run asks Clerk for them once, and asks again only in the next run.
#[tokio::test(flavor = "multi_thread")]
async fn a_run_reads_the_clerk_domains_once() {
    let sb = Sandbox::start(Scenario::named("all-good").unwrap())
        .await
        .unwrap();
    let test = common::project_for(&sb).with_live_keys();
    let google = golive_sandbox::oauth::client("google");
    test.engine
        .sso_save(&test.project.id, common::google_form(google.secret))
        .unwrap();
    let reads = || {
        sb.requests()
            .iter()
            .filter(|r| r.method == "GET" && r.path == "/v1/domains")
            .count()
    };
    for run in 1..=2 {
        let report = test
            .engine
            .run_checks(&test.project.id, None, false, |_| {})
            .await
            .unwrap();
        let uses = ["clerk.secret_key", "dns.clerk", "sso.google"];
        for id in uses {
            let c = report.checks.iter().find(|c| c.id == id).unwrap();
            assert_eq!(c.status, CheckStatus::Pass, "{id}: {}", c.detail);
        }
        assert_eq!(reads(), run);
    }
}
