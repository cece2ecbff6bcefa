//! Fake Clerk Frontend API and Account Portal, over HTTPS with the sandbox's test CA, on
//! `clerk.<domain>` and `accounts.<domain>` of Clerk's domain in the layout, the satellite's
//! `clerk.` and Clerk's shared host behind a proxy (the tests reach them through
//! `GOLIVE_CONNECT_TO`). What it does depends on the world: nothing answers a host before its
//! DNS record is in place, Clerk's shared certificate is served while the domain's is pending.

use std::sync::Arc;

use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use hyper_util::rt::TokioIo;
use hyper_util::service::TowerToHyperService;
use rustls::server::Acceptor;
use serde_json::{json, Value};
use tokio::net::TcpListener;

use super::backend::jwks_body;
use super::error;
use crate::scenario::{Fapi, Layout, Shared, DEV_FRONTEND_API, DEV_INSTANCE_ID, INSTANCE_ID};
use crate::tls::TestCa;

/// The social providers each instance has on: development has Google and GitHub (with
/// Clerk's shared credentials), production only what was set up.
pub fn social(environment_type: &str) -> Value {
    let on: &[&str] = if environment_type == "development" {
        &["google", "github"]
    } else {
        &["google"]
    };
    let entry = |p: &str| {
        json!({"enabled": true, "required": false, "authenticatable": true,
               "block_email_subaddresses": false, "strategy": format!("oauth_{p}"),
               "not_selectable": false, "deprecated": false, "name": p})
    };
    Value::Object(
        on.iter()
            .map(|p| (format!("oauth_{p}"), entry(p)))
            .collect(),
    )
}

/// The instance's environment; production's URLs are its layout's (the app's domain, the
/// Account Portal on Clerk's domain).
pub fn environment_body(environment_type: &str, layout: Layout) -> Value {
    // The least user_settings the spec accepts (generated from its required fields, email
    // sign-in on), with the instance's social providers.
    let mut user_settings: Value =
        serde_json::from_str(include_str!("user_settings.json")).unwrap();
    user_settings["social"] = social(environment_type);
    let home = format!("https://{}", layout.app_domain());
    let accounts = format!("https://{}", layout.accounts_host());
    json!({
        "display_config": {
            "object": "display_config",
            "id": "display_config_2sandbox",
            "instance_environment_type": environment_type,
            "application_name": "Quillmate",
            "theme": {},
            "preferred_sign_in_strategy": "password",
            "home_url": home,
            "sign_in_url": format!("{accounts}/sign-in"),
            "sign_up_url": format!("{accounts}/sign-up"),
            "user_profile_url": format!("{accounts}/user"),
            "waitlist_url": format!("{accounts}/waitlist"),
            "oauth_consent_url": format!("{accounts}/oauth-consent"),
            "after_sign_in_url": home,
            "after_sign_up_url": home,
            "after_sign_out_one_url": format!("{accounts}/sign-in/choose"),
            "after_sign_out_all_url": format!("{accounts}/sign-in"),
            "after_switch_session_url": home,
            "after_join_waitlist_url": home,
            "organization_profile_url": format!("{accounts}/organization"),
            "create_organization_url": format!("{accounts}/create-organization"),
            "after_leave_organization_url": home,
            "after_create_organization_url": home,
            "logo_link_url": home,
            "support_email": null,
            "branded": false,
            "experimental_force_oauth_first": false,
            "clerk_js_version": null,
            "show_devmode_warning": false,
            "google_one_tap_client_id": null,
            "help_url": null,
            "privacy_policy_url": null,
            "terms_url": null,
            "logo_url": null,
            "favicon_url": null,
            "logo_image": null,
            "favicon_image": null,
            "captcha_public_key": null,
            "captcha_widget_type": null,
            "captcha_public_key_invisible": null,
            "captcha_provider": null,
            "captcha_oauth_bypass": []
        },
        "user_settings": user_settings,
        "maintenance_mode": false
    })
}

/// The host a request asked for, without its port.
pub fn host(headers: &HeaderMap) -> String {
    headers
        .get("host")
        .and_then(|h| h.to_str().ok())
        .unwrap_or_default()
        .split(':')
        .next()
        .unwrap_or_default()
        .to_ascii_lowercase()
}

/// The Frontend API and Account Portal, as every host (and a proxy, in-process) reaches them.
pub fn router(world: Shared) -> Router {
    Router::new()
        .route("/v1/environment", get(environment))
        .route("/.well-known/jwks.json", get(jwks))
        .route("/", get(portal))
        .merge(super::client::routes())
        .layer(axum::middleware::from_fn_with_state(
            world.clone(),
            super::proxied::admit,
        ))
        .layer(axum::middleware::from_fn_with_state(
            world.clone(),
            crate::faults::inject,
        ))
        .layer(axum::middleware::from_fn_with_state(
            world.clone(),
            crate::record_frontend,
        ))
        .layer(axum::middleware::from_fn(crate::faults::delay))
        .layer(axum::middleware::from_fn_with_state(
            world.clone(),
            crate::note_https,
        ))
        .with_state(world)
}

async fn environment(State(w): State<Shared>, headers: HeaderMap) -> Response {
    let host = host(&headers);
    let layout = w.lock().unwrap().scenario.layout;
    if host == DEV_FRONTEND_API {
        return Json(environment_body("development", layout)).into_response();
    }
    if !layout.serves_frontend_api(&host) {
        return error(StatusCode::NOT_FOUND, "resource_not_found", "Not found.");
    }
    Json(environment_body("production", layout)).into_response()
}

async fn jwks(State(w): State<Shared>, headers: HeaderMap) -> Response {
    let host = host(&headers);
    if host == DEV_FRONTEND_API {
        return Json(jwks_body(DEV_INSTANCE_ID)).into_response();
    }
    if !w.lock().unwrap().scenario.layout.serves_frontend_api(&host) {
        return error(StatusCode::NOT_FOUND, "resource_not_found", "Not found.");
    }
    Json(jwks_body(INSTANCE_ID)).into_response()
}

async fn portal(State(w): State<Shared>, headers: HeaderMap) -> Response {
    if host(&headers) != w.lock().unwrap().scenario.layout.accounts_host() {
        return StatusCode::NOT_FOUND.into_response();
    }
    Html("<!doctype html><title>Quillmate — Account Portal</title>").into_response()
}

/// Serves HTTPS on `listener` until the task is aborted, as the production instance's
/// state has it for the host each connection names (its SNI).
pub async fn serve(listener: TcpListener, world: Shared, ca: Arc<TestCa>) {
    let app = router(world.clone());
    loop {
        let Ok((tcp, _)) = listener.accept().await else {
            continue;
        };
        let (app, world, ca) = (app.clone(), world.clone(), ca.clone());
        tokio::spawn(async move {
            let acceptor = tokio_rustls::LazyConfigAcceptor::new(Acceptor::default(), tcp);
            let Ok(start) = acceptor.await else {
                return;
            };
            let sni = start
                .client_hello()
                .server_name()
                .map(str::to_ascii_lowercase);
            let fapi = world.lock().unwrap().fapi_at(sni.as_deref());
            let config = match fapi {
                // Nothing serves the name: reset the connection, as a host with no listener
                // would.
                Fapi::Down => {
                    // Dropped unpolled, the handshake writes nothing.
                    let unanswered = start.into_stream(ca.pending.clone());
                    if let Some(tcp) = unanswered.get_ref() {
                        let _ = tcp.set_zero_linger();
                    }
                    return;
                }
                Fapi::CertPending => ca.pending.clone(),
                Fapi::Serving => ca.issued.clone(),
            };
            let Ok(tls) = start.into_stream(config).await else {
                return;
            };
            serve_http(app, tls).await;
        });
    }
}

/// The development instance's Frontend API: always up, on Clerk's own domain.
pub async fn serve_development(listener: TcpListener, world: Shared, ca: Arc<TestCa>) {
    let app = router(world);
    loop {
        if let Ok((tcp, _)) = listener.accept().await {
            spawn_tls(app.clone(), tcp, ca.development.clone());
        }
    }
}

fn spawn_tls(app: Router, tcp: tokio::net::TcpStream, config: Arc<rustls::ServerConfig>) {
    tokio::spawn(async move {
        let Ok(tls) = tokio_rustls::TlsAcceptor::from(config).accept(tcp).await else {
            return;
        };
        serve_http(app, tls).await;
    });
}

async fn serve_http(app: Router, tls: tokio_rustls::server::TlsStream<tokio::net::TcpStream>) {
    let service = TowerToHyperService::new(app);
    let _ = hyper::server::conn::http1::Builder::new()
        .serve_connection(TokioIo::new(tls), service)
        .await;
}
