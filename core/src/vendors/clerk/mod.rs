//! Clerk's APIs: the Backend API (secret key), the Platform API (platform key) and the
//! Frontend API (public, on the user's own `clerk.<domain>`). The first two share one base
//! URL, one error shape (`ClerkErrors`) and the request plumbing below.

pub mod backend;
pub mod frontend;
pub mod platform;

use reqwest::StatusCode;
use serde::Deserialize;
use url::Url;

use crate::error::Error;
use crate::http::{Api, Http, Vendor};
use crate::secrets::Secret;

pub(crate) const VENDOR: Vendor = Vendor {
    name: "Clerk",
    bad_response: "clerk_bad_response",
    status_page: "status.clerk.com",
};
const API_VERSION: &str = "2026-05-12";

/// Which key authenticated the request: it decides what a 401 tells the user to do.
#[derive(Clone, Copy)]
pub(crate) enum KeyKind {
    Secret,
    Platform,
}

/// The Backend or Platform API with `key`.
pub(crate) fn api<'a>(http: &'a Http, base: &'a Url, key: &'a Secret, kind: KeyKind) -> Api<'a> {
    Api::new(&VENDOR, http, base, key, move |status, wait, body| {
        api_error(kind, status, wait, body)
    })
    .header("Clerk-API-Version", API_VERSION)
}

/// Clerk's error body, the same from all three APIs.
#[derive(Debug, Deserialize)]
pub(super) struct ClerkErrors {
    pub errors: Vec<ClerkError>,
}

#[derive(Debug, Deserialize)]
pub(super) struct ClerkError {
    pub message: String,
    #[serde(default)]
    pub long_message: Option<String>,
    #[serde(default)]
    pub code: Option<String>,
}

/// One clear message per status; Clerk's own words are added where they help.
fn api_error(
    kind: KeyKind,
    status: StatusCode,
    retry: Option<std::time::Duration>,
    body: &[u8],
) -> Error {
    let clerk = serde_json::from_slice::<ClerkErrors>(body)
        .ok()
        .and_then(|e| e.errors.into_iter().next());
    let clerk_code = clerk
        .as_ref()
        .and_then(|e| e.code.clone())
        .unwrap_or_default();
    let said = clerk.map(|e| e.long_message.unwrap_or(e.message));
    let (code, message) = match (status.as_u16(), kind) {
        (401, KeyKind::Secret) => (
            "clerk_key_rejected",
            "Clerk rejected this secret key (401). Copy the secret key again from the Clerk \
             dashboard → API keys, for the production instance."
                .to_string(),
        ),
        (401, KeyKind::Platform) => (
            "clerk_platform_key_rejected",
            "Clerk rejected this platform key (401). Create a new one in the Clerk dashboard → \
             Platform API keys, or continue with the guided steps."
                .to_string(),
        ),
        (402, _) => (
            "clerk_plan_insufficient",
            "Your Clerk plan does not cover the features this production instance would use \
             (402). Upgrade the plan in the Clerk dashboard → Billing, or turn those features \
             off in development first."
                .to_string(),
        ),
        (403, _) => (
            "clerk_forbidden",
            "Clerk refused the request (403): this key is not allowed to do that.".to_string(),
        ),
        (404, _) => (
            "clerk_not_found",
            "Clerk says this was not found (404). Check that the key belongs to the \
             application and instance you mean."
                .to_string(),
        ),
        (409, _) if clerk_code == "production_instance_exists" => (
            "clerk_production_exists",
            "This application already has a production instance.".to_string(),
        ),
        (409, _) => (
            "clerk_conflict",
            "Clerk reported a conflict (409). Reload this step to see the current state, \
             then try again."
                .to_string(),
        ),
        (422, _) => (
            "clerk_invalid_request",
            "Clerk did not accept the request (422). Reload this step and try again; if it \
             persists, check status.clerk.com."
                .to_string(),
        ),
        (429, _) => (
            "clerk_rate_limited",
            VENDOR.rate_limited("requests", retry.map(|d| d.as_secs())),
        ),
        (s, _) if s >= 500 => ("clerk_unavailable", VENDOR.server_error(s)),
        (s, _) => ("clerk_error", format!("Clerk answered {s}.")),
    };
    VENDOR.error(
        code,
        match said {
            Some(d) if status != StatusCode::UNAUTHORIZED => format!("{message} Clerk said: {d}"),
            _ => message,
        },
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn err(kind: KeyKind, status: u16, body: &str, retry: Option<u64>) -> Error {
        api_error(
            kind,
            StatusCode::from_u16(status).unwrap(),
            retry.map(std::time::Duration::from_secs),
            body.as_bytes(),
        )
    }

    #[test]
    fn each_status_gets_its_own_message() {
        let clerk_body =
            r#"{"errors":[{"message":"m","long_message":"Domain is taken","code":"x"}]}"#;
        for (status, kind, code, needle) in [
            (401, KeyKind::Secret, "clerk_key_rejected", "secret key"),
            (
                401,
                KeyKind::Platform,
                "clerk_platform_key_rejected",
                "Platform API keys",
            ),
            (402, KeyKind::Platform, "clerk_plan_insufficient", "Billing"),
            (403, KeyKind::Secret, "clerk_forbidden", "not allowed"),
            (404, KeyKind::Secret, "clerk_not_found", "not found"),
            (409, KeyKind::Platform, "clerk_conflict", "Domain is taken"),
            (
                422,
                KeyKind::Platform,
                "clerk_invalid_request",
                "Domain is taken",
            ),
            (
                500,
                KeyKind::Secret,
                "clerk_unavailable",
                "status.clerk.com",
            ),
            (503, KeyKind::Secret, "clerk_unavailable", "503"),
        ] {
            let e = err(kind, status, clerk_body, None);
            assert_eq!(e.code(), code, "{status}");
            assert!(e.to_string().contains(needle), "{status}: {e}");
        }
    }

    #[test]
    fn rate_limits_say_when_to_retry_and_conflicts_are_recognised() {
        assert!(err(KeyKind::Secret, 429, "", Some(30))
            .to_string()
            .contains("in 30 s"));
        let exists = r#"{"errors":[{"message":"exists","long_message":"exists","code":"production_instance_exists"}]}"#;
        assert_eq!(
            err(KeyKind::Platform, 409, exists, None).code(),
            "clerk_production_exists"
        );
        // A 401 never echoes the body, which could quote the key.
        assert!(!err(
            KeyKind::Secret,
            401,
            r#"{"errors":[{"message":"sk_live_x","long_message":"sk_live_x","code":"c"}]}"#,
            None
        )
        .to_string()
        .contains("sk_live_x"));
    }
}
