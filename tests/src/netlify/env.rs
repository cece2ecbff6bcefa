//! The site's environment variables: one per key, with a value per deploy context (or one
//! for `all`), secret ones write-only. The scenarios' starting variables, listing, creating,
//! replacing a variable's values, and setting one context's value.

use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use serde_json::{json, Value};
use std::collections::HashMap;

use super::{error, guard, now_ms, refused, rfc3339, NetlifySite, DAY_MS};
use crate::scenario::{
    publishable_key, Shared, Webhooks, DEV_FRONTEND_API, DEV_SECRET_KEY, DEV_WEBHOOK_SECRET,
    LIVE_SECRET_KEY, LIVE_WEBHOOK_SECRET,
};
use crate::vercel::env::{PK_VAR, SK_VAR, WEBHOOK_VAR};
use crate::vercel::projects::Hosting;
use crate::DOMAIN;

pub fn routes() -> Router<Shared> {
    Router::new()
        .route(
            "/api/v1/accounts/{account}/env",
            get(list_env).post(create_env),
        )
        .route(
            "/api/v1/accounts/{account}/env/{key}",
            get(get_env).put(replace_env).patch(set_value),
        )
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Var {
    pub key: String,
    pub is_secret: bool,
    pub values: Vec<EnvValue>,
    pub updated_at: u64,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EnvValue {
    pub id: String,
    pub context: String,
    pub value: String,
}

/// The marker Golive keeps next to a secret variable it set (see golive-core's
/// `steps::hosting::host`), and what it says for the keys and the signing secret.
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

const OTHERS: [&str; 3] = ["deploy-preview", "branch-deploy", "dev"];
/// A secret's values name their contexts, and never `dev` (Netlify's Secrets Controller).
const SECRET_OTHERS: [&str; 2] = ["deploy-preview", "branch-deploy"];

fn var(n: &mut u32, key: &str, secret: bool, values: &[(&str, &str)], at: u64) -> Var {
    Var {
        key: key.into(),
        is_secret: secret,
        values: values
            .iter()
            .map(|(context, value)| {
                *n += 1;
                EnvValue {
                    id: format!("0b5e7c1a-sand-4box-9net-{:012}", *n),
                    context: context.to_string(),
                    value: value.to_string(),
                }
            })
            .collect(),
        updated_at: at,
    }
}

/// `value` for production and for `others`.
fn split<'a>(production: &'a str, others: &[&'a str], test: &'a str) -> Vec<(&'a str, &'a str)> {
    let mut v = vec![("production", production)];
    v.extend(others.iter().map(|c| (*c, test)));
    v
}

/// The variables the site has when a scenario starts (at `now`): as the Vercel fake's, in
/// Netlify's model — a shared value is one for `all`; after the migration, production's
/// secret key and signing secret are secret values, marked.
pub(super) fn initial(state: Hosting, webhooks: Webhooks, now: u64) -> Vec<Var> {
    let (test_pk, live_pk) = (
        publishable_key(DEV_FRONTEND_API),
        publishable_key(&format!("clerk.{DOMAIN}")),
    );
    let at = if state == Hosting::StaleBuild {
        now - 3_600_000
    } else {
        now - 2 * DAY_MS
    };
    let n = &mut 0;
    let mut vars = match state {
        Hosting::FreshProject | Hosting::SharedTargets => vec![
            var(n, PK_VAR, false, &[("all", &test_pk)], at),
            var(n, SK_VAR, false, &[("all", DEV_SECRET_KEY)], at),
        ],
        Hosting::ProductionOnly => vec![
            var(n, PK_VAR, false, &split(&test_pk, &OTHERS, &test_pk), at),
            var(
                n,
                SK_VAR,
                true,
                &split(DEV_SECRET_KEY, &SECRET_OTHERS, DEV_SECRET_KEY),
                at,
            ),
        ],
        Hosting::Done | Hosting::DeployError | Hosting::StaleBuild | Hosting::DomainUnverified => {
            vec![
                var(n, PK_VAR, false, &split(&live_pk, &OTHERS, &test_pk), at),
                var(
                    n,
                    SK_VAR,
                    true,
                    &split(LIVE_SECRET_KEY, &SECRET_OTHERS, DEV_SECRET_KEY),
                    at,
                ),
                var(
                    n,
                    &marker_key(SK_VAR),
                    false,
                    &[("production", &keys_marker())],
                    at,
                ),
            ]
        }
    };
    let dev_at = now - 2 * DAY_MS;
    vars.extend(match (state, webhooks) {
        (Hosting::FreshProject | Hosting::SharedTargets, _) => {
            vec![var(
                n,
                WEBHOOK_VAR,
                false,
                &[("all", DEV_WEBHOOK_SECRET)],
                dev_at,
            )]
        }
        (Hosting::ProductionOnly, _) | (_, Webhooks::DevSecret) => vec![var(
            n,
            WEBHOOK_VAR,
            false,
            &split(DEV_WEBHOOK_SECRET, &OTHERS, DEV_WEBHOOK_SECRET),
            dev_at,
        )],
        _ => vec![
            var(
                n,
                WEBHOOK_VAR,
                true,
                &split(LIVE_WEBHOOK_SECRET, &SECRET_OTHERS, DEV_WEBHOOK_SECRET),
                dev_at,
            ),
            var(
                n,
                &marker_key(WEBHOOK_VAR),
                false,
                &[("production", &webhook_marker())],
                dev_at,
            ),
        ],
    });
    vars
}

impl Var {
    /// The value a build for `context` reads.
    pub fn for_context(&self, context: &str) -> Option<&str> {
        let of = |c: &str| self.values.iter().find(|v| v.context == c);
        of(context).or_else(|| of("all")).map(|v| v.value.as_str())
    }
}

impl NetlifySite {
    /// What a production build reads for `key`.
    pub(super) fn production_value(&self, key: &str) -> String {
        self.vars
            .iter()
            .find(|v| v.key == key)
            .and_then(|v| v.for_context("production"))
            .unwrap_or_default()
            .to_string()
    }
}

pub(super) fn var_json(v: &Var) -> Value {
    let values: Vec<Value> = v
        .values
        .iter()
        .map(|x| {
            // Secret values are write-only: only `dev`'s would be shown, and secrets have none.
            let shown = if v.is_secret { "" } else { x.value.as_str() };
            json!({"id": x.id, "context": x.context, "value": shown})
        })
        .collect();
    json!({"key": v.key, "scopes": ["builds", "functions", "runtime", "post-processing"],
           "values": values, "is_secret": v.is_secret, "updated_at": rfc3339(v.updated_at),
           "updated_by": {"id": "5f1e0c2d3b4a59687766aaaa", "full_name": "Quillmate Dev",
                          "email": "dev@quillmate.test", "avatar_url": ""}})
}

type Q = Query<HashMap<String, String>>;

fn guard_env(headers: &HeaderMap, account: &str, q: &HashMap<String, String>) -> Option<Response> {
    // Golive reads and writes the site's own variables, never the team's shared ones.
    match q.get("site_id") {
        Some(site) => guard(headers, Some(site), Some(account)),
        None => Some(error(StatusCode::BAD_REQUEST, "site_id is required here")),
    }
}

async fn list_env(
    State(w): State<Shared>,
    headers: HeaderMap,
    Path(account): Path<String>,
    Query(q): Q,
) -> Response {
    if let Some(denied) = guard_env(&headers, &account, &q) {
        return denied;
    }
    let vars: Vec<Value> = w
        .lock()
        .unwrap()
        .netlify
        .vars
        .iter()
        .map(var_json)
        .collect();
    Json(vars).into_response()
}

async fn get_env(
    State(w): State<Shared>,
    headers: HeaderMap,
    Path((account, key)): Path<(String, String)>,
    Query(q): Q,
) -> Response {
    if let Some(denied) = guard_env(&headers, &account, &q) {
        return denied;
    }
    match w.lock().unwrap().netlify.vars.iter().find(|v| v.key == key) {
        Some(v) => Json(var_json(v)).into_response(),
        None => error(StatusCode::NOT_FOUND, "Not Found"),
    }
}

/// Why Netlify would refuse these values, if it would.
fn invalid(secret: bool, values: &[(String, String)]) -> Option<String> {
    let contexts: Vec<&str> = values.iter().map(|(c, _)| c.as_str()).collect();
    if contexts.contains(&"all") && contexts.len() > 1 {
        return Some("a value for all contexts cannot be combined with others".into());
    }
    if secret && contexts.iter().any(|c| *c == "all" || *c == "dev") {
        return Some("secret values must be set for specific deploy contexts".into());
    }
    let mut unique = contexts.clone();
    unique.sort();
    unique.dedup();
    (unique.len() != contexts.len()).then(|| "a context has two values".into())
}

fn pairs(values: &Value) -> Vec<(String, String)> {
    values
        .as_array()
        .into_iter()
        .flatten()
        .map(|v| {
            (
                v["context"].as_str().unwrap_or("all").to_string(),
                v["value"].as_str().unwrap_or_default().to_string(),
            )
        })
        .collect()
}

fn values(site: &mut NetlifySite, pairs: Vec<(String, String)>) -> Vec<EnvValue> {
    pairs
        .into_iter()
        .map(|(context, value)| EnvValue {
            id: format!("0b5e7c1a-sand-4box-9net-{:012}", site.next()),
            context,
            value,
        })
        .collect()
}

async fn create_env(
    State(w): State<Shared>,
    headers: HeaderMap,
    Path(account): Path<String>,
    Query(q): Q,
    Json(body): Json<Value>,
) -> Response {
    if let Some(denied) = guard_env(&headers, &account, &q) {
        return denied;
    }
    let mut w = w.lock().unwrap();
    let site = &mut w.netlify;
    let mut created = vec![];
    for item in body.as_array().into_iter().flatten() {
        let key = item["key"].as_str().unwrap_or_default().to_string();
        let secret = item["is_secret"].as_bool().unwrap_or(false);
        let given = pairs(&item["values"]);
        if site.vars.iter().any(|v| v.key == key) {
            return error(
                StatusCode::BAD_REQUEST,
                &format!("Environment variable {key} already exists"),
            );
        }
        if let Some(why) = invalid(secret, &given) {
            return error(StatusCode::BAD_REQUEST, &why);
        }
        created.push((key, secret, given));
    }
    if !site.spend_write() {
        return refused();
    }
    let mut out = vec![];
    for (key, is_secret, given) in created {
        let v = Var {
            key,
            is_secret,
            values: values(site, given),
            updated_at: now_ms(),
        };
        out.push(var_json(&v));
        site.vars.push(v);
    }
    (StatusCode::CREATED, Json(out)).into_response()
}

async fn replace_env(
    State(w): State<Shared>,
    headers: HeaderMap,
    Path((account, key)): Path<(String, String)>,
    Query(q): Q,
    Json(body): Json<Value>,
) -> Response {
    if let Some(denied) = guard_env(&headers, &account, &q) {
        return denied;
    }
    let mut w = w.lock().unwrap();
    let site = &mut w.netlify;
    let Some(i) = site.vars.iter().position(|v| v.key == key) else {
        return error(StatusCode::NOT_FOUND, "Not Found");
    };
    let secret = body["is_secret"].as_bool().unwrap_or(false);
    if site.vars[i].is_secret && !secret {
        return error(
            StatusCode::BAD_REQUEST,
            "a secret variable cannot be made plain",
        );
    }
    let given = pairs(&body["values"]);
    if let Some(why) = invalid(secret, &given) {
        return error(StatusCode::BAD_REQUEST, &why);
    }
    if !site.spend_write() {
        return refused();
    }
    let values = values(site, given);
    let v = &mut site.vars[i];
    v.is_secret = secret;
    v.values = values;
    v.updated_at = now_ms();
    Json(var_json(v)).into_response()
}

async fn set_value(
    State(w): State<Shared>,
    headers: HeaderMap,
    Path((account, key)): Path<(String, String)>,
    Query(q): Q,
    Json(body): Json<Value>,
) -> Response {
    if let Some(denied) = guard_env(&headers, &account, &q) {
        return denied;
    }
    let mut w = w.lock().unwrap();
    let site = &mut w.netlify;
    let Some(i) = site.vars.iter().position(|v| v.key == key) else {
        return error(StatusCode::NOT_FOUND, "Not Found");
    };
    let context = body["context"].as_str().unwrap_or("all").to_string();
    let value = body["value"].as_str().unwrap_or_default().to_string();
    let mut given: Vec<(String, String)> = site.vars[i]
        .values
        .iter()
        .filter(|v| v.context != context)
        .map(|v| (v.context.clone(), v.value.clone()))
        .collect();
    given.push((context.clone(), value.clone()));
    if let Some(why) = invalid(site.vars[i].is_secret, &given) {
        return error(StatusCode::BAD_REQUEST, &why);
    }
    if !site.spend_write() {
        return refused();
    }
    let id = format!("0b5e7c1a-sand-4box-9net-{:012}", site.next());
    let v = &mut site.vars[i];
    match v.values.iter_mut().find(|x| x.context == context) {
        Some(x) => x.value = value,
        None => v.values.push(EnvValue { id, context, value }),
    }
    v.updated_at = now_ms();
    (StatusCode::CREATED, Json(var_json(v))).into_response()
}
