//! The Content-Security-Policy the live site serves. Most scenarios send the policy Clerk's
//! own helper generates (`clerkMiddleware({ contentSecurityPolicy: {} })`, normal mode, in a
//! production build) for the live Frontend API. In `csp-blocks-clerk` the policies were
//! written for the development instance and never updated: the header's `script-src` and the
//! page's `<meta>` `connect-src` still name only its Frontend API.

use axum::extract::{Request, State};
use axum::http::HeaderValue;
use axum::middleware::Next;
use axum::response::Response;

use crate::scenario::{Shared, DEV_FRONTEND_API};

fn blocks_clerk(world: &Shared) -> bool {
    world.lock().unwrap().scenario.name == "csp-blocks-clerk"
}

/// What Clerk's helper sends for the Frontend API host: its directives sorted by name,
/// keywords quoted, the host as it is (no scheme) in `connect-src`.
pub fn clerk_helper_policy(frontend_api: &str) -> String {
    format!(
        "connect-src 'self' https://clerk-telemetry.com https://*.clerk-telemetry.com \
         https://api.stripe.com https://maps.googleapis.com https://img.clerk.com \
         https://images.clerkstage.dev https://*.protect.clerk.com:* {frontend_api}; \
         default-src 'self'; form-action 'self'; frame-src 'self' \
         https://challenges.cloudflare.com https://*.js.stripe.com https://js.stripe.com \
         https://hooks.stripe.com https://*.protect.clerk.com; img-src 'self' \
         https://img.clerk.com; script-src 'self' 'unsafe-inline' https: http: \
         https://*.js.stripe.com https://js.stripe.com https://maps.googleapis.com \
         https://*.protect.clerk.com; style-src 'self' 'unsafe-inline'; worker-src 'self' blob:"
    )
}

fn development_policy() -> String {
    format!(
        "default-src 'self'; script-src 'self' 'unsafe-inline' https://{DEV_FRONTEND_API} \
         https://challenges.cloudflare.com; img-src 'self' https://img.clerk.com; style-src \
         'self' 'unsafe-inline'; frame-src https://challenges.cloudflare.com; worker-src 'self' \
         blob:"
    )
}

/// Middleware: the scenario's `Content-Security-Policy` header on every answer.
pub async fn header(State(world): State<Shared>, req: Request, next: Next) -> Response {
    let policy = if blocks_clerk(&world) {
        development_policy()
    } else {
        let layout = world.lock().unwrap().scenario.layout;
        clerk_helper_policy(layout.frontend_api())
    };
    let mut resp = next.run(req).await;
    if let Ok(v) = HeaderValue::from_str(&policy) {
        resp.headers_mut().insert("content-security-policy", v);
    }
    resp
}

/// The `<meta http-equiv>` policy for the page's head (none in most scenarios), quoted as
/// React writes attributes.
pub fn meta(world: &Shared) -> String {
    if !blocks_clerk(world) {
        return String::new();
    }
    format!(
        "<meta http-equiv=\"Content-Security-Policy\" content=\"connect-src &#x27;self&#x27; \
         https://{DEV_FRONTEND_API}\">"
    )
}
