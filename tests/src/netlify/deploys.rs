//! Builds and deploys, whose state moves with time (`enqueued` → `building` → `ready` or
//! `error`). A deploy bakes in the production publishable key (and webhook signing secret)
//! it was built with; the live site serves the newest ready one's when the scenario's app
//! is on Netlify.

use std::time::{Duration, Instant};

use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde_json::{json, Value};
use std::collections::HashMap;

use super::sites::{admin_url, SITE_NAME};
use super::{error, guard, now_ms, present, refused, rfc3339, NetlifySite, DAY_MS};
use crate::build::{phase, Phase};
use crate::scenario::{
    publishable_key, Shared, Webhooks, DEV_FRONTEND_API, DEV_WEBHOOK_SECRET, LIVE_WEBHOOK_SECRET,
    NETLIFY_SITE_ID,
};
use crate::vercel::env::{PK_VAR, WEBHOOK_VAR};
use crate::vercel::projects::Hosting;
use crate::DOMAIN;

pub fn routes() -> Router<Shared> {
    Router::new()
        .route("/api/v1/sites/{site}/deploys", get(deploys))
        .route("/api/v1/deploys/{id}", get(deploy))
        .route("/api/v1/sites/{site}/builds", post(build))
}

#[derive(Debug, Clone)]
pub struct Deploy {
    pub id: String,
    pub created_at: u64,
    pub started: Instant,
    pub fails: bool,
    pub publishable_key: String,
    pub webhook_secret: String,
}

impl Deploy {
    pub fn state(&self) -> &'static str {
        match phase(self.started, self.fails) {
            Phase::Queued => "enqueued",
            Phase::Building => "building",
            Phase::Failed => "error",
            Phase::Ready => "ready",
        }
    }
}

/// The deploys the site has when a scenario starts (at `now`).
pub(super) fn initial(state: Hosting, webhooks: Webhooks, now: u64) -> Vec<Deploy> {
    let (test_pk, live_pk) = (
        publishable_key(DEV_FRONTEND_API),
        publishable_key(&format!("clerk.{DOMAIN}")),
    );
    let built_live = matches!(
        state,
        Hosting::Done | Hosting::DeployError | Hosting::DomainUnverified
    );
    let webhook_secret = if built_live && webhooks != Webhooks::DevSecret {
        LIVE_WEBHOOK_SECRET
    } else {
        DEV_WEBHOOK_SECRET
    };
    let mut deploys = vec![Deploy {
        id: "6752f1e0c2d3b4a596877001".into(),
        created_at: now - DAY_MS,
        started: Instant::now() - Duration::from_secs(86_400),
        fails: false,
        publishable_key: if built_live { live_pk.clone() } else { test_pk },
        webhook_secret: webhook_secret.into(),
    }];
    if state == Hosting::DeployError {
        // The newest build failed; the one before still serves.
        deploys.push(Deploy {
            id: "6752f1e0c2d3b4a596877002".into(),
            created_at: now - 3_600_000,
            started: Instant::now() - Duration::from_secs(3_600),
            fails: true,
            publishable_key: live_pk,
            webhook_secret: webhook_secret.into(),
        });
    }
    deploys
}

impl NetlifySite {
    fn build(&mut self) -> Deploy {
        let n = self.next();
        let d = Deploy {
            id: format!("6752f1e0c2d3b4a59687{n:04}"),
            created_at: now_ms(),
            started: Instant::now(),
            fails: self.state == Hosting::DeployError,
            publishable_key: self.production_value(PK_VAR),
            webhook_secret: self.production_value(WEBHOOK_VAR),
        };
        self.deploys.push(d.clone());
        d
    }

    fn live(&self) -> Option<&Deploy> {
        self.deploys.iter().rev().find(|d| d.state() == "ready")
    }

    pub fn live_publishable_key(&self) -> String {
        self.live()
            .map(|d| d.publishable_key.clone())
            .unwrap_or_default()
    }

    pub fn live_webhook_secret(&self) -> String {
        self.live()
            .map(|d| d.webhook_secret.clone())
            .unwrap_or_default()
    }
}

pub(super) fn deploy_json(d: &Deploy) -> Value {
    let state = d.state();
    let at = rfc3339(d.created_at);
    present(json!({
        "id": d.id, "site_id": NETLIFY_SITE_ID, "build_id": format!("b{}", d.id), "state": state,
        "name": SITE_NAME, "url": format!("http://{DOMAIN}"), "ssl_url": format!("https://{DOMAIN}"),
        "admin_url": admin_url(), "deploy_url": format!("http://{}--{SITE_NAME}.netlify.app", d.id),
        "deploy_ssl_url": format!("https://{}--{SITE_NAME}.netlify.app", d.id),
        "error_message": if state == "error" { json!("Build script returned non-zero exit code: 2") } else { Value::Null },
        "branch": "main", "commit_ref": "9f2c1d0e8b7a6f5e4d3c2b1a0f9e8d7c6b5a4f3e", "context": "production",
        "skipped": false, "locked": false, "draft": false, "created_at": at, "updated_at": at,
        "published_at": if state == "ready" { json!(at) } else { Value::Null },
        "title": "Deploy from Golive", "framework": "next", "required": [], "required_functions": [],
    }))
}

async fn deploys(
    State(w): State<Shared>,
    headers: HeaderMap,
    Path(site): Path<String>,
    Query(q): Query<HashMap<String, String>>,
) -> Response {
    if let Some(denied) = guard(&headers, Some(&site), None) {
        return denied;
    }
    let per_page: usize = q
        .get("per_page")
        .and_then(|p| p.parse().ok())
        .unwrap_or(100);
    let w = w.lock().unwrap();
    // Every deploy here is a production one, newest first.
    let list: Vec<Value> = w
        .netlify
        .deploys
        .iter()
        .rev()
        .take(per_page)
        .map(deploy_json)
        .collect();
    Json(list).into_response()
}

async fn deploy(State(w): State<Shared>, headers: HeaderMap, Path(id): Path<String>) -> Response {
    if let Some(denied) = guard(&headers, None, None) {
        return denied;
    }
    match w
        .lock()
        .unwrap()
        .netlify
        .deploys
        .iter()
        .find(|d| d.id == id)
    {
        Some(d) => Json(deploy_json(d)).into_response(),
        None => error(StatusCode::NOT_FOUND, "Not Found"),
    }
}

async fn build(State(w): State<Shared>, headers: HeaderMap, Path(site): Path<String>) -> Response {
    if let Some(denied) = guard(&headers, Some(&site), None) {
        return denied;
    }
    let mut w = w.lock().unwrap();
    if !w.netlify.spend_write() {
        return refused();
    }
    let d = w.netlify.build();
    Json(
        json!({"id": format!("b{}", d.id), "deploy_id": d.id, "done": false,
               "created_at": rfc3339(d.created_at)}),
    )
    .into_response()
}
