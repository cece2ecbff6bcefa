//! Render's REST API (`https://api.render.com/v1`), with an API key (`rnd_…`): the service
//! and its preview instances, its custom domains and their verification, its environment
//! variables, and its deploys. Render publishes no OpenAPI document; the shapes are the ones
//! ../shared/vendor-specs/render-notes.md reads from the code Render generates from it, kept
//! machine-readable in tests/fixtures/specs/render.json.
//!
//! Every list answers an array of wrappers (`{service, cursor}`, `{envVar, cursor}`, …); the
//! next page is asked for with the last wrapper's `cursor`, and a page shorter than `limit`
//! is the last (as Render's own CLI pages).

pub mod deploys;
pub mod domains;
pub mod env;
pub mod services;

use reqwest::StatusCode;
use serde::de::DeserializeOwned;
use serde::Deserialize;
use url::Url;

use crate::error::{Error, Result};
use crate::http::{Api, Http, Vendor};
use crate::secrets::Secret;

const VENDOR: Vendor = Vendor {
    name: "Render",
    bad_response: "render_bad_response",
    status_page: "status.render.com",
};

/// Items asked for per page where Golive reads a whole list.
const LIMIT: usize = 100;

pub struct Render<'a> {
    api: Api<'a>,
}

/// Render's error body (the schema's `error`): `{id?, message?, code?}`.
#[derive(Debug, Deserialize)]
struct ErrorBody {
    #[serde(default)]
    message: String,
}

impl<'a> Render<'a> {
    pub fn new(http: &'a Http, base: &'a Url, key: &'a Secret) -> Self {
        Render {
            api: Api::new(&VENDOR, http, base, key, status_error),
        }
    }

    /// Every item of a cursor-paged list at `path`, unwrapped from its `field`.
    async fn all<T: DeserializeOwned>(
        &self,
        path: &str,
        query: &[(&str, &str)],
        field: &str,
    ) -> Result<Vec<T>> {
        let (mut items, mut cursor) = (vec![], None::<String>);
        let limit = LIMIT.to_string();
        loop {
            let mut q = query.to_vec();
            q.push(("limit", &limit));
            if let Some(c) = &cursor {
                q.push(("cursor", c));
            }
            let page: Vec<serde_json::Value> = self.api.get(path, &q).await?;
            let full = page.len() == LIMIT;
            cursor = page
                .last()
                .and_then(|w| w["cursor"].as_str().map(String::from));
            for mut wrapper in page {
                items.push(unwrap(&mut wrapper, field)?);
            }
            if !full || cursor.is_none() {
                return Ok(items);
            }
        }
    }
}

/// The item a list's wrapper holds under `field`.
fn unwrap<T: DeserializeOwned>(wrapper: &mut serde_json::Value, field: &str) -> Result<T> {
    serde_json::from_value(wrapper[field].take()).map_err(|e| {
        VENDOR.error(
            VENDOR.bad_response,
            format!(
                "Render listed a {field} Golive does not understand ({e}). Try again; if it \
                 persists, check status.render.com."
            ),
        )
    })
}

/// Render's words for a refusal, if it gave any.
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
            "render_key_rejected",
            "Render rejected the API key (401). Create one in Render → Account settings → API \
             Keys (it starts with rnd_) and paste it again."
                .to_string(),
        ),
        402 => (
            "render_payment_required",
            format!(
                "Render wants a paid plan for that{quoted}. Upgrade the workspace in Render's \
                 dashboard, or do this step there."
            ),
        ),
        403 => (
            "render_forbidden",
            format!(
                "This API key may not do that{quoted}. Use a key of a member of the workspace \
                 that owns the service."
            ),
        ),
        // A service of a workspace the key's user is not in is "not found", as one that
        // does not exist.
        404 => (
            "render_not_found",
            format!(
                "Render has no such service, domain or deploy for this API key{quoted}. Check \
                 the service ID (srv-…, in the service's Settings or its dashboard address) \
                 and that the key belongs to a member of the workspace that owns it."
            ),
        ),
        409 => (
            "render_conflict",
            format!(
                "Render refused the change because of a conflict{quoted}. Reload this step to \
                 see the service's current state, then try again."
            ),
        ),
        429 => (
            "render_rate_limited",
            VENDOR.rate_limited("this API key", retry.map(|d| d.as_secs())),
        ),
        s if s >= 500 => ("render_unavailable", VENDOR.server_error(s)),
        s => (
            "render_error",
            format!(
                "Render did not accept the request ({s}){quoted}. Reload this step and try \
                 again; if it persists, check status.render.com."
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
        let e = status_error(
            StatusCode::BAD_REQUEST,
            None,
            br#"{"id":"invalid","message":"name is not a valid domain"}"#,
        );
        assert_eq!(e.code(), "render_error");
        assert!(e.to_string().contains("(400) (name is not"), "{e}");
        for (s, code) in [
            (401, "render_key_rejected"),
            (402, "render_payment_required"),
            (403, "render_forbidden"),
            (404, "render_not_found"),
            (409, "render_conflict"),
            (429, "render_rate_limited"),
            (503, "render_unavailable"),
        ] {
            assert_eq!(
                status_error(StatusCode::from_u16(s).unwrap(), None, b"").code(),
                code
            );
        }
    }

    #[test]
    fn a_wrapper_is_unwrapped_or_said_to_be_strange() {
        let mut w = serde_json::json!({"envVar": {"key": "K", "value": "v"}, "cursor": "c1"});
        let v: env::RenderVar = unwrap(&mut w, "envVar").unwrap();
        assert_eq!((v.key.as_str(), v.value.as_str()), ("K", "v"));
        let mut w = serde_json::json!({"cursor": "c1"});
        let e = unwrap::<env::RenderVar>(&mut w, "envVar").unwrap_err();
        assert_eq!(e.code(), "render_bad_response");
    }
}
