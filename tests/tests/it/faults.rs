//! How Golive's Clerk client meets a misbehaving API, over real sockets: reads retry with
//! backoff and honour Retry-After, writes are sent once, bad JSON and silence are reported.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

use axum::http::StatusCode;
use axum::response::IntoResponse;
use axum::routing::{get, post};
use axum::Router;
use golive_core::config::Endpoints;
use golive_core::http::Http;
use golive_core::secrets::Secret;
use golive_core::vendors::clerk::backend::Backend;
use golive_core::vendors::clerk::platform::Platform;

/// A server whose every route counts its hits; returns its URL and the counter.
async fn serve(router: Router<Arc<AtomicUsize>>) -> (Endpoints, Arc<AtomicUsize>) {
    let hits = Arc::new(AtomicUsize::new(0));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let app = router.with_state(hits.clone());
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    let endpoints = Endpoints::from_vars([
        ("GOLIVE_CLERK_API_URL".to_string(), url),
        ("GOLIVE_HTTP_TIMEOUT_MS".to_string(), "1000".to_string()),
    ])
    .unwrap();
    (endpoints, hits)
}

fn key() -> Secret {
    Secret::new("sk_live_faulttestfaulttest0000")
}

#[tokio::test]
async fn reads_retry_server_errors_then_succeed() {
    let (e, hits) = serve(Router::new().route(
        "/v1/instance",
        get(
            |axum::extract::State(h): axum::extract::State<Arc<AtomicUsize>>| async move {
                if h.fetch_add(1, Ordering::SeqCst) < 2 {
                    StatusCode::SERVICE_UNAVAILABLE.into_response()
                } else {
                    axum::Json(serde_json::json!({"id": "ins_1", "environment_type": "production"}))
                        .into_response()
                }
            },
        ),
    ))
    .await;
    let http = Http::new(&e).unwrap();
    let instance = Backend::new(&http, &e.clerk_api, &key())
        .instance()
        .await
        .unwrap();
    assert_eq!(instance.id, "ins_1");
    assert_eq!(hits.load(Ordering::SeqCst), 3);
}

#[tokio::test]
async fn a_rate_limit_is_reported_with_its_wait_when_it_persists() {
    let (e, hits) = serve(Router::new().route(
        "/v1/instance",
        get(
            |axum::extract::State(h): axum::extract::State<Arc<AtomicUsize>>| async move {
                h.fetch_add(1, Ordering::SeqCst);
                (StatusCode::TOO_MANY_REQUESTS, [("retry-after", "1")], "{}")
            },
        ),
    ))
    .await;
    let http = Http::new(&e).unwrap();
    let err = Backend::new(&http, &e.clerk_api, &key())
        .instance()
        .await
        .unwrap_err();
    assert_eq!(err.code(), "clerk_rate_limited");
    assert!(err.to_string().contains("in 1 s"), "{err}");
    assert_eq!(hits.load(Ordering::SeqCst), 3, "retried, then gave up");
}

#[tokio::test]
async fn writes_are_sent_once() {
    let (e, hits) = serve(Router::new().route(
        "/v1/platform/applications/app_1/instances",
        post(
            |axum::extract::State(h): axum::extract::State<Arc<AtomicUsize>>| async move {
                h.fetch_add(1, Ordering::SeqCst);
                StatusCode::BAD_GATEWAY
            },
        ),
    ))
    .await;
    let http = Http::new(&e).unwrap();
    let key = Secret::new("ak_fault");
    let err = Platform::new(&http, &e.clerk_api, &key)
        .create_production_instance("app_1", "quillmate.test", None)
        .await
        .unwrap_err();
    assert_eq!(err.code(), "clerk_unavailable");
    assert_eq!(hits.load(Ordering::SeqCst), 1);
}

#[tokio::test]
async fn malformed_json_is_a_clear_error() {
    let (e, _) = serve(Router::new().route("/v1/instance", get(|| async { "{not json" }))).await;
    let http = Http::new(&e).unwrap();
    let err = Backend::new(&http, &e.clerk_api, &key())
        .instance()
        .await
        .unwrap_err();
    assert_eq!(err.code(), "clerk_bad_response");
    assert!(err.to_string().contains("GET /v1/instance"), "{err}");
}

#[tokio::test]
async fn a_silent_server_times_out() {
    let (e, _) = serve(Router::new().route(
        "/v1/instance",
        get(|| async {
            tokio::time::sleep(std::time::Duration::from_secs(60)).await;
            "late"
        }),
    ))
    .await;
    let http = Http::new(&e).unwrap();
    let started = std::time::Instant::now();
    let err = Backend::new(&http, &e.clerk_api, &key())
        .instance()
        .await
        .unwrap_err();
    assert_eq!(err.code(), "unreachable");
    assert!(err.to_string().contains("timed out"), "{err}");
    assert!(
        started.elapsed() < std::time::Duration::from_secs(5),
        "the configured timeout"
    );
}
