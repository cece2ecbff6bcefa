//! Fake Netlify API (`/api/v1`), laid out as golive-core's `vendors::netlify`: the site and
//! its certificate, environment variables per deploy context, builds and deploys (shapes:
//! fixtures/specs/netlify.json, cut from Netlify's Swagger spec). The same hosting states as
//! the Vercel fake (`vercel::projects::Hosting`), on a Netlify site.

pub mod deploys;
pub mod env;
pub mod sites;

use std::time::{SystemTime, UNIX_EPOCH};

use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::{Json, Router};
use serde_json::json;

use crate::clerk::bearer;
use crate::scenario::{Shared, Webhooks, NETLIFY_ACCOUNT, NETLIFY_SITE_ID, NETLIFY_TOKEN};
use crate::vercel::projects::Hosting;

pub fn routes() -> Router<Shared> {
    Router::new()
        .merge(sites::routes())
        .merge(env::routes())
        .merge(deploys::routes())
}

/// Netlify's error body (the spec's `error`).
fn error(status: StatusCode, message: &str) -> Response {
    (
        status,
        Json(json!({"code": status.as_u16(), "message": message})),
    )
        .into_response()
}

/// The token must be the sandbox's; a site or team, if named, the sandbox's. Netlify answers
/// 404 for a site of a team the token's user is not in, as for one that does not exist.
fn guard(headers: &HeaderMap, site: Option<&str>, account: Option<&str>) -> Option<Response> {
    if bearer(headers) != Some(NETLIFY_TOKEN) {
        return Some(error(StatusCode::UNAUTHORIZED, "Access Denied"));
    }
    if site.is_some_and(|s| s != NETLIFY_SITE_ID) || account.is_some_and(|a| a != NETLIFY_ACCOUNT) {
        return Some(error(StatusCode::NOT_FOUND, "Not Found"));
    }
    None
}

/// A write the interruption tests refuse, as if the connection dropped before it landed.
fn refused() -> Response {
    error(StatusCode::SERVICE_UNAVAILABLE, "Service Unavailable")
}

pub(crate) fn now_ms() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_millis() as u64
}

/// Milliseconds since the epoch as Netlify writes times (RFC 3339, UTC).
pub(crate) fn rfc3339(ms: u64) -> String {
    let secs = (ms / 1000) as i64;
    let (days, rest) = (secs.div_euclid(86_400), secs.rem_euclid(86_400));
    // Howard Hinnant's civil_from_days.
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}.{:03}Z",
        rest / 3600,
        rest % 3600 / 60,
        rest % 60,
        ms % 1000
    )
}

pub(crate) const DAY_MS: u64 = 86_400_000;

/// The body without its `null` fields: Netlify's spec types them as strings, objects or
/// booleans, never null, so a field with no value is left out.
fn present(v: serde_json::Value) -> serde_json::Value {
    match v {
        serde_json::Value::Object(m) => m
            .into_iter()
            .filter(|(_, v)| !v.is_null())
            .map(|(k, v)| (k, present(v)))
            .collect(),
        serde_json::Value::Array(a) => a.into_iter().map(present).collect(),
        other => other,
    }
}

/// The sandbox's Netlify site: how it stands when a scenario starts, and what it is now.
#[derive(Debug, Clone)]
pub struct NetlifySite {
    pub state: Hosting,
    pub custom_domain: Option<String>,
    /// Whether Netlify has issued the domain's certificate.
    pub certificate: bool,
    pub vars: Vec<env::Var>,
    pub deploys: Vec<deploys::Deploy>,
    /// Writes still allowed before the fake refuses (for interruption tests); `None`: all.
    pub write_budget: Option<u32>,
    pub next_id: u32,
}

impl NetlifySite {
    pub fn new(state: Hosting, webhooks: Webhooks) -> NetlifySite {
        let now = now_ms();
        NetlifySite {
            state,
            custom_domain: (state != Hosting::FreshProject).then(|| crate::DOMAIN.to_string()),
            certificate: !matches!(state, Hosting::FreshProject | Hosting::DomainUnverified),
            vars: env::initial(state, webhooks, now),
            deploys: deploys::initial(state, webhooks, now),
            write_budget: None,
            next_id: 100,
        }
    }

    /// Spends one write; `false` when the budget is exhausted (the write must not happen).
    pub fn spend_write(&mut self) -> bool {
        match &mut self.write_budget {
            Some(0) => false,
            Some(n) => {
                *n -= 1;
                true
            }
            None => true,
        }
    }

    fn next(&mut self) -> u32 {
        self.next_id += 1;
        self.next_id
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn times_are_written_as_netlify_does() {
        assert_eq!(
            super::rfc3339(1_796_492_111_123),
            "2026-12-05T17:35:11.123Z"
        );
    }
}
