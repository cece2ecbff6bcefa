//! Fake Clerk Platform API (`/v1/platform`): the application, creating its production
//! instance, its domains, Clerk's DNS/SSL/mail status and the DNS re-check.

use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde_json::{json, Value};

use super::{bearer, cname_targets, error};
use crate::scenario::{
    publishable_key, DomainState, Shared, World, APP_ID, DEV_FRONTEND_API, DEV_INSTANCE_ID,
    DEV_SECRET_KEY, INSTANCE_ID, LIVE_SECRET_KEY, PLATFORM_KEY,
};
use crate::DOMAIN;

pub fn routes() -> Router<Shared> {
    Router::new()
        .route("/v1/platform/applications", get(list_applications))
        .route("/v1/platform/applications/{app}", get(get_application))
        .route(
            "/v1/platform/applications/{app}/instances",
            post(create_instance),
        )
        .route("/v1/platform/applications/{app}/domains", get(list_domains))
        .route(
            "/v1/platform/applications/{app}/domains/{domain}/status",
            get(domain_status),
        )
        .route(
            "/v1/platform/applications/{app}/domains/{domain}/dns_check",
            post(dns_check),
        )
        .route("/v1/platform/domains/{domain}", get(workspace_domain))
        .route(
            "/v1/platform/applications/{app}/instances/{env}/config",
            axum::routing::patch(patch_config),
        )
}

const CREATED_AT: &str = "2026-11-20T10:00:00Z";

pub fn application_body(world: &World, with_keys: bool) -> Value {
    let mut instances = vec![json!({
        "instance_id": DEV_INSTANCE_ID,
        "environment_type": "development",
        "publishable_key": publishable_key(DEV_FRONTEND_API),
    })];
    if world.production {
        instances.push(json!({
            "instance_id": INSTANCE_ID,
            "environment_type": "production",
            "publishable_key": publishable_key(&format!("clerk.{DOMAIN}")),
        }));
    }
    if with_keys {
        instances[0]["secret_key"] = json!(DEV_SECRET_KEY);
        if let Some(p) = instances.get_mut(1) {
            p["secret_key"] = json!(LIVE_SECRET_KEY);
        }
    }
    json!({"application_id": APP_ID, "name": "Quillmate", "instances": instances})
}

pub fn domain_body() -> Value {
    json!({
        "object": "domain",
        "id": "dmn_2sandboxQuillmate",
        "name": DOMAIN,
        "is_satellite": false,
        "is_provider_domain": false,
        "frontend_api_url": format!("https://clerk.{DOMAIN}"),
        "accounts_portal_url": format!("https://accounts.{DOMAIN}"),
        "development_origin": "",
        "cname_targets": cname_targets(DOMAIN),
        "created_at": CREATED_AT,
        "updated_at": CREATED_AT
    })
}

pub fn created_instance_body() -> Value {
    json!({
        "object": "instance",
        "id": INSTANCE_ID,
        "environment_type": "production",
        "active_domain": domain_body(),
        "secret_key": LIVE_SECRET_KEY,
        "publishable_key": publishable_key(&format!("clerk.{DOMAIN}")),
        "created_at": 1_795_000_000_000_i64,
        "updated_at": 1_795_000_000_000_i64
    })
}

pub fn workspace_domain_body() -> Value {
    let mut d = domain_body();
    d["application"] = json!({"object": "application", "id": APP_ID, "created_at": CREATED_AT, "updated_at": CREATED_AT});
    d["instance"] = json!({"object": "instance", "id": INSTANCE_ID, "environment_type": "production", "created_at": CREATED_AT, "updated_at": CREATED_AT});
    d
}

pub fn status_body(state: DomainState) -> Value {
    let dns_ok = state != DomainState::DnsPending;
    let ssl = match state {
        DomainState::DnsPending => "not_started",
        DomainState::SslPending => "in_process",
        DomainState::Complete => "complete",
    };
    let cname = |sub: &str, to: &str| {
        let hints = if dns_ok {
            Value::Null
        } else {
            json!([{"code": "cname_missing", "message": format!("No CNAME record found for {sub}.{DOMAIN}")}])
        };
        json!({
            "clerk_subdomain": sub,
            "from": format!("{sub}.{DOMAIN}"),
            "to": to,
            "actual": if dns_ok { json!([to]) } else { json!([]) },
            "verified": dns_ok,
            "required": true,
            "failure_hints": hints
        })
    };
    json!({
        "status": if state == DomainState::Complete { "complete" } else { "incomplete" },
        "dns": {
            "status": if dns_ok { "complete" } else { "in_progress" },
            "cnames": {
                "clerk": cname("clerk", "frontend-api.clerk.services"),
                "accounts": cname("accounts", "accounts.clerk.services"),
                "clkmail": cname("clkmail", "mail.sbx1a2b3c4d5e.clerk.services"),
                "clk._domainkey": cname("clk._domainkey", "dkim1.sbx1a2b3c4d5e.clerk.services"),
                "clk2._domainkey": cname("clk2._domainkey", "dkim2.sbx1a2b3c4d5e.clerk.services")
            }
        },
        "ssl": {"status": ssl, "required": true, "failure_hints": null},
        "mail": {"status": if dns_ok { "complete" } else { "not_started" }, "required": true},
        "proxy": {"status": "not_required", "required": false}
    })
}

/// Each guard answers `Some(rejection)` or lets the request through with `None`.
fn unauthorized(headers: &HeaderMap) -> Option<Response> {
    if bearer(headers) == Some(PLATFORM_KEY) {
        None
    } else {
        Some(error(
            StatusCode::UNAUTHORIZED,
            "authentication_invalid",
            "The platform API key is invalid.",
        ))
    }
}

fn unknown_app(app: &str) -> Option<Response> {
    if app == APP_ID {
        None
    } else {
        Some(error(
            StatusCode::NOT_FOUND,
            "resource_not_found",
            "Application not found.",
        ))
    }
}

/// The production domain, or a 404 while no production instance exists.
fn unknown_domain(world: &World, domain: &str) -> Option<Response> {
    if world.production && (domain == DOMAIN || domain == "dmn_2sandboxQuillmate") {
        None
    } else {
        Some(error(
            StatusCode::NOT_FOUND,
            "resource_not_found",
            "Domain not found.",
        ))
    }
}

macro_rules! reject {
    ($guard:expr) => {
        if let Some(rejection) = $guard {
            return rejection;
        }
    };
}

async fn list_applications(State(w): State<Shared>, headers: HeaderMap) -> Response {
    reject!(unauthorized(&headers));
    Json(json!([application_body(&w.lock().unwrap(), false)])).into_response()
}

#[derive(serde::Deserialize)]
struct KeysQuery {
    #[serde(default)]
    include_secret_keys: bool,
}

async fn get_application(
    State(w): State<Shared>,
    headers: HeaderMap,
    Path(app): Path<String>,
    Query(q): Query<KeysQuery>,
) -> Response {
    reject!(unauthorized(&headers));
    reject!(unknown_app(&app));
    Json(application_body(&w.lock().unwrap(), q.include_secret_keys)).into_response()
}

async fn create_instance(
    State(w): State<Shared>,
    headers: HeaderMap,
    Path(app): Path<String>,
    Json(body): Json<Value>,
) -> Response {
    reject!(unauthorized(&headers));
    reject!(unknown_app(&app));
    let mut world = w.lock().unwrap();
    if body["domain"].as_str() != Some(DOMAIN) {
        return error(
            StatusCode::UNPROCESSABLE_ENTITY,
            "form_param_invalid",
            &format!("The sandbox only hosts {DOMAIN}."),
        );
    }
    if world.production {
        return error(
            StatusCode::CONFLICT,
            "production_instance_exists",
            "A production instance already exists for this application.",
        );
    }
    if !world.scenario.plan_allows_production {
        return error(
            StatusCode::PAYMENT_REQUIRED,
            "unsupported_subscription_plan_features",
            "Your development instance uses features your plan does not include in production.",
        );
    }
    world.production = true;
    (StatusCode::CREATED, Json(created_instance_body())).into_response()
}

async fn list_domains(
    State(w): State<Shared>,
    headers: HeaderMap,
    Path(app): Path<String>,
) -> Response {
    reject!(unauthorized(&headers));
    reject!(unknown_app(&app));
    let world = w.lock().unwrap();
    let data: Vec<Value> = if world.production {
        vec![domain_body()]
    } else {
        vec![]
    };
    Json(json!({"total_count": data.len(), "data": data})).into_response()
}

async fn domain_status(
    State(w): State<Shared>,
    headers: HeaderMap,
    Path((app, domain)): Path<(String, String)>,
) -> Response {
    reject!(unauthorized(&headers));
    reject!(unknown_app(&app));
    let world = w.lock().unwrap();
    reject!(unknown_domain(&world, &domain));
    Json(status_body(world.scenario.domain_state)).into_response()
}

/// A check runs for a moment: a second request while it does gets Clerk's 409.
async fn dns_check(
    State(w): State<Shared>,
    headers: HeaderMap,
    Path((app, domain)): Path<(String, String)>,
) -> Response {
    reject!(unauthorized(&headers));
    reject!(unknown_app(&app));
    let mut world = w.lock().unwrap();
    reject!(unknown_domain(&world, &domain));
    if world.dns_check_running {
        world.dns_check_running = false;
        return error(
            StatusCode::CONFLICT,
            "dns_check_in_progress",
            "A DNS check is already running.",
        );
    }
    world.dns_check_running = true;
    let mut body = status_body(world.scenario.domain_state);
    body["domain_id"] = json!("dmn_2sandboxQuillmate");
    body["last_run_at"] = json!(1_795_000_000_000_i64);
    Json(body).into_response()
}

async fn workspace_domain(
    State(w): State<Shared>,
    headers: HeaderMap,
    Path(domain): Path<String>,
) -> Response {
    reject!(unauthorized(&headers));
    reject!(unknown_domain(&w.lock().unwrap(), &domain));
    Json(workspace_domain_body()).into_response()
}

/// Sets `connection_oauth_*` keys on the production instance; like Clerk, refuses (422)
/// to enable a provider in production without its own credentials.
async fn patch_config(
    State(w): State<Shared>,
    headers: HeaderMap,
    Path((app, env)): Path<(String, String)>,
    Json(body): Json<serde_json::Value>,
) -> Response {
    reject!(unauthorized(&headers));
    reject!(unknown_app(&app));
    let mut w = w.lock().unwrap();
    if env != "production" || !w.production {
        return error(
            StatusCode::NOT_FOUND,
            "resource_not_found",
            "Instance not found.",
        );
    }
    let Some(changes) = body.as_object() else {
        return error(
            StatusCode::BAD_REQUEST,
            "form_param_missing",
            "A JSON object is required.",
        );
    };
    for (key, value) in changes {
        let missing = |k: &str| value[k].as_str().unwrap_or_default().is_empty();
        if key.starts_with("connection_oauth_")
            && value["enabled"] == true
            && (missing("client_id") || missing("client_secret"))
        {
            return error(
                StatusCode::UNPROCESSABLE_ENTITY,
                "oauth_credentials_required",
                "Production instances need custom credentials to enable this connection.",
            );
        }
    }
    let before: serde_json::Map<String, serde_json::Value> = changes
        .keys()
        .map(|k| {
            (
                k.clone(),
                w.production_config.get(k).cloned().unwrap_or_default(),
            )
        })
        .collect();
    for (k, v) in changes {
        w.production_config.insert(k.clone(), v.clone());
    }
    // Clerk never echoes a client secret.
    let after: serde_json::Map<String, serde_json::Value> = changes
        .iter()
        .map(|(k, v)| {
            let mut v = v.clone();
            if let Some(o) = v.as_object_mut() {
                o.remove("client_secret");
            }
            (k.clone(), v)
        })
        .collect();
    Json(
        json!({"config_version": format!("v{}", w.production_config.len()), "dry_run": false,
                "before": before, "after": after}),
    )
    .into_response()
}
