//! The Clerk step: the production instance, its keys and domain, the dashboard checklist.

use super::Engine;
use crate::error::{Error, Result};
use crate::keys;
use crate::project::Project;
use crate::steps::clerk::{checklist, ClerkApp, ClerkStep, ProductionCreated};
use crate::vendors::clerk::platform::DomainStatus;

impl Engine {
    fn clerk_step(&self) -> ClerkStep<'_> {
        ClerkStep {
            http: &self.http,
            api: &self.endpoints.clerk_api,
            secrets: self.secrets.as_ref(),
        }
    }

    pub fn set_publishable_key(&self, id: &str, pasted: &str) -> Result<Project> {
        let key = keys::publishable_key_paste(pasted)?;
        self.projects.update_with(id, |p| p.publishable_key = key)
    }

    /// Keeps (or, given nothing, clears) the development instance's publishable key.
    pub fn set_dev_publishable_key(&self, id: &str, pasted: &str) -> Result<Project> {
        let key = keys::dev_publishable_key_paste(pasted)?;
        self.projects
            .update_with(id, |p| p.dev_publishable_key = key)
    }

    pub async fn clerk_applications(&self, id: &str) -> Result<Vec<ClerkApp>> {
        self.sealed(id, async {
            self.clerk_step()
                .applications(&self.projects.get(id)?)
                .await
        })
        .await
    }

    /// Creates (or adopts) the production instance and keeps its keys: the secret in the
    /// keychain, the publishable key and application id in the project.
    pub async fn clerk_create_production(
        &self,
        id: &str,
        app_id: &str,
    ) -> Result<ProductionCreated> {
        self.sealed(id, async {
            let project = self.projects.get(id)?;
            let (instance, updated) = self
                .clerk_step()
                .create_production(&project, app_id)
                .await?;
            let saved = self.projects.update_with(id, |p| {
                p.publishable_key = updated.publishable_key;
                p.clerk_application_id = updated.clerk_application_id;
            })?;
            Ok(ProductionCreated {
                instance,
                project: saved,
            })
        })
        .await
    }

    pub async fn clerk_domain_status(&self, id: &str, recheck: bool) -> Result<DomainStatus> {
        self.sealed(id, async {
            self.clerk_step()
                .domain_status(&self.projects.get(id)?, recheck)
                .await
        })
        .await
    }

    pub fn set_checklist_item(&self, id: &str, item: &str, done: bool) -> Result<Project> {
        if !checklist().iter().any(|c| c.id == item) {
            return Err(Error::invalid(
                "checklist_unknown",
                format!("No checklist item {item}."),
            ));
        }
        self.projects.update_with(id, |p| {
            p.clerk_checklist.retain(|i| i != item);
            if done {
                p.clerk_checklist.push(item.to_string());
            }
        })
    }
}
