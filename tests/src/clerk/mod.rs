//! Fakes of Clerk's three APIs, answering with the shapes of Clerk's OpenAPI specs
//! (tests/fixtures/specs/clerk-*.json; the contract tests check them).

pub mod accounts;
pub mod backend;
pub mod client;
pub mod frontend;
pub mod keys;
pub mod platform;
pub mod proxied;
pub mod users;

use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::{json, Value};

/// The bearer token of a request, if any.
pub fn bearer(headers: &HeaderMap) -> Option<&str> {
    headers
        .get("authorization")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
}

/// The value of the cookie `name` the request carries, if any.
pub fn cookie(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all("cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v.to_string())
}

/// Clerk's error body.
pub fn errors_body(code: &str, message: &str) -> Value {
    json!({
        "errors": [{"message": message, "long_message": message, "code": code}],
        "clerk_trace_id": "sandbox-trace"
    })
}

pub fn error(status: StatusCode, code: &str, message: &str) -> Response {
    (status, Json(errors_body(code, message))).into_response()
}

pub fn unauthorized() -> Response {
    error(
        StatusCode::UNAUTHORIZED,
        "clerk_key_invalid",
        "The provided Clerk Secret Key is invalid. Make sure that your Clerk Secret Key is correct.",
    )
}

/// The records Clerk asks for, as `cname_targets` lists them. Behind a proxy the `clerk`
/// record stays listed with `required: false`: the sandbox's reading of the dashboard's
/// "not required with a proxy" (proxy-fapi.mdx), the mail records still required.
pub fn cname_targets(domain: &str, proxied: bool) -> Value {
    json!([
        {"host": format!("clerk.{domain}"), "value": "frontend-api.clerk.services", "required": !proxied},
        {"host": format!("accounts.{domain}"), "value": "accounts.clerk.services", "required": true},
        {"host": format!("clkmail.{domain}"), "value": "mail.sbx1a2b3c4d5e.clerk.services", "required": true},
        {"host": format!("clk._domainkey.{domain}"), "value": "dkim1.sbx1a2b3c4d5e.clerk.services", "required": true},
        {"host": format!("clk2._domainkey.{domain}"), "value": "dkim2.sbx1a2b3c4d5e.clerk.services", "required": true}
    ])
}

/// A satellite domain asks for its `clerk` record only (no Account Portal, no mail).
pub fn satellite_cname_targets(domain: &str) -> Value {
    json!([
        {"host": format!("clerk.{domain}"), "value": "frontend-api.clerk.services", "required": true}
    ])
}
