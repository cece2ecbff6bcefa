//! Fake Clerk Backend API: `/v1/instance`, `/v1/domains`, `/v1/jwks` and the webhook
//! dashboard link `POST /v1/webhooks/svix_url`, keyed by secret key (the rehearsal's users,
//! sign-in tokens and sessions are in `users`).

use axum::extract::State;
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde_json::{json, Value};

use super::{bearer, cname_targets, satellite_cname_targets, unauthorized};
use crate::scenario::{KeyInstance, Shared, SATELLITE_DOMAIN_ID, SVIX_LOGIN_KEY};

pub fn routes() -> Router<Shared> {
    Router::new()
        .route("/v1/instance", get(instance))
        .route("/v1/domains", get(domains))
        .route("/v1/jwks", get(jwks))
        .merge(super::users::routes())
        .route("/v1/webhooks/svix_url", post(svix_url))
}

pub fn instance_body(i: &KeyInstance) -> Value {
    json!({
        "object": "instance",
        "id": i.id,
        "environment_type": i.environment_type,
        "allowed_origins": null,
        "workspace_id": null
    })
}

pub fn domains_body(i: &KeyInstance) -> Value {
    let d = i.domain;
    let production = i.environment_type == "production";
    let mut data = vec![json!({
        "object": "domain",
        "id": format!("dmn_{}", i.id.trim_start_matches("ins_")),
        "name": d,
        "is_satellite": false,
        "frontend_api_url": format!("https://{}", i.frontend_api),
        "accounts_portal_url": if production { Value::from(format!("https://accounts.{d}")) } else { Value::Null },
        "proxy_url": i.proxy_url,
        "development_origin": "",
        "cname_targets": if production { cname_targets(d, i.proxy_url.is_some()) } else { Value::Null }
    })];
    if let Some(s) = i.satellite {
        data.push(json!({
            "object": "domain",
            "id": SATELLITE_DOMAIN_ID,
            "name": s,
            "is_satellite": true,
            "frontend_api_url": format!("https://clerk.{s}"),
            "accounts_portal_url": null,
            "proxy_url": null,
            "development_origin": "",
            "cname_targets": satellite_cname_targets(s)
        }));
    }
    json!({"total_count": data.len(), "data": data})
}

/// The instance's real public key (its test-only fixture), so its session tokens verify.
pub fn jwks_body(instance_id: &str) -> Value {
    json!({"keys": [super::keys::jwk(instance_id)]})
}

/// Answers with `body` for a secret key the world knows, and with Clerk's 401 otherwise.
fn for_key(
    world: &Shared,
    headers: &HeaderMap,
    body: impl FnOnce(&KeyInstance) -> Value,
) -> Response {
    let instance = bearer(headers).and_then(|k| world.lock().unwrap().instance_for(k));
    match instance {
        Some(i) => Json(body(&i)).into_response(),
        None => unauthorized(),
    }
}

async fn instance(State(w): State<Shared>, headers: HeaderMap) -> Response {
    for_key(&w, &headers, instance_body)
}

async fn domains(State(w): State<Shared>, headers: HeaderMap) -> Response {
    for_key(&w, &headers, domains_body)
}

async fn jwks(State(w): State<Shared>, headers: HeaderMap) -> Response {
    for_key(&w, &headers, |i| jwks_body(i.id))
}

/// A login link to the instance's Svix portal, as Clerk's dashboard opens it.
pub fn svix_url_body(i: &KeyInstance) -> Value {
    json!({"svix_url": format!("https://app.svix.com/login?instance={}#key={SVIX_LOGIN_KEY}", i.id)})
}

async fn svix_url(State(w): State<Shared>, headers: HeaderMap) -> Response {
    for_key(&w, &headers, svix_url_body)
}
