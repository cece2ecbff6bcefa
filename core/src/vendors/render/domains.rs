//! A service's custom domains and their verification. Render's API does not say which
//! records a domain needs (a `customDomain` has no records or target): a domain points to
//! the service's `onrender.com` host, as Render's documentation says. Verifying is asked
//! for with `POST …/verify` (202, no body); the domain's `verificationStatus` says the rest.

use reqwest::Method;
use serde::Deserialize;
use serde_json::{json, Value};

use super::Render;
use crate::error::Result;
use crate::http::seg;

#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CustomDomain {
    pub name: String,
    /// `apex` or `subdomain`.
    #[serde(default)]
    pub domain_type: String,
    /// `verified` or `unverified`.
    #[serde(default)]
    pub verification_status: String,
}

impl CustomDomain {
    pub fn verified(&self) -> bool {
        self.verification_status == "verified"
    }
}

impl Render<'_> {
    /// The domain as the service has it; `None` when it is not on the service.
    pub async fn custom_domain(&self, service: &str, domain: &str) -> Result<Option<CustomDomain>> {
        let path = format!("services/{}/custom-domains/{}", seg(service)?, seg(domain)?);
        match self.api.get(&path, &[]).await {
            Ok(d) => Ok(Some(d)),
            Err(e) if e.code() == "render_not_found" => Ok(None),
            Err(e) => Err(e),
        }
    }

    /// Adds the domain (Render answers with it, and with the `www` redirect it may add).
    pub async fn add_domain(&self, service: &str, domain: &str) -> Result<()> {
        self.api
            .send::<Value>(
                Method::POST,
                &format!("services/{}/custom-domains", seg(service)?),
                &[],
                Some(&json!({ "name": domain })),
            )
            .await
            .map(drop)
    }

    /// Asks Render to check the domain's DNS again.
    pub async fn verify_domain(&self, service: &str, domain: &str) -> Result<()> {
        self.api
            .send::<Value>(
                Method::POST,
                &format!(
                    "services/{}/custom-domains/{}/verify",
                    seg(service)?,
                    seg(domain)?
                ),
                &[],
                None,
            )
            .await
            .map(drop)
    }
}
