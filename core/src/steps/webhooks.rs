//! Webhooks in production: Clerk does not copy the development endpoint, so the user
//! creates the production one in the production instance's webhook dashboard (Svix's
//! portal, which Clerk's Backend API opens with a single-use login link), then pastes its
//! signing secret, which the hosting step's env plan gives to production.

use url::Url;

use crate::error::{Error, Result};
use crate::http::Http;
use crate::project::Project;
use crate::secrets::{Secret, SecretKind, SecretStore};
use crate::vendors::clerk::backend::Backend;
use crate::vendors::clerk::VENDOR;

/// The production instance's webhook dashboard. Its URL logs whoever opens it in, so it
/// goes straight to the browser: only its host is ever shown.
pub struct DashboardLink {
    pub host: String,
    url: Secret,
}

impl DashboardLink {
    pub fn url(&self) -> &Secret {
        &self.url
    }
}

pub struct WebhooksStep<'a> {
    pub http: &'a Http,
    pub api: &'a Url,
    pub secrets: &'a dyn SecretStore,
}

impl WebhooksStep<'_> {
    /// Asks Clerk (with the production secret key) for a fresh dashboard link.
    pub async fn dashboard(&self, project: &Project) -> Result<DashboardLink> {
        let sk = self
            .secrets
            .get(&project.id, SecretKind::ClerkSecretKey)?
            .filter(|k| k.expose().starts_with("sk_live_"))
            .ok_or_else(|| {
                Error::invalid(
                    "live_secret_key_missing",
                    "Save the production instance's secret key (sk_live_…) on the Clerk step \
                     first: Clerk opens the production webhook dashboard only for it.",
                )
            })?;
        let url = Backend::new(self.http, self.api, &sk)
            .svix_url()
            .await
            .map_err(|e| match e {
                // A status Clerk's API has no word for (its spec lists a 400): most likely
                // webhooks were never opened for this instance.
                Error::Vendor {
                    code: "clerk_error",
                    message,
                    ..
                } => VENDOR.error(
                    "clerk_webhooks_refused",
                    format!(
                        "{message} Open Webhooks once in the Clerk dashboard (production \
                         instance) to enable them, then try again."
                    ),
                ),
                e => e,
            })?;
        let host = Url::parse(url.expose())
            .ok()
            .filter(|u| u.scheme() == "https")
            .and_then(|u| u.host_str().map(str::to_string))
            .ok_or_else(|| {
                VENDOR.error(
                    "clerk_bad_response",
                    "Clerk's webhook dashboard link is not an https:// address, so Golive did \
                     not open it. Open Webhooks in the Clerk dashboard instead.",
                )
            })?;
        Ok(DashboardLink { host, url })
    }
}
