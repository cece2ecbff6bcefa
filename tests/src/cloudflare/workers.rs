//! Fake Cloudflare Workers (`/client/v4/accounts/{account}/workers/…`), laid out as
//! golive-core's `vendors::cloudflare::workers`: the production script's bindings, its
//! secrets (each one written deploys a new version at once), the account's Worker custom
//! domains and the script's deployments (shapes: fixtures/specs/cloudflare-workers.json).
//!
//! Which hosting states apply: a Worker has no preview variables (its other environments are
//! other scripts), so no key is shared with previews and none is production-only; it has no
//! build, so none fails and none goes stale (a secret is live once written). What remains:
//! live, fresh (development keys as secrets, the domain not attached) and a domain that
//! cannot be attached (its zone is not in the account).

use std::time::{SystemTime, UNIX_EPOCH};

use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use axum::routing::{delete, get, put};
use axum::{Json, Router};
use serde_json::{json, Value};
use std::collections::HashMap;

use super::{envelope, error, guard, ZONE_ID};
use crate::scenario::{
    publishable_key, DnsHost, Shared, Webhooks, CLOUDFLARE_ACCOUNT_ID, DEV_FRONTEND_API,
    DEV_SECRET_KEY, DEV_WEBHOOK_SECRET, LIVE_SECRET_KEY, LIVE_WEBHOOK_SECRET, WORKER_SCRIPT,
};
use crate::vercel::env::{PK_VAR, SK_VAR, WEBHOOK_VAR};
use crate::vercel::projects::Hosting;
use crate::DOMAIN;

/// Another Worker of the account, with a custom domain of its own.
pub const OTHER_WORKER: &str = "otherapp-api";
pub const OTHER_WORKER_DOMAIN: &str = "otherapp.test";

pub fn routes() -> Router<Shared> {
    let s = "/client/v4/accounts/{account}/workers/scripts/{script}";
    Router::new()
        .route(&format!("{s}/settings"), get(settings))
        .route(&format!("{s}/secrets"), put(put_secret))
        .route(&format!("{s}/secrets/{{name}}"), delete(delete_secret))
        .route(&format!("{s}/deployments"), get(deployments))
        .route(
            "/client/v4/accounts/{account}/workers/domains",
            get(domains).put(attach),
        )
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Binding {
    pub name: String,
    pub secret: bool,
    /// A secret's value too: the fake serves it, Cloudflare never shows it.
    pub text: String,
}

#[derive(Debug, Clone)]
pub struct WorkerScript {
    pub bindings: Vec<Binding>,
    pub domain_attached: bool,
    /// Deployment ids and when they were made (ms).
    pub deployments: Vec<(String, u64)>,
    /// Writes still allowed before the fake refuses (for interruption tests); `None`: all.
    pub write_budget: Option<u32>,
}

fn now_ms() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_millis() as u64
}

/// The marker secret Golive names after its marker's digest.
pub fn marker_name(key: &str, marker: &str) -> String {
    format!(
        "GOLIVE_MARKER_{key}_{}",
        golive_core::steps::hosting::env_plan::marker_digest(marker)
    )
}
fn keys_marker() -> String {
    format!("Clerk production key for clerk.{DOMAIN}, set by Golive")
}
fn webhook_marker() -> String {
    let last4 = &LIVE_WEBHOOK_SECRET[LIVE_WEBHOOK_SECRET.len() - 4..];
    format!("Clerk webhook signing secret for clerk.{DOMAIN} (ends in …{last4}), set by Golive")
}

fn secret(name: &str, text: &str) -> Binding {
    Binding {
        name: name.into(),
        secret: true,
        text: text.into(),
    }
}

impl WorkerScript {
    pub fn new(state: Hosting, webhooks: Webhooks) -> WorkerScript {
        let live = state != Hosting::FreshProject;
        let mut bindings = if live {
            vec![
                secret(PK_VAR, &publishable_key(&format!("clerk.{DOMAIN}"))),
                secret(&marker_name(PK_VAR, &keys_marker()), "set by Golive"),
                secret(SK_VAR, LIVE_SECRET_KEY),
                secret(&marker_name(SK_VAR, &keys_marker()), "set by Golive"),
            ]
        } else {
            vec![
                secret(PK_VAR, &publishable_key(DEV_FRONTEND_API)),
                secret(SK_VAR, DEV_SECRET_KEY),
            ]
        };
        if live && webhooks != Webhooks::DevSecret {
            bindings.push(secret(WEBHOOK_VAR, LIVE_WEBHOOK_SECRET));
            bindings.push(secret(
                &marker_name(WEBHOOK_VAR, &webhook_marker()),
                "set by Golive",
            ));
        } else {
            bindings.push(secret(WEBHOOK_VAR, DEV_WEBHOOK_SECRET));
        }
        // A binding that is no variable: left alone.
        bindings.push(Binding {
            name: "APP_ENV".into(),
            secret: false,
            text: "production".into(),
        });
        WorkerScript {
            bindings,
            domain_attached: state == Hosting::Done,
            deployments: vec![(
                "bcf48806-b317-4351-9ee7-36e7d557d4de".into(),
                now_ms() - 86_400_000,
            )],
            write_budget: None,
        }
    }

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

    fn value(&self, name: &str) -> String {
        self.bindings
            .iter()
            .find(|b| b.name == name)
            .map(|b| b.text.clone())
            .unwrap_or_default()
    }

    /// A Worker reads its bindings at once: the live site serves what it has now.
    pub fn live_publishable_key(&self) -> String {
        self.value(PK_VAR)
    }

    pub fn live_webhook_secret(&self) -> String {
        self.value(WEBHOOK_VAR)
    }

    /// A new version, deployed at once (what each secret write does).
    fn deploy(&mut self) {
        let n = self.deployments.len();
        self.deployments
            .push((format!("bcf48806-b317-4351-9ee7-{n:012}"), now_ms()));
    }
}

fn worker_guard(headers: &HeaderMap, account: &str, script: Option<&str>) -> Option<Response> {
    guard(headers)
        .or_else(|| {
            (account != CLOUDFLARE_ACCOUNT_ID)
                .then(|| error(StatusCode::FORBIDDEN, 10000, "Authentication error"))
        })
        .or_else(|| {
            script.filter(|s| *s != WORKER_SCRIPT).map(|_| {
                error(
                    StatusCode::NOT_FOUND,
                    10007,
                    "This Worker does not exist on your account.",
                )
            })
        })
}

fn refused() -> Response {
    error(
        StatusCode::SERVICE_UNAVAILABLE,
        10013,
        "Service Unavailable",
    )
}

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

async fn settings(
    State(w): State<Shared>,
    headers: HeaderMap,
    Path((account, script)): Path<(String, String)>,
) -> Response {
    if let Some(denied) = worker_guard(&headers, &account, Some(&script)) {
        return denied;
    }
    let w = w.lock().unwrap();
    let bindings: Vec<Value> = w
        .cloudflare_worker
        .bindings
        .iter()
        .map(|b| {
            if b.secret {
                json!({"name": b.name, "type": "secret_text"})
            } else {
                json!({"name": b.name, "type": "plain_text", "text": b.text})
            }
        })
        .collect();
    envelope(
        json!({"bindings": bindings, "compatibility_date": "2026-10-01",
               "compatibility_flags": ["nodejs_compat"], "logpush": false,
               "usage_model": "standard", "tags": null, "tail_consumers": null}),
        None,
    )
}

/// Sets a secret; a plain variable of that name is in the way (Cloudflare's 10053).
async fn put_secret(
    State(w): State<Shared>,
    headers: HeaderMap,
    Path((account, script)): Path<(String, String)>,
    Json(body): Json<Value>,
) -> Response {
    if let Some(denied) = worker_guard(&headers, &account, Some(&script)) {
        return denied;
    }
    let (Some(name), Some(text)) = (body["name"].as_str(), body["text"].as_str()) else {
        return error(StatusCode::BAD_REQUEST, 10021, "name and text are required");
    };
    let mut w = w.lock().unwrap();
    let s = &mut w.cloudflare_worker;
    if s.bindings.iter().any(|b| b.name == name && !b.secret) {
        return error(
            StatusCode::BAD_REQUEST,
            10053,
            &format!("Binding name '{name}' already in use"),
        );
    }
    if !s.spend_write() {
        return refused();
    }
    match s.bindings.iter_mut().find(|b| b.name == name) {
        Some(b) => b.text = text.into(),
        None => s.bindings.push(secret(name, text)),
    }
    s.deploy();
    envelope(json!({"name": name, "type": "secret_text"}), None)
}

async fn delete_secret(
    State(w): State<Shared>,
    headers: HeaderMap,
    Path((account, script, name)): Path<(String, String, String)>,
) -> Response {
    if let Some(denied) = worker_guard(&headers, &account, Some(&script)) {
        return denied;
    }
    let mut w = w.lock().unwrap();
    let s = &mut w.cloudflare_worker;
    if !s.bindings.iter().any(|b| b.name == name && b.secret) {
        return error(StatusCode::NOT_FOUND, 10056, "Secret not found");
    }
    if !s.spend_write() {
        return refused();
    }
    s.bindings.retain(|b| b.name != name);
    s.deploy();
    envelope(json!({}), None)
}

async fn deployments(
    State(w): State<Shared>,
    headers: HeaderMap,
    Path((account, script)): Path<(String, String)>,
) -> Response {
    if let Some(denied) = worker_guard(&headers, &account, Some(&script)) {
        return denied;
    }
    let w = w.lock().unwrap();
    let list: Vec<Value> = w
        .cloudflare_worker
        .deployments
        .iter()
        .rev()
        .map(|(id, at)| {
            json!({"id": id, "created_on": rfc3339(*at), "source": "api", "strategy": "percentage",
                   "author_email": "dev@quillmate.test",
                   "versions": [{"version_id": format!("0a1b2c3d{}", &id[8..]), "percentage": 100}]})
        })
        .collect();
    envelope(json!({ "deployments": list }), None)
}

fn domain_json(hostname: &str, service: &str) -> Value {
    json!({"id": format!("dom-{service}"), "hostname": hostname, "service": service,
           "environment": "production", "zone_id": ZONE_ID, "zone_name": DOMAIN})
}

async fn domains(
    State(w): State<Shared>,
    headers: HeaderMap,
    Path(account): Path<String>,
    Query(q): Query<HashMap<String, String>>,
) -> Response {
    if let Some(denied) = worker_guard(&headers, &account, None) {
        return denied;
    }
    let attached = w.lock().unwrap().cloudflare_worker.domain_attached;
    let mut all = vec![domain_json(OTHER_WORKER_DOMAIN, OTHER_WORKER)];
    if attached {
        all.push(domain_json(DOMAIN, WORKER_SCRIPT));
    }
    let list: Vec<Value> = all
        .into_iter()
        .filter(|d| {
            q.get("hostname")
                .is_none_or(|h| d["hostname"] == h.as_str())
        })
        .collect();
    envelope(json!(list), None)
}

/// Attaches a hostname of the account's zone to a script.
async fn attach(
    State(w): State<Shared>,
    headers: HeaderMap,
    Path(account): Path<String>,
    Json(body): Json<Value>,
) -> Response {
    if let Some(denied) = worker_guard(&headers, &account, body["service"].as_str()) {
        return denied;
    }
    let mut w = w.lock().unwrap();
    let zone_here = w.scenario.dns_host == DnsHost::Cloudflare && body["zone_id"] == ZONE_ID;
    if !zone_here || body["hostname"] != DOMAIN {
        return error(
            StatusCode::BAD_REQUEST,
            100117,
            "Hostname is not in the zone",
        );
    }
    if !w.cloudflare_worker.spend_write() {
        return refused();
    }
    w.cloudflare_worker.domain_attached = true;
    envelope(domain_json(DOMAIN, WORKER_SCRIPT), None)
}
