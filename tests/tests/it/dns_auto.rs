//! Automatic records against the sandbox's Cloudflare and Vercel DNS fakes, whose records
//! the sandbox's DNS servers then serve: the dry run, creating only what is missing, a
//! conflict left alone until that one record is confirmed, nothing unrelated touched, and a
//! second run that changes nothing. Every request and answer is checked against the specs
//! in contract.rs.

use crate::common;
use golive_core::dns::auto::{ChangeAction, DnsProvider};
use golive_core::secrets::SecretKind;
use golive_sandbox::scenario::CLOUDFLARE_TOKEN;
use golive_sandbox::{Sandbox, Scenario};

async fn setup(scenario: &str, cloudflare: bool) -> (Sandbox, common::TestProject) {
    let sb = Sandbox::start(Scenario::named(scenario).unwrap())
        .await
        .unwrap();
    let t = common::project_for(&sb).with_live_keys().with_vercel();
    let id = &t.project.id;
    if cloudflare {
        t.engine
            .set_secret(id, SecretKind::CloudflareToken, CLOUDFLARE_TOKEN)
            .unwrap();
    }
    (sb, t)
}

async fn dns_status(t: &common::TestProject, check_id: &str) -> String {
    let report = t
        .engine
        .run_checks(&t.project.id, Some("dns"), |_| {})
        .await
        .unwrap();
    let c = report.checks.iter().find(|c| c.id == check_id).unwrap();
    format!("{:?}: {}", c.status, c.detail)
}

fn writes(sb: &Sandbox) -> Vec<String> {
    sb.requests()
        .into_iter()
        .filter(|r| r.method != "GET")
        .map(|r| format!("{} {}", r.method, r.path))
        .collect()
}

#[tokio::test(flavor = "multi_thread")]
async fn cloudflare_creates_what_is_missing_and_replaces_only_the_confirmed_conflict() {
    let (sb, t) = setup("cloudflare-dns", true).await;
    let id = &t.project.id;
    assert!(dns_status(&t, "dns.clerk").await.starts_with("Fail"));

    let plan = t.engine.dns_auto_plan(id).await.unwrap();
    assert_eq!(plan.provider, DnsProvider::Cloudflare);
    assert_eq!(plan.zone, golive_sandbox::DOMAIN);
    let action = |check: &str| {
        plan.changes
            .iter()
            .filter(|c| c.check_id == check)
            .map(|c| c.action)
            .collect::<Vec<_>>()
    };
    assert_eq!(action("dns.clerk"), [ChangeAction::Create]);
    assert_eq!(action("dns.clk2._domainkey"), [ChangeAction::Create]);
    assert_eq!(action("dns.accounts"), [ChangeAction::Conflict]);
    assert_eq!(action("dns.apex"), [ChangeAction::Correct]);
    assert_eq!(action("dns.www"), [ChangeAction::Correct]);
    assert!(writes(&sb).is_empty(), "a dry run writes nothing");

    // Unconfirmed: the four missing records are created, the stray `accounts` is left.
    let applied = t.engine.dns_auto_apply(id, &[]).await.unwrap();
    assert_eq!(
        (applied.created, applied.replaced, applied.deleted),
        (4, 0, 0)
    );
    let posts: Vec<_> = sb
        .requests()
        .into_iter()
        .filter(|r| r.method == "POST")
        .collect();
    assert_eq!(posts.len(), 4);
    assert!(posts
        .iter()
        .all(|r| r.body.as_ref().unwrap()["proxied"] == false));
    assert!(writes(&sb).iter().all(|w| w.starts_with("POST")));
    assert!(dns_status(&t, "dns.clerk").await.starts_with("Pass"));
    assert!(dns_status(&t, "dns.accounts").await.contains("proxied"));

    // Confirming that one record rewrites it in place, DNS only.
    let stray = applied
        .plan
        .changes
        .iter()
        .find(|c| c.action == ChangeAction::Conflict)
        .and_then(|c| c.existing.clone())
        .unwrap();
    let applied = t
        .engine
        .dns_auto_apply(id, std::slice::from_ref(&stray.id))
        .await
        .unwrap();
    assert_eq!(
        (applied.created, applied.replaced, applied.deleted),
        (0, 1, 0)
    );
    assert!(applied
        .plan
        .changes
        .iter()
        .all(|c| c.action == ChangeAction::Correct));
    assert!(dns_status(&t, "dns.accounts").await.starts_with("Pass"));
    // Every record now answers as planned at every server.
    let cells = std::sync::Mutex::new(vec![]);
    t.engine
        .dns_matrix(id, |e| {
            if let golive_core::dns::matrix::DnsEvent::Cell(c) = e {
                cells.lock().unwrap().push(c)
            }
        })
        .await
        .unwrap();
    let cells = cells.into_inner().unwrap();
    assert_eq!(cells.len(), 7 * 3);
    for c in &cells {
        assert_eq!(c.state, golive_core::dns::matrix::CellState::Match, "{c:?}");
    }
    // The unrelated records (apex, www, MX, TXT) are as they were.
    let kept: Vec<String> = sb
        .world
        .lock()
        .unwrap()
        .host_records
        .iter()
        .map(|r| r.id.clone())
        .collect();
    for unrelated in ["rec0001", "rec0002", "rec0003", "rec0004"] {
        assert!(kept.iter().any(|id| id == unrelated), "{unrelated} kept");
    }
    assert!(writes(&sb)
        .iter()
        .all(|w| w.starts_with("POST") || w.ends_with(&stray.id)));

    // A second run changes nothing.
    let before = writes(&sb).len();
    let again = t.engine.dns_auto_apply(id, &[]).await.unwrap();
    assert_eq!((again.created, again.replaced, again.deleted), (0, 0, 0));
    assert_eq!(writes(&sb).len(), before);
}

#[tokio::test(flavor = "multi_thread")]
async fn vercel_dns_creates_clerks_records_and_they_resolve() {
    let (sb, t) = setup("vercel-dns", false).await;
    let id = &t.project.id;
    let plan = t.engine.dns_auto_plan(id).await.unwrap();
    assert_eq!(plan.provider, DnsProvider::VercelDns);
    let creates = plan
        .changes
        .iter()
        .filter(|c| c.action == ChangeAction::Create)
        .count();
    assert_eq!(creates, 5, "{:#?}", plan.changes);
    let applied = t.engine.dns_auto_apply(id, &[]).await.unwrap();
    assert_eq!(applied.created, 5);
    let names: Vec<String> = sb
        .requests()
        .into_iter()
        .filter(|r| r.method == "POST")
        .map(|r| r.body.unwrap()["name"].as_str().unwrap().to_string())
        .collect();
    // Vercel takes names relative to the domain.
    assert!(names.contains(&"clk._domainkey".to_string()), "{names:?}");
    for check in [
        "dns.clerk",
        "dns.accounts",
        "dns.clkmail",
        "dns.apex",
        "dns.www",
    ] {
        let s = dns_status(&t, check).await;
        assert!(s.starts_with("Pass"), "{check}: {s}");
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn without_an_api_at_the_dns_host_it_says_what_to_do() {
    let (_sb, t) = setup("created", false).await;
    let err = t.engine.dns_auto_plan(&t.project.id).await.unwrap_err();
    assert_eq!(err.code(), "dns_auto_unavailable");
    assert!(err.to_string().contains("ns1.registrar.test"), "{err}");
    assert!(err.to_string().contains("Cloudflare API token"), "{err}");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_wrong_cloudflare_token_is_a_clear_error_and_changes_nothing() {
    let (sb, t) = setup("cloudflare-dns", false).await;
    t.engine
        .set_secret(&t.project.id, SecretKind::CloudflareToken, "cfut_wrong")
        .unwrap();
    let err = t
        .engine
        .dns_auto_apply(&t.project.id, &[])
        .await
        .unwrap_err();
    assert_eq!(err.code(), "cloudflare_token_rejected");
    assert!(err.to_string().contains("DNS:Edit"), "{err}");
    assert!(writes(&sb).is_empty());
}
