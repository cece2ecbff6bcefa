//! Netlify's REST API (`https://api.netlify.com/api/v1`), with a personal access token: the
//! site, its custom domain and certificate, its environment variables per deploy context,
//! and its builds and deploys. Shapes: tests/fixtures/specs/netlify.json, cut from Netlify's
//! own Swagger spec (netlify/open-api, via ../shared/vendor-specs/netlify-subset.yml).

pub mod deploys;
pub mod env;
pub mod sites;

use reqwest::StatusCode;
use serde::Deserialize;
use url::Url;

use crate::error::Error;
use crate::http::{Api, Http, Vendor};
use crate::secrets::Secret;

const VENDOR: Vendor = Vendor {
    name: "Netlify",
    bad_response: "netlify_bad_response",
    status_page: "netlifystatus.com",
};

pub struct Netlify<'a> {
    api: Api<'a>,
}

/// Netlify's error body (the spec's `error`): `{code?, message}`.
#[derive(Debug, Deserialize)]
struct ErrorBody {
    #[serde(default)]
    message: String,
}

impl<'a> Netlify<'a> {
    pub fn new(http: &'a Http, base: &'a Url, token: &'a Secret) -> Self {
        Netlify {
            api: Api::new(&VENDOR, http, base, token, status_error),
        }
    }
}

/// Netlify's words for a refusal, if it gave any.
fn said(body: &[u8]) -> Option<String> {
    serde_json::from_slice::<ErrorBody>(body)
        .ok()
        .map(|b| b.message.trim().to_string())
        .filter(|m| !m.is_empty())
}

fn status_error(status: StatusCode, retry: Option<std::time::Duration>, body: &[u8]) -> Error {
    let quoted = said(body).map(|m| format!(" ({m})")).unwrap_or_default();
    let (code, message) = match status.as_u16() {
        401 => (
            "netlify_token_rejected",
            "Netlify rejected the access token (401). Create a personal access token at \
             app.netlify.com/user/applications (it starts with nfp_) and paste it again."
                .to_string(),
        ),
        // Netlify answers 404 (sometimes 403) for a site of an account the token's user is
        // not a member of: the id may be right, the account is not.
        403 => (
            "netlify_forbidden",
            format!(
                "This token may not do that{quoted}. Use a token of a member of the team that \
                 owns the site."
            ),
        ),
        404 => (
            "netlify_not_found",
            format!(
                "Netlify has no such site, variable or deploy for this token{quoted}. Check the \
                 site ID (Site configuration → Site details → Site ID) and that the token \
                 belongs to a member of the team that owns it."
            ),
        ),
        409 => (
            "netlify_conflict",
            format!(
                "Netlify refused the change because of a conflict{quoted}. Reload this step to \
                 see the site's current state, then try again."
            ),
        ),
        429 => (
            "netlify_rate_limited",
            VENDOR.rate_limited("this token", retry.map(|d| d.as_secs())),
        ),
        s if s >= 500 => ("netlify_unavailable", VENDOR.server_error(s)),
        s => (
            "netlify_error",
            format!(
                "Netlify did not accept the request ({s}){quoted}. Reload this step and try \
                 again; if it persists, check netlifystatus.com."
            ),
        ),
    };
    VENDOR.error(code, message)
}

/// An RFC 3339 time (`2026-12-05T17:35:11.123Z`) in milliseconds since the epoch, the unit
/// the hosting step compares times in.
pub fn millis(rfc3339: &str) -> Option<f64> {
    let t = time::OffsetDateTime::parse(rfc3339, &time::format_description::well_known::Rfc3339)
        .ok()?;
    Some((t.unix_timestamp_nanos() / 1_000_000) as f64)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statuses_have_their_messages() {
        let e = status_error(
            StatusCode::UNPROCESSABLE_ENTITY,
            None,
            br#"{"code":422,"message":"bad dns for custom domain"}"#,
        );
        assert_eq!(e.code(), "netlify_error");
        assert!(e.to_string().contains("(422) (bad dns"), "{e}");
        for (s, code) in [
            (401, "netlify_token_rejected"),
            (403, "netlify_forbidden"),
            (404, "netlify_not_found"),
            (409, "netlify_conflict"),
            (429, "netlify_rate_limited"),
            (503, "netlify_unavailable"),
        ] {
            assert_eq!(
                status_error(StatusCode::from_u16(s).unwrap(), None, b"").code(),
                code
            );
        }
    }

    #[test]
    fn times_are_read_in_milliseconds() {
        assert_eq!(millis("1970-01-01T00:00:01.5Z"), Some(1500.0));
        assert_eq!(millis("2026-12-05T17:35:11Z"), Some(1_796_492_111_000.0));
        assert_eq!(millis("yesterday"), None);
    }
}
