//! The Supabase step: the production Clerk issuer trusted by the project.

use super::Engine;
use crate::error::Result;
use crate::project::Project;
use crate::steps::supabase::{SupabaseStep, SupabaseTrust};
use crate::vendors::supabase::parse_project_ref;

impl Engine {
    fn supabase_step(&self) -> SupabaseStep<'_> {
        SupabaseStep {
            http: &self.http,
            api: &self.endpoints.supabase_api,
            secrets: self.secrets.as_ref(),
        }
    }

    /// Sets (or, given nothing, clears) the Supabase project from a pasted URL or ref.
    pub fn set_supabase_project(&self, id: &str, pasted: &str) -> Result<Project> {
        let project_ref = if pasted.trim().is_empty() {
            None
        } else {
            Some(parse_project_ref(pasted)?)
        };
        self.projects
            .update_with(id, |p| p.supabase_project_ref = project_ref)
    }

    pub async fn supabase_trust(&self, id: &str) -> Result<SupabaseTrust> {
        self.sealed(id, async {
            self.supabase_step().trust(&self.projects.get(id)?).await
        })
        .await
    }

    pub async fn supabase_add_issuer(&self, id: &str) -> Result<SupabaseTrust> {
        self.sealed(id, async {
            self.supabase_step()
                .add_production_issuer(&self.projects.get(id)?)
                .await
        })
        .await
    }
}
