//! The site's Frontend API proxy under `/__clerk` (the proxy layouts), as clerk-docs'
//! proxy-fapi.mdx requires one: every request below the path goes to Clerk's shared Frontend
//! API host with the prefix stripped, body and headers intact, plus `Clerk-Proxy-Url`, the
//! server's `Clerk-Secret-Key` and the client's address in `X-Forwarded-For`. The hop is
//! in-process (the Frontend API fake's own router). In `proxy-broken`, and wherever no proxy
//! is set up, the path is the site's 404 page.

use std::net::SocketAddr;

use axum::extract::{Request, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::any;
use axum::{Extension, Router};
use tower::ServiceExt;

use crate::clerk::proxied::{FORWARDED_FOR_HEADER, PROXY_URL_HEADER, SECRET_KEY_HEADER};
use crate::scenario::{Layout, Shared, PROXY_PATH, PROXY_URL, SHARED_FRONTEND_API};

/// The address a connection to the site came from.
#[derive(Debug, Clone, Copy)]
pub struct ClientAddr(pub SocketAddr);

pub fn routes(world: Shared) -> Router<Shared> {
    let fapi = crate::clerk::frontend::router(world);
    let handler = move |State(w): State<Shared>, Extension(client): Extension<ClientAddr>, req| {
        forward(fapi.clone(), w, client, req)
    };
    Router::new()
        .route(PROXY_PATH, any(handler.clone()))
        .route(&format!("{PROXY_PATH}/{{*rest}}"), any(handler))
}

/// What Next.js answers for a path the app has no page for.
pub fn not_found_page() -> Response {
    (
        StatusCode::NOT_FOUND,
        Html("<!DOCTYPE html><title>404: This page could not be found.</title>"),
    )
        .into_response()
}

async fn forward(fapi: Router, world: Shared, client: ClientAddr, req: Request) -> Response {
    let (layout, secret_key) = {
        let w = world.lock().unwrap();
        let layout = w.scenario.layout;
        (layout, w.scenario.server_keys.keys(layout).1)
    };
    if layout != Layout::Proxy {
        return not_found_page();
    }
    let (mut parts, body) = req.into_parts();
    let rest = parts
        .uri
        .path()
        .strip_prefix(PROXY_PATH)
        .unwrap_or_default();
    let path = if rest.is_empty() { "/" } else { rest };
    let target = match parts.uri.query() {
        Some(q) => format!("{path}?{q}"),
        None => path.to_string(),
    };
    let Ok(uri) = target.parse() else {
        return not_found_page();
    };
    parts.uri = uri;
    // The site's route (its `{*rest}` parameter) is not the Frontend API's: a path
    // parameter carried over would be read as the Frontend API route's own.
    parts.extensions.clear();
    for (name, value) in [
        (header::HOST.as_str(), SHARED_FRONTEND_API.to_string()),
        (PROXY_URL_HEADER, PROXY_URL.to_string()),
        (SECRET_KEY_HEADER, secret_key.to_string()),
        (FORWARDED_FOR_HEADER, client.0.ip().to_string()),
    ] {
        if let (Ok(name), Ok(value)) = (
            header::HeaderName::from_bytes(name.as_bytes()),
            HeaderValue::from_str(&value),
        ) {
            parts.headers.insert(name, value);
        }
    }
    match fapi.oneshot(Request::from_parts(parts, body)).await {
        Ok(response) => response,
        Err(never) => match never {},
    }
}
