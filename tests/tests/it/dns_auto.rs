//! Automatic records against the sandbox's Cloudflare and Vercel DNS fakes, whose records
//! the sandbox's DNS servers then serve: the dry run, creating only what is missing, a
//! conflict left alone until that one record is confirmed, nothing unrelated touched, and a
//! second run that changes nothing; at Vercel DNS every page of the zone read, and a
//! replacement interrupted at any write safe. Every request and answer is checked against the specs
//! in contract.rs.

use crate::common;
use golive_core::dns::auto::{ChangeAction, DnsProvider};
use golive_core::secrets::SecretKind;
use golive_sandbox::scenario::CLOUDFLARE_TOKEN;
use golive_sandbox::{Sandbox, Scenario, DOMAIN};

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
        .run_checks(&t.project.id, Some("dns"), false, |_| {})
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

/// Zones at Vercel DNS are read page after page: with 150 newer records in front, the
/// apex and `www` records (on a later page) are still seen as in place, not created again.
#[tokio::test(flavor = "multi_thread")]
async fn vercel_dns_reads_every_page_of_the_zone() {
    let (sb, t) = setup("vercel-dns", false).await;
    {
        let mut w = sb.world.lock().unwrap();
        for i in 0..150 {
            w.add_host_record(&format!("_filler{i}.{DOMAIN}"), "TXT", "x", false);
        }
    }
    let plan = t.engine.dns_auto_plan(&t.project.id).await.unwrap();
    for check in ["dns.apex", "dns.www"] {
        let actions: Vec<ChangeAction> = plan
            .changes
            .iter()
            .filter(|c| c.check_id == check)
            .map(|c| c.action)
            .collect();
        assert_eq!(actions, [ChangeAction::Correct], "{check}");
    }
    let pages = sb
        .requests()
        .into_iter()
        .filter(|r| r.method == "GET" && r.path.ends_with("/records"))
        .count();
    assert_eq!(pages, 2, "154 records, 100 a page");
}

/// A zone too long to read whole (or an API that pages forever) is refused, not read in
/// part: records missed on a later page would be created twice.
#[tokio::test(flavor = "multi_thread")]
async fn a_vercel_dns_zone_too_long_to_read_is_refused() {
    let (sb, t) = setup("vercel-dns", false).await;
    {
        let mut w = sb.world.lock().unwrap();
        for i in 0..5_000 {
            w.add_host_record(&format!("_filler{i}.{DOMAIN}"), "TXT", "x", false);
        }
    }
    let err = t.engine.dns_auto_plan(&t.project.id).await.unwrap_err();
    assert_eq!(err.code(), "vercel_dns_too_many_records", "{err}");
    assert!(
        err.to_string().contains("Add the records at Vercel"),
        "{err}"
    );
    assert!(writes(&sb).is_empty());
}

/// The Vercel DNS zone as a previous host left it: the apex, `www` and `accounts` (an A and
/// an AAAA record) point elsewhere.
async fn vercel_zone_of_another_host() -> (Sandbox, common::TestProject) {
    let (sb, t) = setup("vercel-dns", false).await;
    {
        let mut w = sb.world.lock().unwrap();
        for r in w.host_records.iter_mut() {
            if r.name == DOMAIN && r.kind == "A" {
                r.value = "192.0.2.10".into();
            } else if r.kind == "CNAME" {
                r.value = "old-host.example.net".into();
            }
        }
        let accounts = format!("accounts.{DOMAIN}");
        w.add_host_record(&accounts, "A", "192.0.2.44", false);
        w.add_host_record(&accounts, "AAAA", "2001:db8::44", false);
    }
    (sb, t)
}

/// Golive's writes to Vercel DNS, in order: `create NAME TYPE VALUE` or `delete ID`.
fn vercel_writes(sb: &Sandbox) -> Vec<String> {
    sb.requests()
        .into_iter()
        .filter_map(|r| match r.method.as_str() {
            "POST" => {
                let b = r.body.unwrap();
                Some(format!("create {} {} {}", b["name"], b["type"], b["value"]))
            }
            "DELETE" => Some(format!("delete {}", r.path.rsplit('/').next().unwrap())),
            _ => None,
        })
        .map(|w| w.replace('"', ""))
        .collect()
}

/// The zone as (name, type, value), in order.
fn zone(sb: &Sandbox) -> Vec<(String, String, String)> {
    let mut z: Vec<_> = sb
        .world
        .lock()
        .unwrap()
        .host_records
        .iter()
        .map(|r| (r.name.clone(), r.kind.clone(), r.value.clone()))
        .collect();
    z.sort();
    z
}

/// Replacing confirmed records at Vercel DNS, interrupted after its 1st, 2nd, … write: the
/// apex always keeps an A record (the new one is created before the old one is deleted);
/// a name whose new record is a CNAME — which Vercel refuses beside any other record — is
/// empty only right after its last old record was deleted; nothing unrelated is touched;
/// and running it again converges to the state of an uninterrupted run.
#[tokio::test(flavor = "multi_thread")]
async fn replacing_at_vercel_dns_never_leaves_a_name_empty_but_right_before_its_cname() {
    let confirmed: Vec<String> = ["rec0001", "rec0002", "rec0101", "rec0102"]
        .map(String::from)
        .into();
    let (sb, t) = vercel_zone_of_another_host().await;
    let plan = t.engine.dns_auto_plan(&t.project.id).await.unwrap();
    let mut in_the_way: Vec<String> = plan
        .changes
        .iter()
        .filter_map(|c| c.existing.as_ref().map(|e| e.id.clone()))
        .collect();
    in_the_way.sort();
    assert_eq!(in_the_way, confirmed);
    let done = t
        .engine
        .dns_auto_apply(&t.project.id, &confirmed)
        .await
        .unwrap();
    assert_eq!((done.created, done.replaced, done.deleted), (4, 3, 1));
    assert!(done
        .plan
        .changes
        .iter()
        .all(|c| c.action == ChangeAction::Correct));
    let order = vercel_writes(&sb);
    let converged = zone(&sb);
    let at = |w: &str| {
        order
            .iter()
            .position(|o| o.starts_with(w))
            .unwrap_or_else(|| panic!("no {w} in {order:#?}"))
    };
    let apex_ip = golive_sandbox::scenario::VERCEL_APEX_IP;
    assert!(at(&format!("create  A {apex_ip}")) < at("delete rec0001"));
    assert!(at("delete rec0002") < at("create www CNAME"));
    assert!(at("delete rec0101") < at("create accounts CNAME"));
    assert!(at("delete rec0102") < at("create accounts CNAME"));
    // Right after these writes a name may be empty (counted in writes done).
    let www_gap = at("delete rec0002") + 1;
    let accounts_gap = at("delete rec0101").max(at("delete rec0102")) + 1;

    for k in 0..order.len() as u32 {
        let (sb, t) = vercel_zone_of_another_host().await;
        sb.world.lock().unwrap().vercel.write_budget = Some(k);
        let err = t
            .engine
            .dns_auto_apply(&t.project.id, &confirmed)
            .await
            .unwrap_err();
        assert_eq!(err.code(), "vercel_unavailable", "after {k} writes");
        let z = zone(&sb);
        let has = |name: &str, kind: &str| {
            let name = if name.is_empty() {
                DOMAIN.to_string()
            } else {
                format!("{name}.{DOMAIN}")
            };
            z.iter()
                .any(|r| r.0 == name && (kind.is_empty() || r.1 == kind))
        };
        assert!(
            has("", "A"),
            "the apex without an A record after {k} writes"
        );
        assert!(has("", "MX") && has("", "TXT"), "after {k} writes: {z:?}");
        let k = k as usize;
        assert_eq!(has("www", ""), k != www_gap, "www after {k} writes: {z:?}");
        assert_eq!(
            has("accounts", ""),
            k != accounts_gap,
            "accounts after {k} writes: {z:?}"
        );

        sb.world.lock().unwrap().vercel.write_budget = None;
        t.engine
            .dns_auto_apply(&t.project.id, &confirmed)
            .await
            .unwrap();
        assert_eq!(zone(&sb), converged, "converges after {k} writes");
    }
}

/// When Vercel refuses the new CNAME after the old record went, Golive sends the old
/// record back (here refused too: the fault answers every create), so a one-off failure
/// does not leave the name empty.
#[tokio::test(flavor = "multi_thread")]
async fn a_refused_cname_at_vercel_dns_puts_the_old_record_back() {
    use golive_sandbox::faults::{Fault, FaultKind};
    let (sb, t) = vercel_zone_of_another_host().await;
    let id = &t.project.id;
    // Clerk's missing records first, so only `www`'s replacement is left to do.
    t.engine.dns_auto_apply(id, &[]).await.unwrap();
    let before = vercel_writes(&sb).len();
    sb.world.lock().unwrap().faults.push(Fault {
        method: "POST".into(),
        path: format!("/v2/domains/{DOMAIN}/records"),
        kind: FaultKind::Status(400),
    });
    let err = t
        .engine
        .dns_auto_apply(id, &["rec0002".to_string()])
        .await
        .unwrap_err();
    assert_eq!(err.code(), "vercel_error", "{err}");
    let cname = golive_sandbox::scenario::VERCEL_CNAME;
    assert_eq!(
        vercel_writes(&sb)[before..],
        [
            "delete rec0002".to_string(),
            format!("create www CNAME {cname}"),
            "create www CNAME old-host.example.net".to_string(),
        ]
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn dmarc_is_added_only_when_asked_and_never_replaced() {
    let (sb, t) = setup("cloudflare-dns", true).await;
    let id = &t.project.id;
    let plan = t.engine.dns_auto_plan(id).await.unwrap();
    assert_eq!(plan.dmarc.name, format!("_dmarc.{DOMAIN}"));
    assert_eq!(plan.dmarc.existing, None);
    // Applying the records leaves DMARC alone: it has its own confirmation.
    t.engine.dns_auto_apply(id, &[]).await.unwrap();
    assert!(!writes(&sb).iter().any(|w| w.contains("TXT")));
    let txt_writes = || {
        sb.requests()
            .into_iter()
            .filter(|r| r.method == "POST" && r.body.as_ref().is_some_and(|b| b["type"] == "TXT"))
            .count()
    };
    assert_eq!(txt_writes(), 0);

    // An address that could end the record or add a tag is refused before anything is written.
    for bad in [
        "me",
        "me@quillmate.test; p=reject",
        "a b@quillmate.test",
        "me@",
    ] {
        let e = t.engine.dns_auto_dmarc(id, bad).await.unwrap_err();
        assert_eq!(e.code(), "dmarc_address_invalid", "{bad}");
    }
    assert_eq!(txt_writes(), 0);

    let after = t
        .engine
        .dns_auto_dmarc(id, "dmarc@quillmate.test")
        .await
        .unwrap();
    let policy = "v=DMARC1; p=none; rua=mailto:dmarc@quillmate.test";
    assert_eq!(after.dmarc.existing.as_deref(), Some(policy));
    assert_eq!(txt_writes(), 1);
    // The nameservers serve it, and the check sees it.
    let dmarc = dns_status(&t, "dns.dmarc").await;
    assert!(dmarc.contains("p=none"), "{dmarc}");
    // A second time, the policy there is kept.
    let again = t
        .engine
        .dns_auto_dmarc(id, "other@quillmate.test")
        .await
        .unwrap_err();
    assert_eq!(again.code(), "dmarc_exists");
    assert_eq!(txt_writes(), 1);
}

/// A Pages project's records at Cloudflare DNS: the apex's CNAME to the project takes the
/// place of the previous host's A record only once that record is confirmed, and the TXT
/// record Cloudflare validates the domain by is created beside the zone's other TXT records;
/// then `dns.validation` passes.
#[tokio::test(flavor = "multi_thread")]
async fn a_pages_projects_records_are_created_at_cloudflare() {
    use golive_sandbox::scenario::DnsHost;
    let scenario = Scenario {
        dns_host: DnsHost::Cloudflare,
        ..Scenario::named("cloudflare-pages-domain-unverified").unwrap()
    };
    let sb = Sandbox::start(scenario).await.unwrap();
    let t = common::project_for(&sb)
        .with_live_keys()
        .with_cloudflare_pages()
        .await;
    let id = &t.project.id;
    assert!(dns_status(&t, "dns.validation").await.starts_with("Fail"));

    let plan = t.engine.dns_auto_plan(id).await.unwrap();
    let rows = |check: &str| {
        plan.changes
            .iter()
            .filter(|c| c.check_id == check)
            .collect::<Vec<_>>()
    };
    let apex = rows("dns.apex");
    assert_eq!(apex.len(), 1, "{apex:?}");
    assert_eq!(apex[0].action, ChangeAction::Conflict);
    let in_the_way = apex[0].existing.clone().unwrap();
    assert_eq!(
        (in_the_way.record_type.as_str(), in_the_way.value.as_str()),
        ("A", "216.198.79.1")
    );
    let validation = rows("dns.validation");
    assert_eq!(validation.len(), 1, "{validation:?}");
    assert_eq!(validation[0].action, ChangeAction::Create);
    assert!(rows("dns.www").is_empty(), "Pages adds no www");

    let applied = t
        .engine
        .dns_auto_apply(id, std::slice::from_ref(&in_the_way.id))
        .await
        .unwrap();
    assert_eq!((applied.replaced, applied.deleted), (1, 0));
    let after = |check: &str| {
        applied
            .plan
            .changes
            .iter()
            .filter(|c| c.check_id == check)
            .map(|c| c.action)
            .collect::<Vec<_>>()
    };
    assert_eq!(after("dns.apex"), [ChangeAction::Correct]);
    assert_eq!(after("dns.validation"), [ChangeAction::Correct]);
    // The zone's SPF record, a TXT at the apex, is untouched.
    let zone = sb.world.lock().unwrap().host_records.clone();
    assert!(zone
        .iter()
        .any(|r| r.kind == "TXT" && r.value.starts_with("v=spf1")));
    assert!(
        dns_status(&t, "dns.validation").await.starts_with("Pass"),
        "{}",
        dns_status(&t, "dns.validation").await
    );
}

/// What the host's API does not give is said in the dry run too: a Netlify site's `www` is
/// planned from its address, and the apex's record is named as left to the user.
#[tokio::test(flavor = "multi_thread")]
async fn the_dry_run_says_what_the_hosts_api_does_not_give() {
    use golive_sandbox::scenario::DnsHost;
    let scenario = Scenario {
        dns_host: DnsHost::Cloudflare,
        ..Scenario::named("netlify-live").unwrap()
    };
    let sb = Sandbox::start(scenario).await.unwrap();
    let t = common::project_for(&sb).with_live_keys().with_netlify();
    let id = &t.project.id;
    t.engine
        .set_secret(id, SecretKind::CloudflareToken, CLOUDFLARE_TOKEN)
        .unwrap();
    let plan = t.engine.dns_auto_plan(id).await.unwrap();
    let www: Vec<_> = plan
        .changes
        .iter()
        .filter(|c| c.check_id == "dns.www")
        .map(|c| c.value.as_str())
        .collect();
    assert_eq!(www, ["quillmate.netlify.app"]);
    assert!(!plan.changes.iter().any(|c| c.check_id == "dns.apex"));
    assert!(
        plan.notes
            .iter()
            .any(|n| n.starts_with("Netlify's API does not say the apex's record")),
        "{:?}",
        plan.notes
    );
}
