//! DNS diagnoses, end to end: the `golive` CLI against the sandbox's real DNS servers (an
//! authoritative one and two public resolvers, over UDP/TCP on loopback). Each diagnosis
//! appears in its scenario and nowhere in `all-good`.

use crate::common;
use crate::common::{check, golive, stdout_json};
use golive_sandbox::dns::Silent;
use golive_sandbox::{Sandbox, Scenario, DOMAIN};
use serde_json::Value;

const DNS_CHECKS: &[&str] = &[
    "dns.clerk",
    "dns.accounts",
    "dns.clkmail",
    "dns.clk._domainkey",
    "dns.clk2._domainkey",
    "dns.apex",
    "dns.www",
    "dns.caa",
];

async fn report(scenario: &str) -> Value {
    let sb = Sandbox::start(Scenario::named(scenario).unwrap())
        .await
        .unwrap();
    let mut vars = sb.env();
    vars.extend(sb.key_env());
    stdout_json(&golive(&["check", "--domain", DOMAIN, "--json"], &vars))
}

fn line(r: &Value, id: &str) -> (String, String, String) {
    let c = check(r, id);
    (
        c["status"].as_str().unwrap().to_string(),
        c["detail"].as_str().unwrap().to_string(),
        c["fix"].as_str().unwrap_or_default().to_string(),
    )
}

#[tokio::test(flavor = "multi_thread")]
async fn all_good_passes_every_dns_check() {
    let r = report("all-good").await;
    for id in DNS_CHECKS {
        let (status, detail, _) = line(&r, id);
        assert_eq!(status, "pass", "{id}: {detail}");
    }
    assert!(line(&r, "dns.clerk").1.contains("2 of 2 public resolvers"));
}

#[tokio::test(flavor = "multi_thread")]
async fn each_diagnosis_in_its_scenario() {
    let cases = common::DIAGNOSES;
    let all_good = report("all-good").await;
    for (scenario, id, status, detail_has, fix_has) in cases {
        let r = report(scenario).await;
        let (s, detail, fix) = line(&r, id);
        assert_eq!(&s, status, "{scenario} {id}: {detail}");
        assert!(detail.contains(detail_has), "{scenario} {id}: {detail}");
        assert!(fix.contains(fix_has), "{scenario} {id}: {fix}");
        // A record that is wrong at its source shows what was wanted and what is there.
        let evidence = &common::check(&r, id)["evidence"];
        if *status == "fail" && id != &"dns.caa" {
            let (expected, actual) = (evidence["expected"].as_str(), evidence["actual"].as_str());
            assert!(
                expected.is_some_and(|e| e.contains(" → "))
                    && actual.is_some()
                    && expected != actual,
                "{scenario} {id}: {evidence}"
            );
        }
        // Absent where everything is right.
        assert!(
            !line(&all_good, id).1.contains(detail_has),
            "{id} in all-good"
        );
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn without_clerks_api_the_plan_is_the_labelled_fallback() {
    let sb = Sandbox::start(Scenario::named("all-good").unwrap())
        .await
        .unwrap();
    let r = stdout_json(&golive(&["check", "--domain", DOMAIN, "--json"], &sb.env()));
    let (status, detail, _) = line(&r, "dns.clerk");
    assert_eq!(status, "pass");
    assert!(detail.contains("documented defaults"), "{detail}");
    let (status, detail, _) = line(&r, "dns.clkmail");
    assert_eq!(status, "skip");
    assert!(detail.contains("the mail records need the API"), "{detail}");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_resolver_that_never_answers_is_named_and_the_rest_still_count() {
    let sb = Sandbox::start(Scenario::named("all-good").unwrap())
        .await
        .unwrap();
    let silent = Silent::bind().await.unwrap();
    let mut vars: Vec<(String, String)> = sb
        .env()
        .into_iter()
        .filter(|(k, _)| k != "GOLIVE_RESOLVERS")
        .collect();
    vars.push((
        "GOLIVE_RESOLVERS".into(),
        format!("{},{}", sb.public[0], silent.addr),
    ));
    vars.extend(sb.key_env());
    let r = stdout_json(&golive(&["check", "--domain", DOMAIN, "--json"], &vars));
    let (status, detail, _) = line(&r, "dns.clerk");
    assert_eq!(status, "pass", "{detail}");
    assert!(
        detail.contains(&format!("Resolver {} did not answer", silent.addr)),
        "{detail}"
    );
}

#[tokio::test]
async fn the_matrix_streams_every_record_at_every_server_and_the_zone_exports() {
    use golive_core::dns::matrix::{CellState, DnsEvent};
    use std::sync::Mutex;

    let sb = Sandbox::start(Scenario::named("propagating").unwrap())
        .await
        .unwrap();
    let (engine, id, _test) = engine_for(&sb).await;
    let dir = tempfile::tempdir().unwrap();

    let events = Mutex::new(vec![]);
    engine
        .dns_matrix(&id, |e| events.lock().unwrap().push(e))
        .await
        .unwrap();
    let events = events.into_inner().unwrap();
    let DnsEvent::Planned {
        records,
        servers,
        fallback_reason,
        ..
    } = &events[0]
    else {
        panic!("{:?}", events[0])
    };
    assert_eq!((records.len(), servers.len()), (5, 3));
    assert!(fallback_reason.is_none());
    assert!(servers[0].authoritative && !servers[1].authoritative);
    let cells: Vec<_> = events[1..]
        .iter()
        .map(|e| match e {
            DnsEvent::Cell(c) => c.clone(),
            other => panic!("{other:?}"),
        })
        .collect();
    assert_eq!(cells.len(), 15);
    let lagging = &servers[2].label;
    for c in &cells {
        let want = if &c.server == lagging {
            CellState::NxDomain
        } else {
            CellState::Match
        };
        assert_eq!(c.state, want, "{c:?}");
    }

    let path = dir.path().join("quillmate.test.zone");
    let text = engine.export_zone(&id, &path).await.unwrap();
    assert_eq!(std::fs::read_to_string(&path).unwrap(), text);
    assert!(text.contains("$ORIGIN quillmate.test."));
    assert!(
        text.contains(
            "clk2._domainkey.quillmate.test. IN CNAME dkim2.sbx1a2b3c4d5e.clerk.services."
        ),
        "{text}"
    );
}

/// An engine for the sandbox with a project whose secret key is stored.
async fn engine_for(
    sb: &Sandbox,
) -> (
    std::sync::Arc<golive_core::engine::Engine>,
    String,
    common::TestProject,
) {
    let test = common::project_for(sb);
    test.engine
        .set_secret(
            &test.project.id,
            golive_core::secrets::SecretKind::ClerkSecretKey,
            golive_sandbox::scenario::LIVE_SECRET_KEY,
        )
        .unwrap();
    (test.engine.clone(), test.project.id.clone(), test)
}

const FAST: golive_core::dns::matrix::WatchPace = golive_core::dns::matrix::WatchPace {
    first: std::time::Duration::from_millis(100),
    max: std::time::Duration::from_millis(200),
};

#[tokio::test(flavor = "multi_thread")]
async fn watch_mode_rechecks_until_the_records_have_propagated() {
    use golive_core::dns::matrix::DnsEvent;
    let sb = Sandbox::start(Scenario::named("propagating").unwrap())
        .await
        .unwrap();
    let (engine, id, _test) = engine_for(&sb).await;
    let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel();
    let watch = tokio::spawn({
        let engine = engine.clone();
        async move {
            engine
                .dns_watch(&id, FAST, move |e| drop(tx.send(e)))
                .await
                .unwrap()
        }
    });
    // Round 1 finds a lagging resolver and waits; then the caches catch up.
    loop {
        match rx.recv().await.unwrap() {
            DnsEvent::Waiting { .. } => break,
            DnsEvent::Propagated => panic!("propagated while a resolver lags"),
            _ => {}
        }
    }
    sb.switch(Scenario::named("all-good").unwrap());
    assert!(
        watch.await.unwrap(),
        "the watch ends when everything has propagated"
    );
    let mut rest = vec![];
    while let Ok(e) = rx.try_recv() {
        rest.push(e);
    }
    assert!(rest
        .iter()
        .any(|e| matches!(e, DnsEvent::Round { number: 2 })));
    assert!(
        matches!(rest.last(), Some(DnsEvent::Propagated)),
        "{rest:?}"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_watch_can_be_stopped_and_a_second_one_replaces_the_first() {
    use golive_core::dns::matrix::DnsEvent;
    let sb = Sandbox::start(Scenario::named("created").unwrap())
        .await
        .unwrap();
    let (engine, id, _test) = engine_for(&sb).await;
    let start = |engine: std::sync::Arc<golive_core::engine::Engine>, id: String| {
        let (tx, rx) = tokio::sync::mpsc::unbounded_channel::<DnsEvent>();
        (
            tokio::spawn(async move {
                engine
                    .dns_watch(&id, FAST, move |e| drop(tx.send(e)))
                    .await
                    .unwrap()
            }),
            rx,
        )
    };
    let (first, mut first_events) = start(engine.clone(), id.clone());
    while !matches!(first_events.recv().await, Some(DnsEvent::Waiting { .. })) {}
    let (second, mut second_events) = start(engine.clone(), id.clone());
    assert!(
        !first.await.unwrap(),
        "the first watch stopped when the second started"
    );
    while !matches!(second_events.recv().await, Some(DnsEvent::Waiting { .. })) {}
    engine.dns_watch_stop(&id);
    assert!(!second.await.unwrap(), "stopped, not propagated");
}
