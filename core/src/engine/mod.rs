//! The engine's front door: every operation the desktop app offers, one file per step (the
//! same steps as `steps/`, `checks/` and the UI's views), so the Tauri commands stay
//! one-liners and the logic is tested without a window.

mod checks;
mod clerk;
mod dns;
mod hosting;
mod projects;
mod sso;
mod supabase;

use std::sync::Arc;

use crate::config::{Endpoints, Override};
use crate::context::RunContext;
use crate::error::Result;
use crate::http::Http;
use crate::https_probe::Prober;
use crate::inputs::Inputs;
use crate::project::{Project, ProjectStore};
use crate::runs::Runs;
use crate::secrets::SecretStore;

pub struct Engine {
    projects: ProjectStore,
    secrets: Arc<dyn SecretStore>,
    endpoints: Endpoints,
    http: Http,
    prober: Prober,
    /// Running DNS watches and check runs: at most one of each per project.
    watches: Runs,
    check_runs: Runs,
}

impl Engine {
    pub fn new(
        projects: ProjectStore,
        secrets: Arc<dyn SecretStore>,
        endpoints: Endpoints,
    ) -> Result<Self> {
        Ok(Engine {
            http: Http::new(&endpoints)?,
            prober: Prober::new(&endpoints)?,
            projects,
            secrets,
            endpoints,
            watches: Runs::default(),
            check_runs: Runs::default(),
        })
    }

    /// The `GOLIVE_*` addresses in use instead of the real vendors', for the app's banner.
    pub fn overrides(&self) -> Vec<Override> {
        self.endpoints.overrides()
    }

    pub fn project(&self, id: &str) -> Result<Project> {
        self.projects.get(id)
    }

    /// What a check run, a DNS matrix or an automatic-records plan of one project works from.
    fn context(&self, id: &str) -> Result<RunContext> {
        let project = self.projects.get(id)?;
        let inputs = Inputs::from_project(&project, self.secrets.as_ref())?;
        Ok(RunContext::with_clients(
            project.domain,
            inputs,
            self.endpoints.clone(),
            self.http.clone(),
            self.prober.clone(),
        ))
    }
}

/// Writes a file the user chose (a report, a zone) whole or not at all.
fn write_export(path: &std::path::Path, text: &str) -> Result<()> {
    crate::project::write_atomically(path, text.as_bytes()).map_err(|e| {
        crate::error::Error::Storage {
            path: path.display().to_string(),
            reason: e.to_string(),
        }
    })
}
