//! Clerk Backend API (`/v1`), authenticated with the instance's secret key.
//! Shapes follow `tests/fixtures/specs/clerk-bapi.yml` (from Clerk's OpenAPI spec 2026-05-12).

use reqwest::StatusCode;
use serde::Deserialize;
use url::Url;

use crate::error::{Error, Result};
use crate::http::{retry_after, Http};
use crate::secrets::Secret;

const VENDOR: &str = "Clerk";
const API_VERSION: &str = "2026-05-12";

#[derive(Debug, Clone, Deserialize)]
pub struct Instance {
    pub id: String,
    pub environment_type: String,
}

#[derive(Debug, Clone, Deserialize)]
pub struct Domain {
    pub id: String,
    pub name: String,
    pub frontend_api_url: String,
    #[serde(default)]
    pub is_satellite: bool,
}

#[derive(Debug, Deserialize)]
struct DomainList {
    data: Vec<Domain>,
}

#[derive(Debug, Deserialize)]
struct ClerkErrors {
    errors: Vec<ClerkError>,
}

#[derive(Debug, Deserialize)]
struct ClerkError {
    message: String,
    #[serde(default)]
    long_message: Option<String>,
}

pub struct Backend<'a> {
    http: &'a Http,
    base: &'a Url,
    secret_key: &'a Secret,
}

impl<'a> Backend<'a> {
    pub fn new(http: &'a Http, base: &'a Url, secret_key: &'a Secret) -> Self {
        Backend {
            http,
            base,
            secret_key,
        }
    }

    pub async fn instance(&self) -> Result<Instance> {
        self.get("v1/instance").await
    }

    pub async fn domains(&self) -> Result<Vec<Domain>> {
        Ok(self.get::<DomainList>("v1/domains").await?.data)
    }

    async fn get<T: serde::de::DeserializeOwned>(&self, path: &str) -> Result<T> {
        let url = self
            .base
            .join(path)
            .map_err(|e| Error::Config(format!("Clerk API URL: {e}")))?;
        let resp = self
            .http
            .read(VENDOR, |c| {
                c.get(url.clone())
                    .bearer_auth(self.secret_key.expose())
                    .header("Clerk-API-Version", API_VERSION)
            })
            .await?;
        let status = resp.status();
        let wait = retry_after(&resp);
        let body = resp
            .bytes()
            .await
            .map_err(|e| crate::http::unreachable(VENDOR, e))?;
        if !status.is_success() {
            return Err(api_error(status, wait, &body));
        }
        serde_json::from_slice(&body).map_err(|e| Error::Vendor {
            vendor: VENDOR,
            code: "clerk_bad_response",
            message: format!("GET /{path} answered with JSON Golive does not understand ({e})."),
        })
    }
}

fn api_error(status: StatusCode, retry: Option<std::time::Duration>, body: &[u8]) -> Error {
    let detail = serde_json::from_slice::<ClerkErrors>(body)
        .ok()
        .and_then(|e| e.errors.into_iter().next())
        .map(|e| e.long_message.unwrap_or(e.message));
    let (code, message) = match status.as_u16() {
        401 => (
            "clerk_key_rejected",
            "Clerk rejected this secret key (401). Copy the secret key again from the Clerk \
             dashboard → API keys, for the production instance."
                .to_string(),
        ),
        403 => (
            "clerk_forbidden",
            "Clerk refused the request (403): this key may not do that.".to_string(),
        ),
        404 => (
            "clerk_not_found",
            "Clerk says this was not found (404).".to_string(),
        ),
        429 => (
            "clerk_rate_limited",
            match retry {
                Some(d) => format!(
                    "Clerk is rate limiting requests; try again in {} s.",
                    d.as_secs()
                ),
                None => "Clerk is rate limiting requests; try again in a minute.".to_string(),
            },
        ),
        s if s >= 500 => (
            "clerk_unavailable",
            format!("Clerk had a server error ({s}). Check status.clerk.com and try again."),
        ),
        s => ("clerk_error", format!("Clerk answered {s}.")),
    };
    Error::Vendor {
        vendor: VENDOR,
        code,
        message: match detail {
            Some(d) if status != StatusCode::UNAUTHORIZED => format!("{message} Clerk said: {d}"),
            _ => message,
        },
    }
}
