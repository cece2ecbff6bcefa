//! Automatic records, opt-in: at Cloudflare (API token) or Vercel DNS (when Vercel hosts the
//! zone). First a dry run — what would be created, what is already right, what is in the
//! way — then, on confirmation, only the missing records are created. A record in the way
//! is changed only when the user confirmed that very record; nothing else is ever touched.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::plan::{host_field, PlannedRecord, RecordType};
use crate::context::RunContext;
use crate::error::{Error, Result};
use crate::layout::{is_within, zone_of};
use crate::vendors::cloudflare::{Cloudflare, Zone};
use crate::vendors::vercel::Vercel;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "kebab-case")]
pub enum DnsProvider {
    Cloudflare,
    VercelDns,
}

/// A record the DNS host already has.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ExistingRecord {
    pub id: String,
    /// Fully qualified, no trailing dot.
    pub name: String,
    pub record_type: String,
    pub value: String,
    pub proxied: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "kebab-case")]
pub enum ChangeAction {
    /// Missing: would be created.
    Create,
    /// Already as planned.
    Correct,
    /// Another record is in the way; changed only if the user confirms it.
    Conflict,
}

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct RecordChange {
    pub check_id: String,
    pub name: String,
    pub record_type: RecordType,
    pub value: String,
    pub action: ChangeAction,
    /// For a conflict, the one record in the way (confirm it by id to replace it).
    #[ts(optional)]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub existing: Option<ExistingRecord>,
    pub reason: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct AutoPlan {
    pub provider: DnsProvider,
    /// The zone the records go in.
    pub zone: String,
    pub changes: Vec<RecordChange>,
    /// What the plan could not include, and why (the host not connected or not answering, a
    /// record its API does not give).
    pub notes: Vec<String>,
    /// The zone's DMARC policy: added only on its own confirmation, never replaced.
    pub dmarc: Dmarc,
}

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct Dmarc {
    /// `_dmarc.<zone>`.
    pub name: String,
    /// The policy the zone has, if any.
    #[ts(optional)]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub existing: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct AutoApplied {
    pub created: u32,
    pub replaced: u32,
    pub deleted: u32,
    /// The dry run again, after the changes: what is still missing or in the way.
    pub plan: AutoPlan,
}

/// Names compare without their trailing dot, TXT values without their quotes.
fn same_value(a: &str, b: &str) -> bool {
    let bare = |v: &str| v.trim_matches('"').trim_end_matches('.').to_string();
    bare(a).eq_ignore_ascii_case(&bare(b))
}

/// Whether `existing` shares the name's slot with the planned record: anything beside a
/// CNAME; at the apex only address records (MX, TXT, NS… there are unrelated; a CNAME there
/// is flattened, and the zone's mail records stay beside it). TXT records live side by side:
/// only the planned one itself is in its slot.
fn in_the_way(r: &PlannedRecord, existing: &ExistingRecord) -> bool {
    let at_apex = r.name.eq_ignore_ascii_case(zone_of(&r.name));
    existing.name.eq_ignore_ascii_case(&r.name)
        && match r.record_type {
            RecordType::CNAME if !at_apex => true,
            RecordType::A | RecordType::CNAME => matches!(
                existing.record_type.as_str(),
                "A" | "AAAA" | "CNAME" | "ALIAS"
            ),
            RecordType::TXT => {
                existing.record_type == "TXT" && same_value(&existing.value, &r.value)
            }
        }
}

/// Right type and value, and not proxied — unless Cloudflare serving it is the host's way
/// (a Pages project's CNAME).
fn is_correct(r: &PlannedRecord, e: &ExistingRecord) -> bool {
    e.record_type == format!("{:?}", r.record_type)
        && same_value(&e.value, &r.value)
        && (!e.proxied || r.served_by_cloudflare())
}

fn conflict_reason(r: &PlannedRecord, e: &ExistingRecord) -> String {
    let planned_type = format!("{:?}", r.record_type);
    if e.record_type == planned_type && same_value(&e.value, &r.value) {
        "Right value, but proxied (orange cloud): certificates cannot be issued. Replacing it \
         sets it to DNS only."
            .into()
    } else if e.record_type == planned_type {
        format!("Points to {} instead.", e.value)
    } else {
        format!("The {} record {} is in the way.", e.record_type, e.value)
    }
}

/// The dry run: one row per planned record, plus one per record in its way.
pub fn diff(plan: &[PlannedRecord], existing: &[ExistingRecord]) -> Vec<RecordChange> {
    let mut rows = vec![];
    for r in plan {
        let row = |action, existing: Option<&ExistingRecord>, reason: String| RecordChange {
            check_id: r.check_id.clone(),
            name: r.name.clone(),
            record_type: r.record_type,
            value: r.value.clone(),
            action,
            existing: existing.cloned(),
            reason,
        };
        let here: Vec<&ExistingRecord> = existing.iter().filter(|e| in_the_way(r, e)).collect();
        let correct = here.iter().find(|e| is_correct(r, e));
        match correct {
            Some(_) => rows.push(row(ChangeAction::Correct, None, "Already in place.".into())),
            None if here.is_empty() => {
                rows.push(row(ChangeAction::Create, None, "Missing.".into()))
            }
            None => {}
        }
        for e in here.iter().filter(|e| !is_correct(r, e)) {
            rows.push(row(ChangeAction::Conflict, Some(e), conflict_reason(r, e)));
        }
    }
    rows
}

/// Where the records live, with the credentials to change them.
pub enum Host<'a> {
    Cloudflare(Cloudflare<'a>, Zone),
    Vercel(Vercel<'a>, String),
}

impl Host<'_> {
    pub fn provider(&self) -> DnsProvider {
        match self {
            Host::Cloudflare(..) => DnsProvider::Cloudflare,
            Host::Vercel(..) => DnsProvider::VercelDns,
        }
    }

    pub fn zone(&self) -> &str {
        match self {
            Host::Cloudflare(_, z) => &z.name,
            Host::Vercel(_, d) => d,
        }
    }

    pub async fn records(&self) -> Result<Vec<ExistingRecord>> {
        Ok(match self {
            Host::Cloudflare(cf, zone) => cf
                .records(zone)
                .await?
                .into_iter()
                .map(|r| ExistingRecord {
                    id: r.id,
                    name: r.name.trim_end_matches('.').to_ascii_lowercase(),
                    record_type: r.kind,
                    value: r.content,
                    proxied: r.proxied,
                })
                .collect(),
            Host::Vercel(v, domain) => v
                .dns_records(domain)
                .await?
                .into_iter()
                .map(|r| ExistingRecord {
                    id: r.id,
                    name: if r.name.is_empty() {
                        domain.clone()
                    } else {
                        format!("{}.{domain}", r.name).to_ascii_lowercase()
                    },
                    record_type: r.kind,
                    value: r.value,
                    proxied: false,
                })
                .collect(),
        })
    }

    async fn create(&self, r: &PlannedRecord) -> Result<()> {
        let kind = format!("{:?}", r.record_type);
        match self {
            Host::Cloudflare(cf, zone) => cf.create(zone, &kind, &r.name, &r.value).await.map(drop),
            Host::Vercel(v, domain) => v
                .create_dns_record(domain, &relative(&r.name, domain), &kind, &r.value)
                .await
                .map(drop),
        }
    }

    /// Turns the confirmed record `old` into the planned one without leaving its name
    /// unanswered: in place at Cloudflare. Vercel DNS has no update in its API, so the
    /// planned record is created first and the old one deleted after — except where Vercel
    /// refuses two records of one name (a CNAME beside anything): there the old one must go
    /// first, and if creating the new one then fails, the old one is put back (its type and
    /// value; the TTL is Golive's). Only an interruption between the two leaves the name
    /// empty; the next dry run shows it missing, and applying creates it.
    async fn replace(&self, old: &ExistingRecord, r: &PlannedRecord) -> Result<()> {
        let kind = format!("{:?}", r.record_type);
        match self {
            Host::Cloudflare(cf, zone) => cf
                .replace(zone, &old.id, &kind, &r.name, &r.value)
                .await
                .map(drop),
            Host::Vercel(v, domain) if kind == "CNAME" || old.record_type == "CNAME" => {
                v.delete_dns_record(domain, &old.id).await?;
                let created = self.create(r).await;
                if created.is_err() {
                    let name = relative(&old.name, domain);
                    let _ = v
                        .create_dns_record(domain, &name, &old.record_type, &old.value)
                        .await;
                }
                created
            }
            Host::Vercel(v, domain) => {
                self.create(r).await?;
                v.delete_dns_record(domain, &old.id).await
            }
        }
    }

    async fn delete(&self, id: &str) -> Result<()> {
        match self {
            Host::Cloudflare(cf, zone) => cf.delete(zone, id).await,
            Host::Vercel(v, domain) => v.delete_dns_record(domain, id).await,
        }
    }

    pub async fn dry_run(&self, plan: &[PlannedRecord]) -> Result<AutoPlan> {
        let (here, elsewhere) = self.split(plan);
        let existing = self.records().await?;
        Ok(AutoPlan {
            provider: self.provider(),
            zone: self.zone().to_string(),
            changes: diff(&here, &existing),
            dmarc: Dmarc {
                name: self.dmarc_name(),
                existing: self.dmarc_in(&existing).map(|r| r.value.clone()),
            },
            notes: elsewhere
                .iter()
                .map(|r| {
                    format!(
                        "{} is not in {}: add its {:?} record (→ {}) at its own DNS host.",
                        r.name,
                        self.zone(),
                        r.record_type,
                        r.value
                    )
                })
                .collect(),
        })
    }

    fn dmarc_name(&self) -> String {
        format!("_dmarc.{}", self.zone())
    }

    fn dmarc_in<'r>(&self, records: &'r [ExistingRecord]) -> Option<&'r ExistingRecord> {
        let name = self.dmarc_name();
        records.iter().find(|r| {
            r.record_type == "TXT"
                && r.name.eq_ignore_ascii_case(&name)
                && r.value
                    .trim_matches('"')
                    .to_ascii_lowercase()
                    .starts_with("v=dmarc1")
        })
    }

    /// Adds the monitoring DMARC policy with reports to `report_to`, once the user confirmed
    /// it; a zone that has a policy keeps it (two policies void each other).
    pub async fn add_dmarc(&self, report_to: &str) -> Result<AutoPlan> {
        let value = dmarc_policy(report_to)?;
        if let Some(r) = self.dmarc_in(&self.records().await?) {
            return Err(Error::invalid(
                "dmarc_exists",
                format!(
                    "{} already has a DMARC policy (\"{}\"); Golive leaves it as it is.",
                    self.zone(),
                    r.value
                ),
            ));
        }
        let name = self.dmarc_name();
        match self {
            Host::Cloudflare(cf, zone) => cf.create(zone, "TXT", &name, &value).await.map(drop)?,
            Host::Vercel(v, domain) => v
                .create_dns_record(domain, "_dmarc", "TXT", &value)
                .await
                .map(drop)?,
        }
        self.dry_run(&[]).await
    }

    /// The records in this zone, and those in another (a satellite's).
    fn split(&self, plan: &[PlannedRecord]) -> (Vec<PlannedRecord>, Vec<PlannedRecord>) {
        plan.iter()
            .cloned()
            .partition(|r| is_within(&r.name, self.zone()))
    }

    /// Creates what is missing. Records in the way are changed only when their id is in
    /// `confirmed`: the last becomes the planned record, any others are deleted before it.
    /// A planned record with an unconfirmed conflict is left alone. The diff is made afresh
    /// from the host's records, so a stale screen cannot cause a wrong change.
    pub async fn apply(&self, plan: &[PlannedRecord], confirmed: &[String]) -> Result<AutoApplied> {
        let existing = self.records().await?;
        let (mut created, mut replaced, mut deleted) = (0, 0, 0);
        for r in &self.split(plan).0 {
            let rows = diff(std::slice::from_ref(r), &existing);
            let conflicts: Vec<&ExistingRecord> = rows
                .iter()
                .filter(|c| c.action == ChangeAction::Conflict)
                .filter_map(|c| c.existing.as_ref())
                .collect();
            if conflicts.iter().any(|e| !confirmed.contains(&e.id)) {
                continue;
            }
            let correct = rows.iter().any(|c| c.action == ChangeAction::Correct);
            // The others go first, so the one replaced last keeps the name answered until
            // its replacement is there (and Vercel sees no other record beside a new CNAME).
            match conflicts.split_last() {
                None if !correct => {
                    self.create(r).await?;
                    created += 1;
                }
                None => {}
                Some((last, others)) => {
                    for e in others {
                        self.delete(&e.id).await?;
                        deleted += 1;
                    }
                    if correct {
                        self.delete(&last.id).await?;
                        deleted += 1;
                    } else {
                        self.replace(last, r).await?;
                        replaced += 1;
                    }
                }
            }
        }
        Ok(AutoApplied {
            created,
            replaced,
            deleted,
            plan: self.dry_run(plan).await?,
        })
    }
}

/// Where this project's records can be made: Cloudflare when a token is saved, else Vercel
/// DNS when Vercel hosts the zone; otherwise why neither can.
pub async fn host_for(ctx: &RunContext) -> Result<Host<'_>> {
    if let Some(token) = &ctx.inputs.cloudflare_token {
        let cf = Cloudflare::new(&ctx.http, &ctx.endpoints.cloudflare_api, token);
        let zone = cf.zone_for(&ctx.domain).await?;
        return Ok(Host::Cloudflare(cf, zone));
    }
    let Some(vercel) = ctx.vercel() else {
        return Err(Error::invalid(
            "dns_auto_unavailable",
            "To create the records automatically, paste a Cloudflare API token (if Cloudflare \
             hosts the domain's DNS) or connect Vercel (if Vercel does). Otherwise add them at \
             your DNS host from the table.",
        ));
    };
    // Vercel DNS holds the registrable domain's zone, whichever subdomain the app is on.
    let zone = zone_of(&ctx.domain);
    let info = vercel.domain_info(zone).await?;
    if !info.dns_at_vercel() {
        return Err(Error::invalid(
            "dns_auto_unavailable",
            format!(
                "{}'s DNS is not hosted by Vercel (nameservers: {}). Paste a Cloudflare API token \
                 if Cloudflare hosts it; otherwise add the records at your DNS host from the table.",
                zone,
                if info.nameservers.is_empty() {
                    "unknown".to_string()
                } else {
                    info.nameservers.join(", ")
                }
            ),
        ));
    }
    Ok(Host::Vercel(vercel, zone.to_string()))
}

/// The monitoring policy (`p=none`) with aggregate reports to `report_to`, a mailbox the
/// user reads: one address, nothing that could end the record or add a tag.
pub fn dmarc_policy(report_to: &str) -> Result<String> {
    let to = report_to.trim();
    let ok = to.split_once('@').is_some_and(|(local, domain)| {
        !local.is_empty()
            && crate::domain::normalize(domain).is_ok_and(|d| d == domain.to_ascii_lowercase())
            && to
                .chars()
                .all(|c| c.is_ascii_graphic() && !"\";,!<>\\".contains(c))
    });
    if !ok {
        return Err(Error::invalid(
            "dmarc_address_invalid",
            format!(
                "\"{to}\" is not an email address. Give the mailbox that should receive the \
                 DMARC reports, like dmarc-reports@yourdomain.com."
            ),
        ));
    }
    Ok(format!("v=DMARC1; p=none; rua=mailto:{to}"))
}

/// A name as Vercel DNS takes it: the plan's Host field, with the apex blank rather than `@`.
fn relative(name: &str, domain: &str) -> String {
    match host_field(&name.to_ascii_lowercase(), &domain.to_ascii_lowercase()) {
        apex if apex == "@" => String::new(),
        label => label,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dns::plan::RecordSource;

    fn planned(check_id: &str, name: &str, t: RecordType, value: &str) -> PlannedRecord {
        PlannedRecord {
            check_id: check_id.into(),
            name: name.into(),
            record_type: t,
            value: value.into(),
            required: true,
            source: RecordSource::ClerkApi,
            host_field: String::new(),
            registrar_hosts: vec![],
        }
    }

    fn existing(id: &str, name: &str, t: &str, value: &str, proxied: bool) -> ExistingRecord {
        ExistingRecord {
            id: id.into(),
            name: name.into(),
            record_type: t.into(),
            value: value.into(),
            proxied,
        }
    }

    /// A Pages project's records: its CNAME proxied is right (Cloudflare serving it is the
    /// host's way); a validation TXT record is created beside the zone's other TXT records,
    /// never in their place, and is right when there (quoted as Cloudflare keeps it).
    #[test]
    fn a_pages_projects_records_are_sorted_the_hosts_way() {
        let mut cname = planned(
            "dns.app",
            "app.q.site",
            RecordType::CNAME,
            "quillmate.pages.dev",
        );
        cname.source = RecordSource::CloudflareApi;
        let mut txt = planned(
            "dns.validation",
            "_cf-custom-hostname.app.q.site",
            RecordType::TXT,
            "4f3c-token",
        );
        txt.source = RecordSource::CloudflareApi;
        let plan = [cname, txt];
        let spf = existing(
            "1",
            "_cf-custom-hostname.app.q.site",
            "TXT",
            "\"v=spf1 -all\"",
            false,
        );
        let proxied = existing("2", "app.q.site", "CNAME", "quillmate.pages.dev", true);
        let rows = diff(&plan, &[spf.clone(), proxied.clone()]);
        let actions: Vec<(&str, ChangeAction)> = rows
            .iter()
            .map(|r| (r.check_id.as_str(), r.action))
            .collect();
        assert_eq!(
            actions,
            [
                ("dns.app", ChangeAction::Correct),
                ("dns.validation", ChangeAction::Create)
            ]
        );
        let there = existing(
            "3",
            "_cf-custom-hostname.app.q.site",
            "TXT",
            "\"4f3c-token\"",
            false,
        );
        let rows = diff(&plan[1..], &[spf, there]);
        assert_eq!(rows.len(), 1);
        assert_eq!(rows[0].action, ChangeAction::Correct);
    }

    #[test]
    fn the_dry_run_sorts_missing_right_and_in_the_way() {
        let plan = [
            planned(
                "dns.clerk",
                "clerk.q.site",
                RecordType::CNAME,
                "frontend-api.clerk.services",
            ),
            planned(
                "dns.accounts",
                "accounts.q.site",
                RecordType::CNAME,
                "accounts.clerk.services",
            ),
            planned(
                "dns.clkmail",
                "clkmail.q.site",
                RecordType::CNAME,
                "mail.x.clerk.services",
            ),
            planned("dns.apex", "q.site", RecordType::A, "216.198.79.1"),
        ];
        let have = [
            existing(
                "1",
                "clerk.q.site",
                "CNAME",
                "frontend-api.clerk.services.",
                false,
            ),
            existing(
                "2",
                "accounts.q.site",
                "CNAME",
                "accounts.clerk.services",
                true,
            ),
            existing("3", "q.site", "A", "216.198.79.1", false),
            existing("4", "q.site", "A", "192.0.2.10", false),
            existing("5", "q.site", "MX", "mail.q.site", false),
            existing("6", "q.site", "TXT", "v=spf1 -all", false),
        ];
        let rows = diff(&plan, &have);
        let summary: Vec<(&str, ChangeAction, Option<&str>)> = rows
            .iter()
            .map(|r| {
                (
                    r.check_id.as_str(),
                    r.action,
                    r.existing.as_ref().map(|e| e.id.as_str()),
                )
            })
            .collect();
        assert_eq!(
            summary,
            [
                ("dns.clerk", ChangeAction::Correct, None),
                ("dns.accounts", ChangeAction::Conflict, Some("2")),
                ("dns.clkmail", ChangeAction::Create, None),
                ("dns.apex", ChangeAction::Correct, None),
                ("dns.apex", ChangeAction::Conflict, Some("4")),
            ]
        );
        assert!(rows[1].reason.contains("proxied"), "{}", rows[1].reason);
    }

    #[test]
    fn names_are_relative_to_the_zone() {
        assert_eq!(
            relative("clk._domainkey.q.site", "q.site"),
            "clk._domainkey"
        );
        assert_eq!(relative("q.site", "q.site"), "");
    }
}
