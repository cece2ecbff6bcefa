//! Fake OAuth token endpoints for Google, GitHub, Microsoft, Discord and Apple, answering a
//! code exchange as each provider does (notes: ../shared/notes/clerk.md §5): the sandbox
//! app's credentials are accepted up to the made-up code, anything else is refused in the
//! provider's own words, and a redirect URI the app did not register is named.

use std::collections::HashMap;
use std::sync::OnceLock;

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use axum::{Form, Json, Router};
use base64::Engine;
use serde_json::{json, Value};

use crate::scenario::{Layout, Shared};

/// The sandbox app's registered production client, per provider.
pub struct Client {
    pub provider: &'static str,
    pub client_id: &'static str,
    pub secret: &'static str,
}

pub const CLIENTS: &[Client] = &[
    Client {
        provider: "google",
        client_id: "424242424242-sandbox.apps.googleusercontent.com",
        secret: "GOCSPX-sandboxGoogleSecret42",
    },
    Client {
        provider: "github",
        client_id: "Ov23liSandboxGithub42",
        secret: "0123456789abcdef0123456789abcdef01234567",
    },
    Client {
        provider: "microsoft",
        client_id: "3f2a1b4c-5d6e-4f70-8a9b-0c1d2e3f4a5b",
        secret: "Sbx8Q~sandboxMicrosoftSecretValue.42",
    },
    Client {
        provider: "discord",
        client_id: "123456789012345678",
        secret: "sandboxDiscordSecret0123456789ab",
    },
    // Apple's secret is a JWT signed with the key below.
    Client {
        provider: "apple",
        client_id: "test.quillmate.signin",
        secret: "",
    },
];
pub const APPLE_TEAM_ID: &str = "SBXTEAM042";
pub const APPLE_KEY_ID: &str = "SBXKEY0042";

/// The sandbox's Apple key (P-256), the same for the whole process.
pub fn apple_key() -> &'static rcgen::KeyPair {
    static KEY: OnceLock<rcgen::KeyPair> = OnceLock::new();
    KEY.get_or_init(|| rcgen::KeyPair::generate().unwrap())
}

pub fn client(provider: &str) -> &'static Client {
    CLIENTS.iter().find(|c| c.provider == provider).unwrap()
}

/// The redirect URI Clerk's production instance uses, which the app registered.
pub fn production_callback() -> String {
    callback(Layout::Apex)
}

/// Clerk's OAuth callback in `layout`: on the domain's `frontend_api_url` (what clerk/cli's
/// deploy walkthrough prints, clerk/cli#335), so behind a proxy too — no source says the
/// proxy URL takes its place.
pub fn callback(layout: Layout) -> String {
    format!("https://{}/v1/oauth_callback", layout.frontend_api())
}

pub fn routes() -> Router<Shared> {
    Router::new().route("/oauth/{provider}/token", post(token))
}

fn answer(status: u16, error: &str, description: &str) -> Response {
    let mut body = json!({ "error": error });
    if !description.is_empty() {
        body["error_description"] = json!(description);
    }
    (StatusCode::from_u16(status).unwrap(), Json(body)).into_response()
}

/// Checks Apple's client secret: an ES256 JWT by the sandbox team's key, for this client.
fn apple_secret_ok(jwt: &str, client_id: &str) -> bool {
    let b64 = base64::engine::general_purpose::URL_SAFE_NO_PAD;
    let parts: Vec<&str> = jwt.split('.').collect();
    let [header, claims, signature] = parts.as_slice() else {
        return false;
    };
    let decode = |p: &str| -> Value {
        b64.decode(p)
            .ok()
            .and_then(|b| serde_json::from_slice(&b).ok())
            .unwrap_or_default()
    };
    let (h, c) = (decode(header), decode(claims));
    let Ok(sig) = b64.decode(signature) else {
        return false;
    };
    let key = ring::signature::UnparsedPublicKey::new(
        &ring::signature::ECDSA_P256_SHA256_FIXED,
        apple_key().public_key_raw(),
    );
    key.verify(format!("{header}.{claims}").as_bytes(), &sig)
        .is_ok()
        && h["kid"] == APPLE_KEY_ID
        && c["iss"] == APPLE_TEAM_ID
        && c["sub"] == client_id
        && c["aud"] == "https://appleid.apple.com"
}

async fn token(
    State(world): State<Shared>,
    Path(provider): Path<String>,
    Form(form): Form<HashMap<String, String>>,
) -> Response {
    let Some(registered) = CLIENTS.iter().find(|c| c.provider == provider) else {
        return StatusCode::NOT_FOUND.into_response();
    };
    let field = |k: &str| form.get(k).map(String::as_str).unwrap_or_default();
    let (id, secret, redirect) = (
        field("client_id"),
        field("client_secret"),
        field("redirect_uri"),
    );
    let known_id = id == registered.client_id;
    let right_secret = if provider == "apple" {
        apple_secret_ok(secret, id)
    } else {
        secret == registered.secret
    };
    let registered_redirect = {
        let w = world.lock().unwrap();
        w.oauth_redirects
            .get(provider.as_str())
            .cloned()
            .unwrap_or_else(|| callback(w.scenario.layout))
    };
    let redirect_ok = redirect == registered_redirect;
    match provider.as_str() {
        "google" => match (known_id, right_secret, redirect_ok) {
            (false, _, _) => answer(401, "invalid_client", "The OAuth client was not found."),
            (_, false, _) => answer(401, "invalid_client", "Unauthorized"),
            (_, _, false) => answer(400, "redirect_uri_mismatch", "Bad Request"),
            _ => answer(400, "invalid_grant", "Malformed auth code."),
        },
        // GitHub answers 200 with the error in the body.
        "github" => match (known_id && right_secret, redirect_ok) {
            (false, _) => answer(200, "incorrect_client_credentials", "The client_id and/or client_secret passed are incorrect."),
            (_, false) => answer(200, "redirect_uri_mismatch", "The redirect_uri MUST match the registered callback URL for this application."),
            _ => answer(200, "bad_verification_code", "The code passed is incorrect or expired."),
        },
        "microsoft" => match (known_id, right_secret, redirect_ok) {
            (false, _, _) => answer(400, "unauthorized_client", &format!("AADSTS700016: Application with identifier '{id}' was not found in the directory 'Microsoft Accounts'.")),
            (_, false, _) => answer(401, "invalid_client", "AADSTS7000215: Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID."),
            (_, _, false) => answer(400, "invalid_request", "AADSTS50011: The redirect URI specified in the request does not match the redirect URIs configured for the application."),
            _ => answer(400, "invalid_grant", "AADSTS9002313: Invalid request. Request is malformed or invalid."),
        },
        "discord" => match (known_id && right_secret, redirect_ok) {
            (false, _) => answer(401, "invalid_client", ""),
            (_, false) => answer(400, "invalid_grant", "Invalid \"redirect_uri\" in request."),
            _ => answer(400, "invalid_grant", "Invalid \"code\" in request."),
        },
        _ => match (known_id && right_secret, redirect_ok) {
            (false, _) => answer(400, "invalid_client", ""),
            (_, false) => answer(400, "invalid_request", "Invalid redirect_uri."),
            _ => answer(400, "invalid_grant", ""),
        },
    }
}
