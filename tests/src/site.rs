//! The live site over HTTPS (`https://<domain>`): a page whose script carries the
//! publishable key the newest READY deployment was built with, as a Next.js build inlines it,
//! the app's Clerk webhook route (`site_webhook`), and in the proxy layouts the Frontend API
//! proxy (`proxy`). It answers for the app's domain whatever the layout puts it at.

pub mod auth;
pub mod proxy;

use std::sync::Arc;

use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::{get, post};
use axum::Router;
use hyper_util::rt::TokioIo;
use hyper_util::service::TowerToHyperService;
use tokio::net::TcpListener;

use crate::scenario::Shared;
use crate::tls::TestCa;

pub const SCRIPT: &str = "/_next/static/chunks/app-5f2c1d.js";

async fn page(State(w): State<Shared>, headers: HeaderMap) -> Response {
    // In `www-canonical` the apex sends visitors to `www.`, as many hosts set a domain up.
    let host = headers
        .get("host")
        .and_then(|h| h.to_str().ok())
        .unwrap_or_default();
    let www_canonical = w.lock().unwrap().scenario.name == "www-canonical";
    if www_canonical && host.split(':').next() == Some(crate::DOMAIN) {
        let to = format!("https://www.{}/", crate::DOMAIN);
        return (StatusCode::PERMANENT_REDIRECT, [("location", to)]).into_response();
    }
    let csp = crate::site_csp::meta(&w);
    Html(format!(
        "<!DOCTYPE html><html><head><title>Quillmate</title>{csp}\
         <script src=\"{SCRIPT}\" async></script></head><body><main>Quillmate</main></body></html>"
    ))
    .into_response()
}

async fn script(State(w): State<Shared>) -> Response {
    let key = w.lock().unwrap().live_publishable_key();
    (
        [("content-type", "application/javascript")],
        format!("(self.__next=self.__next||[]).push({{clerk:{{publishableKey:\"{key}\"}}}});"),
    )
        .into_response()
}

pub async fn serve(listener: TcpListener, world: Shared, ca: Arc<TestCa>) {
    let app = Router::new()
        .route("/", get(page))
        .route(SCRIPT, get(script))
        .merge(auth::routes(world.clone()))
        .merge(proxy::routes(world.clone()))
        .route(crate::site_webhook::PATH, post(crate::site_webhook::handle))
        .layer(axum::middleware::from_fn_with_state(
            world.clone(),
            crate::site_csp::header,
        ))
        .layer(axum::middleware::from_fn(crate::faults::delay))
        .layer(axum::middleware::from_fn_with_state(
            world.clone(),
            crate::note_https,
        ))
        .with_state(world);
    loop {
        let Ok((tcp, client)) = listener.accept().await else {
            continue;
        };
        let app = app
            .clone()
            .layer(axum::Extension(proxy::ClientAddr(client)));
        let config = ca.site.clone();
        tokio::spawn(async move {
            let Ok(tls) = tokio_rustls::TlsAcceptor::from(config).accept(tcp).await else {
                return;
            };
            let _ = hyper::server::conn::http1::Builder::new()
                .serve_connection(TokioIo::new(tls), TowerToHyperService::new(app))
                .await;
        });
    }
}
