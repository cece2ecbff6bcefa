//! The domain: its DNS configuration and registration as Vercel sees them, and the
//! project's domain (adding and verifying it).

use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde_json::{json, Value};

use super::projects::VercelProject;
use super::{error, guard, guard_project, refused, Q};
use crate::scenario::{
    DnsHost, DnsState, Shared, World, VERCEL_APEX_IP, VERCEL_CNAME, VERCEL_TEAM_ID,
};
use crate::DOMAIN;

pub fn routes() -> Router<Shared> {
    Router::new()
        .route("/v6/domains/{domain}/config", get(config))
        .route("/v5/domains/{domain}", get(domain_info))
        .route("/v9/projects/{project}/domains/{domain}", get(domain))
        .route("/v10/projects/{project}/domains", post(add_domain))
        .route(
            "/v9/projects/{project}/domains/{domain}/verify",
            post(verify),
        )
}

/// The registered domain (`/v5/domains/…` is about it only).
pub(super) fn known_domain(domain: &str) -> Option<Response> {
    (domain != DOMAIN).then(|| not_found_domain(domain))
}

fn not_found_domain(domain: &str) -> Response {
    {
        error(
            StatusCode::NOT_FOUND,
            "not_found",
            &format!("The domain \"{domain}\" was not found"),
        )
    }
}

/// The project serving `domain` (the app's domain, or the satellite's), if any.
fn serving<'w>(w: &'w World, domain: &str) -> Option<&'w VercelProject> {
    w.projects().find(|p| p.domain == domain)
}
async fn config(
    State(world): State<Shared>,
    headers: HeaderMap,
    Path(domain): Path<String>,
    Query(q): Q,
) -> Response {
    if let Some(denied) = guard(&headers, &q) {
        return denied;
    }
    let w = world.lock().unwrap();
    // The apex (the registered domain), or a domain one of the projects serves.
    if domain != DOMAIN && serving(&w, &domain).is_none() {
        return not_found_domain(&domain);
    }
    if q.get("projectIdOrName")
        .is_some_and(|p| w.project(p).is_none())
    {
        return error(StatusCode::NOT_FOUND, "not_found", "Project not found");
    }
    // Whether the zone has the record Vercel ranks first: the A for an apex (the
    // satellite's, or this domain's where the app is at the apex), the CNAME for the app's
    // subdomain. Until DNS is in, only the DNS host's own records count.
    let layout = w.scenario.layout;
    let in_place = !matches!(w.dns_state(), DnsState::Missing | DnsState::ApexConflict);
    let subdomain = domain.ends_with(&format!(".{DOMAIN}"));
    let ok = in_place && (domain != DOMAIN || layout.app_domain() == DOMAIN)
        || w.host_records
            .iter()
            .any(|r| r.name == domain && r.value == VERCEL_APEX_IP);
    let by = if subdomain { "CNAME" } else { "A" };
    Json(json!({
        "configuredBy": if ok { json!(by) } else { Value::Null },
        "acceptedChallenges": ["http-01"],
        "recommendedIPv4": [
            {"rank": 1, "value": [VERCEL_APEX_IP]},
            {"rank": 2, "value": ["76.76.21.21"]}
        ],
        "recommendedCNAME": [
            {"rank": 1, "value": format!("{VERCEL_CNAME}.")},
            {"rank": 2, "value": "cname.vercel-dns.com."}
        ],
        "misconfigured": !ok
    }))
    .into_response()
}
async fn domain_info(
    State(world): State<Shared>,
    headers: HeaderMap,
    Path(domain): Path<String>,
    Query(q): Q,
) -> Response {
    if let Some(denied) = guard(&headers, &q).or_else(|| known_domain(&domain)) {
        return denied;
    }
    let at_vercel = world.lock().unwrap().scenario.dns_host == DnsHost::Vercel;
    let (service, ns) = if at_vercel {
        (
            "zeit.world",
            vec!["ns1.vercel-dns.com", "ns2.vercel-dns.com"],
        )
    } else {
        ("external", vec!["ns1.registrar.test", "ns2.registrar.test"])
    };
    Json(json!({"domain": {
        "suffix": false, "verified": true, "nameservers": ns,
        "intendedNameservers": ["ns1.vercel-dns.com", "ns2.vercel-dns.com"],
        "creator": {"username": "quillmate", "email": "dev@quillmate.test", "id": "usr_sandbox"},
        "teamId": VERCEL_TEAM_ID, "boughtAt": null, "name": DOMAIN,
        "createdAt": 1_700_000_000_000u64, "expiresAt": null, "id": "dom_sandboxQuillmate",
        "serviceType": service, "userId": "usr_sandbox"
    }}))
    .into_response()
}

fn domain_json(p: &VercelProject) -> Value {
    let name = p.domain;
    let apex = if name.ends_with(&format!(".{DOMAIN}")) {
        DOMAIN
    } else {
        name
    };
    let mut d = json!({"name": name, "apexName": apex, "projectId": p.id,
                       "verified": p.domain_verified, "createdAt": 1_764_000_000_000u64});
    if !p.domain_verified {
        d["verification"] = json!([{"type": "TXT", "domain": format!("_vercel.{apex}"),
            "value": format!("vc-domain-verify={name},9b1f0c2d3e4f5a6b7c8d"),
            "reason": "pending_domain_verification"}]);
    }
    d
}
async fn domain(
    State(w): State<Shared>,
    headers: HeaderMap,
    Path((project, name)): Path<(String, String)>,
    Query(q): Q,
) -> Response {
    let w = w.lock().unwrap();
    if let Some(denied) = guard_project(&w, &headers, &q, &project) {
        return denied;
    }
    let p = w.project(&project).unwrap();
    if name != p.domain || !p.domain_added {
        return error(
            StatusCode::NOT_FOUND,
            "not_found",
            "The project domain was not found",
        );
    }
    Json(domain_json(p)).into_response()
}
async fn add_domain(
    State(w): State<Shared>,
    headers: HeaderMap,
    Path(project): Path<String>,
    Query(q): Q,
    Json(body): Json<Value>,
) -> Response {
    let mut w = w.lock().unwrap();
    if let Some(denied) = guard_project(&w, &headers, &q, &project) {
        return denied;
    }
    let p = w.project_mut(&project).unwrap();
    if body["name"] != p.domain {
        return error(
            StatusCode::CONFLICT,
            "domain_already_in_use",
            &format!(
                "Cannot add {} since it's already assigned to another project.",
                body["name"]
            ),
        );
    }
    if !p.spend_write() {
        return refused();
    }
    p.domain_added = true;
    Json(domain_json(p)).into_response()
}
async fn verify(
    State(w): State<Shared>,
    headers: HeaderMap,
    Path((project, _)): Path<(String, String)>,
    Query(q): Q,
) -> Response {
    let mut w = w.lock().unwrap();
    if let Some(denied) = guard_project(&w, &headers, &q, &project) {
        return denied;
    }
    let p = w.project_mut(&project).unwrap();
    if !p.spend_write() {
        return refused();
    }
    // The user has added the TXT record by now.
    p.domain_verified = true;
    Json(domain_json(p)).into_response()
}
