//! The project's environment variables: the Clerk keys and webhook signing secrets each
//! scenario starts with, listing, creating and editing them.

use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, patch};
use axum::{Json, Router};
use serde_json::{json, Value};

use super::projects::{Hosting, VercelProject};
use super::{error, guard_project, now_ms, refused, DAY_MS, Q};
use crate::scenario::{
    publishable_key, Layout, Shared, Webhooks, DEV_FRONTEND_API, DEV_SECRET_KEY,
    DEV_WEBHOOK_SECRET, LIVE_SECRET_KEY, LIVE_WEBHOOK_SECRET, SATELLITE_DOMAIN,
};

pub fn routes() -> Router<Shared> {
    Router::new()
        .route(
            "/v10/projects/{project}/env",
            get(list_env).post(create_env),
        )
        .route("/v9/projects/{project}/env/{id}", patch(edit_env))
}

pub const PK_VAR: &str = "NEXT_PUBLIC_CLERK_PUBLISHABLE_KEY";
pub const SK_VAR: &str = "CLERK_SECRET_KEY";
pub const WEBHOOK_VAR: &str = "CLERK_WEBHOOK_SIGNING_SECRET";
/// The proxy layouts' variable (clerk-docs proxy-fapi.mdx), and the satellite's (its
/// satellite-domains.mdx).
pub const PROXY_URL_VAR: &str = "NEXT_PUBLIC_CLERK_PROXY_URL";
pub const IS_SATELLITE_VAR: &str = "NEXT_PUBLIC_CLERK_IS_SATELLITE";
pub const DOMAIN_VAR: &str = "NEXT_PUBLIC_CLERK_DOMAIN";
pub const SIGN_IN_URL_VAR: &str = "NEXT_PUBLIC_CLERK_SIGN_IN_URL";
pub const SIGN_UP_URL_VAR: &str = "NEXT_PUBLIC_CLERK_SIGN_UP_URL";

/// What Golive writes as a comment on what it sets (see golive-core's `steps::hosting`).
fn marker(frontend_api: &str) -> String {
    format!("Clerk production key for {frontend_api}, set by Golive")
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Env {
    pub id: String,
    pub key: String,
    pub value: String,
    pub kind: String,
    pub target: Vec<String>,
    pub comment: Option<String>,
    pub updated_at: u64,
}

/// A variable; `live` ones carry Golive's marker for the layout's Frontend API.
fn env(
    id: u32,
    key: &str,
    value: &str,
    kind: &str,
    target: &[&str],
    live: Option<&str>,
    at: u64,
) -> Env {
    Env {
        id: format!("env_sandbox{id:04}"),
        key: key.into(),
        value: value.into(),
        kind: kind.into(),
        target: target.iter().map(|t| t.to_string()).collect(),
        comment: live.map(marker),
        updated_at: at,
    }
}

/// What Golive writes as a comment on the webhook secret it sets (see golive-core's
/// `env_plan::webhook_marker`).
fn webhook_marker(frontend_api: &str) -> String {
    let last4 = &LIVE_WEBHOOK_SECRET[LIVE_WEBHOOK_SECRET.len() - 4..];
    format!("Clerk webhook signing secret for {frontend_api} (ends in …{last4}), set by Golive")
}

/// The variables the project has when a scenario starts (at `now`); behind a proxy,
/// production's build also names the proxy URL.
pub(super) fn initial(state: Hosting, webhooks: Webhooks, layout: Layout, now: u64) -> Vec<Env> {
    let mut envs = clerk_keys(state, layout.frontend_api(), now);
    envs.extend(webhook_secrets(state, webhooks, layout.frontend_api(), now));
    if let Some(url) = layout.proxy_url() {
        envs.push(env(
            7,
            PROXY_URL_VAR,
            url,
            "encrypted",
            &["production"],
            None,
            now - 2 * DAY_MS,
        ));
    }
    envs
}

/// The satellite project's variables (clerk-docs satellite-domains.mdx): the live keys and
/// the satellite settings for production — without `…_IS_SATELLITE` in
/// `satellite-missing-record` — and the test keys for previews and development.
pub(super) fn satellite(layout: Layout, now: u64) -> Vec<Env> {
    let at = now - 2 * DAY_MS;
    let primary = format!("https://{}", layout.app_domain());
    let (live_pk, test_pk) = (
        publishable_key(layout.frontend_api()),
        publishable_key(DEV_FRONTEND_API),
    );
    let (prod, others) = (["production"], ["preview", "development"]);
    let live = Some(layout.frontend_api());
    let mut envs = vec![
        env(1, PK_VAR, &live_pk, "encrypted", &prod, live, at),
        env(2, SK_VAR, LIVE_SECRET_KEY, "sensitive", &prod, live, at),
        env(3, PK_VAR, &test_pk, "encrypted", &others, None, at),
        env(4, SK_VAR, DEV_SECRET_KEY, "sensitive", &others, None, at),
        env(
            5,
            DOMAIN_VAR,
            SATELLITE_DOMAIN,
            "encrypted",
            &prod,
            None,
            at,
        ),
        env(
            6,
            SIGN_IN_URL_VAR,
            &format!("{primary}/sign-in"),
            "encrypted",
            &prod,
            None,
            at,
        ),
        env(
            7,
            SIGN_UP_URL_VAR,
            &format!("{primary}/sign-up"),
            "encrypted",
            &prod,
            None,
            at,
        ),
    ];
    if layout.satellite_record() {
        envs.push(env(
            8,
            IS_SATELLITE_VAR,
            "true",
            "encrypted",
            &prod,
            None,
            at,
        ));
    }
    for e in &mut envs {
        e.id = e.id.replace("sandbox", "sandboxBlog");
    }
    envs
}

/// The app's webhook signing secret: the development endpoint's, shared or per target
/// before the migration; after it, production's own (sensitive, set by Golive) — or, in
/// `webhook-dev-secret`, the development one copied into production.
fn webhook_secrets(state: Hosting, webhooks: Webhooks, frontend_api: &str, now: u64) -> Vec<Env> {
    let dev = |id, target: &[&str]| Env {
        id: format!("env_sandbox{id:04}"),
        key: WEBHOOK_VAR.into(),
        value: DEV_WEBHOOK_SECRET.into(),
        kind: "encrypted".into(),
        target: target.iter().map(|t| t.to_string()).collect(),
        comment: None,
        updated_at: now - 2 * DAY_MS,
    };
    let others = ["preview", "development"];
    match (state, webhooks) {
        (Hosting::FreshProject | Hosting::SharedTargets, _) => {
            vec![dev(5, &["production", "preview", "development"])]
        }
        (Hosting::ProductionOnly, _) | (_, Webhooks::DevSecret) => {
            vec![dev(5, &["production"]), dev(6, &others)]
        }
        _ => vec![
            Env {
                value: LIVE_WEBHOOK_SECRET.into(),
                kind: "sensitive".into(),
                comment: Some(webhook_marker(frontend_api)),
                ..dev(5, &["production"])
            },
            dev(6, &others),
        ],
    }
}

/// The Clerk keys the project has when a scenario starts (at `now`).
fn clerk_keys(state: Hosting, frontend_api: &str, now: u64) -> Vec<Env> {
    let (test_pk, live_pk) = (
        publishable_key(DEV_FRONTEND_API),
        publishable_key(frontend_api),
    );
    let live = Some(frontend_api);
    let all = ["production", "preview", "development"];
    let others = ["preview", "development"];
    let prod = ["production"];
    let set_at = if state == Hosting::StaleBuild {
        now - 3_600_000
    } else {
        now - 2 * DAY_MS
    };
    match state {
        Hosting::FreshProject | Hosting::SharedTargets => vec![
            env(1, PK_VAR, &test_pk, "encrypted", &all, None, set_at),
            env(2, SK_VAR, DEV_SECRET_KEY, "sensitive", &all, None, set_at),
        ],
        Hosting::ProductionOnly => vec![
            env(1, PK_VAR, &test_pk, "encrypted", &prod, None, set_at),
            env(2, SK_VAR, DEV_SECRET_KEY, "sensitive", &prod, None, set_at),
            env(3, PK_VAR, &test_pk, "encrypted", &others, None, set_at),
            env(
                4,
                SK_VAR,
                DEV_SECRET_KEY,
                "sensitive",
                &others,
                None,
                set_at,
            ),
        ],
        Hosting::Done | Hosting::DeployError | Hosting::StaleBuild | Hosting::DomainUnverified => {
            vec![
                env(1, PK_VAR, &live_pk, "encrypted", &prod, live, set_at),
                env(2, SK_VAR, LIVE_SECRET_KEY, "sensitive", &prod, live, set_at),
                env(3, PK_VAR, &test_pk, "encrypted", &others, None, set_at),
                env(
                    4,
                    SK_VAR,
                    DEV_SECRET_KEY,
                    "sensitive",
                    &others,
                    None,
                    set_at,
                ),
            ]
        }
    }
}

impl VercelProject {
    pub(super) fn production_publishable_key(&self) -> String {
        self.production_value(PK_VAR)
    }

    /// The signing secret a production build reads.
    pub(super) fn production_webhook_secret(&self) -> String {
        self.production_value(WEBHOOK_VAR)
    }

    fn production_value(&self, key: &str) -> String {
        self.envs
            .iter()
            .find(|e| e.key == key && e.target.iter().any(|t| t == "production"))
            .map(|e| e.value.clone())
            .unwrap_or_default()
    }
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

async fn list_env(
    State(w): State<Shared>,
    headers: HeaderMap,
    Path(project): Path<String>,
    Query(q): Q,
) -> Response {
    let w = w.lock().unwrap();
    if let Some(denied) = guard_project(&w, &headers, &q, &project) {
        return denied;
    }
    let envs: Vec<Value> = w
        .project(&project)
        .unwrap()
        .envs
        .iter()
        .map(env_json)
        .collect();
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
    let mut w = w.lock().unwrap();
    if let Some(denied) = guard_project(&w, &headers, &q, &project) {
        return denied;
    }
    let p = w.project_mut(&project).unwrap();
    let (key, target) = (
        body["key"].as_str().unwrap_or_default().to_string(),
        strings(&body["target"]),
    );
    if overlaps(&p.envs, &key, &target, None) {
        // As Vercel: a 201 whose `failed` names the variable.
        return (StatusCode::CREATED, Json(json!({"created": [], "failed": [{"error": {
            "code": "ENV_CONFLICT", "message": format!("A variable with the name `{key}` already exists for the target {}", target.join(",")),
            "key": key, "envVarKey": key, "target": target}}]}))).into_response();
    }
    if !p.spend_write() {
        return refused();
    }
    p.next_id += 1;
    let e = Env {
        id: format!("env_sandbox{:04}", p.next_id),
        key,
        value: body["value"].as_str().unwrap_or_default().into(),
        kind: body["type"].as_str().unwrap_or("encrypted").into(),
        target,
        comment: body["comment"].as_str().map(str::to_string),
        updated_at: now_ms(),
    };
    p.envs.push(e.clone());
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
    let mut w = w.lock().unwrap();
    if let Some(denied) = guard_project(&w, &headers, &q, &project) {
        return denied;
    }
    let p = w.project_mut(&project).unwrap();
    let Some(i) = p.envs.iter().position(|e| e.id == id) else {
        return error(
            StatusCode::NOT_FOUND,
            "not_found",
            "Environment variable not found",
        );
    };
    let target = if body.get("target").is_some() {
        strings(&body["target"])
    } else {
        p.envs[i].target.clone()
    };
    let key = p.envs[i].key.clone();
    if overlaps(&p.envs, &key, &target, Some(&id)) {
        return error(
            StatusCode::BAD_REQUEST,
            "env_conflict",
            "A variable with this name already exists for that target",
        );
    }
    if !p.spend_write() {
        return refused();
    }
    let e = &mut p.envs[i];
    e.target = target;
    if let Some(v) = body["value"].as_str() {
        e.value = v.into();
    }
    if let Some(c) = body["comment"].as_str() {
        e.comment = Some(c.into());
    }
    e.updated_at = now_ms();
    Json(env_json(e)).into_response()
}
