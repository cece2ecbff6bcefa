//! Webhooks (shown on the Hosting step): the production endpoint URL, and the link to the
//! production instance's webhook dashboard. The signing secret is a keychain entry
//! (`set_secret`), and the hosting step's env plan gives it to production.

use super::Engine;
use crate::error::Result;
use crate::project::Project;
use crate::steps::webhooks::{DashboardLink, WebhooksStep};
use crate::webhook;

impl Engine {
    /// Keeps (or, given nothing, clears) the production webhook endpoint; a URL that is not
    /// `https://` on the project's domain is refused and nothing is saved.
    pub fn set_webhook_url(&self, id: &str, pasted: &str) -> Result<Project> {
        let project = self.projects.get(id)?;
        let url = webhook::endpoint_url(pasted, &project.domain)?.map(String::from);
        self.projects.update_with(id, |p| p.webhook_url = url)
    }

    /// A fresh link to the production instance's webhook dashboard, for the shell to open
    /// in the browser (the link logs whoever opens it in, so it never reaches the web view).
    pub async fn webhook_dashboard(&self, id: &str) -> Result<DashboardLink> {
        self.sealed(id, async {
            WebhooksStep {
                http: &self.http,
                api: &self.endpoints.clerk_api,
                secrets: self.secrets.as_ref(),
            }
            .dashboard(&self.projects.get(id)?)
            .await
        })
        .await
    }
}
