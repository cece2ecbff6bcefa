//! Misbehaviour on demand: any vendor call (method + path) can be made to answer with an
//! error status in that vendor's own error shape, a rate limit with Retry-After, silence, or
//! malformed JSON; and every answer can be slowed, for benchmarks.

use std::time::Duration;

use axum::extract::{Request, State};
use axum::http::StatusCode;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use serde_json::json;

use crate::scenario::Shared;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FaultKind {
    /// An error status with the vendor's error body.
    Status(u16),
    /// 429 with `Retry-After: <seconds>`.
    RateLimited(u64),
    /// Accepts the request and never answers.
    Silence,
    /// 200 with a body that is not JSON.
    Malformed,
    /// An error status whose message quotes the credential (the Authorization header, or
    /// the cookies the site and the Frontend API take) and the request's body (or
    /// query) it was sent, as some APIs do (429: with `Retry-After: 30`).
    Echo(u16),
    /// 200 with this body instead of the route's: a hostile or broken vendor.
    Answer(&'static str),
    /// The route's own answer after `PADDING` bytes of JSON whitespace: valid, but larger
    /// than any API answer.
    Padded,
}

/// What `Padded` puts before the answer: over the engine's cap on an answer.
pub const PADDING: usize = 5 << 20;

impl FaultKind {
    /// The matrix every vendor call is tested against: every error status quotes what it
    /// was sent, so a secret that is not redacted shows.
    pub const ALL: [FaultKind; 11] = [
        FaultKind::Echo(400),
        FaultKind::Echo(401),
        FaultKind::Echo(403),
        FaultKind::Status(404),
        FaultKind::Echo(409),
        FaultKind::Echo(422),
        FaultKind::Echo(429),
        FaultKind::Echo(500),
        FaultKind::Echo(503),
        FaultKind::Silence,
        FaultKind::Malformed,
    ];
}

/// Answers `kind` to every request with this method and exact path (`*` matches any).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fault {
    pub method: String,
    pub path: String,
    pub kind: FaultKind,
}

/// The writes a sign-in rehearsal makes, at Clerk's Backend and Frontend APIs.
fn is_rehearsal_write(req: &Request) -> bool {
    let path = req.uri().path();
    req.method() != axum::http::Method::GET
        && [
            "/v1/users",
            "/v1/sign_in_tokens",
            "/v1/sessions/",
            "/v1/client/",
        ]
        .iter()
        .any(|p| path.starts_with(p))
}

/// `*` matches any path; a `*` segment matches any one segment (an id made at run time).
fn path_matches(pattern: &str, path: &str) -> bool {
    pattern == "*"
        || pattern == path
        || (pattern.split('/').count() == path.split('/').count()
            && pattern
                .split('/')
                .zip(path.split('/'))
                .all(|(p, s)| p == "*" || p == s))
}

/// Middleware: answers the first matching fault instead of the route; past the rehearsal's
/// write budget, its writes get no answer that counts (503).
pub async fn inject(State(world): State<Shared>, req: Request, next: Next) -> Response {
    if is_rehearsal_write(&req) {
        let mut w = world.lock().unwrap();
        match w.rehearsal_write_budget.as_mut() {
            Some(0) => {
                let body = error_body(req.uri().path(), StatusCode::SERVICE_UNAVAILABLE);
                return (StatusCode::SERVICE_UNAVAILABLE, axum::Json(body)).into_response();
            }
            Some(n) => *n -= 1,
            None => {}
        }
    }
    let kind = world
        .lock()
        .unwrap()
        .faults
        .iter()
        .find(|f| {
            (f.method == "*" || f.method == req.method().as_str())
                && path_matches(&f.path, req.uri().path())
        })
        .map(|f| f.kind);
    match kind {
        None => next.run(req).await,
        Some(kind) => answer(kind, req, next).await,
    }
}

/// Quotes the credential (the Authorization header) and what was sent with it (the body,
/// or a read's query) back in the error.
async fn echo(code: u16, req: Request) -> Response {
    let path = req.uri().path().to_string();
    let query = req.uri().query().unwrap_or_default().to_string();
    // The site's and the Frontend API's credentials are cookies.
    let credential = ["authorization", "cookie"]
        .iter()
        .filter_map(|h| req.headers().get(*h).and_then(|v| v.to_str().ok()))
        .collect::<Vec<_>>()
        .join(" ");
    let body = axum::body::to_bytes(req.into_body(), 1 << 20)
        .await
        .unwrap_or_default();
    let sent = match String::from_utf8_lossy(&body) {
        b if b.is_empty() => query,
        b => b.into_owned(),
    };
    let status = StatusCode::from_u16(code).unwrap();
    let mut body = error_body(&path, status);
    let reason = status.canonical_reason().unwrap_or("Error");
    let said = format!("{reason}: credentials {credential} refused for {sent}");
    // Put the quote wherever this vendor's shape keeps its words.
    for pointer in [
        "/error_description",
        "/errors/0/message",
        "/errors/0/long_message",
        "/message",
        "/error/message",
    ] {
        if let Some(v) = body.pointer_mut(pointer) {
            *v = said.clone().into();
        }
    }
    let wait = [("retry-after", "30")];
    if code == 429 {
        (status, wait, axum::Json(body)).into_response()
    } else {
        (status, axum::Json(body)).into_response()
    }
}

/// The route's answer, preceded by `PADDING` bytes of whitespace.
async fn padded(req: Request, next: Next) -> Response {
    let (mut parts, body) = next.run(req).await.into_parts();
    let body = axum::body::to_bytes(body, 1 << 20)
        .await
        .unwrap_or_default();
    let mut padded = vec![b' '; PADDING];
    padded.extend_from_slice(&body);
    parts.headers.remove(axum::http::header::CONTENT_LENGTH);
    Response::from_parts(parts, axum::body::Body::from(padded))
}

async fn answer(kind: FaultKind, req: Request, next: Next) -> Response {
    let path = req.uri().path();
    match kind {
        FaultKind::Echo(code) => echo(code, req).await,
        FaultKind::Status(code) => {
            let status = StatusCode::from_u16(code).unwrap();
            (status, axum::Json(error_body(path, status))).into_response()
        }
        FaultKind::RateLimited(secs) => (
            StatusCode::TOO_MANY_REQUESTS,
            [("retry-after", secs.to_string())],
            axum::Json(error_body(path, StatusCode::TOO_MANY_REQUESTS)),
        )
            .into_response(),
        FaultKind::Silence => {
            tokio::time::sleep(Duration::from_secs(3600)).await;
            StatusCode::GATEWAY_TIMEOUT.into_response()
        }
        FaultKind::Malformed => (
            [("content-type", "application/json")],
            "{\"data\": [unterminated",
        )
            .into_response(),
        FaultKind::Answer(json) => ([("content-type", "application/json")], json).into_response(),
        FaultKind::Padded => padded(req, next).await,
    }
}

/// The error body each vendor sends, told apart by path as the sandbox's one API server is.
fn error_body(path: &str, status: StatusCode) -> serde_json::Value {
    let reason = status.canonical_reason().unwrap_or("Error");
    let code = reason.to_ascii_lowercase().replace(' ', "_");
    if path.starts_with("/rest/v1/") {
        // PostgREST's shape.
        json!({"code": "PGRST000", "details": null, "hint": null, "message": reason})
    } else if path.starts_with("/oauth/") {
        json!({"error": "server_error", "error_description": reason})
    } else if path.starts_with("/client/v4/") {
        json!({"success": false, "errors": [{"code": 10000, "message": reason}],
               "messages": [], "result": null})
    } else if path.starts_with("/v1/projects/") {
        json!({"message": reason})
    } else if path.starts_with("/v1/") {
        json!({"errors": [{"code": code, "message": reason, "long_message": reason}]})
    } else {
        json!({"error": {"code": code, "message": reason}})
    }
}

/// Middleware: holds every answer for `GOLIVE_SANDBOX_HTTP_DELAY_MS`, as a distant vendor
/// would (benchmarks only; zero by default).
pub async fn delay(req: Request, next: Next) -> Response {
    let pause = http_delay();
    if !pause.is_zero() {
        tokio::time::sleep(pause).await;
    }
    next.run(req).await
}

fn http_delay() -> Duration {
    millis_var("GOLIVE_SANDBOX_HTTP_DELAY_MS")
}

/// `GOLIVE_SANDBOX_DNS_DELAY_MS` slows every DNS answer, for benchmarks.
pub fn dns_delay() -> Duration {
    millis_var("GOLIVE_SANDBOX_DNS_DELAY_MS")
}

fn millis_var(name: &str) -> Duration {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .map(Duration::from_millis)
        .unwrap_or_default()
}
