//! What one check run knows about DNS before asking about any record: the plan and whom to
//! ask. Computed once per run by whichever DNS check needs it first; the others wait for it.

use super::plan::{
    clerk_records, host_records, satellite_record, usable, PlannedRecord, RecordSource,
};
use super::resolvers::{authoritative, public_panel, Server};
use crate::context::RunContext;
use crate::layout::{zone_of, Layout};
use crate::steps::hosting::host::{Host, Unlinked};
use crate::steps::hosting::records::DomainRecords;
use crate::vendors::clerk::platform::Platform;

#[derive(Debug, Clone)]
pub struct Survey {
    pub plan: Vec<PlannedRecord>,
    /// Why the plan is Clerk's documented defaults rather than its API's answer.
    pub fallback_reason: Option<String>,
    /// The host's records for the domain, or why there are none to check (not connected, an
    /// API error, a Worker's record made by Cloudflare).
    pub host: Result<DomainRecords, String>,
    pub authoritative: Result<Vec<Server>, String>,
    pub public: Vec<Server>,
}

pub async fn survey(ctx: &RunContext) -> Survey {
    let ((plan, fallback_reason, host), authoritative) =
        futures::join!(plan(ctx), authoritative(&ctx.endpoints, &ctx.domain));
    Survey {
        plan,
        fallback_reason,
        host,
        authoritative,
        public: public_panel(&ctx.endpoints),
    }
}

/// The records only (no nameserver discovery), as the layout has them: Clerk's, and why
/// they are the fallback if they are; the host's, with its API's answer; each satellite's.
pub async fn plan(
    ctx: &RunContext,
) -> (
    Vec<PlannedRecord>,
    Option<String>,
    Result<DomainRecords, String>,
) {
    let layout = ctx.layout().await;
    let ((targets, mut fallback_reason), host) =
        futures::join!(clerk_targets(ctx, layout), host(ctx, layout));
    let zone = zone_of(&ctx.domain);
    // A vendor answer with a record that cannot be written is not used at all.
    let mut plan = clerk_records(layout, targets.as_deref());
    if let Err(why) = usable(&layout.clerk_domain, &plan) {
        plan = clerk_records(layout, None);
        fallback_reason = Some(format!(
            "Clerk's API listed a record Golive will not write ({why}), so these are Clerk's \
             documented defaults; the mail records need the API. Check the domain in Clerk's \
             dashboard."
        ));
    }
    let host = host.and_then(|(answer, source)| {
        let records = host_records(layout, &answer, source);
        usable(zone, &records).map_err(|why| {
            let name = ctx.inputs.hosting.words().name;
            format!(
                "{name} recommended a record Golive will not write ({why}); check the domain in \
                 {name}'s dashboard."
            )
        })?;
        plan.extend(records);
        Ok(answer)
    });
    plan.extend(satellite_records(ctx, layout).await);
    (plan, fallback_reason, host)
}

/// Each satellite's `clerk` record, with Clerk's target for it when the API lists one.
async fn satellite_records(ctx: &RunContext, layout: &Layout) -> Vec<PlannedRecord> {
    let domains = match ctx.clerk_domains().await {
        Some(Ok(d)) => d.as_slice(),
        _ => &[],
    };
    layout
        .satellites
        .iter()
        .map(|s| {
            let targets = domains
                .iter()
                .find(|d| d.name == s.domain)
                .and_then(|d| d.cname_targets.as_deref());
            satellite_record(s, targets)
        })
        .filter(|r| usable(zone_of(&r.name), std::slice::from_ref(r)).is_ok())
        .collect()
}

/// The host's records for the app's domain, as its API says them.
async fn host(ctx: &RunContext, layout: &Layout) -> Result<(DomainRecords, RecordSource), String> {
    let words = ctx.inputs.hosting.words();
    let Some(source) = RecordSource::of_host(ctx.inputs.hosting) else {
        return Err(
            "Cloudflare makes the domain's record itself when it attaches the domain \
             to the Worker (the Hosting step): there is none to add here."
                .into(),
        );
    };
    let host = Host::of_run(ctx).map_err(|unlinked| match unlinked {
        Unlinked::NotConnected => format!(
            "Connect the {} {} on the Hosting step to check the site's own records.",
            words.name, words.project
        ),
        Unlinked::BadToken { error, fix } => format!("{error} {fix}"),
    })?;
    let records = host
        .records(&layout.app_domain, layout.app_at_apex())
        .await
        .map_err(|e| {
            let e = ctx.inputs.redactor().error(e);
            format!(
                "{}'s recommended records could not be read: {e}",
                words.name
            )
        })?;
    Ok((records, source))
}

/// Clerk's `cname_targets` for the domain, from the Backend API (secret key) or the Platform
/// API (platform key); with neither, why not.
async fn clerk_targets(
    ctx: &RunContext,
    layout: &Layout,
) -> (
    Option<Vec<crate::vendors::clerk::platform::CnameTarget>>,
    Option<String>,
) {
    if let Some(Ok(domains)) = ctx.clerk_domains().await {
        if let Some(d) = domains.iter().find(|d| d.name == layout.clerk_domain) {
            if let Some(t) = &d.cname_targets {
                return (Some(t.clone()), None);
            }
        }
    }
    if let Some(ak) = &ctx.inputs.platform_key {
        if let Ok(d) = Platform::new(&ctx.http, &ctx.endpoints.clerk_api, ak)
            .domain(&layout.clerk_domain)
            .await
        {
            if !d.cname_targets.is_empty() {
                return (Some(d.cname_targets), None);
            }
        }
    }
    (
        None,
        Some(
            "Clerk's API did not list this domain's records (no accepted key for it), so these \
             are Clerk's documented defaults; the mail records need the API."
                .into(),
        ),
    )
}
