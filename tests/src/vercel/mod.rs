//! Fake Vercel REST API, laid out as golive-core's `vendors::vercel`: projects, domains,
//! environment variables, deployments and Vercel DNS (shapes: fixtures/specs/vercel.json, cut
//! from Vercel's OpenAPI spec).

pub mod deployments;
pub mod dns;
pub mod domains;
pub mod env;
pub mod projects;

use std::collections::HashMap;
use std::time::{SystemTime, UNIX_EPOCH};

use axum::extract::Query;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::{Json, Router};
use serde_json::{json, Value};

use crate::clerk::bearer;
use crate::scenario::{Shared, World, VERCEL_TEAM_ID, VERCEL_TOKEN};

pub fn routes() -> Router<Shared> {
    Router::new()
        .merge(projects::routes())
        .merge(domains::routes())
        .merge(env::routes())
        .merge(deployments::routes())
        .merge(dns::routes())
}

/// The query string every endpoint reads (`teamId` and its own parameters).
type Q = Query<HashMap<String, String>>;

fn error(status: StatusCode, code: &str, message: &str) -> Response {
    (
        status,
        Json(json!({"error": {"code": code, "message": message}})),
    )
        .into_response()
}

/// The token must be the sandbox's; a team, if named, must be its team.
fn guard(headers: &HeaderMap, q: &HashMap<String, String>) -> Option<Response> {
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

/// As `guard`, for a path naming a project the token sees (by id or name).
fn guard_project(
    world: &World,
    headers: &HeaderMap,
    q: &HashMap<String, String>,
    project: &str,
) -> Option<Response> {
    guard(headers, q).or_else(|| {
        world
            .project(project)
            .is_none()
            .then(|| error(StatusCode::NOT_FOUND, "not_found", "Project not found"))
    })
}

/// A write the interruption tests refuse, as if the connection dropped before it landed.
fn refused() -> Response {
    error(
        StatusCode::SERVICE_UNAVAILABLE,
        "internal_server_error",
        "An unexpected error occurred",
    )
}

fn creator() -> Value {
    json!({"uid": "usr_sandbox", "username": "quillmate", "email": "dev@quillmate.test"})
}

fn now_ms() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_millis() as u64
}

const DAY_MS: u64 = 86_400_000;
