//! The service's variables: one flat set, values in plain text. The scenarios' starting
//! variables, listing, and adding or updating one.

use std::collections::HashMap;

use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, put};
use axum::{Json, Router};
use serde_json::{json, Value};

use super::{error, guard, page, refused, RenderWorld};
use crate::netlify::{rfc3339, DAY_MS};
use crate::scenario::{
    publishable_key, Shared, Webhooks, DEV_FRONTEND_API, DEV_SECRET_KEY, DEV_WEBHOOK_SECRET,
    LIVE_SECRET_KEY, LIVE_WEBHOOK_SECRET, RENDER_PREVIEW_ID,
};
use crate::vercel::env::{PK_VAR, SK_VAR, WEBHOOK_VAR};
use crate::vercel::projects::Hosting;
use crate::DOMAIN;

pub fn routes() -> Router<Shared> {
    Router::new()
        .route("/render/v1/services/{service}/env-vars", get(list))
        .route("/render/v1/services/{service}/env-vars/{key}", put(set))
}

/// The stamp Golive sets after a value it writes (see golive-core's
/// `steps::hosting::render`).
pub fn stamp_key(key: &str) -> String {
    format!("GOLIVE_SET_AT_{key}")
}

/// The variables the service has when a scenario starts (at `now`): the test keys before
/// the migration; after it the live keys, stamped when Golive set them.
pub(super) fn initial(state: Hosting, webhooks: Webhooks, now: u64) -> Vec<(String, String)> {
    let (test_pk, live_pk) = (
        publishable_key(DEV_FRONTEND_API),
        publishable_key(&format!("clerk.{DOMAIN}")),
    );
    let at = rfc3339(if state == Hosting::StaleBuild {
        now - 3_600_000
    } else {
        now - 2 * DAY_MS
    });
    let migrated = matches!(
        state,
        Hosting::Done | Hosting::DeployError | Hosting::StaleBuild | Hosting::DomainUnverified
    );
    let mut vars = vec![("NODE_VERSION".to_string(), "22".to_string())];
    let mut set = |key: &str, value: &str, stamped: bool| {
        vars.push((key.into(), value.into()));
        if stamped {
            vars.push((stamp_key(key), at.clone()));
        }
    };
    if migrated {
        set(PK_VAR, &live_pk, true);
        set(SK_VAR, LIVE_SECRET_KEY, true);
    } else {
        set(PK_VAR, &test_pk, false);
        set(SK_VAR, DEV_SECRET_KEY, false);
    }
    if migrated && webhooks != Webhooks::DevSecret {
        set(WEBHOOK_VAR, LIVE_WEBHOOK_SECRET, true);
    } else {
        set(WEBHOOK_VAR, DEV_WEBHOOK_SECRET, false);
    }
    vars
}

fn var_json((key, value): &(String, String)) -> Value {
    json!({"key": key, "value": value})
}

async fn list(
    State(w): State<Shared>,
    headers: HeaderMap,
    Path(service): Path<String>,
    Query(q): Query<HashMap<String, String>>,
) -> Response {
    let w = w.lock().unwrap();
    if let Some(denied) = guard(&w.render, &headers, Some(&service)) {
        return denied;
    }
    let vars = if service == RENDER_PREVIEW_ID {
        w.render.preview.clone().unwrap_or_default()
    } else {
        w.render.vars.clone()
    };
    let items = vars.iter().map(|v| (v.0.clone(), var_json(v))).collect();
    Json(page(items, "envVar", &q)).into_response()
}

async fn set(
    State(w): State<Shared>,
    headers: HeaderMap,
    Path((service, key)): Path<(String, String)>,
    Json(body): Json<Value>,
) -> Response {
    let mut w = w.lock().unwrap();
    if let Some(denied) = guard(&w.render, &headers, Some(&service)) {
        return denied;
    }
    let Some(value) = body["value"].as_str() else {
        return error(StatusCode::BAD_REQUEST, "value is required");
    };
    let r: &mut RenderWorld = &mut w.render;
    if !r.spend_write() {
        return refused();
    }
    let vars = if service == RENDER_PREVIEW_ID {
        r.preview.get_or_insert_with(Vec::new)
    } else {
        &mut r.vars
    };
    match vars.iter_mut().find(|(k, _)| *k == key) {
        Some(v) => v.1 = value.to_string(),
        None => vars.push((key.clone(), value.to_string())),
    }
    Json(var_json(&(key, value.to_string()))).into_response()
}
