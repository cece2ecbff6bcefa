//! Validate everything: check runs (one per project at a time) and their exported report.

use super::{write_export, Engine};
use crate::checks::{self, CheckContext, CheckEvent, Report};
use crate::error::{Error, Result};
use crate::report::ReportFormat;

impl Engine {
    /// Runs every check, or only those of one step (`CheckDef::step`) or the one check of
    /// that id; `rehearse` adds the sign-in rehearsal (it creates and removes a user in
    /// production, so the app asks first). Starting a run stops the project's run before it.
    /// The report of a whole run is kept for `export_report`; starting one forgets the one
    /// before, as the window does.
    pub async fn run_checks(
        &self,
        id: &str,
        step: Option<&str>,
        rehearse: bool,
        on_event: impl Fn(CheckEvent),
    ) -> Result<Report> {
        let run = self.context(id)?;
        let ctx = if rehearse {
            CheckContext::rehearsing(run)
        } else {
            CheckContext::new(run)
        };
        let mut run = self.check_runs.start(id);
        let whole = step.is_none();
        if whole {
            self.reports.lock().unwrap().remove(id);
        }
        tokio::select! {
            report = checks::run_all(&ctx, step, on_event) => {
                if whole {
                    self.reports.lock().unwrap().insert(id.to_string(), report.clone());
                }
                Ok(report)
            }
            _ = run.stopped.changed() => Err(Error::invalid(
                "checks_cancelled",
                "The checks were stopped before they finished.",
            )),
        }
    }

    /// The project's last finished whole run, the report an export writes.
    pub fn last_report(&self, id: &str) -> Result<Report> {
        self.reports
            .lock()
            .unwrap()
            .get(id)
            .cloned()
            .ok_or_else(|| {
                Error::invalid(
                    "no_report",
                    "There is no finished report to export yet: run “Validate everything” \
                     and export it once it has finished.",
                )
            })
    }

    /// Stops the project's check run; it ends with `checks_cancelled`.
    pub fn cancel_checks(&self, id: &str) {
        self.check_runs.stop(id);
    }

    /// Writes the project's last report (`last_report`) where the user chose, refusing if
    /// one of the project's secrets would be in it.
    pub fn export_report(
        &self,
        id: &str,
        format: ReportFormat,
        path: &std::path::Path,
    ) -> Result<()> {
        let report = self.last_report(id)?;
        let project = self.projects.get(id)?;
        let secrets = self
            .stored_secrets(&project.id)
            .filter_map(Result::transpose)
            .collect::<Result<Vec<_>>>()?;
        write_export(path, &crate::report::render(&report, format, &secrets)?)
    }
}
