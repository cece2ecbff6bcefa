//! Fake Cloudflare Pages (`/client/v4/accounts/{account}/pages/projects/{project}`), laid out
//! as golive-core's `vendors::cloudflare::pages`: the project with its variables per
//! environment (`deployment_configs.production` / `.preview`), its custom domain and its
//! validation, and deployments whose stages move with time (shapes:
//! fixtures/specs/cloudflare-pages.json, cut from Cloudflare's OpenAPI schema). The same
//! hosting states as the Vercel fake (`vercel::projects::Hosting`), on a Pages project.

use std::collections::BTreeMap;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use axum::routing::{get, post};
use axum::{Json, Router};
use serde_json::{json, Map, Value};
use std::collections::HashMap;

use super::{envelope, error, guard};
use crate::build::{phase, Phase};
use crate::scenario::{
    publishable_key, Shared, Webhooks, CLOUDFLARE_ACCOUNT_ID, DEV_FRONTEND_API, DEV_SECRET_KEY,
    DEV_WEBHOOK_SECRET, LIVE_SECRET_KEY, LIVE_WEBHOOK_SECRET, PAGES_PROJECT,
};
use crate::vercel::env::{PK_VAR, SK_VAR, WEBHOOK_VAR};
use crate::vercel::projects::Hosting;
use crate::DOMAIN;

const PROJECT_ID: &str = "7b162ea7-7367-4d67-bcde-1160995d5a1c";

pub fn routes() -> Router<Shared> {
    let p = "/client/v4/accounts/{account}/pages/projects/{project}";
    Router::new()
        .route(p, get(project).patch(patch_project))
        .route(&format!("{p}/domains"), post(add_domain))
        .route(
            &format!("{p}/domains/{{domain}}"),
            get(domain).patch(retry_domain),
        )
        .route(&format!("{p}/deployments"), get(deployments))
        .route(&format!("{p}/deployments/{{id}}"), get(deployment))
        .route(&format!("{p}/deployments/{{id}}/retry"), post(retry))
}

/// One variable of an environment: `secret_text` values are never shown.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PagesVar {
    pub secret: bool,
    pub value: String,
}

pub type Env = BTreeMap<String, PagesVar>;

#[derive(Debug, Clone)]
pub struct Deploy {
    pub id: String,
    pub created_at: u64,
    pub started: Instant,
    pub fails: bool,
    /// Production's variables when it was built: what it serves.
    pub env: Env,
}

impl Deploy {
    /// Its latest stage and that stage's status.
    pub fn stage(&self) -> (&'static str, &'static str) {
        match phase(self.started, self.fails) {
            Phase::Queued => ("queued", "active"),
            Phase::Building => ("build", "active"),
            Phase::Failed => ("build", "failure"),
            Phase::Ready => ("deploy", "success"),
        }
    }

    fn live(&self) -> bool {
        self.stage() == ("deploy", "success")
    }
}

/// The sandbox's Pages project: how it stands when a scenario starts, and what it is now.
#[derive(Debug, Clone)]
pub struct PagesProject {
    pub state: Hosting,
    pub production: Env,
    pub preview: Env,
    /// The custom domain's status (`None`: not on the project).
    pub domain_status: Option<&'static str>,
    pub deploys: Vec<Deploy>,
    /// Writes still allowed before the fake refuses (for interruption tests); `None`: all.
    pub write_budget: Option<u32>,
    pub next_id: u32,
    /// Uploaded with `wrangler pages deploy` rather than built from a repository: no source.
    pub direct_upload: bool,
}

fn now_ms() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_millis() as u64
}

const DAY_MS: u64 = 86_400_000;

pub fn marker_key(key: &str) -> String {
    format!("GOLIVE_MARKER_{key}")
}
fn keys_marker() -> String {
    format!("Clerk production key for clerk.{DOMAIN}, set by Golive")
}
fn webhook_marker() -> String {
    let last4 = &LIVE_WEBHOOK_SECRET[LIVE_WEBHOOK_SECRET.len() - 4..];
    format!("Clerk webhook signing secret for clerk.{DOMAIN} (ends in …{last4}), set by Golive")
}

fn env(vars: &[(&str, &str, bool)]) -> Env {
    vars.iter()
        .map(|(k, v, secret)| {
            (
                k.to_string(),
                PagesVar {
                    secret: *secret,
                    value: v.to_string(),
                },
            )
        })
        .collect()
}

impl PagesProject {
    /// As the Vercel fake's, in Pages' model: "shared" is the same test keys typed into both
    /// environments (Pages has no variable for both); production-only has none in preview;
    /// once migrated, production's secrets are `secret_text`, marked.
    pub fn new(state: Hosting, webhooks: Webhooks) -> PagesProject {
        let now = now_ms();
        let (test_pk, live_pk) = (
            publishable_key(DEV_FRONTEND_API),
            publishable_key(&format!("clerk.{DOMAIN}")),
        );
        let test = env(&[
            (PK_VAR, &test_pk, false),
            (SK_VAR, DEV_SECRET_KEY, true),
            (WEBHOOK_VAR, DEV_WEBHOOK_SECRET, true),
        ]);
        let migrated = !matches!(
            state,
            Hosting::FreshProject | Hosting::SharedTargets | Hosting::ProductionOnly
        );
        let mut production = if migrated {
            env(&[
                (PK_VAR, &live_pk, false),
                (SK_VAR, LIVE_SECRET_KEY, true),
                (&marker_key(SK_VAR), &keys_marker(), false),
            ])
        } else if state == Hosting::SharedTargets {
            // Typed in as plain text for both.
            env(&[(PK_VAR, &test_pk, false), (SK_VAR, DEV_SECRET_KEY, false)])
        } else {
            env(&[(PK_VAR, &test_pk, false), (SK_VAR, DEV_SECRET_KEY, true)])
        };
        if migrated && webhooks != Webhooks::DevSecret {
            production.extend(env(&[
                (WEBHOOK_VAR, LIVE_WEBHOOK_SECRET, true),
                (&marker_key(WEBHOOK_VAR), &webhook_marker(), false),
            ]));
        } else {
            production.extend(env(&[(WEBHOOK_VAR, DEV_WEBHOOK_SECRET, true)]));
        }
        let preview = if state == Hosting::ProductionOnly {
            Env::new()
        } else {
            test.clone()
        };
        // The live build: built with production's variables, but with the test keys before
        // the migration and when they changed after it (a stale build).
        let built = if migrated && state != Hosting::StaleBuild {
            production.clone()
        } else {
            test.clone()
        };
        let mut deploys = vec![Deploy {
            id: "a4f1c2d3-0b5e-4c6d-8e7f-000000000001".into(),
            created_at: now - DAY_MS,
            started: Instant::now() - Duration::from_secs(86_400),
            fails: false,
            env: built.clone(),
        }];
        if state == Hosting::DeployError {
            // The newest build failed; the one before still serves.
            deploys.push(Deploy {
                id: "a4f1c2d3-0b5e-4c6d-8e7f-000000000002".into(),
                created_at: now - 3_600_000,
                started: Instant::now() - Duration::from_secs(3_600),
                fails: true,
                env: production.clone(),
            });
        }
        PagesProject {
            state,
            production,
            preview,
            domain_status: match state {
                Hosting::FreshProject => None,
                Hosting::DomainUnverified => Some("pending"),
                _ => Some("active"),
            },
            deploys,
            write_budget: None,
            next_id: 100,
            direct_upload: false,
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

    fn live(&self) -> Option<&Deploy> {
        self.deploys.iter().rev().find(|d| d.live())
    }

    fn served(&self, key: &str) -> String {
        self.live()
            .and_then(|d| d.env.get(key))
            .map(|v| v.value.clone())
            .unwrap_or_default()
    }

    pub fn live_publishable_key(&self) -> String {
        self.served(PK_VAR)
    }

    pub fn live_webhook_secret(&self) -> String {
        self.served(WEBHOOK_VAR)
    }
}

/// Times as Cloudflare writes them (RFC 3339, microseconds, UTC).
fn rfc3339(ms: u64) -> String {
    let t = time::OffsetDateTime::from_unix_timestamp_nanos(i128::from(ms) * 1_000_000).unwrap();
    format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:03}000Z",
        t.year(),
        u8::from(t.month()),
        t.day(),
        t.hour(),
        t.minute(),
        t.second(),
        t.millisecond()
    )
}

fn env_json(env: &Env) -> Value {
    let m: Map<String, Value> = env
        .iter()
        .map(|(k, v)| {
            let (kind, value) = if v.secret {
                ("secret_text", "")
            } else {
                ("plain_text", v.value.as_str())
            };
            (k.clone(), json!({"type": kind, "value": value}))
        })
        .collect();
    Value::Object(m)
}

fn deploy_json(d: &Deploy) -> Value {
    let (stage, status) = d.stage();
    let at = rfc3339(d.created_at);
    let short = &d.id[d.id.len() - 8..];
    json!({
        "id": d.id, "short_id": short, "project_id": PROJECT_ID, "project_name": PAGES_PROJECT,
        "environment": "production", "url": format!("https://{short}.{PAGES_PROJECT}.pages.dev"),
        "created_on": at, "modified_on": at, "is_skipped": false,
        "aliases": [format!("https://{PAGES_PROJECT}.pages.dev")],
        "latest_stage": {"name": stage, "status": status, "started_on": at,
                         "ended_on": if status == "active" { Value::Null } else { json!(at) }},
        "deployment_trigger": {"type": "ad_hoc", "metadata": {"branch": "main",
            "commit_hash": "9f2c1d0e8b7a6f5e4d3c2b1a0f9e8d7c6b5a4f3e",
            "commit_message": "Deploy from Golive"}},
        "env_vars": env_json(&d.env),
    })
}

fn project_json(p: &PagesProject) -> Value {
    let mut body = json!({
        "id": PROJECT_ID, "name": PAGES_PROJECT, "subdomain": format!("{PAGES_PROJECT}.pages.dev"),
        "production_branch": "main", "created_on": "2026-10-01T10:00:00.000000Z",
        "domains": p.domain_status.map(|_| vec![DOMAIN]).unwrap_or_default(),
        "build_config": {"build_command": "npm run build", "destination_dir": ".vercel/output/static"},
        "deployment_configs": {
            "production": {"env_vars": env_json(&p.production)},
            "preview": {"env_vars": env_json(&p.preview)},
        },
    });
    if !p.direct_upload {
        body["source"] = json!({"type": "github", "config": {"owner": "quillmate",
            "repo_name": "quillmate", "production_branch": "main", "deployments_enabled": true}});
    }
    if let Some(d) = p.live() {
        body["canonical_deployment"] = deploy_json(d);
    }
    if let Some(d) = p.deploys.last() {
        body["latest_deployment"] = deploy_json(d);
    }
    body
}

/// The token must be the sandbox's, the account and project the sandbox's. Cloudflare answers
/// 403 for an account the token may not use, 404 for a project the account does not have.
fn pages_guard(headers: &HeaderMap, account: &str, project: &str) -> Option<Response> {
    guard(headers)
        .or_else(|| {
            (account != CLOUDFLARE_ACCOUNT_ID)
                .then(|| error(StatusCode::FORBIDDEN, 10000, "Authentication error"))
        })
        .or_else(|| {
            (project != PAGES_PROJECT).then(|| {
                error(
                    StatusCode::NOT_FOUND,
                    8000007,
                    "Project not found. The specified project name does not match any of your \
                     existing projects.",
                )
            })
        })
}

/// A write the interruption tests refuse, as if the connection dropped before it landed.
fn refused() -> Response {
    error(
        StatusCode::SERVICE_UNAVAILABLE,
        10013,
        "Service Unavailable",
    )
}

async fn project(
    State(w): State<Shared>,
    headers: HeaderMap,
    Path((account, project)): Path<(String, String)>,
) -> Response {
    if let Some(denied) = pages_guard(&headers, &account, &project) {
        return denied;
    }
    envelope(project_json(&w.lock().unwrap().cloudflare_pages), None)
}

/// Merges production's (or preview's) variables: a key with a value is set whole, `null`
/// removes it, the others stay.
async fn patch_project(
    State(w): State<Shared>,
    headers: HeaderMap,
    Path((account, project)): Path<(String, String)>,
    Json(body): Json<Value>,
) -> Response {
    if let Some(denied) = pages_guard(&headers, &account, &project) {
        return denied;
    }
    let mut w = w.lock().unwrap();
    let p = &mut w.cloudflare_pages;
    if !p.spend_write() {
        return refused();
    }
    for (name, env) in [
        ("production", &mut p.production),
        ("preview", &mut p.preview),
    ] {
        let Some(vars) = body["deployment_configs"][name]["env_vars"].as_object() else {
            continue;
        };
        for (k, v) in vars {
            if v.is_null() {
                env.remove(k);
                continue;
            }
            env.insert(
                k.clone(),
                PagesVar {
                    secret: v["type"] == "secret_text",
                    value: v["value"].as_str().unwrap_or_default().to_string(),
                },
            );
        }
    }
    envelope(project_json(p), None)
}

/// The token a pending domain's TXT record must hold.
pub const PAGES_VALIDATION: &str = "4f3c2b1a-0e9d-4c8b-a7f6-e5d4c3b2a190";

fn domain_json(status: &str) -> Value {
    let pending = status != "active";
    json!({
        "id": "0e5f6a7b-8c9d-4e0f-a1b2-c3d4e5f6a7b8", "name": DOMAIN, "status": status,
        "zone_tag": "023e105f4ecef8ad9ca31a8372d0c353", "certificate_authority": "google",
        "created_on": "2026-11-01T10:00:00.000000Z", "domain_id": "0e5f6a7b-8c9d-4e0f-a1b2-c3d4e5f6a7b8",
        // Pending, Cloudflare validates by a TXT record it names; once active, by HTTP.
        "validation_data": if pending {
            json!({"method": "txt", "status": "pending", "error_message": "CNAME record not set",
                   "txt_name": format!("_cf-custom-hostname.{DOMAIN}"), "txt_value": PAGES_VALIDATION})
        } else {
            json!({"method": "http", "status": "active"})
        },
        "verification_data": {"status": if pending { "pending" } else { "active" }},
    })
}

async fn domain(
    State(w): State<Shared>,
    headers: HeaderMap,
    Path((account, project, name)): Path<(String, String, String)>,
) -> Response {
    if let Some(denied) = pages_guard(&headers, &account, &project) {
        return denied;
    }
    match w.lock().unwrap().cloudflare_pages.domain_status {
        Some(status) if name == DOMAIN => envelope(domain_json(status), None),
        _ => error(
            StatusCode::NOT_FOUND,
            8000009,
            "The specified domain is not found.",
        ),
    }
}

/// Adds the domain (pending until validated); any other domain is, in the sandbox, another
/// project's.
async fn add_domain(
    State(w): State<Shared>,
    headers: HeaderMap,
    Path((account, project)): Path<(String, String)>,
    Json(body): Json<Value>,
) -> Response {
    if let Some(denied) = pages_guard(&headers, &account, &project) {
        return denied;
    }
    if body["name"] != DOMAIN {
        return error(
            StatusCode::CONFLICT,
            8000018,
            "The custom domain you provided is already in use by another project.",
        );
    }
    let mut w = w.lock().unwrap();
    let p = &mut w.cloudflare_pages;
    if !p.spend_write() {
        return refused();
    }
    p.domain_status.get_or_insert("pending");
    envelope(domain_json(p.domain_status.unwrap()), None)
}

/// Validates again: the domain points to the project unless the scenario says it does not.
async fn retry_domain(
    State(w): State<Shared>,
    headers: HeaderMap,
    Path((account, project, name)): Path<(String, String, String)>,
) -> Response {
    if let Some(denied) = pages_guard(&headers, &account, &project) {
        return denied;
    }
    let mut w = w.lock().unwrap();
    let p = &mut w.cloudflare_pages;
    if p.domain_status.is_none() || name != DOMAIN {
        return error(
            StatusCode::NOT_FOUND,
            8000009,
            "The specified domain is not found.",
        );
    }
    if !p.spend_write() {
        return refused();
    }
    if p.state != Hosting::DomainUnverified {
        p.domain_status = Some("active");
    }
    envelope(domain_json(p.domain_status.unwrap()), None)
}

async fn deployments(
    State(w): State<Shared>,
    headers: HeaderMap,
    Path((account, project)): Path<(String, String)>,
    Query(q): Query<HashMap<String, String>>,
) -> Response {
    if let Some(denied) = pages_guard(&headers, &account, &project) {
        return denied;
    }
    let w = w.lock().unwrap();
    // Every deployment here is a production one, newest first.
    let list: Vec<Value> = if q.get("env").is_some_and(|e| e == "preview") {
        vec![]
    } else {
        w.cloudflare_pages
            .deploys
            .iter()
            .rev()
            .map(deploy_json)
            .collect()
    };
    let n = list.len();
    envelope(
        json!(list),
        Some(json!({"page": 1, "per_page": 25, "count": n, "total_count": n, "total_pages": 1})),
    )
}

async fn deployment(
    State(w): State<Shared>,
    headers: HeaderMap,
    Path((account, project, id)): Path<(String, String, String)>,
) -> Response {
    if let Some(denied) = pages_guard(&headers, &account, &project) {
        return denied;
    }
    match w
        .lock()
        .unwrap()
        .cloudflare_pages
        .deploys
        .iter()
        .find(|d| d.id == id)
    {
        Some(d) => envelope(deploy_json(d), None),
        None => error(StatusCode::NOT_FOUND, 8000009, "Deployment not found."),
    }
}

/// Builds a deployment's commit again, with production's variables as they are now.
async fn retry(
    State(w): State<Shared>,
    headers: HeaderMap,
    Path((account, project, id)): Path<(String, String, String)>,
) -> Response {
    if let Some(denied) = pages_guard(&headers, &account, &project) {
        return denied;
    }
    let mut w = w.lock().unwrap();
    let p = &mut w.cloudflare_pages;
    if !p.deploys.iter().any(|d| d.id == id) {
        return error(StatusCode::NOT_FOUND, 8000009, "Deployment not found.");
    }
    if !p.spend_write() {
        return refused();
    }
    p.next_id += 1;
    let d = Deploy {
        id: format!("a4f1c2d3-0b5e-4c6d-8e7f-{:012}", p.next_id),
        created_at: now_ms(),
        started: Instant::now(),
        fails: p.state == Hosting::DeployError,
        env: p.production.clone(),
    };
    p.deploys.push(d.clone());
    envelope(deploy_json(&d), None)
}

#[cfg(test)]
mod tests {
    #[test]
    fn times_are_written_as_cloudflare_does() {
        assert_eq!(
            super::rfc3339(1_796_492_111_123),
            "2026-12-05T17:35:11.123000Z"
        );
    }
}
