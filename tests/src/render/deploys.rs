//! Deploys, whose status moves with time (`created` → `build_in_progress` →
//! `update_in_progress` → `live`, or `build_failed`); a live deploy is `deactivated` once a
//! newer one is live. A deploy bakes in the publishable key (and webhook signing secret) the
//! service had when it was made; the live site serves the live deploy's when the scenario's
//! app is on Render.

use std::collections::HashMap;
use std::time::{Duration, Instant};

use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use serde_json::{json, Value};

use super::{error, guard, page, refused, RenderWorld};
use crate::netlify::{now_ms, rfc3339, DAY_MS};
use crate::scenario::{
    publishable_key, Shared, Webhooks, DEV_FRONTEND_API, DEV_WEBHOOK_SECRET, LIVE_WEBHOOK_SECRET,
};
use crate::vercel::env::{PK_VAR, WEBHOOK_VAR};
use crate::vercel::projects::Hosting;
use crate::DOMAIN;

pub fn routes() -> Router<Shared> {
    Router::new()
        .route(
            "/render/v1/services/{service}/deploys",
            get(list).post(create),
        )
        .route("/render/v1/services/{service}/deploys/{id}", get(one))
}

/// How long a deploy takes in the sandbox.
const QUEUED_FOR: Duration = Duration::from_millis(300);
const BUILD_TAKES: Duration = Duration::from_millis(900);
const UPDATE_TAKES: Duration = Duration::from_millis(1300);

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
    /// Its status by time alone (before a newer live one deactivates it).
    fn own_status(&self) -> &'static str {
        let t = self.started.elapsed();
        if t < QUEUED_FOR {
            "created"
        } else if t < BUILD_TAKES {
            "build_in_progress"
        } else if self.fails {
            "build_failed"
        } else if t < UPDATE_TAKES {
            "update_in_progress"
        } else {
            "live"
        }
    }

    fn finished(&self) -> bool {
        matches!(self.own_status(), "live" | "build_failed")
    }
}

impl RenderWorld {
    fn status(&self, i: usize) -> &'static str {
        let own = self.deploys[i].own_status();
        let newer_live = self.deploys[i + 1..]
            .iter()
            .any(|d| d.own_status() == "live");
        if own == "live" && newer_live {
            "deactivated"
        } else {
            own
        }
    }

    fn live(&self) -> Option<&Deploy> {
        self.deploys.iter().rev().find(|d| d.own_status() == "live")
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

    fn deploy_json(&self, i: usize) -> Value {
        let d = &self.deploys[i];
        let status = self.status(i);
        let at = rfc3339(d.created_at);
        let mut v = json!({
            "id": d.id, "status": status, "trigger": "api",
            "commit": {"id": "9f2c1d0e8b7a6f5e4d3c2b1a0f9e8d7c6b5a4f3e", "message": "Launch", "createdAt": at},
            "createdAt": at, "updatedAt": at, "startedAt": at,
        });
        if matches!(status, "live" | "build_failed" | "deactivated") {
            v["finishedAt"] = json!(at);
        }
        v
    }
}

/// The deploys the service has when a scenario starts (at `now`), oldest first.
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
        id: "dep-d0sandboxquill000001".into(),
        created_at: now - DAY_MS,
        started: Instant::now() - Duration::from_secs(86_400),
        fails: false,
        publishable_key: if built_live { live_pk.clone() } else { test_pk },
        webhook_secret: webhook_secret.into(),
    }];
    if state == Hosting::DeployError {
        // The newest deploy's build failed; the one before still serves.
        deploys.push(Deploy {
            id: "dep-d0sandboxquill000002".into(),
            created_at: now - 3_600_000,
            started: Instant::now() - Duration::from_secs(3_600),
            fails: true,
            publishable_key: live_pk,
            webhook_secret: webhook_secret.into(),
        });
    }
    deploys
}

type Q = Query<HashMap<String, String>>;

/// Newest first, as Render lists them.
async fn list(
    State(w): State<Shared>,
    headers: HeaderMap,
    Path(service): Path<String>,
    Query(q): Q,
) -> Response {
    let w = w.lock().unwrap();
    if let Some(denied) = guard(&w.render, &headers, Some(&service)) {
        return denied;
    }
    let r = &w.render;
    let items = (0..r.deploys.len())
        .rev()
        .map(|i| (r.deploys[i].id.clone(), r.deploy_json(i)))
        .collect();
    Json(page(items, "deploy", &q)).into_response()
}

async fn one(
    State(w): State<Shared>,
    headers: HeaderMap,
    Path((service, id)): Path<(String, String)>,
) -> Response {
    let w = w.lock().unwrap();
    if let Some(denied) = guard(&w.render, &headers, Some(&service)) {
        return denied;
    }
    match w.render.deploys.iter().position(|d| d.id == id) {
        Some(i) => Json(w.render.deploy_json(i)).into_response(),
        None => error(StatusCode::NOT_FOUND, "deploy not found"),
    }
}

/// A deploy of the branch's latest commit with the service's variables as they are now.
/// While another deploy is unfinished, Render queues it and answers 202 without a body.
async fn create(
    State(w): State<Shared>,
    headers: HeaderMap,
    Path(service): Path<String>,
) -> Response {
    let mut w = w.lock().unwrap();
    if let Some(denied) = guard(&w.render, &headers, Some(&service)) {
        return denied;
    }
    let r = &mut w.render;
    if !r.spend_write() {
        return refused();
    }
    let queued = r.deploys.iter().any(|d| !d.finished());
    let n = r.next();
    r.deploys.push(Deploy {
        id: format!("dep-d0sandboxquill{n:06}"),
        created_at: now_ms(),
        started: Instant::now(),
        fails: r.state == Hosting::DeployError,
        publishable_key: r.value(PK_VAR).unwrap_or_default().to_string(),
        webhook_secret: r.value(WEBHOOK_VAR).unwrap_or_default().to_string(),
    });
    if queued {
        return StatusCode::ACCEPTED.into_response();
    }
    let i = r.deploys.len() - 1;
    (StatusCode::CREATED, Json(r.deploy_json(i))).into_response()
}
