//! Vercel's REST API, authenticated with an access token and scoped to a team when one is
//! given (`teamId`). Shapes: tests/fixtures/specs/vercel.json, cut from Vercel's OpenAPI spec.

pub mod deployments;
pub mod dns;
pub mod domains;
pub mod env;
pub mod projects;

use reqwest::StatusCode;
use serde::Deserialize;
use url::Url;

use crate::error::Error;
use crate::http::{Api, Http, Vendor};
use crate::secrets::Secret;

const VENDOR: Vendor = Vendor {
    name: "Vercel",
    bad_response: "vercel_bad_response",
    status_page: "vercel-status.com",
};

pub struct Vercel<'a> {
    api: Api<'a>,
}

/// Vercel's error body: `{error: {code, message, limit?}}`.
#[derive(Debug, Deserialize)]
struct ErrorBody {
    error: ErrorDetail,
}

#[derive(Debug, Deserialize)]
struct ErrorDetail {
    #[serde(default)]
    message: String,
    #[serde(default)]
    limit: Option<RateLimit>,
}

#[derive(Debug, Deserialize)]
struct RateLimit {
    /// When the window resets, in seconds since the epoch.
    reset: u64,
}

impl<'a> Vercel<'a> {
    pub fn new(http: &'a Http, base: &'a Url, token: &'a Secret, team_id: Option<&'a str>) -> Self {
        Vercel {
            api: Api::new(&VENDOR, http, base, token, status_error)
                .scope(team_id.map(|team| ("teamId", team))),
        }
    }
}

fn status_error(status: StatusCode, retry: Option<std::time::Duration>, body: &[u8]) -> Error {
    let detail = serde_json::from_slice::<ErrorBody>(body)
        .ok()
        .map(|b| b.error);
    let said = detail
        .as_ref()
        .map(|d| d.message.trim().to_string())
        .filter(|m| !m.is_empty());
    let quoted = said
        .as_deref()
        .map(|m| format!(" ({m})"))
        .unwrap_or_default();
    let (code, message) = match status.as_u16() {
        401 => (
            "vercel_token_rejected",
            "Vercel rejected the access token (401). Create a new one at vercel.com/account/tokens \
             and paste it again."
                .to_string(),
        ),
        403 => (
            "vercel_forbidden",
            format!(
                "This token may not do that{quoted}. Use a token whose scope includes the team \
                 that owns the project; changing production environment variables may need the \
                 team's Owner role."
            ),
        ),
        404 => (
            "vercel_not_found",
            format!("Vercel has no such project, domain or deployment{quoted}. Check the project and team."),
        ),
        409 => (
            "vercel_conflict",
            format!(
                "Vercel refused the change because of a conflict{quoted}. Reload this step to \
                 see the project's current state, then try again."
            ),
        ),
        429 => {
            let wait = retry.map(|d| d.as_secs()).or_else(|| {
                let reset = detail.as_ref()?.limit.as_ref()?.reset;
                let now = std::time::SystemTime::now()
                    .duration_since(std::time::UNIX_EPOCH)
                    .ok()?
                    .as_secs();
                Some(reset.saturating_sub(now))
            });
            (
                "vercel_rate_limited",
                VENDOR.rate_limited("this token", wait),
            )
        }
        s if s >= 500 => (
            "vercel_unavailable",
            VENDOR.server_error(s),
        ),
        s => (
            "vercel_error",
            format!(
                "Vercel did not accept the request ({s}){quoted}. Reload this step and try \
                 again; if it persists, check vercel-status.com."
            ),
        ),
    };
    VENDOR.error(code, message)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statuses_have_their_messages() {
        let body =
            br#"{"error":{"code":"forbidden","message":"additional permissions are required"}}"#;
        let e = status_error(StatusCode::FORBIDDEN, None, body);
        assert_eq!(e.code(), "vercel_forbidden");
        assert!(
            e.to_string()
                .contains("additional permissions are required"),
            "{e}"
        );
        for (s, code) in [
            (401, "vercel_token_rejected"),
            (404, "vercel_not_found"),
            (409, "vercel_conflict"),
            (500, "vercel_unavailable"),
        ] {
            assert_eq!(
                status_error(StatusCode::from_u16(s).unwrap(), None, b"").code(),
                code
            );
        }
        let far = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .as_secs()
            + 42;
        let limited = format!(
            r#"{{"error":{{"code":"rate_limited","message":"slow down","limit":{{"remaining":0,"reset":{far},"resetMs":0,"total":100}}}}}}"#
        );
        let e = status_error(StatusCode::TOO_MANY_REQUESTS, None, limited.as_bytes());
        assert!(
            e.to_string().contains("4") && e.to_string().contains(" s."),
            "{e}"
        );
        let e = status_error(
            StatusCode::TOO_MANY_REQUESTS,
            Some(std::time::Duration::from_secs(7)),
            b"",
        );
        assert!(e.to_string().contains("7 s"), "{e}");
    }
}
