//! The service, its preview instance (while it makes previews), and the services the key
//! sees for the picker: two of its workspace's, none of another's.

use std::collections::HashMap;

use axum::extract::{Path, Query, State};
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use serde_json::{json, Value};

use super::{guard, page, RenderWorld};
use crate::netlify::rfc3339;
use crate::scenario::{Shared, RENDER_OWNER, RENDER_PREVIEW_ID, RENDER_SERVICE_ID};

pub fn routes() -> Router<Shared> {
    Router::new()
        .route("/render/v1/services", get(services))
        .route("/render/v1/services/{service}", get(service))
}

pub const SERVICE_NAME: &str = "quillmate";

pub fn dashboard_url(id: &str) -> String {
    format!("https://dashboard.render.com/web/{id}")
}

fn service_json(id: &str, name: &str, kind: &str, details: Value) -> Value {
    json!({
        "id": id, "name": name, "slug": name, "ownerId": RENDER_OWNER, "type": kind,
        "createdAt": rfc3339(1_764_000_000_000), "updatedAt": rfc3339(1_764_000_000_000),
        "dashboardUrl": dashboard_url(id), "autoDeploy": "yes", "branch": "main",
        "repo": "https://github.com/quillmate/quillmate", "rootDir": "",
        "suspended": "not_suspended", "suspenders": [], "notifyOnFail": "default",
        "serviceDetails": details,
    })
}

fn web_details(name: &str, previews: &str, parent: Option<Value>) -> Value {
    let mut d = json!({
        "url": format!("https://{name}.onrender.com"), "region": "frankfurt", "plan": "starter",
        "runtime": "node", "numInstances": 1, "previews": {"generation": previews},
        "env": "node", "healthCheckPath": "", "pullRequestPreviewsEnabled": if previews == "off" { "no" } else { "yes" },
        "openPorts": [{"port": 10000, "protocol": "TCP"}],
        "envSpecificDetails": {"buildCommand": "npm ci && npm run build", "startCommand": "npm start"},
    });
    if let Some(p) = parent {
        d["parentServer"] = p;
    }
    d
}

pub(super) fn ours(w: &RenderWorld) -> Value {
    service_json(
        RENDER_SERVICE_ID,
        SERVICE_NAME,
        "web_service",
        web_details(SERVICE_NAME, w.previews, None),
    )
}

fn preview() -> Value {
    let name = format!("{SERVICE_NAME}-pr-7");
    service_json(
        RENDER_PREVIEW_ID,
        &name,
        "web_service",
        web_details(
            &name,
            "off",
            Some(json!({"id": RENDER_SERVICE_ID, "name": SERVICE_NAME})),
        ),
    )
}

/// The key's services, by cursor; previews only when asked for, by owner when asked.
async fn services(
    State(w): State<Shared>,
    headers: HeaderMap,
    Query(q): Query<HashMap<String, String>>,
) -> Response {
    let w = w.lock().unwrap();
    if let Some(denied) = guard(&w.render, &headers, None) {
        return denied;
    }
    let docs = service_json(
        "srv-d0sandboxquilldocs0",
        "quillmate-docs",
        "static_site",
        json!({"url": "https://quillmate-docs.onrender.com", "buildCommand": "npm run docs",
               "publishPath": "dist", "previews": {"generation": "off"}}),
    );
    let mut all = vec![ours(&w.render), docs];
    if w.render.preview.is_some() && q.get("includePreviews").map(String::as_str) == Some("true") {
        all.push(preview());
    }
    let items: Vec<(String, Value)> = all
        .into_iter()
        .filter(|s| q.get("ownerId").is_none_or(|o| s["ownerId"] == o.as_str()))
        .map(|s| (s["id"].as_str().unwrap().to_string(), s))
        .collect();
    Json(page(items, "service", &q)).into_response()
}

async fn service(
    State(w): State<Shared>,
    headers: HeaderMap,
    Path(service): Path<String>,
) -> Response {
    let w = w.lock().unwrap();
    if let Some(denied) = guard(&w.render, &headers, Some(&service)) {
        return denied;
    }
    if service == RENDER_PREVIEW_ID {
        return Json(preview()).into_response();
    }
    Json(ours(&w.render)).into_response()
}
