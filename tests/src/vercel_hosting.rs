//! Fake Vercel REST API, the hosting half: the project, its domain, its environment
//! variables and its deployments (shapes: fixtures/specs/vercel.json).

use std::collections::HashMap;

use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, patch, post};
use axum::{Json, Router};
use serde_json::{json, Value};

use crate::hosting::{Deployment, Env, VercelProject};
use crate::scenario::{Shared, VERCEL_PROJECT_ID, VERCEL_TEAM_ID};
use crate::vercel::{error, guard};
use crate::DOMAIN;

pub fn routes() -> Router<Shared> {
    Router::new()
        .route("/v9/projects/{project}", get(project))
        .route("/v9/projects/{project}/domains/{domain}", get(domain))
        .route("/v10/projects/{project}/domains", post(add_domain))
        .route(
            "/v9/projects/{project}/domains/{domain}/verify",
            post(verify),
        )
        .route(
            "/v10/projects/{project}/env",
            get(list_env).post(create_env),
        )
        .route("/v9/projects/{project}/env/{id}", patch(edit_env))
        .route("/v13/deployments", post(redeploy))
        .route("/v13/deployments/{id}", get(deployment))
        .route("/v6/deployments", get(deployments))
}

type Q = Query<HashMap<String, String>>;

fn check(headers: &HeaderMap, q: &HashMap<String, String>, project: &str) -> Option<Response> {
    guard(headers, q).or_else(|| {
        (project != VERCEL_PROJECT_ID && project != "quillmate")
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

/// The deployment as `GET /v13/deployments/{id}` gives it (the spec's shorter form).
fn deployment_json(d: &Deployment) -> Value {
    let state = d.state();
    json!({
        "id": d.id, "url": format!("quillmate-{}.vercel.app", &d.id[4..14].to_lowercase()),
        "name": "quillmate", "createdAt": d.created_at, "readyState": state, "status": state,
        "aliasAssigned": state == "READY", "bootedAt": d.created_at, "buildingAt": d.created_at,
        "buildSkipped": false, "creator": creator(), "public": false, "type": "LAMBDAS",
        "meta": {"action": "redeploy"}, "regions": ["iad1"], "version": 2, "target": "production",
        "inspectorUrl": format!("https://vercel.com/quillmate/quillmate/{}", d.id),
        "errorMessage": if state == "ERROR" { json!("Command \"npm run build\" exited with 1") } else { Value::Null },
    })
}

/// The fuller form `POST /v13/deployments` answers with.
fn created_json(d: &Deployment) -> Value {
    let mut v = deployment_json(d);
    let extra = json!({
        "build": {"env": []}, "env": [], "isInConcurrentBuildsQueue": false,
        "isInSystemBuildsQueue": false, "projectSettings": {}, "projectId": VERCEL_PROJECT_ID,
        "plan": "hobby", "createdIn": "iad1", "ownerId": VERCEL_TEAM_ID, "routes": null
    });
    v.as_object_mut()
        .unwrap()
        .extend(extra.as_object().unwrap().clone());
    v
}

fn domain_json(p: &VercelProject) -> Value {
    let mut d = json!({"name": DOMAIN, "apexName": DOMAIN, "projectId": VERCEL_PROJECT_ID,
                       "verified": p.domain_verified, "createdAt": 1_764_000_000_000u64});
    if !p.domain_verified {
        d["verification"] = json!([{"type": "TXT", "domain": format!("_vercel.{DOMAIN}"),
            "value": "vc-domain-verify=quillmate.test,9b1f0c2d3e4f5a6b7c8d",
            "reason": "pending_domain_verification"}]);
    }
    d
}

fn env_json(e: &Env) -> Value {
    // Sensitive values never come back.
    let value = if e.kind == "sensitive" {
        ""
    } else {
        e.value.as_str()
    };
    json!({"id": e.id, "key": e.key, "value": value, "type": e.kind, "target": e.target,
           "comment": e.comment.clone().unwrap_or_default(), "createdAt": e.updated_at,
           "updatedAt": e.updated_at, "decrypted": e.kind != "sensitive"})
}

async fn project(
    State(w): State<Shared>,
    headers: HeaderMap,
    Path(project): Path<String>,
    Query(q): Q,
) -> Response {
    if let Some(denied) = check(&headers, &q, &project) {
        return denied;
    }
    let w = w.lock().unwrap();
    let latest = w.vercel.deployments.last().unwrap();
    Json(json!({
        "accountId": VERCEL_TEAM_ID, "id": VERCEL_PROJECT_ID, "name": "quillmate",
        "framework": "nextjs", "nodeVersion": "22.x", "directoryListing": false,
        "resourceConfig": {"functionDefaultRegions": ["iad1"]},
        "defaultResourceConfig": {"functionDefaultRegions": ["iad1"]},
        "targets": {"production": {
            "id": latest.id, "createdAt": latest.created_at, "createdIn": "iad1",
            "creator": creator(), "deploymentHostname": "quillmate", "name": "quillmate",
            "plan": "hobby", "private": true, "readyState": latest.state(), "type": "LAMBDAS",
            "url": format!("quillmate-{}.vercel.app", &latest.id[4..14].to_lowercase()),
            "userId": "usr_sandbox"
        }}
    }))
    .into_response()
}

async fn domain(
    State(w): State<Shared>,
    headers: HeaderMap,
    Path((project, name)): Path<(String, String)>,
    Query(q): Q,
) -> Response {
    if let Some(denied) = check(&headers, &q, &project) {
        return denied;
    }
    let w = w.lock().unwrap();
    if name != DOMAIN || !w.vercel.domain_added {
        return error(
            StatusCode::NOT_FOUND,
            "not_found",
            "The project domain was not found",
        );
    }
    Json(domain_json(&w.vercel)).into_response()
}

async fn add_domain(
    State(w): State<Shared>,
    headers: HeaderMap,
    Path(project): Path<String>,
    Query(q): Q,
    Json(body): Json<Value>,
) -> Response {
    if let Some(denied) = check(&headers, &q, &project) {
        return denied;
    }
    let mut w = w.lock().unwrap();
    if body["name"] != DOMAIN {
        return error(
            StatusCode::CONFLICT,
            "domain_already_in_use",
            &format!(
                "Cannot add {} since it's already assigned to another project.",
                body["name"]
            ),
        );
    }
    if !w.vercel.spend_write() {
        return refused();
    }
    w.vercel.domain_added = true;
    Json(domain_json(&w.vercel)).into_response()
}

async fn verify(
    State(w): State<Shared>,
    headers: HeaderMap,
    Path((project, _)): Path<(String, String)>,
    Query(q): Q,
) -> Response {
    if let Some(denied) = check(&headers, &q, &project) {
        return denied;
    }
    let mut w = w.lock().unwrap();
    if !w.vercel.spend_write() {
        return refused();
    }
    // The user has added the TXT record by now.
    w.vercel.domain_verified = true;
    Json(domain_json(&w.vercel)).into_response()
}

async fn list_env(
    State(w): State<Shared>,
    headers: HeaderMap,
    Path(project): Path<String>,
    Query(q): Q,
) -> Response {
    if let Some(denied) = check(&headers, &q, &project) {
        return denied;
    }
    let envs: Vec<Value> = w.lock().unwrap().vercel.envs.iter().map(env_json).collect();
    Json(json!({ "envs": envs })).into_response()
}

fn overlaps(envs: &[Env], key: &str, target: &[String], except: Option<&str>) -> bool {
    envs.iter()
        .filter(|e| e.key == key && Some(e.id.as_str()) != except)
        .any(|e| e.target.iter().any(|t| target.contains(t)))
}

fn strings(v: &Value) -> Vec<String> {
    v.as_array()
        .into_iter()
        .flatten()
        .filter_map(|t| t.as_str().map(str::to_string))
        .collect()
}

async fn create_env(
    State(w): State<Shared>,
    headers: HeaderMap,
    Path(project): Path<String>,
    Query(q): Q,
    Json(body): Json<Value>,
) -> Response {
    if let Some(denied) = check(&headers, &q, &project) {
        return denied;
    }
    let mut w = w.lock().unwrap();
    let (key, target) = (
        body["key"].as_str().unwrap_or_default().to_string(),
        strings(&body["target"]),
    );
    if overlaps(&w.vercel.envs, &key, &target, None) {
        // As Vercel: a 201 whose `failed` names the variable.
        return (StatusCode::CREATED, Json(json!({"created": [], "failed": [{"error": {
            "code": "ENV_CONFLICT", "message": format!("A variable with the name `{key}` already exists for the target {}", target.join(",")),
            "key": key, "envVarKey": key, "target": target}}]}))).into_response();
    }
    if !w.vercel.spend_write() {
        return refused();
    }
    w.vercel.next_id += 1;
    let e = Env {
        id: format!("env_sandbox{:04}", w.vercel.next_id),
        key,
        value: body["value"].as_str().unwrap_or_default().into(),
        kind: body["type"].as_str().unwrap_or("encrypted").into(),
        target,
        comment: body["comment"].as_str().map(str::to_string),
        updated_at: crate::hosting::now_ms(),
    };
    w.vercel.envs.push(e.clone());
    (
        StatusCode::CREATED,
        Json(json!({"created": env_json(&e), "failed": []})),
    )
        .into_response()
}

async fn edit_env(
    State(w): State<Shared>,
    headers: HeaderMap,
    Path((project, id)): Path<(String, String)>,
    Query(q): Q,
    Json(body): Json<Value>,
) -> Response {
    if let Some(denied) = check(&headers, &q, &project) {
        return denied;
    }
    let mut w = w.lock().unwrap();
    let Some(i) = w.vercel.envs.iter().position(|e| e.id == id) else {
        return error(
            StatusCode::NOT_FOUND,
            "not_found",
            "Environment variable not found",
        );
    };
    let target = if body.get("target").is_some() {
        strings(&body["target"])
    } else {
        w.vercel.envs[i].target.clone()
    };
    let key = w.vercel.envs[i].key.clone();
    if overlaps(&w.vercel.envs, &key, &target, Some(&id)) {
        return error(
            StatusCode::BAD_REQUEST,
            "env_conflict",
            "A variable with this name already exists for that target",
        );
    }
    if !w.vercel.spend_write() {
        return refused();
    }
    let e = &mut w.vercel.envs[i];
    e.target = target;
    if let Some(v) = body["value"].as_str() {
        e.value = v.into();
    }
    if let Some(c) = body["comment"].as_str() {
        e.comment = Some(c.into());
    }
    e.updated_at = crate::hosting::now_ms();
    Json(env_json(e)).into_response()
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
    if !w.vercel.deployments.iter().any(|d| d.id == from) {
        return error(StatusCode::NOT_FOUND, "not_found", "Deployment not found");
    }
    if !w.vercel.spend_write() {
        return refused();
    }
    let d = w.vercel.redeploy();
    Json(created_json(&d)).into_response()
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
    match w
        .lock()
        .unwrap()
        .vercel
        .deployments
        .iter()
        .find(|d| d.id == id)
    {
        Some(d) => Json(deployment_json(d)).into_response(),
        None => error(StatusCode::NOT_FOUND, "not_found", "Deployment not found"),
    }
}

async fn deployments(State(w): State<Shared>, headers: HeaderMap, Query(q): Q) -> Response {
    if let Some(denied) = guard(&headers, &q) {
        return denied;
    }
    let w = w.lock().unwrap();
    let list: Vec<Value> = w.vercel.deployments.iter().rev().map(|d| {
        json!({"uid": d.id, "name": "quillmate", "projectId": VERCEL_PROJECT_ID,
               "url": deployment_json(d)["url"], "created": d.created_at, "createdAt": d.created_at,
               "state": d.state(), "readyState": d.state(), "type": "LAMBDAS", "target": "production",
               "creator": creator(), "inspectorUrl": deployment_json(d)["inspectorUrl"]})
    }).collect();
    Json(json!({"deployments": list, "pagination": {"count": list.len(), "next": null, "prev": null}})).into_response()
}
