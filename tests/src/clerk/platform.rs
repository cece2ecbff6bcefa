//! Fake Clerk Platform API (`/v1/platform`): the application, creating its production
//! instance, its domains, Clerk's DNS/SSL/mail status and the DNS re-check.

use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde_json::{json, Value};

use super::{bearer, cname_targets, error, satellite_cname_targets};
use crate::scenario::{
    publishable_key, DomainState, Layout, Shared, World, APP_ID, DEV_FRONTEND_API, DEV_INSTANCE_ID,
    DEV_SECRET_KEY, INSTANCE_ID, LIVE_FRONTEND_API, LIVE_SECRET_KEY, PLATFORM_KEY,
    SATELLITE_DOMAIN_ID,
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
            "publishable_key": publishable_key(world.scenario.layout.frontend_api()),
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

/// The production domain in `layout` (the spec's `proxy_url` is a string: there only when set).
pub fn domain_body(layout: Layout) -> Value {
    let domain = layout.clerk_domain();
    let mut d = json!({
        "object": "domain",
        "id": "dmn_2sandboxQuillmate",
        "name": domain,
        "is_satellite": false,
        "is_provider_domain": false,
        "frontend_api_url": format!("https://{}", layout.frontend_api()),
        "accounts_portal_url": format!("https://{}", layout.accounts_host()),
        "development_origin": "",
        "cname_targets": cname_targets(domain, layout.proxy_url().is_some()),
        "created_at": CREATED_AT,
        "updated_at": CREATED_AT
    });
    if let Some(url) = layout.proxy_url() {
        d["proxy_url"] = json!(url);
    }
    d
}

/// The satellite domain, as the application's domains list it.
pub fn satellite_domain_body(satellite: &str) -> Value {
    json!({
        "object": "domain",
        "id": SATELLITE_DOMAIN_ID,
        "name": satellite,
        "is_satellite": true,
        "is_provider_domain": false,
        "frontend_api_url": format!("https://clerk.{satellite}"),
        "development_origin": "",
        "cname_targets": satellite_cname_targets(satellite),
        "created_at": CREATED_AT,
        "updated_at": CREATED_AT
    })
}

pub fn created_instance_body() -> Value {
    json!({
        "object": "instance",
        "id": INSTANCE_ID,
        "environment_type": "production",
        "active_domain": domain_body(Layout::Apex),
        "secret_key": LIVE_SECRET_KEY,
        "publishable_key": publishable_key(LIVE_FRONTEND_API),
        "created_at": 1_795_000_000_000_i64,
        "updated_at": 1_795_000_000_000_i64
    })
}

pub fn workspace_domain_body(layout: Layout) -> Value {
    with_owner(domain_body(layout))
}

/// A domain as the workspace-wide endpoints give it: with its application and instance.
fn with_owner(mut d: Value) -> Value {
    d["application"] = json!({"object": "application", "id": APP_ID, "created_at": CREATED_AT, "updated_at": CREATED_AT});
    d["instance"] = json!({"object": "instance", "id": INSTANCE_ID, "environment_type": "production", "created_at": CREATED_AT, "updated_at": CREATED_AT});
    d
}

/// A `clerk_subdomain`'s record as the status reports it: verified once DNS is in, unless it
/// is not required (behind a proxy it is not there at all).
fn cname_status(domain: &str, sub: &str, to: &str, dns_ok: bool, required: bool) -> Value {
    let present = dns_ok && required;
    let hints = if present || !required {
        Value::Null
    } else {
        json!([{"code": "cname_missing", "message": format!("No CNAME record found for {sub}.{domain}")}])
    };
    json!({
        "clerk_subdomain": sub,
        "from": format!("{sub}.{domain}"),
        "to": to,
        "actual": if present { json!([to]) } else { json!([]) },
        "verified": present,
        "required": required,
        "failure_hints": hints
    })
}

/// The proxy part: not required without a proxy; with one, `complete` when it answers as the
/// instance, else `failed` (the spec leaves the value free; `failed` is its word for a failed
/// `ssl` part, and Clerk's proxy check reports `successful: false`).
fn proxy_status(layout: Layout) -> Value {
    match layout {
        Layout::Proxy => json!({"status": "complete", "required": true}),
        Layout::ProxyBroken => json!({"status": "failed", "required": true}),
        _ => json!({"status": "not_required", "required": false}),
    }
}

pub fn status_body(state: DomainState, layout: Layout) -> Value {
    let dns_ok = state != DomainState::DnsPending;
    let ssl = match state {
        DomainState::DnsPending => "not_started",
        DomainState::SslPending => "in_process",
        DomainState::Complete => "complete",
    };
    let domain = layout.clerk_domain();
    let cname = |sub: &str, to: &str| cname_status(domain, sub, to, dns_ok, true);
    let proxy = proxy_status(layout);
    let complete = state == DomainState::Complete && proxy["status"] != "failed";
    json!({
        "status": if complete { "complete" } else { "incomplete" },
        "dns": {
            "status": if dns_ok { "complete" } else { "in_progress" },
            "cnames": {
                "clerk": cname_status(domain, "clerk", "frontend-api.clerk.services", dns_ok, layout.proxy_url().is_none()),
                "accounts": cname("accounts", "accounts.clerk.services"),
                "clkmail": cname("clkmail", "mail.sbx1a2b3c4d5e.clerk.services"),
                "clk._domainkey": cname("clk._domainkey", "dkim1.sbx1a2b3c4d5e.clerk.services"),
                "clk2._domainkey": cname("clk2._domainkey", "dkim2.sbx1a2b3c4d5e.clerk.services")
            }
        },
        "ssl": {"status": ssl, "required": true, "failure_hints": null},
        "mail": {"status": if dns_ok { "complete" } else { "not_started" }, "required": true},
        "proxy": proxy
    })
}

/// The satellite's status: its one `clerk` record and its certificate; no mail of its own.
pub fn satellite_status_body(satellite: &str, record: bool) -> Value {
    json!({
        "status": if record { "complete" } else { "incomplete" },
        "dns": {
            "status": if record { "complete" } else { "in_progress" },
            "cnames": {"clerk": cname_status(satellite, "clerk", "frontend-api.clerk.services", record, true)}
        },
        "ssl": {"status": if record { "complete" } else { "not_started" }, "required": true, "failure_hints": null},
        "mail": {"status": "not_required", "required": false},
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

/// Which of the application's domains a path names.
enum Named {
    Production,
    Satellite(&'static str),
}

fn named(world: &World, domain: &str) -> Option<Named> {
    let layout = world.scenario.layout;
    if !world.production {
        return None;
    }
    if domain == layout.clerk_domain() || domain == "dmn_2sandboxQuillmate" {
        return Some(Named::Production);
    }
    layout
        .satellite()
        .filter(|s| domain == *s || domain == SATELLITE_DOMAIN_ID)
        .map(Named::Satellite)
}

/// The domain's status, as the status and DNS check answer it.
fn named_status(world: &World, named: &Named) -> Value {
    let layout = world.scenario.layout;
    match named {
        Named::Production => status_body(world.scenario.domain_state, layout),
        Named::Satellite(s) => satellite_status_body(s, layout.satellite_record()),
    }
}

/// A domain the application does not have (none while no production instance exists).
fn unknown_domain() -> Response {
    error(
        StatusCode::NOT_FOUND,
        "resource_not_found",
        "Domain not found.",
    )
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
    let layout = world.scenario.layout;
    let data: Vec<Value> = if world.production {
        std::iter::once(domain_body(layout))
            .chain(layout.satellite().map(satellite_domain_body))
            .collect()
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
    let Some(named) = named(&world, &domain) else {
        return unknown_domain();
    };
    Json(named_status(&world, &named)).into_response()
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
    let Some(named) = named(&world, &domain) else {
        return unknown_domain();
    };
    if world.dns_check_running {
        world.dns_check_running = false;
        return error(
            StatusCode::CONFLICT,
            "dns_check_in_progress",
            "A DNS check is already running.",
        );
    }
    world.dns_check_running = true;
    let mut body = named_status(&world, &named);
    body["domain_id"] = json!(match named {
        Named::Production => "dmn_2sandboxQuillmate",
        Named::Satellite(_) => SATELLITE_DOMAIN_ID,
    });
    body["last_run_at"] = json!(1_795_000_000_000_i64);
    Json(body).into_response()
}

async fn workspace_domain(
    State(w): State<Shared>,
    headers: HeaderMap,
    Path(domain): Path<String>,
) -> Response {
    reject!(unauthorized(&headers));
    let world = w.lock().unwrap();
    match named(&world, &domain) {
        Some(Named::Production) => {
            Json(workspace_domain_body(world.scenario.layout)).into_response()
        }
        Some(Named::Satellite(s)) => Json(with_owner(satellite_domain_body(s))).into_response(),
        None => unknown_domain(),
    }
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
