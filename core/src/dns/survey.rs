//! What one check run knows about DNS before asking about any record: the plan and whom to
//! ask. Computed once per run by whichever DNS check needs it first; the others wait for it.

use super::plan::{clerk_records, satellite_record, usable, vercel_records, PlannedRecord};
use super::resolvers::{authoritative, public_panel, Server};
use crate::context::RunContext;
use crate::layout::{zone_of, Layout};
use crate::project::Hosting;
use crate::vendors::clerk::platform::Platform;
use crate::vendors::vercel::projects::DomainConfig;

#[derive(Debug, Clone)]
pub struct Survey {
    pub plan: Vec<PlannedRecord>,
    /// Why the plan is Clerk's documented defaults rather than its API's answer.
    pub fallback_reason: Option<String>,
    /// Vercel's view of the domain, or why Golive could not ask (not connected, API error).
    pub vercel: Result<DomainConfig, String>,
    pub authoritative: Result<Vec<Server>, String>,
    pub public: Vec<Server>,
}

pub async fn survey(ctx: &RunContext) -> Survey {
    let ((plan, fallback_reason, vercel), authoritative) =
        futures::join!(plan(ctx), authoritative(&ctx.endpoints, &ctx.domain));
    Survey {
        plan,
        fallback_reason,
        vercel,
        authoritative,
        public: public_panel(&ctx.endpoints),
    }
}

/// The records only (no nameserver discovery), as the layout has them: Clerk's, and why
/// they are the fallback if they are; the host's, with Vercel's answer; each satellite's.
pub async fn plan(
    ctx: &RunContext,
) -> (
    Vec<PlannedRecord>,
    Option<String>,
    Result<DomainConfig, String>,
) {
    let layout = ctx.layout().await;
    let ((targets, mut fallback_reason), vercel) =
        futures::join!(clerk_targets(ctx, layout), vercel(ctx));
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
    let vercel = vercel.and_then(|config| {
        let records = vercel_records(layout, &config);
        usable(zone, &records).map_err(|why| {
            format!("Vercel recommended a record Golive will not write ({why}); check the domain in Vercel's dashboard.")
        })?;
        plan.extend(records);
        Ok(config)
    });
    plan.extend(satellite_records(ctx, layout).await);
    (plan, fallback_reason, vercel)
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

async fn vercel(ctx: &RunContext) -> Result<DomainConfig, String> {
    // Only Vercel's API says which records a domain needs; the other hosts' views show the
    // target their documentation gives, and Cloudflare makes a Worker's record itself.
    match ctx.inputs.hosting {
        Hosting::Vercel => {}
        Hosting::CloudflareWorkers => {
            return Err(
                "Cloudflare makes the domain's record itself when it attaches the domain \
                        to the Worker (the Hosting step): there is none to add here."
                    .into(),
            )
        }
        other => {
            return Err(format!(
                "{}'s API does not say which records its domain needs, so the site's own \
                 records are not checked here: the Hosting step shows where to point the \
                 domain.",
                other.words().name
            ))
        }
    }
    let (Some(vercel), Some(project)) = (ctx.vercel(), &ctx.inputs.vercel_project) else {
        return Err(
            "Connect the Vercel project on the Hosting step to check the site's own records."
                .into(),
        );
    };
    vercel
        .domain_config(&ctx.domain, project)
        .await
        .map_err(|e| {
            let e = ctx.inputs.redactor().error(e);
            format!("Vercel's recommended records could not be read: {e}")
        })
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
