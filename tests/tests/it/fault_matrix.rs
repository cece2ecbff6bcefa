//! The fault matrix: every vendor call each engine operation makes is, in turn, answered
//! with 400, 401, 403, 404, 409, 422, 429 + Retry-After, 500, 503, silence and malformed
//! JSON; every error status but 404 quotes back the credential and the request's body (or
//! query), so a secret that escapes redaction shows in the message.
//! Each time the operation must end in its own clear message (or, for the checks, a check
//! that says what happened) and leave the saved project and keychain exactly as they were.
//!
//! The calls are not listed by hand: each operation is first run against a healthy sandbox
//! and the calls it made are recorded, so a new vendor call joins the matrix by itself.

use crate::common;
use crate::common::FAST;
use std::collections::BTreeSet;
use std::sync::Arc;

use golive_core::error::Error;
use golive_core::project::VercelLink;
use golive_core::provider::ProviderId;
use golive_core::secrets::{SecretKind, SecretStore};
use golive_sandbox::faults::FaultKind;
use golive_sandbox::scenario::*;
use golive_sandbox::{Probe, Sandbox, Scenario, DOMAIN};

/// Each operation the app offers that reaches a vendor, with the scenario it succeeds in.
#[derive(Debug, Clone, Copy)]
enum Op {
    ClerkApplications,
    ClerkCreateProduction,
    ClerkDomainStatus,
    ClerkDomainRecheck,
    SupabaseTrust,
    SupabaseAddIssuer,
    CloudflarePlan,
    CloudflareApply,
    VercelDnsApply,
    VercelProjects,
    HostingDomain,
    HostingAddDomain,
    HostingVerifyDomain,
    HostingEnvPlan,
    HostingEnvApply,
    HostingRedeploy,
    NetlifySites,
    NetlifyDomain,
    NetlifyAddDomain,
    NetlifyVerifyDomain,
    NetlifyEnvPlan,
    NetlifyEnvApply,
    /// A secret's value and its marker.
    NetlifyEnvApplySecret,
    NetlifyRedeploy,
    RunChecksNetlify,
    RenderServices,
    RenderDomain,
    RenderAddDomain,
    RenderVerifyDomain,
    RenderEnvPlan,
    /// Each value and its stamp.
    RenderEnvApply,
    RenderRedeploy,
    RunChecksRender,
    /// Linking the Pages project (Cloudflare is asked whether the token sees it).
    PagesLink,
    PagesDomain,
    PagesAddDomain,
    PagesVerifyDomain,
    PagesEnvPlan,
    /// Values and their markers.
    PagesEnvApply,
    PagesRedeploy,
    RunChecksPages,
    WorkersLink,
    WorkersDomain,
    WorkersAddDomain,
    WorkersEnvPlan,
    /// Secrets and their markers.
    WorkersEnvApply,
    /// A renewed signing secret: its value, its marker, the marker it replaces removed.
    WorkersEnvRenew,
    WorkersRedeploy,
    RunChecksWorkers,
    SsoOverview,
    SsoProbe,
    SsoPush,
    WebhookDashboard,
    RunChecks,
    Rehearse,
    Layout,
    DmarcAdd,
}

const OPS: [Op; 57] = [
    Op::ClerkApplications,
    Op::ClerkCreateProduction,
    Op::ClerkDomainStatus,
    Op::ClerkDomainRecheck,
    Op::SupabaseTrust,
    Op::SupabaseAddIssuer,
    Op::CloudflarePlan,
    Op::CloudflareApply,
    Op::VercelDnsApply,
    Op::VercelProjects,
    Op::HostingDomain,
    Op::HostingAddDomain,
    Op::HostingVerifyDomain,
    Op::HostingEnvPlan,
    Op::HostingEnvApply,
    Op::HostingRedeploy,
    Op::NetlifySites,
    Op::NetlifyDomain,
    Op::NetlifyAddDomain,
    Op::NetlifyVerifyDomain,
    Op::NetlifyEnvPlan,
    Op::NetlifyEnvApply,
    Op::NetlifyEnvApplySecret,
    Op::NetlifyRedeploy,
    Op::RunChecksNetlify,
    Op::RenderServices,
    Op::RenderDomain,
    Op::RenderAddDomain,
    Op::RenderVerifyDomain,
    Op::RenderEnvPlan,
    Op::RenderEnvApply,
    Op::RenderRedeploy,
    Op::RunChecksRender,
    Op::PagesLink,
    Op::PagesDomain,
    Op::PagesAddDomain,
    Op::PagesVerifyDomain,
    Op::PagesEnvPlan,
    Op::PagesEnvApply,
    Op::PagesRedeploy,
    Op::RunChecksPages,
    Op::WorkersLink,
    Op::WorkersDomain,
    Op::WorkersAddDomain,
    Op::WorkersEnvPlan,
    Op::WorkersEnvApply,
    Op::WorkersEnvRenew,
    Op::WorkersRedeploy,
    Op::RunChecksWorkers,
    Op::SsoOverview,
    Op::SsoProbe,
    Op::SsoPush,
    Op::WebhookDashboard,
    Op::RunChecks,
    Op::Rehearse,
    Op::Layout,
    Op::DmarcAdd,
];

impl Op {
    fn scenario(self) -> &'static str {
        match self {
            Op::ClerkApplications | Op::ClerkCreateProduction => "fresh",
            Op::ClerkDomainStatus | Op::ClerkDomainRecheck => "created",
            Op::SupabaseTrust | Op::SupabaseAddIssuer => "dev-issuer-only",
            Op::CloudflarePlan | Op::CloudflareApply | Op::DmarcAdd => "cloudflare-dns",
            Op::VercelDnsApply => "vercel-dns",
            Op::HostingDomain
            | Op::HostingAddDomain
            | Op::HostingVerifyDomain
            | Op::HostingEnvPlan
            | Op::HostingEnvApply => "fresh-project",
            Op::VercelProjects | Op::HostingRedeploy => "env-production-only",
            Op::NetlifySites
            | Op::NetlifyDomain
            | Op::NetlifyAddDomain
            | Op::NetlifyVerifyDomain
            | Op::NetlifyEnvPlan
            | Op::NetlifyEnvApply => "netlify-fresh",
            Op::NetlifyEnvApplySecret | Op::NetlifyRedeploy => "netlify-production-only",
            Op::RunChecksNetlify => "netlify-live",
            Op::RenderServices
            | Op::RenderDomain
            | Op::RenderAddDomain
            | Op::RenderVerifyDomain
            | Op::RenderEnvPlan
            | Op::RenderEnvApply => "render-fresh",
            Op::RenderRedeploy => "render-production-only",
            Op::RunChecksRender => "render-live",
            Op::PagesLink
            | Op::PagesDomain
            | Op::PagesAddDomain
            | Op::PagesVerifyDomain
            | Op::PagesEnvPlan
            | Op::PagesEnvApply => "cloudflare-pages-fresh",
            Op::PagesRedeploy => "cloudflare-pages-production-only",
            Op::RunChecksPages => "cloudflare-pages-live",
            Op::WorkersLink
            | Op::WorkersDomain
            | Op::WorkersAddDomain
            | Op::WorkersEnvPlan
            | Op::WorkersEnvApply => "cloudflare-workers-fresh",
            Op::WorkersEnvRenew | Op::WorkersRedeploy | Op::RunChecksWorkers => {
                "cloudflare-workers-live"
            }
            Op::SsoOverview | Op::SsoProbe | Op::SsoPush | Op::WebhookDashboard | Op::RunChecks => {
                "all-good"
            }
            Op::Rehearse => "live",
            Op::Layout => "satellite",
        }
    }

    /// Saves what the user would have saved before this operation; returns the secrets the
    /// operation may read, so the test can check none of them appears in a message.
    async fn prepare(self, t: &common::TestProject) -> Vec<String> {
        let (e, id) = (&t.engine, t.project.id.as_str());
        let mut secrets = vec![];
        let mut secret = |kind, value: &str| {
            e.set_secret(id, kind, value).unwrap();
            secrets.push(value.to_string());
        };
        secret(SecretKind::ClerkPlatformKey, PLATFORM_KEY);
        if !matches!(self, Op::ClerkApplications | Op::ClerkCreateProduction) {
            e.set_publishable_key(id, &publishable_key(&format!("clerk.{DOMAIN}")))
                .unwrap();
            secret(SecretKind::ClerkSecretKey, LIVE_SECRET_KEY);
        }
        secret(SecretKind::SupabaseToken, SUPABASE_TOKEN);
        e.set_supabase_project(id, SUPABASE_REF).unwrap();
        // With a Cloudflare token, automatic records go to Cloudflare rather than Vercel DNS.
        if !matches!(self, Op::VercelDnsApply) {
            secret(SecretKind::CloudflareToken, CLOUDFLARE_TOKEN);
        }
        secret(SecretKind::VercelToken, VERCEL_TOKEN);
        // The webhook secret joins the env plan's writes and the checks' inputs.
        secret(SecretKind::ClerkWebhookSecret, LIVE_WEBHOOK_SECRET);
        e.set_webhook_url(id, WEBHOOK_URL).unwrap();
        e.set_vercel_project(
            id,
            Some(VercelLink {
                id: VERCEL_PROJECT_ID.into(),
                name: "quillmate".into(),
                team_id: None,
            }),
        )
        .unwrap();
        let google = golive_sandbox::oauth::client("google");
        e.sso_save(id, common::google_form(google.secret)).unwrap();
        secrets.push(google.secret.to_string());
        if matches!(self, Op::SsoPush) {
            e.clerk_create_production(id, APP_ID).await.unwrap();
        }
        if self.on_netlify() {
            e.update_project(
                id,
                golive_core::project::ProjectInput {
                    name: t.project.name.clone(),
                    domain: t.project.domain.clone(),
                    hosting: golive_core::project::Hosting::Netlify,
                    framework: t.project.framework,
                },
            )
            .unwrap();
            e.set_secret(id, SecretKind::NetlifyToken, NETLIFY_TOKEN)
                .unwrap();
            secrets.push(NETLIFY_TOKEN.to_string());
            e.set_netlify_site(
                id,
                Some(golive_core::project::NetlifyLink {
                    id: NETLIFY_SITE_ID.into(),
                    name: "quillmate".into(),
                }),
            )
            .unwrap();
        }
        if self.on_render() {
            e.update_project(
                id,
                golive_core::project::ProjectInput {
                    name: t.project.name.clone(),
                    domain: t.project.domain.clone(),
                    hosting: golive_core::project::Hosting::Render,
                    framework: t.project.framework,
                },
            )
            .unwrap();
            e.set_secret(id, SecretKind::RenderApiKey, RENDER_API_KEY)
                .unwrap();
            secrets.push(RENDER_API_KEY.to_string());
            e.set_render_service(
                id,
                Some(golive_core::project::RenderLink {
                    id: RENDER_SERVICE_ID.into(),
                    name: "quillmate".into(),
                    dashboard_url: None,
                }),
            )
            .unwrap();
        }
        if self.on_pages() {
            e.update_project(
                id,
                golive_core::project::ProjectInput {
                    name: t.project.name.clone(),
                    domain: t.project.domain.clone(),
                    hosting: golive_core::project::Hosting::CloudflarePages,
                    framework: t.project.framework,
                },
            )
            .unwrap();
            if !matches!(self, Op::PagesLink) {
                e.set_cloudflare_project(id, pages_link()).await.unwrap();
            }
        }
        if self.on_workers() {
            e.update_project(
                id,
                golive_core::project::ProjectInput {
                    name: t.project.name.clone(),
                    domain: t.project.domain.clone(),
                    hosting: golive_core::project::Hosting::CloudflareWorkers,
                    framework: t.project.framework,
                },
            )
            .unwrap();
            if !matches!(self, Op::WorkersLink) {
                e.set_cloudflare_project(id, worker_link()).await.unwrap();
            }
        }
        if matches!(self, Op::WorkersEnvRenew) {
            let renewed = format!("{}x", &LIVE_WEBHOOK_SECRET[..LIVE_WEBHOOK_SECRET.len() - 1]);
            e.set_secret(id, SecretKind::ClerkWebhookSecret, &renewed)
                .unwrap();
            secrets.push(renewed);
        }
        if matches!(self, Op::PagesVerifyDomain) {
            e.hosting_add_domain(id).await.unwrap();
        }
        if matches!(self, Op::PagesRedeploy) {
            e.hosting_env_apply(id).await.unwrap();
        }
        // Netlify issues a certificate (and Render verifies) for a domain on the site only.
        if matches!(self, Op::NetlifyVerifyDomain | Op::RenderVerifyDomain) {
            e.hosting_add_domain(id).await.unwrap();
        }
        if matches!(
            self,
            Op::HostingRedeploy | Op::NetlifyRedeploy | Op::RenderRedeploy
        ) {
            e.hosting_env_apply(id).await.unwrap();
        }
        if matches!(self, Op::Rehearse) {
            let form = golive_core::steps::launch::settings::LaunchSettings {
                supabase_anon_key: golive_sandbox::scenario::SUPABASE_ANON_KEY.into(),
                ..Default::default()
            };
            e.set_launch_settings(id, form).unwrap();
        }
        secrets
    }

    fn on_netlify(self) -> bool {
        matches!(
            self,
            Op::NetlifySites
                | Op::NetlifyDomain
                | Op::NetlifyAddDomain
                | Op::NetlifyVerifyDomain
                | Op::NetlifyEnvPlan
                | Op::NetlifyEnvApply
                | Op::NetlifyEnvApplySecret
                | Op::NetlifyRedeploy
                | Op::RunChecksNetlify
        )
    }

    fn on_render(self) -> bool {
        matches!(
            self,
            Op::RenderServices
                | Op::RenderDomain
                | Op::RenderAddDomain
                | Op::RenderVerifyDomain
                | Op::RenderEnvPlan
                | Op::RenderEnvApply
                | Op::RenderRedeploy
                | Op::RunChecksRender
        )
    }

    fn on_pages(self) -> bool {
        matches!(
            self,
            Op::PagesLink
                | Op::PagesDomain
                | Op::PagesAddDomain
                | Op::PagesVerifyDomain
                | Op::PagesEnvPlan
                | Op::PagesEnvApply
                | Op::PagesRedeploy
                | Op::RunChecksPages
        )
    }

    fn on_workers(self) -> bool {
        matches!(
            self,
            Op::WorkersLink
                | Op::WorkersDomain
                | Op::WorkersAddDomain
                | Op::WorkersEnvPlan
                | Op::WorkersEnvApply
                | Op::WorkersEnvRenew
                | Op::WorkersRedeploy
                | Op::RunChecksWorkers
        )
    }

    /// Runs the operation; `Ok` carries, for the checks, what did not pass.
    async fn run(self, t: &common::TestProject) -> Result<Vec<String>, Error> {
        let (e, id) = (&t.engine, t.project.id.as_str());
        match self {
            Op::ClerkApplications => e.clerk_applications(id).await.map(|_| vec![]),
            Op::ClerkCreateProduction => {
                e.clerk_create_production(id, APP_ID).await.map(|_| vec![])
            }
            Op::ClerkDomainStatus => e.clerk_domain_status(id, false).await.map(|_| vec![]),
            Op::ClerkDomainRecheck => e.clerk_domain_status(id, true).await.map(|_| vec![]),
            Op::SupabaseTrust => e.supabase_trust(id).await.map(|_| vec![]),
            Op::SupabaseAddIssuer => e.supabase_add_issuer(id).await.map(|_| vec![]),
            Op::CloudflarePlan => e.dns_auto_plan(id).await.map(|p| p.notes),
            Op::CloudflareApply | Op::VercelDnsApply => {
                e.dns_auto_apply(id, &[]).await.map(|a| a.plan.notes)
            }
            Op::VercelProjects => e.vercel_projects(id, None, "", None).await.map(|_| vec![]),
            Op::NetlifySites => e.netlify_sites(id, "", 1).await.map(|_| vec![]),
            Op::RenderServices => e.render_services(id, "", None).await.map(|_| vec![]),
            Op::WorkersLink => e
                .set_cloudflare_project(id, worker_link())
                .await
                .map(|_| vec![]),
            Op::PagesLink => e
                .set_cloudflare_project(id, pages_link())
                .await
                .map(|_| vec![]),
            Op::HostingDomain
            | Op::NetlifyDomain
            | Op::RenderDomain
            | Op::PagesDomain
            | Op::WorkersDomain => e.hosting_domain(id).await.map(|_| vec![]),
            Op::HostingAddDomain
            | Op::NetlifyAddDomain
            | Op::RenderAddDomain
            | Op::PagesAddDomain
            | Op::WorkersAddDomain => e.hosting_add_domain(id).await.map(|_| vec![]),
            Op::HostingVerifyDomain
            | Op::NetlifyVerifyDomain
            | Op::RenderVerifyDomain
            | Op::PagesVerifyDomain => e.hosting_verify_domain(id).await.map(|_| vec![]),
            Op::HostingEnvPlan
            | Op::NetlifyEnvPlan
            | Op::RenderEnvPlan
            | Op::PagesEnvPlan
            | Op::WorkersEnvPlan => e.hosting_env_plan(id).await.map(|_| vec![]),
            Op::HostingEnvApply
            | Op::NetlifyEnvApply
            | Op::NetlifyEnvApplySecret
            | Op::RenderEnvApply
            | Op::PagesEnvApply
            | Op::WorkersEnvApply
            | Op::WorkersEnvRenew => e.hosting_env_apply(id).await.map(|_| vec![]),
            Op::HostingRedeploy
            | Op::NetlifyRedeploy
            | Op::RenderRedeploy
            | Op::PagesRedeploy
            | Op::WorkersRedeploy => e.hosting_redeploy(id, FAST, |_| {}).await.map(|_| vec![]),
            Op::SsoOverview => e.sso_overview(id).await.map(|o| o.notes),
            Op::SsoProbe => e.sso_probe(id, ProviderId::Google).await.map(|r| {
                if r.verdict == golive_core::vendors::oauth::token_probe::Verdict::Accepted {
                    vec![]
                } else {
                    vec![format!("probe: {:?} {}", r.verdict, r.message)]
                }
            }),
            Op::SsoPush => e.sso_push(id, ProviderId::Google).await.map(|_| vec![]),
            Op::Rehearse => e
                .run_checks(id, Some("launch"), true, |_| {})
                .await
                .map(not_passing),
            Op::WebhookDashboard => e.webhook_dashboard(id).await.map(|_| vec![]),
            Op::RunChecks
            | Op::RunChecksNetlify
            | Op::RunChecksRender
            | Op::RunChecksPages
            | Op::RunChecksWorkers => e.run_checks(id, None, false, |_| {}).await.map(not_passing),
            // What could not be detected is said in the layout itself.
            Op::Layout => e.layout(id).await.map(|l| l.detected),
            Op::DmarcAdd => e
                .dns_auto_dmarc(id, "dmarc@quillmate.test")
                .await
                .map(|p| p.notes),
        }
    }
}

fn pages_link() -> Option<golive_core::project::CloudflareLink> {
    Some(golive_core::project::CloudflareLink {
        account_id: CLOUDFLARE_ACCOUNT_ID.into(),
        name: PAGES_PROJECT.into(),
        kind: None,
    })
}

fn worker_link() -> Option<golive_core::project::CloudflareLink> {
    Some(golive_core::project::CloudflareLink {
        account_id: CLOUDFLARE_ACCOUNT_ID.into(),
        name: WORKER_SCRIPT.into(),
        kind: None,
    })
}

/// The checks of a run that did not pass, as the verdict compares them.
fn not_passing(report: golive_core::checks::Report) -> Vec<String> {
    report
        .checks
        .iter()
        .filter(|c| c.status != golive_core::checks::CheckStatus::Pass)
        .map(|c| format!("{} {:?}: {}", c.id, c.status, c.detail))
        .collect()
}

/// A sandbox and a prepared project whose vendor requests give up after 3 s: long enough for a
/// healthy answer on a loaded machine (two cores, many builds), short enough for silence.
async fn rig(op: Op) -> (Sandbox, common::TestProject, Vec<String>) {
    let sb = Sandbox::start(Scenario::named(op.scenario()).unwrap())
        .await
        .unwrap();
    let mut vars = sb.env();
    vars.push(("GOLIVE_HTTP_TIMEOUT_MS".into(), "3000".into()));
    let t = common::project_with(golive_core::config::Endpoints::from_vars(vars).unwrap());
    let secrets = op.prepare(&t).await;
    (sb, t, secrets)
}

/// Everything the user has saved: the settings files and the project's keychain entries.
fn saved(t: &common::TestProject) -> Vec<(String, String)> {
    let mut out = vec![];
    for entry in std::fs::read_dir(t.dir()).unwrap() {
        let path = entry.unwrap().path();
        out.push((
            path.display().to_string(),
            std::fs::read_to_string(&path).unwrap_or_default(),
        ));
    }
    for kind in SecretKind::ALL {
        let value = t.secrets.get(&t.project.id, kind).unwrap();
        out.push((
            format!("{kind:?}"),
            value.map(|s| s.expose().to_string()).unwrap_or_default(),
        ));
    }
    out.sort();
    out
}

fn any_made_id(path: &str) -> String {
    path.split('/')
        .map(|seg| {
            if ["sess_", "user_2sbx"].iter().any(|p| seg.starts_with(p)) {
                "*"
            } else {
                seg
            }
        })
        .collect::<Vec<_>>()
        .join("/")
}

/// The calls `op` makes when every vendor is healthy, and what its checks did not pass.
async fn healthy_calls(op: Op) -> (Vec<(String, String)>, Vec<String>) {
    let (sb, t, _) = rig(op).await;
    let (before, probes_before) = (sb.requests().len(), sb.probes().len());
    let baseline = op
        .run(&t)
        .await
        .unwrap_or_else(|e| panic!("{op:?} fails with healthy vendors: {e}"));
    // The vendor APIs' calls, and the Clerk Frontend API's (its server injects faults too),
    // each with its method.
    let frontend = sb.probes()[probes_before..]
        .iter()
        .filter_map(|p| match p {
            Probe::Https { host, path } if host != DOMAIN && host != &format!("www.{DOMAIN}") => {
                Some(path.clone())
            }
            _ => None,
        })
        .flat_map(|path| {
            let methods: BTreeSet<String> = sb
                .frontend_requests()
                .into_iter()
                .filter(|r| r.path == path)
                .map(|r| r.method)
                .collect();
            let methods = if methods.is_empty() {
                BTreeSet::from(["GET".to_string()])
            } else {
                methods
            };
            methods.into_iter().map(move |m| (m, path.clone()))
        })
        .collect::<Vec<_>>();
    // Ids made during the run (sessions, users) differ in the next run: any one matches.
    let calls: BTreeSet<(String, String)> = sb.requests()[before..]
        .iter()
        .map(|r| (r.method.clone(), r.path.clone()))
        .chain(frontend)
        .map(|(method, path)| (method, any_made_id(&path)))
        .collect();
    assert!(!calls.is_empty(), "{op:?} made no vendor call");
    (calls.into_iter().collect(), baseline)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn every_vendor_call_under_every_fault() {
    let mut cases = tokio::task::JoinSet::new();
    let limit = Arc::new(tokio::sync::Semaphore::new(24));
    let mut total = 0;
    // GOLIVE_FAULT_OPS=<part of an op's name> runs those ops only (a host's, say).
    let only = std::env::var("GOLIVE_FAULT_OPS").unwrap_or_default();
    for op in OPS
        .into_iter()
        .filter(|op| format!("{op:?}").contains(&only))
    {
        let (calls, baseline) = healthy_calls(op).await;
        for (method, path) in calls {
            for fault in FaultKind::ALL {
                total += 1;
                let (limit, baseline, method, path) = (
                    limit.clone(),
                    baseline.clone(),
                    method.clone(),
                    path.clone(),
                );
                cases.spawn(async move {
                    let _slot = limit.acquire().await.unwrap();
                    let (sb, t, secrets) = rig(op).await;
                    let before = saved(&t);
                    sb.fault(&method, &path, fault);
                    let outcome = op.run(&t).await;
                    let after = saved(&t);
                    // Nor any ticket, session token or cookie the fakes handed out.
                    let secrets = [secrets, sb.canaries()].concat();
                    let case = format!("{op:?} × {method} {path} × {fault:?}");
                    judge(
                        &case,
                        &path,
                        fault,
                        outcome,
                        &baseline,
                        &secrets,
                        before == after,
                    )
                });
            }
        }
    }
    let mut problems = vec![];
    while let Some(verdict) = cases.join_next().await {
        if let Err(problem) = verdict.unwrap() {
            problems.push(problem);
        }
    }
    println!("{total} cases");
    assert!(
        problems.is_empty(),
        "{} of {total} cases:\n{}",
        problems.len(),
        problems.join("\n")
    );
}

/// Operations that rightly succeed despite a fault: (operation, end of the path, fault).
const TOLERATED: &[(&str, &str, Option<FaultKind>, &str)] = &[
    (
        "Hosting",
        "/domains/quillmate.test",
        Some(FaultKind::Status(404)),
        "a project domain that is not there is the 'not added yet' state",
    ),
    (
        "Pages",
        "/domains/quillmate.test",
        Some(FaultKind::Status(404)),
        "a project domain that is not there is the 'not added yet' state",
    ),
    (
        "Netlify",
        "/ssl",
        Some(FaultKind::Status(404)),
        "a site without a certificate is the 'not verified yet' state",
    ),
    (
        "Render",
        "/custom-domains/quillmate.test",
        Some(FaultKind::Status(404)),
        "a domain not on the service is the 'not added yet' state",
    ),
    (
        "ClerkDomainRecheck",
        "/dns_check",
        Some(FaultKind::Echo(409)),
        "Clerk runs one DNS check at a time; the running one is as good",
    ),
    (
        "",
        "/v1/domains",
        None,
        "the Platform API (DNS) or the publishable key (SSO) gives the same answer",
    ),
    (
        "RunChecks",
        "/.well-known/jwks.json",
        None,
        "clerk.key_pair then compares the keys through the Backend API's domains",
    ),
    (
        "RunChecks",
        "/",
        Some(FaultKind::Malformed),
        "the Account Portal's page is not parsed, only reached",
    ),
];

fn tolerated(case: &str, path: &str, fault: FaultKind) -> bool {
    TOLERATED.iter().any(|(op, end, kind, _)| {
        case.starts_with(op) && path.ends_with(end) && kind.is_none_or(|k| k == fault)
    })
}

/// What the code of the error must end with, and words one of which the message must have.
fn expected(fault: FaultKind) -> (&'static [&'static str], &'static [&'static str]) {
    match fault {
        FaultKind::Echo(429) => expected(FaultKind::RateLimited(30)),
        FaultKind::Echo(code) => expected(FaultKind::Status(code)),
        FaultKind::Status(400) => (
            &["_invalid_request", "_refused", "_error"],
            &["400", "bad request", "did not accept"],
        ),
        FaultKind::Status(401) => (&["_rejected"], &["401", "unauthorized", "rejected"]),
        FaultKind::Status(403) => (
            &["_forbidden", "_rejected"],
            &["403", "forbidden", "may not", "not allowed"],
        ),
        FaultKind::Status(404) => (
            &["not_found"],
            &["404", "not found", "no such", "has no", "is not on"],
        ),
        FaultKind::Status(409) => (&["_conflict", "_elsewhere", "_error"], &["409", "conflict"]),
        FaultKind::Status(422) => (
            &["_invalid_request", "_refused", "_error"],
            &["422", "unprocessable", "did not accept"],
        ),
        FaultKind::RateLimited(_) => (&["_rate_limited"], &["30 s", "rate limiting", "429"]),
        FaultKind::Status(500) => (&["_unavailable"], &["500"]),
        FaultKind::Status(_) => (&["_unavailable"], &["503"]),
        FaultKind::Silence => (&["unreachable"], &["timed out", "no answer"]),
        FaultKind::Malformed => (
            &["_bad_response"],
            &["does not understand", "no oauth error"],
        ),
        FaultKind::Answer(_) | FaultKind::Padded => (
            &["_bad_response", "answer_too_large"],
            &["does not understand", "mib"],
        ),
    }
}

/// A case passes when the operation failed with a clear message for this fault (or a check
/// or note says what happened), showed no secret, and nothing saved changed.
fn judge(
    case: &str,
    path: &str,
    fault: FaultKind,
    outcome: Result<Vec<String>, Error>,
    baseline: &[String],
    secrets: &[String],
    unchanged: bool,
) -> Result<(), String> {
    let said = match &outcome {
        Err(e) => e.to_string(),
        Ok(not_passing) => not_passing
            .iter()
            .filter(|c| !baseline.contains(c))
            .cloned()
            .collect::<Vec<_>>()
            .join(" | "),
    };
    let fail = |why: &str| Err(format!("{case}: {why}\n    {said}"));
    if !unchanged {
        return fail("saved data changed");
    }
    if secrets.iter().any(|s| said.contains(s.as_str())) {
        return fail("a secret in the message");
    }
    if ["reqwest", "hyper", "error sending request"]
        .iter()
        .any(|noise| said.contains(noise))
    {
        return fail("library noise in the message");
    }
    if said.is_empty() {
        return if tolerated(case, path, fault) {
            Ok(())
        } else {
            fail("succeeded as if nothing were wrong")
        };
    }
    let (codes, words) = expected(fault);
    if let Err(e) = &outcome {
        if !codes.iter().any(|c| e.code().ends_with(c)) {
            return fail(&format!("code {} is not one of {codes:?}", e.code()));
        }
    }
    let lower = said.to_lowercase();
    if !words.iter().any(|w| lower.contains(w)) {
        return fail(&format!("the message has none of {words:?}"));
    }
    Ok(())
}

/// Vercel's 201 that lists the variable under `failed`, quoting the value it was sent.
const FAILED_QUOTING_THE_KEY: &str = r#"{"created": [], "failed": [{"error": {"code": "bad_value",
  "message": "Value sk_live_sandboxQuillmate0123456789abcdef is not allowed"}}]}"#;

#[tokio::test(flavor = "multi_thread")]
async fn a_created_variable_listed_as_failed_does_not_quote_its_value() {
    assert!(FAILED_QUOTING_THE_KEY.contains(LIVE_SECRET_KEY));
    let (sb, t, _) = rig(Op::HostingEnvApply).await;
    sb.fault(
        "POST",
        &format!("/v10/projects/{VERCEL_PROJECT_ID}/env"),
        FaultKind::Answer(FAILED_QUOTING_THE_KEY),
    );
    let err = t.engine.hosting_env_apply(&t.project.id).await.unwrap_err();
    assert_eq!(err.code(), "vercel_env_failed", "{err}");
    assert!(!err.to_string().contains(LIVE_SECRET_KEY), "{err}");
    assert!(
        err.to_string().contains("[redacted] is not allowed"),
        "{err}"
    );
}
