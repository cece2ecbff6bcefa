//! Vendor answers are input: an oversized answer is refused unread, a record value that is
//! not a record never reaches a zone file or the DNS host, and an id chosen in the web view
//! cannot change the path of a vendor call.

use crate::common;
use crate::common::sandbox;
use golive_core::dns::matrix::DnsEvent;
use golive_core::provider::ProviderId;
use golive_sandbox::faults::FaultKind;
use golive_sandbox::scenario::*;
use golive_sandbox::DOMAIN;

#[tokio::test(flavor = "multi_thread")]
async fn an_oversized_answer_is_refused_unread() {
    let sb = sandbox("all-good").await;
    let t = common::project_for(&sb).with_live_keys().with_vercel();
    let (e, id) = (&t.engine, t.project.id.as_str());
    e.sso_save(
        id,
        common::google_form(golive_sandbox::oauth::client("google").secret),
    )
    .unwrap();

    sb.fault(
        "GET",
        &format!("/v10/projects/{VERCEL_PROJECT_ID}/env"),
        FaultKind::Padded,
    );
    let err = e.hosting_env_plan(id).await.unwrap_err();
    assert_eq!(err.code(), "answer_too_large", "{err}");
    assert!(err.to_string().contains("4 MiB"), "{err}");

    sb.fault("POST", "/oauth/google/token", FaultKind::Padded);
    let err = e.sso_probe(id, ProviderId::Google).await.unwrap_err();
    assert_eq!(err.code(), "answer_too_large", "{err}");
}

/// Clerk's domain, with a `cname_targets` value that would add a line to a zone file.
const HOSTILE_CLERK_DOMAINS: &str = r#"{"data": [{"object": "domain", "id": "dmn_1",
  "name": "quillmate.test", "is_satellite": false,
  "frontend_api_url": "https://clerk.quillmate.test",
  "accounts_portal_url": "https://accounts.quillmate.test", "proxy_url": null,
  "development_origin": "",
  "cname_targets": [
    {"host": "clerk.quillmate.test",
     "value": "frontend-api.clerk.services.\nquillmate.test. 300 IN A 6.6.6.6",
     "required": true},
    {"host": "accounts.quillmate.test", "value": "accounts.clerk.services", "required": true}
  ]}], "total_count": 1}"#;

/// Vercel's recommendation for the apex, with a second record hidden after a newline.
const HOSTILE_VERCEL_CONFIG: &str = r#"{"configuredBy": null, "acceptedChallenges": [],
  "misconfigured": true,
  "recommendedIPv4": [{"rank": 1, "value": ["216.198.79.1\n@ 300 IN A 6.6.6.6"]}],
  "recommendedCNAME": [{"rank": 1, "value": "cname.vercel-dns.com."}]}"#;

#[tokio::test(flavor = "multi_thread")]
async fn a_record_value_that_is_not_a_record_is_never_written() {
    // The records would go to Vercel DNS.
    let sb = sandbox("vercel-dns").await;
    let t = common::project_for(&sb).with_live_keys().with_vercel();
    let (e, id) = (&t.engine, t.project.id.as_str());
    sb.fault(
        "GET",
        "/v1/domains",
        FaultKind::Answer(HOSTILE_CLERK_DOMAINS),
    );
    sb.fault(
        "GET",
        &format!("/v6/domains/{DOMAIN}/config"),
        FaultKind::Answer(HOSTILE_VERCEL_CONFIG),
    );

    let path = t.dir().join("zone");
    let zone = e.export_zone(id, &path).await.unwrap();
    assert!(!zone.contains("6.6.6.6"), "{zone}");
    // Every line is a comment, a directive or one record of the plan.
    for line in zone.lines() {
        assert!(
            line.starts_with(';') || line.starts_with('$') || line.contains(" IN CNAME "),
            "{line:?} in\n{zone}"
        );
    }
    assert!(
        zone.lines().any(|l| l.starts_with("clerk.quillmate.test. ")
            && l.ends_with(" IN CNAME frontend-api.clerk.services.")),
        "Clerk's documented default stands in:\n{zone}"
    );

    let planned = std::sync::Mutex::new(None);
    e.dns_matrix(id, |ev| {
        if let DnsEvent::Planned {
            records,
            fallback_reason,
            host_reason,
            ..
        } = ev
        {
            planned
                .lock()
                .unwrap()
                .get_or_insert((records, fallback_reason, host_reason));
        }
    })
    .await
    .unwrap();
    let (records, fallback, host) = planned.into_inner().unwrap().unwrap();
    let fallback = fallback.unwrap();
    assert!(fallback.contains("will not write"), "{fallback}");
    assert!(
        fallback.contains("\\n"),
        "the value is quoted escaped: {fallback}"
    );
    assert!(!fallback.contains('\n'), "{fallback}");
    assert!(host.unwrap().contains("is not an IPv4 address"));
    assert!(records
        .iter()
        .all(|r| !r.value.contains('\n') && !r.host_field.contains('\n')));

    // Nothing of it goes to the DNS host either.
    let err = e.dns_auto_apply(id, &[]).await.unwrap_err();
    assert_eq!(err.code(), "dns_plan_incomplete", "{err}");
}

#[tokio::test(flavor = "multi_thread")]
async fn an_id_from_the_web_view_stays_one_path_segment() {
    let sb = sandbox("fresh-project").await;
    let t = common::project_for(&sb).with_live_keys().with_vercel();
    let (e, id) = (&t.engine, t.project.id.as_str());
    let sneaky = format!("{VERCEL_PROJECT_ID}/../../v9/projects/{VERCEL_PROJECT_ID}/env?x=");
    e.set_vercel_project(
        id,
        Some(golive_core::project::VercelLink {
            id: sneaky,
            name: "quillmate".into(),
            team_id: None,
        }),
    )
    .unwrap();
    let before = sb.requests().len();
    e.hosting_env_plan(id).await.unwrap_err();
    let paths: Vec<String> = sb.requests()[before..]
        .iter()
        .map(|r| r.path.clone())
        .filter(|p| p.contains(VERCEL_PROJECT_ID))
        .collect();
    assert!(!paths.is_empty());
    let escaped = format!("{VERCEL_PROJECT_ID}%2F..%2F..%2Fv9%2Fprojects%2F{VERCEL_PROJECT_ID}");
    for p in &paths {
        assert!(p.contains(&escaped), "{paths:?}");
    }
}
