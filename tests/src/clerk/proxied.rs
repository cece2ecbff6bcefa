//! The Frontend API's side of a proxy (clerk-docs proxy-fapi.mdx): a proxied request reaches
//! Clerk's shared host with `Clerk-Proxy-Url`, `Clerk-Secret-Key` and `X-Forwarded-For`, and
//! is served as the instance whose domain has that proxy URL — only if the secret key is
//! that instance's. Anything else gets Clerk's error shape.

use axum::extract::{Request, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::Response;

use super::error;
use crate::scenario::Shared;

pub const PROXY_URL_HEADER: &str = "clerk-proxy-url";
pub const SECRET_KEY_HEADER: &str = "clerk-secret-key";
pub const FORWARDED_FOR_HEADER: &str = "x-forwarded-for";

/// Middleware: a request without `Clerk-Proxy-Url` goes on as it came; a proxied one goes on
/// as a request for the instance's Frontend API host, or is refused.
pub async fn admit(State(world): State<Shared>, mut req: Request, next: Next) -> Response {
    let header = |name: &str| {
        req.headers()
            .get(name)
            .and_then(|v| v.to_str().ok())
            .map(str::to_string)
    };
    let [proxy_url, secret_key, forwarded_for] =
        [PROXY_URL_HEADER, SECRET_KEY_HEADER, FORWARDED_FOR_HEADER].map(header);
    let Some(proxy_url) = proxy_url else {
        return next.run(req).await;
    };
    let instance = secret_key
        .and_then(|key| world.lock().unwrap().instance_for(&key))
        .filter(|i| i.environment_type == "production");
    let Some(instance) = instance else {
        return error(
            StatusCode::UNAUTHORIZED,
            "clerk_key_invalid",
            "The Clerk-Secret-Key of the proxied request is invalid.",
        );
    };
    if instance.proxy_url != Some(proxy_url.as_str()) {
        return error(
            StatusCode::BAD_REQUEST,
            "proxy_url_invalid",
            &format!("{proxy_url} is not the proxy URL of this instance's domain."),
        );
    }
    if forwarded_for.is_none_or(|ip| ip.trim().is_empty()) {
        return error(
            StatusCode::BAD_REQUEST,
            "proxy_request_invalid",
            "A proxied request must carry the client's address in X-Forwarded-For.",
        );
    }
    if let Ok(host) = HeaderValue::from_str(&instance.frontend_api) {
        req.headers_mut().insert(header::HOST, host);
    }
    next.run(req).await
}
