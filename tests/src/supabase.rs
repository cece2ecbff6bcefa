//! Fake Supabase Management API: a project's third-party auth integrations, listed and
//! added (shapes: fixtures/specs/supabase-third-party-auth.json). The project's own Data
//! API is in `rest`.

pub mod rest;

use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use serde_json::{json, Value};

use crate::clerk::bearer;
use crate::scenario::{Scenario, Shared, DEV_ISSUER, SUPABASE_REF, SUPABASE_TOKEN};

pub fn routes() -> Router<Shared> {
    Router::new()
        .route(
            "/v1/projects/{project_ref}/config/auth/third-party-auth",
            get(list).post(add),
        )
        .merge(rest::routes())
}

pub fn integration(id: &str, issuer: &str) -> Value {
    json!({
        "id": id,
        "type": "clerk",
        "oidc_issuer_url": issuer,
        "jwks_url": format!("{issuer}/.well-known/jwks.json"),
        "custom_jwks": null,
        "resolved_jwks": {"keys": []},
        "inserted_at": "2026-10-01T12:00:00Z",
        "updated_at": "2026-10-01T12:00:00Z",
        "resolved_at": "2026-10-01T12:00:00Z"
    })
}

pub fn initial_integrations(s: &Scenario) -> Vec<Value> {
    let mut list = vec![integration(
        "8c1f0b9e-0000-4000-8000-000000000001",
        DEV_ISSUER,
    )];
    if s.supabase_trusts_production {
        list.push(integration(
            "8c1f0b9e-0000-4000-8000-000000000002",
            &format!("https://{}", s.layout.frontend_api()),
        ));
    }
    list
}

fn error(status: StatusCode, message: &str) -> Response {
    (status, Json(json!({"message": message}))).into_response()
}

fn guard(headers: &HeaderMap, project_ref: &str) -> Option<Response> {
    if bearer(headers) != Some(SUPABASE_TOKEN) {
        return Some(error(StatusCode::UNAUTHORIZED, "Unauthorized"));
    }
    if project_ref != SUPABASE_REF {
        return Some(error(StatusCode::NOT_FOUND, "Project not found"));
    }
    None
}

async fn list(
    State(w): State<Shared>,
    headers: HeaderMap,
    Path(project_ref): Path<String>,
) -> Response {
    if let Some(r) = guard(&headers, &project_ref) {
        return r;
    }
    Json(Value::Array(w.lock().unwrap().supabase.clone())).into_response()
}

async fn add(
    State(w): State<Shared>,
    headers: HeaderMap,
    Path(project_ref): Path<String>,
    Json(body): Json<Value>,
) -> Response {
    if let Some(r) = guard(&headers, &project_ref) {
        return r;
    }
    let Some(issuer) = body["oidc_issuer_url"].as_str() else {
        return error(
            StatusCode::BAD_REQUEST,
            "oidc_issuer_url, jwks_url or custom_jwks is required",
        );
    };
    let mut world = w.lock().unwrap();
    let id = format!("8c1f0b9e-0000-4000-8000-{:012}", world.supabase.len() + 1);
    let created = integration(&id, issuer);
    world.supabase.push(created.clone());
    (StatusCode::CREATED, Json(created)).into_response()
}
