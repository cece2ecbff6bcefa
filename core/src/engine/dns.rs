//! The DNS step: the propagation matrix (once, or watched until propagated), the zone
//! export and the automatic records at the DNS host.

use super::{write_export, Engine};
use crate::dns::auto::{host_for, AutoApplied, AutoPlan};
use crate::dns::matrix::{self, DnsEvent, WatchPace};
use crate::dns::{plan, survey};
use crate::error::{Error, Result};
use crate::steps::hosting::records::DomainRecords;

impl Engine {
    /// The DNS plan, then every record × server answer as it arrives.
    pub async fn dns_matrix(&self, id: &str, on_event: impl Fn(DnsEvent)) -> Result<()> {
        matrix::run(&self.context(id)?, on_event).await;
        Ok(())
    }

    /// Re-checks DNS until every record has propagated (`true`) or the watch is stopped
    /// (`false`). Starting a watch stops the project's previous one.
    pub async fn dns_watch(
        &self,
        id: &str,
        pace: WatchPace,
        on_event: impl Fn(DnsEvent),
    ) -> Result<bool> {
        let ctx = self.context(id)?;
        let run = self.watches.start(id);
        Ok(matrix::watch(&ctx, pace, run.stopped.clone(), on_event).await)
    }

    pub fn dns_watch_stop(&self, id: &str) {
        self.watches.stop(id);
    }

    /// The dry run of automatic records at the project's DNS host.
    pub async fn dns_auto_plan(&self, id: &str) -> Result<AutoPlan> {
        let mut dry_run = self
            .sealed(id, async {
                let ctx = self.context(id)?;
                let host = host_for(&ctx).await?;
                let (plan, _, site) = survey::plan(&ctx).await;
                let mut dry_run = host.dry_run(&plan).await?;
                dry_run.notes.extend(site_note(site));
                Ok(dry_run)
            })
            .await?;
        self.redactor(id).texts(&mut dry_run.notes);
        Ok(dry_run)
    }

    /// Creates the missing records, and replaces only the conflicting records in `confirmed`.
    pub async fn dns_auto_apply(&self, id: &str, confirmed: &[String]) -> Result<AutoApplied> {
        let mut applied = self
            .sealed(id, async {
                let ctx = self.context(id)?;
                let host = host_for(&ctx).await?;
                let (plan, fallback, site) = survey::plan(&ctx).await;
                if let Some(why) = fallback {
                    // Clerk's defaults miss the mail records and may be stale: don't write them.
                    return Err(Error::invalid("dns_plan_incomplete", why));
                }
                let mut applied = host.apply(&plan, confirmed).await?;
                applied.plan.notes.extend(site_note(site));
                Ok(applied)
            })
            .await?;
        self.redactor(id).texts(&mut applied.plan.notes);
        Ok(applied)
    }

    /// Adds the monitoring DMARC policy at the DNS host (the user confirmed it and gave the
    /// reports' mailbox); a zone with a policy keeps it.
    pub async fn dns_auto_dmarc(&self, id: &str, report_to: &str) -> Result<AutoPlan> {
        let mut plan = self
            .sealed(id, async {
                let ctx = self.context(id)?;
                let host = host_for(&ctx).await?;
                host.add_dmarc(report_to).await
            })
            .await?;
        self.redactor(id).texts(&mut plan.notes);
        Ok(plan)
    }

    /// Writes the plan as a BIND zone fragment where the user chose; returns its text.
    pub async fn export_zone(&self, id: &str, path: &std::path::Path) -> Result<String> {
        let ctx = self.context(id)?;
        // Only the vendors are asked: a zone file needs no nameserver discovery.
        let (records, _, _) = survey::plan(&ctx).await;
        let text = plan::zone_fragment(&ctx.domain, &records);
        write_export(path, &text)?;
        Ok(text)
    }
}

/// What the plan of the site's own records leaves out, and why: the host could not be asked,
/// or its API does not give a record (the apex's, at Netlify and Render).
fn site_note(site: Result<DomainRecords, String>) -> Option<String> {
    match site {
        Err(why) => Some(why),
        Ok(records) => records.unsaid,
    }
}
