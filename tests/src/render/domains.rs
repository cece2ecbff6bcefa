//! The service's custom domains. Adding the apex adds its `www` redirect too; verifying
//! succeeds once the domain's DNS points to the service — never in `domain-unverified`.

use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde_json::{json, Value};

use super::services::SERVICE_NAME;
use super::{error, guard, refused};
use crate::netlify::rfc3339;
use crate::scenario::{Shared, RENDER_SERVICE_ID};
use crate::vercel::projects::Hosting;
use crate::DOMAIN;

pub fn routes() -> Router<Shared> {
    Router::new()
        .route("/render/v1/services/{service}/custom-domains", post(add))
        .route(
            "/render/v1/services/{service}/custom-domains/{name}",
            get(one),
        )
        .route(
            "/render/v1/services/{service}/custom-domains/{name}/verify",
            post(verify),
        )
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Domain {
    pub id: String,
    pub name: String,
    pub verified: bool,
    /// The apex a `www` domain redirects to.
    pub redirect_for: Option<String>,
}

fn domain(n: u32, name: &str, verified: bool, redirect_for: Option<&str>) -> Domain {
    Domain {
        id: format!("cdm-d0sandbox{n:010}"),
        name: name.into(),
        verified,
        redirect_for: redirect_for.map(str::to_string),
    }
}

pub(super) fn initial(state: Hosting) -> Vec<Domain> {
    if state == Hosting::FreshProject {
        return vec![];
    }
    let verified = state != Hosting::DomainUnverified;
    vec![
        domain(1, DOMAIN, verified, None),
        domain(2, &format!("www.{DOMAIN}"), verified, Some(DOMAIN)),
    ]
}

fn domain_json(d: &Domain) -> Value {
    json!({
        "id": d.id, "name": d.name,
        "domainType": if d.name == DOMAIN { "apex" } else { "subdomain" },
        "publicSuffix": "test", "redirectForName": d.redirect_for.clone().unwrap_or_default(),
        "verificationStatus": if d.verified { "verified" } else { "unverified" },
        "createdAt": rfc3339(1_764_000_000_000),
        "server": {"id": RENDER_SERVICE_ID, "name": SERVICE_NAME},
    })
}

async fn one(
    State(w): State<Shared>,
    headers: HeaderMap,
    Path((service, name)): Path<(String, String)>,
) -> Response {
    let w = w.lock().unwrap();
    if let Some(denied) = guard(&w.render, &headers, Some(&service)) {
        return denied;
    }
    match w
        .render
        .domains
        .iter()
        .find(|d| d.name == name || d.id == name)
    {
        Some(d) => Json(domain_json(d)).into_response(),
        None => error(StatusCode::NOT_FOUND, "custom domain not found"),
    }
}

async fn add(
    State(w): State<Shared>,
    headers: HeaderMap,
    Path(service): Path<String>,
    Json(body): Json<Value>,
) -> Response {
    let mut w = w.lock().unwrap();
    if let Some(denied) = guard(&w.render, &headers, Some(&service)) {
        return denied;
    }
    let name = body["name"].as_str().unwrap_or_default().to_string();
    // Any other domain is another service's here.
    if name != DOMAIN || w.render.domains.iter().any(|d| d.name == name) {
        return error(
            StatusCode::CONFLICT,
            &format!("custom domain {name} already exists"),
        );
    }
    if !w.render.spend_write() {
        return refused();
    }
    let (a, b) = (w.render.next(), w.render.next());
    let added = vec![
        domain(a, &name, false, None),
        domain(b, &format!("www.{name}"), false, Some(&name)),
    ];
    w.render.domains.extend(added.clone());
    let body: Vec<Value> = added.iter().map(domain_json).collect();
    (StatusCode::CREATED, Json(body)).into_response()
}

async fn verify(
    State(w): State<Shared>,
    headers: HeaderMap,
    Path((service, name)): Path<(String, String)>,
) -> Response {
    let mut w = w.lock().unwrap();
    if let Some(denied) = guard(&w.render, &headers, Some(&service)) {
        return denied;
    }
    if !w.render.domains.iter().any(|d| d.name == name) {
        return error(StatusCode::NOT_FOUND, "custom domain not found");
    }
    if !w.render.spend_write() {
        return refused();
    }
    // In `domain-unverified` the DNS never points to the service; in the others the user
    // has added the record by now.
    if w.render.state != Hosting::DomainUnverified {
        for d in &mut w.render.domains {
            d.verified = true;
        }
    }
    StatusCode::ACCEPTED.into_response()
}
