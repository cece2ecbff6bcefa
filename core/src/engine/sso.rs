//! The social sign-in step: provider credentials saved, probed live and pushed to Clerk.

use super::Engine;
use crate::error::Result;
use crate::project::Project;
use crate::provider::ProviderId;
use crate::steps::sso::{SsoForm, SsoOverview, SsoStep};
use crate::vendors::oauth::import::parse_google_json;
use crate::vendors::oauth::token_probe::ProbeResult;

impl Engine {
    fn sso_step(&self) -> SsoStep<'_> {
        SsoStep {
            http: &self.http,
            api: &self.endpoints.clerk_api,
            prober: &self.prober,
            secrets: self.secrets.as_ref(),
            token_urls: &self.endpoints.oauth_token_urls,
        }
    }

    pub async fn sso_overview(&self, id: &str) -> Result<SsoOverview> {
        let mut overview = self
            .sealed(id, async {
                self.sso_step().overview(&self.projects.get(id)?).await
            })
            .await?;
        self.redactor(id).texts(&mut overview.notes);
        Ok(overview)
    }

    /// Checks a provider's form; the secret goes to the keychain, the rest to the project.
    pub fn sso_save(&self, id: &str, form: SsoForm) -> Result<Project> {
        let provider = form.provider;
        let client = self.sso_step().save(&self.projects.get(id)?, form)?;
        self.projects.update_with(id, |p| {
            p.oauth.insert(provider, client);
        })
    }

    /// Reads Google's downloaded client JSON into Google's form.
    pub fn sso_import_google(&self, id: &str, json: &str) -> Result<Project> {
        let (client_id, secret) = parse_google_json(json)?;
        self.sso_save(
            id,
            SsoForm {
                provider: ProviderId::Google,
                client_id,
                secret,
                apple_team_id: None,
                apple_key_id: None,
                secret_expires_on: None,
            },
        )
    }

    pub async fn sso_probe(&self, id: &str, provider: ProviderId) -> Result<ProbeResult> {
        let mut result = self
            .sealed(id, async {
                self.sso_step()
                    .probe(&self.projects.get(id)?, provider)
                    .await
            })
            .await?;
        result.message = self.redactor(id).text(&result.message);
        Ok(result)
    }

    pub async fn sso_push(&self, id: &str, provider: ProviderId) -> Result<()> {
        self.sealed(id, async {
            self.sso_step()
                .push(&self.projects.get(id)?, provider)
                .await
        })
        .await
    }
}
