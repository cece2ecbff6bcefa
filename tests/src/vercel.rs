//! Fake Vercel REST API: projects, a domain's DNS config and info, and Vercel DNS records
//! (shapes: fixtures/specs/vercel.json, cut from Vercel's OpenAPI spec).

use std::collections::HashMap;

use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{delete, get};
use axum::{Json, Router};
use serde_json::{json, Value};

use crate::clerk::bearer;
use crate::scenario::{
    DnsHost, DnsState, Shared, VERCEL_APEX_IP, VERCEL_CNAME, VERCEL_PROJECT_ID, VERCEL_TEAM_ID,
    VERCEL_TOKEN,
};
use crate::DOMAIN;

pub fn routes() -> Router<Shared> {
    Router::new()
        .route("/v10/projects", get(projects))
        .route("/v6/domains/{domain}/config", get(config))
        .route("/v5/domains/{domain}", get(domain_info))
        .route("/v4/domains/{domain}/records", get(records))
        .route(
            "/v2/domains/{domain}/records",
            axum::routing::post(create_record),
        )
        .route("/v2/domains/{domain}/records/{id}", delete(delete_record))
}

pub fn error(status: StatusCode, code: &str, message: &str) -> Response {
    (
        status,
        Json(json!({"error": {"code": code, "message": message}})),
    )
        .into_response()
}

/// The token must be the sandbox's; a team, if named, must be its team.
pub fn guard(headers: &HeaderMap, q: &HashMap<String, String>) -> Option<Response> {
    if bearer(headers) != Some(VERCEL_TOKEN) {
        return Some(error(
            StatusCode::UNAUTHORIZED,
            "forbidden",
            "Not authorized",
        ));
    }
    match q.get("teamId") {
        Some(t) if t != VERCEL_TEAM_ID => Some(error(
            StatusCode::FORBIDDEN,
            "forbidden",
            "You don't have permission to access this team",
        )),
        _ => None,
    }
}

/// The projects the token sees, most recently updated first.
fn all_projects() -> Vec<Value> {
    [
        (
            VERCEL_PROJECT_ID,
            "quillmate",
            "nextjs",
            1_764_000_000_000u64,
        ),
        (
            "prj_sandboxQuillmateDocs0001",
            "quillmate-docs",
            "astro",
            1_763_000_000_000,
        ),
        (
            "prj_sandboxOtherapp000000001",
            "otherapp",
            "nextjs",
            1_762_000_000_000,
        ),
    ]
    .into_iter()
    .map(|(id, name, framework, updated)| {
        json!({
            "accountId": VERCEL_TEAM_ID, "id": id, "name": name, "framework": framework,
            "nodeVersion": "22.x", "directoryListing": false, "updatedAt": updated,
            "resourceConfig": {"functionDefaultRegions": ["iad1"]},
            "defaultResourceConfig": {"functionDefaultRegions": ["iad1"]}
        })
    })
    .collect()
}

async fn projects(headers: HeaderMap, Query(q): Query<HashMap<String, String>>) -> Response {
    if let Some(denied) = guard(&headers, &q) {
        return denied;
    }
    let limit: usize = q.get("limit").and_then(|l| l.parse().ok()).unwrap_or(20);
    // The continuation token is the last project's `updatedAt`, base32 as Vercel's are not.
    let from: Option<u64> = q.get("from").and_then(|f| f.parse().ok());
    let search = q
        .get("search")
        .map(|s| s.to_lowercase())
        .unwrap_or_default();
    let matching: Vec<Value> = all_projects()
        .into_iter()
        .filter(|p| p["name"].as_str().unwrap().contains(&search))
        .filter(|p| from.is_none_or(|f| p["updatedAt"].as_u64().unwrap() < f))
        .collect();
    let page: Vec<Value> = matching.iter().take(limit).cloned().collect();
    let next = (matching.len() > page.len()).then(|| {
        page.last().unwrap()["updatedAt"]
            .as_u64()
            .unwrap()
            .to_string()
    });
    Json(json!({
        "projects": page,
        "pagination": {"count": page.len(), "next": next}
    }))
    .into_response()
}

fn known_domain(domain: &str) -> Option<Response> {
    (domain != DOMAIN).then(|| {
        error(
            StatusCode::NOT_FOUND,
            "not_found",
            &format!("The domain \"{domain}\" was not found"),
        )
    })
}

async fn config(
    State(world): State<Shared>,
    headers: HeaderMap,
    Path(domain): Path<String>,
    Query(q): Query<HashMap<String, String>>,
) -> Response {
    if let Some(denied) = guard(&headers, &q).or_else(|| known_domain(&domain)) {
        return denied;
    }
    if q.get("projectIdOrName")
        .is_some_and(|p| p != VERCEL_PROJECT_ID && p != "quillmate")
    {
        return error(StatusCode::NOT_FOUND, "not_found", "Project not found");
    }
    let w = world.lock().unwrap();
    let apex_ok = !matches!(w.dns_state(), DnsState::Missing | DnsState::ApexConflict)
        || w.host_records
            .iter()
            .any(|r| r.name == DOMAIN && r.value == VERCEL_APEX_IP);
    Json(json!({
        "configuredBy": if apex_ok { json!("A") } else { Value::Null },
        "acceptedChallenges": ["http-01"],
        "recommendedIPv4": [
            {"rank": 1, "value": [VERCEL_APEX_IP]},
            {"rank": 2, "value": ["76.76.21.21"]}
        ],
        "recommendedCNAME": [
            {"rank": 1, "value": format!("{VERCEL_CNAME}.")},
            {"rank": 2, "value": "cname.vercel-dns.com."}
        ],
        "misconfigured": !apex_ok
    }))
    .into_response()
}

async fn domain_info(
    State(world): State<Shared>,
    headers: HeaderMap,
    Path(domain): Path<String>,
    Query(q): Query<HashMap<String, String>>,
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

/// Vercel DNS exists only for a domain whose nameservers are Vercel's.
fn vercel_zone(world: &Shared, domain: &str) -> Option<Response> {
    known_domain(domain).or_else(|| {
        (world.lock().unwrap().scenario.dns_host != DnsHost::Vercel).then(|| {
            error(
                StatusCode::NOT_FOUND,
                "not_found",
                "The domain is not using Vercel DNS",
            )
        })
    })
}

fn relative(name: &str) -> String {
    if name == DOMAIN {
        String::new()
    } else {
        name.trim_end_matches(&format!(".{DOMAIN}")).to_string()
    }
}

async fn records(
    State(world): State<Shared>,
    headers: HeaderMap,
    Path(domain): Path<String>,
    Query(q): Query<HashMap<String, String>>,
) -> Response {
    if let Some(denied) = guard(&headers, &q).or_else(|| vercel_zone(&world, &domain)) {
        return denied;
    }
    let records: Vec<Value> = world
        .lock()
        .unwrap()
        .host_records
        .iter()
        .map(|r| {
            json!({
                "id": r.id, "slug": format!("{}-{}", r.name, r.kind), "name": relative(&r.name),
                "type": r.kind, "value": r.value, "creator": "system", "ttl": 60,
                "created": 1_700_000_000_000u64, "updated": null,
                "createdAt": 1_700_000_000_000u64, "updatedAt": null
            })
        })
        .collect();
    // The unpaginated form: the spec's `oneOf` can't tell the paginated one from it.
    Json(json!({ "records": records })).into_response()
}

async fn create_record(
    State(world): State<Shared>,
    headers: HeaderMap,
    Path(domain): Path<String>,
    Query(q): Query<HashMap<String, String>>,
    Json(body): Json<Value>,
) -> Response {
    if let Some(denied) = guard(&headers, &q).or_else(|| vercel_zone(&world, &domain)) {
        return denied;
    }
    let (Some(name), Some(kind), Some(value)) = (
        body["name"].as_str(),
        body["type"].as_str(),
        body["value"].as_str(),
    ) else {
        return error(
            StatusCode::BAD_REQUEST,
            "bad_request",
            "name, type and value are required",
        );
    };
    let fqdn = if name.is_empty() {
        DOMAIN.to_string()
    } else {
        format!("{name}.{DOMAIN}")
    };
    let mut w = world.lock().unwrap();
    // Vercel refuses a CNAME beside any other record of the same name.
    let clash = w
        .host_records
        .iter()
        .any(|r| r.name == fqdn && (kind == "CNAME" || r.kind == "CNAME"));
    if clash {
        return error(
            StatusCode::CONFLICT,
            "conflict",
            "A conflicting record exists for this name",
        );
    }
    let r = w.add_host_record(&fqdn, kind, value, false);
    Json(json!({ "uid": r.id })).into_response()
}

async fn delete_record(
    State(world): State<Shared>,
    headers: HeaderMap,
    Path((domain, id)): Path<(String, String)>,
    Query(q): Query<HashMap<String, String>>,
) -> Response {
    if let Some(denied) = guard(&headers, &q).or_else(|| vercel_zone(&world, &domain)) {
        return denied;
    }
    let mut w = world.lock().unwrap();
    let before = w.host_records.len();
    w.host_records.retain(|r| r.id != id);
    if w.host_records.len() == before {
        return error(StatusCode::NOT_FOUND, "not_found", "Record not found");
    }
    Json(json!({})).into_response()
}
