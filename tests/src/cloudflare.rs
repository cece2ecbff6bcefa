//! Fake Cloudflare API (`/client/v4`): the zone of the sandbox domain (when the scenario
//! puts its DNS at Cloudflare) and its DNS records (shapes:
//! fixtures/specs/cloudflare-dns.json, written from Cloudflare's API reference).

pub mod pages;
pub mod workers;

use std::collections::HashMap;

use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, patch};
use axum::{Json, Router};
use serde_json::{json, Value};

use crate::clerk::bearer;
use crate::scenario::{DnsHost, HostRecord, Shared, CLOUDFLARE_TOKEN};
use crate::DOMAIN;

pub const ZONE_ID: &str = "023e105f4ecef8ad9ca31a8372d0c353";

pub fn routes() -> Router<Shared> {
    Router::new()
        .route("/client/v4/zones", get(zones))
        .route(
            "/client/v4/zones/{zone}/dns_records",
            get(list).post(create),
        )
        .route(
            "/client/v4/zones/{zone}/dns_records/{id}",
            patch(update).delete(remove),
        )
        .merge(pages::routes())
        .merge(workers::routes())
}

fn envelope(result: Value, info: Option<Value>) -> Response {
    let mut body = json!({"success": true, "errors": [], "messages": [], "result": result});
    if let Some(info) = info {
        body["result_info"] = info;
    }
    Json(body).into_response()
}

fn error(status: StatusCode, code: u32, message: &str) -> Response {
    (
        status,
        Json(
            json!({"success": false, "errors": [{"code": code, "message": message}],
                    "messages": [], "result": null}),
        ),
    )
        .into_response()
}

fn guard(headers: &HeaderMap) -> Option<Response> {
    (bearer(headers) != Some(CLOUDFLARE_TOKEN))
        .then(|| error(StatusCode::FORBIDDEN, 10000, "Authentication error"))
}

fn zone_guard(world: &Shared, zone: &str) -> Option<Response> {
    let ours = world.lock().unwrap().scenario.dns_host == DnsHost::Cloudflare && zone == ZONE_ID;
    (!ours).then(|| {
        error(
            StatusCode::NOT_FOUND,
            7003,
            "Could not route to /zones/…: zone not found",
        )
    })
}

fn record_json(r: &HostRecord) -> Value {
    json!({
        "id": r.id, "zone_id": ZONE_ID, "zone_name": DOMAIN, "name": r.name, "type": r.kind,
        "content": r.value, "proxiable": matches!(r.kind.as_str(), "A" | "AAAA" | "CNAME"),
        "proxied": r.proxied, "ttl": 1, "comment": null, "tags": [],
        "created_on": "2026-11-01T10:00:00.000000Z", "modified_on": "2026-11-01T10:00:00.000000Z",
        "meta": {}
    })
}

async fn zones(
    State(world): State<Shared>,
    headers: HeaderMap,
    Query(q): Query<HashMap<String, String>>,
) -> Response {
    if let Some(denied) = guard(&headers) {
        return denied;
    }
    let hosted = world.lock().unwrap().scenario.dns_host == DnsHost::Cloudflare;
    let zones: Vec<Value> = (hosted && q.get("name").map(String::as_str) == Some(DOMAIN))
        .then(|| {
            json!({"id": ZONE_ID, "name": DOMAIN, "status": "active", "paused": false,
                   "type": "full", "name_servers": ["ada.ns.cloudflare.com", "bob.ns.cloudflare.com"]})
        })
        .into_iter()
        .collect();
    let n = zones.len();
    envelope(
        json!(zones),
        Some(json!({"page": 1, "per_page": 20, "count": n, "total_count": n, "total_pages": 1})),
    )
}

async fn list(
    State(world): State<Shared>,
    headers: HeaderMap,
    Path(zone): Path<String>,
    Query(q): Query<HashMap<String, String>>,
) -> Response {
    if let Some(denied) = guard(&headers).or_else(|| zone_guard(&world, &zone)) {
        return denied;
    }
    let per_page: usize = q
        .get("per_page")
        .and_then(|p| p.parse().ok())
        .unwrap_or(100)
        .max(1);
    let page: usize = q
        .get("page")
        .and_then(|p| p.parse().ok())
        .unwrap_or(1)
        .max(1);
    let all: Vec<Value> = world
        .lock()
        .unwrap()
        .host_records
        .iter()
        .map(record_json)
        .collect();
    let items: Vec<Value> = all
        .iter()
        .skip((page - 1) * per_page)
        .take(per_page)
        .cloned()
        .collect();
    let info = json!({"page": page, "per_page": per_page, "count": items.len(),
                      "total_count": all.len(), "total_pages": all.len().div_ceil(per_page).max(1)});
    envelope(json!(items), Some(info))
}

fn fields(body: &Value) -> Option<(String, String, String, bool)> {
    Some((
        body["name"].as_str()?.trim_end_matches('.').to_string(),
        body["type"].as_str()?.to_string(),
        body["content"].as_str()?.trim_end_matches('.').to_string(),
        body["proxied"].as_bool().unwrap_or(false),
    ))
}

async fn create(
    State(world): State<Shared>,
    headers: HeaderMap,
    Path(zone): Path<String>,
    Json(body): Json<Value>,
) -> Response {
    if let Some(denied) = guard(&headers).or_else(|| zone_guard(&world, &zone)) {
        return denied;
    }
    let Some((name, kind, content, proxied)) = fields(&body) else {
        return error(
            StatusCode::BAD_REQUEST,
            9000,
            "DNS record type, name and content are required",
        );
    };
    let mut w = world.lock().unwrap();
    // As Cloudflare: a CNAME cannot share its name with any other record.
    if w.host_records
        .iter()
        .any(|r| r.name == name && (kind == "CNAME" || r.kind == "CNAME"))
    {
        return error(
            StatusCode::BAD_REQUEST,
            81053,
            "An A, AAAA, or CNAME record with that host already exists.",
        );
    }
    let r = w.add_host_record(&name, &kind, &content, proxied);
    envelope(record_json(&r), None)
}

async fn update(
    State(world): State<Shared>,
    headers: HeaderMap,
    Path((zone, id)): Path<(String, String)>,
    Json(body): Json<Value>,
) -> Response {
    if let Some(denied) = guard(&headers).or_else(|| zone_guard(&world, &zone)) {
        return denied;
    }
    let mut w = world.lock().unwrap();
    let Some(r) = w.host_records.iter_mut().find(|r| r.id == id) else {
        return error(StatusCode::NOT_FOUND, 81044, "Record does not exist.");
    };
    if let Some((name, kind, content, proxied)) = fields(&body) {
        (r.name, r.kind, r.value, r.proxied) = (name, kind, content, proxied);
    }
    envelope(record_json(r), None)
}

async fn remove(
    State(world): State<Shared>,
    headers: HeaderMap,
    Path((zone, id)): Path<(String, String)>,
) -> Response {
    if let Some(denied) = guard(&headers).or_else(|| zone_guard(&world, &zone)) {
        return denied;
    }
    let mut w = world.lock().unwrap();
    let before = w.host_records.len();
    w.host_records.retain(|r| r.id != id);
    if w.host_records.len() == before {
        return error(StatusCode::NOT_FOUND, 81044, "Record does not exist.");
    }
    envelope(json!({"id": id}), None)
}
