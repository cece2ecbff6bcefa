//! The site and its custom domain, and the certificate Netlify issues once the domain's DNS
//! points to the site (before, provisioning answers 422 "bad dns for custom domain").

use std::collections::HashMap;

use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use serde_json::{json, Value};

use super::{error, guard, present, refused, rfc3339, NetlifySite};
use crate::scenario::{Shared, NETLIFY_ACCOUNT, NETLIFY_SITE_ID};
use crate::vercel::projects::Hosting;
use crate::DOMAIN;

pub fn routes() -> Router<Shared> {
    Router::new()
        .route("/api/v1/sites", get(sites))
        .route("/api/v1/sites/{site}", get(site).patch(update_site))
        .route("/api/v1/sites/{site}/ssl", get(certificate).post(provision))
}

pub const SITE_NAME: &str = "quillmate";

pub(super) fn admin_url() -> String {
    format!("https://app.netlify.com/projects/{SITE_NAME}")
}

fn site_json(s: &NetlifySite) -> Value {
    let host = s
        .custom_domain
        .clone()
        .unwrap_or_else(|| format!("{SITE_NAME}.netlify.app"));
    present(json!({
        "id": NETLIFY_SITE_ID, "site_id": NETLIFY_SITE_ID, "name": SITE_NAME, "state": "current",
        "plan": "nf_team_starter", "custom_domain": s.custom_domain, "domain_aliases": [],
        "url": format!("http://{host}"), "ssl_url": format!("https://{host}"),
        "admin_url": super::sites::admin_url(), "ssl": s.certificate, "force_ssl": s.certificate,
        "managed_dns": false, "account_id": "5f1e0c2d3b4a59687766554e", "account_slug": NETLIFY_ACCOUNT,
        "account_name": "Quillmate", "deploy_url": format!("https://main--{SITE_NAME}.netlify.app"),
        "created_at": rfc3339(1_764_000_000_000), "updated_at": rfc3339(1_764_000_000_000),
        "user_id": "5f1e0c2d3b4a59687766aaaa", "build_image": "noble", "git_provider": "github",
        "published_deploy": s.deploys.iter().rev().find(|d| d.state() == "ready").map(super::deploys::deploy_json),
    }))
}

/// The sites the token sees in all its teams, by name, a page at a time.
async fn sites(
    State(w): State<Shared>,
    headers: HeaderMap,
    Query(q): Query<HashMap<String, String>>,
) -> Response {
    if let Some(denied) = guard(&headers, None, None) {
        return denied;
    }
    let per_page: usize = q
        .get("per_page")
        .and_then(|p| p.parse().ok())
        .unwrap_or(100);
    let page: usize = q
        .get("page")
        .and_then(|p| p.parse().ok())
        .unwrap_or(1)
        .max(1);
    let name = q.get("name").map(|n| n.to_lowercase()).unwrap_or_default();
    let ours = site_json(&w.lock().unwrap().netlify);
    let others = [
        ("0a6c8e2f-4b1d-4c3e-9f5a-7b8c9d0e1f2a", "quillmate-docs", "Quillmate"),
        ("1b7d9f3a-5c2e-4d4f-8a6b-8c9d0e1f2a3b", "otherapp", "Other Team"),
    ]
    .map(|(id, site, team)| {
        json!({"id": id, "site_id": id, "name": site, "account_name": team,
               "url": format!("https://{site}.netlify.app"), "ssl_url": format!("https://{site}.netlify.app")})
    });
    let all: Vec<Value> = std::iter::once(ours)
        .chain(others)
        .filter(|s| s["name"].as_str().unwrap().contains(&name))
        .skip((page - 1) * per_page)
        .take(per_page)
        .collect();
    Json(all).into_response()
}

async fn site(State(w): State<Shared>, headers: HeaderMap, Path(site): Path<String>) -> Response {
    if let Some(denied) = guard(&headers, Some(&site), None) {
        return denied;
    }
    Json(site_json(&w.lock().unwrap().netlify)).into_response()
}

async fn update_site(
    State(w): State<Shared>,
    headers: HeaderMap,
    Path(site): Path<String>,
    Json(body): Json<Value>,
) -> Response {
    if let Some(denied) = guard(&headers, Some(&site), None) {
        return denied;
    }
    let mut w = w.lock().unwrap();
    let wanted = body["custom_domain"]
        .as_str()
        .or_else(|| body["domain_aliases"].as_array()?.last()?.as_str());
    let Some(domain) = wanted else {
        return Json(site_json(&w.netlify)).into_response();
    };
    // Any other domain is another site's here.
    if domain != DOMAIN {
        return error(
            StatusCode::UNPROCESSABLE_ENTITY,
            &format!("custom_domain {domain} has already been taken"),
        );
    }
    if !w.netlify.spend_write() {
        return refused();
    }
    w.netlify.custom_domain = Some(domain.into());
    Json(site_json(&w.netlify)).into_response()
}

fn certificate_json() -> Value {
    json!({"state": "issued", "domains": [DOMAIN, format!("www.{DOMAIN}")],
           "created_at": rfc3339(1_764_000_000_000), "updated_at": rfc3339(1_764_000_000_000),
           "expires_at": rfc3339(1_771_776_000_000)})
}

async fn certificate(
    State(w): State<Shared>,
    headers: HeaderMap,
    Path(site): Path<String>,
) -> Response {
    if let Some(denied) = guard(&headers, Some(&site), None) {
        return denied;
    }
    if !w.lock().unwrap().netlify.certificate {
        return error(StatusCode::NOT_FOUND, "Not Found");
    }
    Json(certificate_json()).into_response()
}

async fn provision(
    State(w): State<Shared>,
    headers: HeaderMap,
    Path(site): Path<String>,
) -> Response {
    if let Some(denied) = guard(&headers, Some(&site), None) {
        return denied;
    }
    let mut w = w.lock().unwrap();
    if w.netlify.custom_domain.is_none() {
        return error(
            StatusCode::UNPROCESSABLE_ENTITY,
            "No custom domain configured",
        );
    }
    // In `domain-unverified` the domain's DNS never points to the site; in the others the
    // user has added the record by now.
    if w.netlify.state == Hosting::DomainUnverified {
        return error(
            StatusCode::UNPROCESSABLE_ENTITY,
            "bad dns for custom domain",
        );
    }
    if !w.netlify.spend_write() {
        return refused();
    }
    w.netlify.certificate = true;
    Json(certificate_json()).into_response()
}
