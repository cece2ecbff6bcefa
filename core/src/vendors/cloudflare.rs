//! Cloudflare's API (`/client/v4`), with an API token (Zone:Read + DNS:Edit): the zone of a
//! domain and its DNS records. Golive creates records DNS-only, and changes or deletes only
//! a record the user confirmed (see `dns::auto`).
//! Shapes: tests/fixtures/specs/cloudflare-dns.json. The same token and client serve the
//! hosts Cloudflare runs an app on: `pages` and `workers`.

pub mod pages;
pub mod workers;

use reqwest::{Method, StatusCode};
use serde::de::DeserializeOwned;
use serde::Deserialize;
use serde_json::json;
use url::Url;

use crate::error::{Error, Result};
use crate::http::{seg, Api, Http, Vendor};
use crate::secrets::Secret;

const VENDOR: Vendor = Vendor {
    name: "Cloudflare",
    bad_response: "cloudflare_bad_response",
    status_page: "cloudflarestatus.com",
};

#[derive(Debug, Clone, Deserialize)]
pub struct Zone {
    pub id: String,
    pub name: String,
}

#[derive(Debug, Clone, Deserialize)]
pub struct CloudflareRecord {
    pub id: String,
    #[serde(rename = "type")]
    pub kind: String,
    /// Fully qualified, no trailing dot.
    pub name: String,
    pub content: String,
    #[serde(default)]
    pub proxied: bool,
}

/// Every answer comes in this envelope.
#[derive(Debug, Deserialize)]
struct Envelope<T> {
    result: T,
    #[serde(default)]
    result_info: Option<ResultInfo>,
}

#[derive(Debug, Deserialize)]
struct ResultInfo {
    #[serde(default)]
    total_pages: Option<u32>,
}

#[derive(Debug, Deserialize)]
struct Failure {
    #[serde(default)]
    errors: Vec<Message>,
}

#[derive(Debug, Deserialize)]
struct Message {
    message: String,
}

pub struct Cloudflare<'a> {
    api: Api<'a>,
}

impl<'a> Cloudflare<'a> {
    pub fn new(http: &'a Http, base: &'a Url, token: &'a Secret) -> Self {
        Cloudflare {
            api: Api::new(&VENDOR, http, base, token, status_error),
        }
    }

    async fn get<T: DeserializeOwned>(
        &self,
        path: &str,
        query: &[(&str, &str)],
    ) -> Result<Envelope<T>> {
        self.api.get(&format!("client/v4/{path}"), query).await
    }

    /// A write: sent once; the envelope's result.
    async fn send<T: DeserializeOwned>(
        &self,
        method: Method,
        path: &str,
        body: Option<serde_json::Value>,
    ) -> Result<T> {
        let env: Envelope<T> = self
            .api
            .send(method, &format!("client/v4/{path}"), &[], body.as_ref())
            .await?;
        Ok(env.result)
    }

    /// A write whose body holds secrets (`sent`): they are kept out of its errors too.
    async fn send_holding<T: DeserializeOwned>(
        &self,
        method: Method,
        path: &str,
        body: Option<serde_json::Value>,
        sent: &[&str],
    ) -> Result<T> {
        let env: Envelope<T> = self
            .api
            .send_holding(
                method,
                &format!("client/v4/{path}"),
                &[],
                body.as_ref(),
                sent,
            )
            .await?;
        Ok(env.result)
    }

    /// The zone holding `domain`: the domain itself, or the nearest parent the account has.
    pub async fn zone_for(&self, domain: &str) -> Result<Zone> {
        let labels: Vec<&str> = domain.split('.').collect();
        for start in 0..labels.len().saturating_sub(1) {
            let name = labels[start..].join(".");
            let zones: Vec<Zone> = self.get("zones", &[("name", &name)]).await?.result;
            if let Some(zone) = zones.into_iter().next() {
                return Ok(zone);
            }
        }
        Err(VENDOR.error(
            "cloudflare_zone_not_found",
            format!(
                "This Cloudflare token sees no zone for {domain}. Add the site to Cloudflare, or \
                 give the token access to its zone (Zone:Read, DNS:Edit)."
            ),
        ))
    }

    pub async fn records(&self, zone: &Zone) -> Result<Vec<CloudflareRecord>> {
        let mut all = vec![];
        for page in 1.. {
            let page_s = page.to_string();
            let env: Envelope<Vec<CloudflareRecord>> = self
                .get(
                    &format!("zones/{}/dns_records", seg(&zone.id)?),
                    &[("per_page", "100"), ("page", &page_s)],
                )
                .await?;
            all.extend(env.result);
            let pages = env.result_info.and_then(|i| i.total_pages).unwrap_or(1);
            if page >= pages {
                break;
            }
        }
        Ok(all)
    }

    /// Creates a record, DNS-only: proxying would hide the CNAME and stop certificates.
    pub async fn create(
        &self,
        zone: &Zone,
        kind: &str,
        name: &str,
        content: &str,
    ) -> Result<CloudflareRecord> {
        self.send(
            Method::POST,
            &format!("zones/{}/dns_records", seg(&zone.id)?),
            Some(
                json!({"type": kind, "name": name, "content": content, "ttl": 1,
                        "proxied": false, "comment": "Added by Golive"}),
            ),
        )
        .await
    }

    /// Rewrites one record the user confirmed, in place and DNS-only.
    pub async fn replace(
        &self,
        zone: &Zone,
        id: &str,
        kind: &str,
        name: &str,
        content: &str,
    ) -> Result<CloudflareRecord> {
        self.send(
            Method::PATCH,
            &format!("zones/{}/dns_records/{}", seg(&zone.id)?, seg(id)?),
            Some(json!({"type": kind, "name": name, "content": content, "proxied": false})),
        )
        .await
    }

    pub async fn delete(&self, zone: &Zone, id: &str) -> Result<()> {
        self.send::<serde_json::Value>(
            Method::DELETE,
            &format!("zones/{}/dns_records/{}", seg(&zone.id)?, seg(id)?),
            None,
        )
        .await
        .map(drop)
    }
}

fn status_error(status: StatusCode, retry: Option<std::time::Duration>, body: &[u8]) -> Error {
    let said = serde_json::from_slice::<Failure>(body)
        .ok()
        .map(|f| {
            f.errors
                .into_iter()
                .map(|m| m.message)
                .collect::<Vec<_>>()
                .join("; ")
        })
        .filter(|m| !m.is_empty())
        .map(|m| format!(" ({m})"))
        .unwrap_or_default();
    let (code, message) = match status.as_u16() {
        s @ (401 | 403) => (
            "cloudflare_token_rejected",
            format!(
                "Cloudflare refused the API token ({s}){said}. Create a token with Zone:Read and \
                 DNS:Edit for this zone (My Profile → API Tokens → \"Edit zone DNS\"), and \
                 Cloudflare Pages: Edit where Cloudflare hosts the app."
            ),
        ),
        404 => (
            "cloudflare_not_found",
            format!("Cloudflare has no such zone, record, project or deployment{said}."),
        ),
        429 => (
            "cloudflare_rate_limited",
            // Cloudflare's limits reset within five minutes.
            VENDOR.rate_limited("this token", Some(retry.map_or(300, |d| d.as_secs()))),
        ),
        s if s >= 500 => ("cloudflare_unavailable", VENDOR.server_error(s)),
        s => (
            "cloudflare_error",
            format!(
                "Cloudflare refused the change ({s}){said}. Run the dry run again to see what \
                 is in the way, or check the zone in the Cloudflare dashboard → DNS."
            ),
        ),
    };
    VENDOR.error(code, message)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn errors_quote_cloudflare() {
        let body = br#"{"success":false,"errors":[{"code":10000,"message":"Authentication error"}],"messages":[],"result":null}"#;
        let e = status_error(StatusCode::FORBIDDEN, None, body);
        assert_eq!(e.code(), "cloudflare_token_rejected");
        assert!(e.to_string().contains("Authentication error"), "{e}");
        assert!(status_error(StatusCode::TOO_MANY_REQUESTS, None, b"")
            .to_string()
            .contains("300 s"));
    }
}
