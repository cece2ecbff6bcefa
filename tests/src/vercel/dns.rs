//! Vercel DNS: the zone's records, for a domain whose nameservers are Vercel's.

use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{delete, get, post};
use axum::{Json, Router};
use serde_json::{json, Value};

use super::domains::known_domain;
use super::{error, guard, refused, Q};
use crate::scenario::{DnsHost, HostRecord, Shared};
use crate::DOMAIN;

pub fn routes() -> Router<Shared> {
    Router::new()
        .route("/v4/domains/{domain}/records", get(records))
        .route("/v2/domains/{domain}/records", post(create_record))
        .route("/v2/domains/{domain}/records/{id}", delete(delete_record))
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
    Query(q): Q,
) -> Response {
    if let Some(denied) = guard(&headers, &q).or_else(|| vercel_zone(&world, &domain)) {
        return denied;
    }
    // Newest first, `limit` at a time (Vercel's default: 20); the next page is asked
    // `until` the last one's creation time, as Vercel's CLI pages.
    let limit: usize = q.get("limit").and_then(|l| l.parse().ok()).unwrap_or(20);
    let until: Option<u64> = q.get("until").and_then(|u| u.parse().ok());
    let w = world.lock().unwrap();
    let mut listed: Vec<&HostRecord> = w
        .host_records
        .iter()
        .filter(|r| until.is_none_or(|u| r.created < u))
        .collect();
    listed.sort_by_key(|r| std::cmp::Reverse(r.created));
    let page = &listed[..listed.len().min(limit)];
    let next = (listed.len() > page.len()).then(|| page.last().unwrap().created);
    let records: Vec<Value> = page
        .iter()
        .map(|r| {
            json!({
                "id": r.id, "slug": format!("{}-{}", r.name, r.kind), "name": relative(&r.name),
                "type": r.kind, "value": r.value, "creator": "system", "ttl": 60,
                "created": r.created, "updated": null, "createdAt": r.created, "updatedAt": null
            })
        })
        .collect();
    Json(json!({
        "records": records,
        "pagination": {"count": records.len(), "next": next, "prev": null}
    }))
    .into_response()
}

async fn create_record(
    State(world): State<Shared>,
    headers: HeaderMap,
    Path(domain): Path<String>,
    Query(q): Q,
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
    if !w.vercel.spend_write() {
        return refused();
    }
    let r = w.add_host_record(&fqdn, kind, value, false);
    Json(json!({ "uid": r.id })).into_response()
}

async fn delete_record(
    State(world): State<Shared>,
    headers: HeaderMap,
    Path((domain, id)): Path<(String, String)>,
    Query(q): Q,
) -> Response {
    if let Some(denied) = guard(&headers, &q).or_else(|| vercel_zone(&world, &domain)) {
        return denied;
    }
    let mut w = world.lock().unwrap();
    if !w.host_records.iter().any(|r| r.id == id) {
        return error(StatusCode::NOT_FOUND, "not_found", "Record not found");
    }
    if !w.vercel.spend_write() {
        return refused();
    }
    w.host_records.retain(|r| r.id != id);
    Json(json!({})).into_response()
}
