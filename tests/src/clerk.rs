//! Fake Clerk Backend API (`/v1/instance`, `/v1/domains`, `/v1/jwks`), answering with the
//! shapes of Clerk's OpenAPI spec (fixtures/specs/clerk-bapi.json checks them).

use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use serde_json::{json, Value};

use crate::scenario::{Scenario, INSTANCE_ID, LIVE_SECRET_KEY};

pub fn router(scenario: Scenario) -> Router {
    Router::new()
        .route("/v1/instance", get(instance))
        .route("/v1/domains", get(domains))
        .route("/v1/jwks", get(jwks))
        .with_state(scenario)
}

/// Answers with `body` for the sandbox's live secret key, and as Clerk does (401 with a
/// `ClerkErrors` body) for a missing or wrong `Authorization: Bearer sk_…`.
fn authorized(headers: &HeaderMap, body: impl FnOnce() -> Value) -> Response {
    let key = headers
        .get("authorization")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "));
    if key == Some(LIVE_SECRET_KEY) {
        Json(body()).into_response()
    } else {
        (StatusCode::UNAUTHORIZED, Json(errors_body())).into_response()
    }
}

pub fn errors_body() -> Value {
    json!({
        "errors": [{
            "message": "The provided Clerk Secret Key is invalid.",
            "long_message": "The provided Clerk Secret Key is invalid. Make sure that your Clerk Secret Key is correct.",
            "code": "clerk_key_invalid"
        }],
        "clerk_trace_id": "sandbox-trace"
    })
}

pub fn instance_body(s: &Scenario) -> Value {
    json!({
        "object": "instance",
        "id": INSTANCE_ID,
        "environment_type": s.environment_type,
        "allowed_origins": null,
        "workspace_id": null
    })
}

pub fn domains_body(s: &Scenario) -> Value {
    let d = s.instance_domain;
    json!({
        "data": [{
            "object": "domain",
            "id": "dmn_2sandbox",
            "name": d,
            "is_satellite": false,
            "frontend_api_url": format!("https://clerk.{d}"),
            "accounts_portal_url": format!("https://accounts.{d}"),
            "proxy_url": null,
            "development_origin": "",
            "cname_targets": [
                {"host": format!("clerk.{d}"), "value": "frontend-api.clerk.services", "required": true},
                {"host": format!("accounts.{d}"), "value": "accounts.clerk.services", "required": true},
                {"host": format!("clkmail.{d}"), "value": "mail.sbx1a2b3c4d5e.clerk.services", "required": true},
                {"host": format!("clk._domainkey.{d}"), "value": "dkim1.sbx1a2b3c4d5e.clerk.services", "required": true},
                {"host": format!("clk2._domainkey.{d}"), "value": "dkim2.sbx1a2b3c4d5e.clerk.services", "required": true}
            ]
        }],
        "total_count": 1
    })
}

pub fn jwks_body() -> Value {
    json!({
        "keys": [{
            "use": "sig",
            "kty": "RSA",
            "kid": INSTANCE_ID,
            "alg": "RS256",
            "n": "sandbox-modulus",
            "e": "AQAB"
        }]
    })
}

async fn instance(State(s): State<Scenario>, headers: HeaderMap) -> Response {
    authorized(&headers, || instance_body(&s))
}

async fn domains(State(s): State<Scenario>, headers: HeaderMap) -> Response {
    authorized(&headers, || domains_body(&s))
}

async fn jwks(headers: HeaderMap) -> Response {
    authorized(&headers, jwks_body)
}
