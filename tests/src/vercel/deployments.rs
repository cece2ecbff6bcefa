//! The project's deployments, whose state moves with time (QUEUED → BUILDING → READY or
//! ERROR). A deployment bakes in the production publishable key it was built with; the
//! live-site fake serves the newest READY one's.

use std::time::{Duration, Instant};

use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde_json::{json, Value};

use super::projects::{Hosting, VercelProject};
use super::{creator, error, guard, now_ms, refused, DAY_MS, Q};
use crate::build::{phase, Phase};
use crate::scenario::{
    publishable_key, Shared, Webhooks, DEV_FRONTEND_API, DEV_WEBHOOK_SECRET, LIVE_WEBHOOK_SECRET,
    VERCEL_TEAM_ID,
};

pub fn routes() -> Router<Shared> {
    Router::new()
        .route("/v13/deployments", post(redeploy))
        .route("/v13/deployments/{id}", get(deployment))
        .route("/v6/deployments", get(deployments))
}

#[derive(Debug, Clone)]
pub struct Deployment {
    pub id: String,
    pub created_at: u64,
    pub started: Instant,
    pub fails: bool,
    /// The production publishable key the build baked in.
    pub publishable_key: String,
    /// The webhook signing secret the build's functions read.
    pub webhook_secret: String,
}

impl Deployment {
    pub fn state(&self) -> &'static str {
        match phase(self.started, self.fails) {
            Phase::Queued => "QUEUED",
            Phase::Building => "BUILDING",
            Phase::Failed => "ERROR",
            Phase::Ready => "READY",
        }
    }
}

/// The deployments the project has when a scenario starts (at `now`); a live build bakes in
/// `live_pk`.
pub(super) fn initial(
    state: Hosting,
    webhooks: Webhooks,
    live_pk: &str,
    now: u64,
) -> Vec<Deployment> {
    let (test_pk, live_pk) = (publishable_key(DEV_FRONTEND_API), live_pk.to_string());
    let built_live = matches!(
        state,
        Hosting::Done | Hosting::DeployError | Hosting::DomainUnverified
    );
    // The production secret from the same build as the live keys, unless production's env
    // held the development one.
    let webhook_secret = if built_live && webhooks != Webhooks::DevSecret {
        LIVE_WEBHOOK_SECRET
    } else {
        DEV_WEBHOOK_SECRET
    };
    let mut deployments = vec![Deployment {
        id: "dpl_sandboxFirst000000000001".into(),
        created_at: now - DAY_MS,
        started: Instant::now() - Duration::from_secs(86_400),
        fails: false,
        publishable_key: if built_live { live_pk.clone() } else { test_pk },
        webhook_secret: webhook_secret.into(),
    }];
    if state == Hosting::DeployError {
        // The newest build failed; the one before still serves.
        deployments.push(Deployment {
            id: "dpl_sandboxFailed00000000002".into(),
            created_at: now - 3_600_000,
            started: Instant::now() - Duration::from_secs(3_600),
            fails: true,
            publishable_key: live_pk,
            webhook_secret: webhook_secret.into(),
        });
    }
    deployments
}

impl VercelProject {
    pub fn redeploy(&mut self) -> Deployment {
        self.next_id += 1;
        let d = Deployment {
            id: format!("dpl_sandboxRedeploy{:010}", self.next_id),
            created_at: now_ms(),
            started: Instant::now(),
            fails: self.state == Hosting::DeployError,
            publishable_key: self.production_publishable_key(),
            webhook_secret: self.production_webhook_secret(),
        };
        self.deployments.push(d.clone());
        d
    }

    /// What the live site serves: the newest READY deployment's key.
    pub fn live_publishable_key(&self) -> String {
        self.live()
            .map(|d| d.publishable_key.clone())
            .unwrap_or_default()
    }

    /// The signing secret the live site's webhook route verifies with.
    pub fn live_webhook_secret(&self) -> String {
        self.live()
            .map(|d| d.webhook_secret.clone())
            .unwrap_or_default()
    }

    fn live(&self) -> Option<&Deployment> {
        self.deployments.iter().rev().find(|d| d.state() == "READY")
    }
}

/// The deployment of project `name` as `GET /v13/deployments/{id}` gives it (the spec's
/// shorter form).
fn deployment_json(d: &Deployment, name: &str) -> Value {
    let state = d.state();
    json!({
        "id": d.id, "url": format!("{name}-{}.vercel.app", &d.id[4..14].to_lowercase()),
        "name": name, "createdAt": d.created_at, "readyState": state, "status": state,
        "aliasAssigned": state == "READY", "bootedAt": d.created_at, "buildingAt": d.created_at,
        "buildSkipped": false, "creator": creator(), "public": false, "type": "LAMBDAS",
        "meta": {"action": "redeploy"}, "regions": ["iad1"], "version": 2, "target": "production",
        "inspectorUrl": format!("https://vercel.com/quillmate/{name}/{}", d.id),
        "errorMessage": if state == "ERROR" { json!("Command \"npm run build\" exited with 1") } else { Value::Null },
    })
}

/// The fuller form `POST /v13/deployments` answers with.
fn created_json(d: &Deployment, p: &VercelProject) -> Value {
    let mut v = deployment_json(d, p.name);
    let extra = json!({
        "build": {"env": []}, "env": [], "isInConcurrentBuildsQueue": false,
        "isInSystemBuildsQueue": false, "projectSettings": {}, "projectId": p.id,
        "plan": "hobby", "createdIn": "iad1", "ownerId": VERCEL_TEAM_ID, "routes": null
    });
    v.as_object_mut()
        .unwrap()
        .extend(extra.as_object().unwrap().clone());
    v
}

async fn redeploy(
    State(w): State<Shared>,
    headers: HeaderMap,
    Query(q): Q,
    Json(body): Json<Value>,
) -> Response {
    if let Some(denied) = guard(&headers, &q) {
        return denied;
    }
    let mut w = w.lock().unwrap();
    let from = body["deploymentId"].as_str().unwrap_or_default();
    let Some(p) = w
        .projects_mut()
        .find(|p| p.deployments.iter().any(|d| d.id == from))
    else {
        return error(StatusCode::NOT_FOUND, "not_found", "Deployment not found");
    };
    if !p.spend_write() {
        return refused();
    }
    let d = p.redeploy();
    Json(created_json(&d, p)).into_response()
}

async fn deployment(
    State(w): State<Shared>,
    headers: HeaderMap,
    Path(id): Path<String>,
    Query(q): Q,
) -> Response {
    if let Some(denied) = guard(&headers, &q) {
        return denied;
    }
    let w = w.lock().unwrap();
    let found = w.projects().find_map(|p| {
        p.deployments
            .iter()
            .find(|d| d.id == id)
            .map(|d| deployment_json(d, p.name))
    });
    match found {
        Some(d) => Json(d).into_response(),
        None => error(StatusCode::NOT_FOUND, "not_found", "Deployment not found"),
    }
}

async fn deployments(State(w): State<Shared>, headers: HeaderMap, Query(q): Q) -> Response {
    if let Some(denied) = guard(&headers, &q) {
        return denied;
    }
    let w = w.lock().unwrap();
    // The app's project's, unless `projectId` names another.
    let p = q
        .get("projectId")
        .and_then(|id| w.project(id))
        .unwrap_or(&w.vercel);
    let list: Vec<Value> = p.deployments.iter().rev().map(|d| {
        let full = deployment_json(d, p.name);
        json!({"uid": d.id, "name": p.name, "projectId": p.id,
               "url": full["url"], "created": d.created_at, "createdAt": d.created_at,
               "state": d.state(), "readyState": d.state(), "type": "LAMBDAS", "target": "production",
               "creator": creator(), "inspectorUrl": full["inspectorUrl"]})
    }).collect();
    Json(json!({"deployments": list, "pagination": {"count": list.len(), "next": null, "prev": null}})).into_response()
}
