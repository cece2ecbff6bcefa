//! Fake Render API (`/render/v1` here; `https://api.render.com/v1` for real), laid out as
//! golive-core's `vendors::render`: the service and its preview instance, its variables
//! (one flat set), its custom domains and their verification, and its deploys (shapes:
//! fixtures/specs/render.json, written from ../shared/vendor-specs/render-notes.md, as
//! Render publishes no OpenAPI document). The same hosting states as the Vercel fake
//! (`vercel::projects::Hosting`), on a Render service.
//!
//! Render has no deploy contexts, so "a test key shared by production and previews"
//! (`render-shared-key`) is a service that makes previews — each copies the service's
//! variables — with one preview instance holding the copied test keys.

pub mod deploys;
pub mod domains;
pub mod env;
pub mod services;

use std::collections::HashMap;

use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::{Json, Router};
use serde_json::{json, Value};

use crate::clerk::bearer;
use crate::scenario::{Shared, Webhooks, RENDER_API_KEY, RENDER_PREVIEW_ID, RENDER_SERVICE_ID};
use crate::vercel::projects::Hosting;

pub fn routes() -> Router<Shared> {
    Router::new()
        .merge(services::routes())
        .merge(env::routes())
        .merge(domains::routes())
        .merge(deploys::routes())
}

/// Render's error body (the schema's `error`).
fn error(status: StatusCode, message: &str) -> Response {
    (
        status,
        Json(json!({"id": status.canonical_reason().unwrap_or("error").to_lowercase().replace(' ', "_"), "message": message})),
    )
        .into_response()
}

/// The key must be the sandbox's; a service, if named, the sandbox's (or, while it makes
/// previews, its preview instance). Render answers 404 for another workspace's service.
fn guard(w: &RenderWorld, headers: &HeaderMap, service: Option<&str>) -> Option<Response> {
    if bearer(headers) != Some(RENDER_API_KEY) {
        return Some(error(StatusCode::UNAUTHORIZED, "unauthorized"));
    }
    let known = |s: &str| s == RENDER_SERVICE_ID || (s == RENDER_PREVIEW_ID && w.preview.is_some());
    if service.is_some_and(|s| !known(s)) {
        return Some(error(StatusCode::NOT_FOUND, "service not found"));
    }
    None
}

/// A write the interruption tests refuse, as if the connection dropped before it landed.
fn refused() -> Response {
    error(StatusCode::SERVICE_UNAVAILABLE, "service unavailable")
}

/// A page of a cursor-paged list: the items after `cursor`, at most `limit`, each wrapped
/// as `{<field>: item, cursor}`.
fn page(items: Vec<(String, Value)>, field: &str, q: &HashMap<String, String>) -> Value {
    let limit: usize = q.get("limit").and_then(|l| l.parse().ok()).unwrap_or(20);
    let start = q
        .get("cursor")
        .and_then(|c| items.iter().position(|(id, _)| id == c).map(|i| i + 1))
        .unwrap_or(0);
    Value::Array(
        items
            .into_iter()
            .skip(start)
            .take(limit)
            .map(|(cursor, item)| json!({ field: item, "cursor": cursor }))
            .collect(),
    )
}

/// The sandbox's Render service: how it stands when a scenario starts, and what it is now.
#[derive(Debug, Clone)]
pub struct RenderWorld {
    pub state: Hosting,
    /// `off`, or `automatic` when the service makes previews.
    pub previews: &'static str,
    pub domains: Vec<domains::Domain>,
    /// The service's variables, in the order they were added.
    pub vars: Vec<(String, String)>,
    /// The preview instance's variables (copied from the service when it was made).
    pub preview: Option<Vec<(String, String)>>,
    pub deploys: Vec<deploys::Deploy>,
    /// Writes still allowed before the fake refuses (for interruption tests); `None`: all.
    pub write_budget: Option<u32>,
    pub next_id: u32,
}

impl RenderWorld {
    pub fn new(state: Hosting, webhooks: Webhooks) -> RenderWorld {
        let now = crate::netlify::now_ms();
        let vars = env::initial(state, webhooks, now);
        let shared = state == Hosting::SharedTargets;
        RenderWorld {
            state,
            previews: if shared { "automatic" } else { "off" },
            domains: domains::initial(state),
            preview: shared.then(|| vars.clone()),
            vars,
            deploys: deploys::initial(state, webhooks, now),
            write_budget: None,
            next_id: 100,
        }
    }

    /// Spends one write; `false` when the budget is exhausted (the write must not happen).
    pub fn spend_write(&mut self) -> bool {
        match &mut self.write_budget {
            Some(0) => false,
            Some(n) => {
                *n -= 1;
                true
            }
            None => true,
        }
    }

    fn next(&mut self) -> u32 {
        self.next_id += 1;
        self.next_id
    }

    /// The service's value of `key`.
    pub fn value(&self, key: &str) -> Option<&str> {
        self.vars
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
    }
}
