//! The engine's front door: every operation the desktop app offers, one file per step (the
//! same steps as `steps/`, `checks/` and the UI's views), so the Tauri commands stay
//! one-liners and the logic is tested without a window.

mod checks;
mod clerk;
mod dns;
mod hosting;
mod keychain;
mod launch;
mod layout;
mod projects;
mod sso;
mod supabase;
mod webhooks;

use std::future::Future;
use std::sync::Arc;

use crate::config::{Endpoints, Override};
use crate::context::RunContext;
use crate::error::Result;
use crate::http::Http;
use crate::https_probe::Prober;
use crate::inputs::Inputs;
use crate::project::{Project, ProjectStore};
use crate::redact::Redactor;
use crate::runs::Runs;
use crate::secrets::{OffRuntime, Secret, SecretKind, SecretStore};

pub struct Engine {
    projects: ProjectStore,
    /// Always behind `OffRuntime`: a keychain waiting on its unlock prompt must not stall
    /// the other commands.
    secrets: Arc<dyn SecretStore>,
    endpoints: Endpoints,
    http: Http,
    prober: Prober,
    /// Running DNS watches and check runs: at most one of each per project.
    watches: Runs,
    check_runs: Runs,
    /// Each project's last finished "Validate everything" report: the one an export
    /// writes, so the web view never hands in what goes into the file.
    reports: std::sync::Mutex<std::collections::HashMap<String, crate::checks::Report>>,
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
            secrets: Arc::new(OffRuntime(secrets)),
            endpoints,
            watches: Runs::default(),
            check_runs: Runs::default(),
            reports: Default::default(),
        })
    }

    /// The `GOLIVE_*` addresses in use instead of the real vendors', for the app's banner.
    pub fn overrides(&self) -> Vec<Override> {
        self.endpoints.overrides()
    }

    /// Every outside address in use, for the parts of the app outside the engine (updates).
    pub fn endpoints(&self) -> &Endpoints {
        &self.endpoints
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

    /// Every secret the keychain holds for the project, kind by kind.
    fn stored_secrets(&self, id: &str) -> impl Iterator<Item = Result<Option<Secret>>> + '_ {
        let id = id.to_string();
        SecretKind::ALL
            .into_iter()
            .map(move |kind| self.secrets.get(&id, kind))
    }

    /// Every secret of the project: what leaves the engine must not hold any of them.
    fn redactor(&self, id: &str) -> Redactor {
        let mut r = Redactor::default();
        // A keychain that fails now failed the operation too; what it gives is used.
        for secret in self.stored_secrets(id).flatten().flatten() {
            r.add(secret.expose());
        }
        r
    }

    /// Runs one of the project's operations; its error leaves with every secret of the
    /// project taken out (vendors may quote a token, or a key sent in a request's body).
    async fn sealed<T>(&self, id: &str, op: impl Future<Output = Result<T>>) -> Result<T> {
        op.await.map_err(|e| self.redactor(id).error(e))
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
