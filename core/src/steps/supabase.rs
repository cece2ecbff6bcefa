//! The Supabase step: Supabase must trust session tokens from the production Clerk issuer
//! (`https://clerk.<domain>`), or every signed-in database call fails row-level security
//! after the switch. Golive adds it when asked, and never removes the development issuer
//! (preview deployments still use it).

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::error::{Error, Result};
use crate::http::Http;
use crate::keys::production_frontend_api;
use crate::project::Project;
use crate::secrets::{SecretKind, SecretStore};
use crate::vendors::supabase::{Management, ThirdPartyAuth};
use url::Url;

/// The issuer Supabase must trust: the production Frontend API, from the live publishable
/// key when there is one (it covers secondary apps' `clerk.app.<domain>`).
pub fn production_issuer(clerk_domain: &str, publishable_key: Option<&str>) -> String {
    format!(
        "https://{}",
        production_frontend_api(clerk_domain, publishable_key)
    )
}

pub fn is_issuer(entry: &ThirdPartyAuth, issuer: &str) -> bool {
    entry
        .oidc_issuer_url
        .as_deref()
        .is_some_and(|u| u.trim_end_matches('/') == issuer)
}

/// What Supabase trusts now, against what it must.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct SupabaseTrust {
    pub project_ref: String,
    pub production_issuer: String,
    pub trusted: bool,
    pub integrations: Vec<ThirdPartyAuth>,
}

pub struct SupabaseStep<'a> {
    pub http: &'a Http,
    pub api: &'a Url,
    pub secrets: &'a dyn SecretStore,
}

impl SupabaseStep<'_> {
    fn client_parts(&self, project: &Project) -> Result<(crate::secrets::Secret, String)> {
        let token = self
            .secrets
            .get(&project.id, SecretKind::SupabaseToken)?
            .ok_or_else(|| {
                Error::invalid(
                    "supabase_token_missing",
                    "Paste a Supabase access token first, or use the dashboard steps.",
                )
            })?;
        let project_ref = project.supabase_project_ref.clone().ok_or_else(|| {
            Error::invalid(
                "supabase_ref_missing",
                "Paste the Supabase project URL first.",
            )
        })?;
        Ok((token, project_ref))
    }

    pub async fn trust(&self, project: &Project) -> Result<SupabaseTrust> {
        let (token, project_ref) = self.client_parts(project)?;
        let integrations = Management::new(self.http, self.api, &token)
            .third_party_auth(&project_ref)
            .await?;
        let issuer = production_issuer(project.clerk_domain(), project.publishable_key.as_deref());
        Ok(SupabaseTrust {
            trusted: integrations.iter().any(|i| is_issuer(i, &issuer)),
            project_ref,
            production_issuer: issuer,
            integrations,
        })
    }

    /// Adds the production issuer unless it is there already. Nothing is removed.
    pub async fn add_production_issuer(&self, project: &Project) -> Result<SupabaseTrust> {
        let current = self.trust(project).await?;
        if current.trusted {
            return Ok(current);
        }
        let (token, project_ref) = self.client_parts(project)?;
        Management::new(self.http, self.api, &token)
            .add_oidc_issuer(&project_ref, &current.production_issuer)
            .await?;
        self.trust(project).await
    }
}
