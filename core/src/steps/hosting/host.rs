//! One interface over the hosts Golive launches on. Each host does the same four things
//! through its API — the custom domain and its verification, environment variables per
//! deploy context (secret ones included), a production build with a state to follow, and
//! the current production deployment — in its own shapes; `Host` maps them to one model
//! (`HostVar`, `HostingDomain`, `Deployment`) so the env plan, the step and the checks are
//! written once. Production is `production` at every host; the other contexts keep the
//! host's names (Vercel: `preview`, `development`; Netlify: `deploy-preview`,
//! `branch-deploy`, `dev`, `dev-server`; Cloudflare Pages: `preview`; Render has none: a
//! preview is a service of its own, see `render`). A Worker has only production: its other
//! environments are other Workers (`cloudflare_workers`).
//!
//! Where a host cannot say what a secret value is, Golive marks what it set: Vercel keeps a
//! comment on each variable; Netlify keeps none, so Golive sets a plain, production-only
//! `GOLIVE_MARKER_<KEY>` next to a secret variable, after its value (an interruption between
//! the two leaves the value unmarked, and the next run sets it again); Cloudflare Pages keeps
//! the same marker, set in the value's own request (`cloudflare_pages`); a Worker lists only
//! its secrets' names, so its marker is a secret named after the marker's digest.

use serde_json::json;

use super::env_plan::{EnvAction, EnvStep, Wanted, PRODUCTION};
use super::{cloudflare_pages, cloudflare_workers, HostingDomain};
use crate::context::RunContext;
use crate::error::{Error, Result};
use crate::keys::{cloudflare_token, netlify_token, render_key};
use crate::project::Hosting;
use crate::vendors::cloudflare::Cloudflare;
use crate::vendors::netlify::deploys::NetlifyDeploy;
use crate::vendors::netlify::env::{NetlifyValue, NetlifyVar};
use crate::vendors::netlify::sites::Site;
use crate::vendors::netlify::{millis, Netlify};
use crate::vendors::render::Render;
use crate::vendors::vercel::deployments::Deployment;
use crate::vendors::vercel::domains::{ProjectDomain, Verification};
use crate::vendors::vercel::env::EnvVar;
use crate::vendors::vercel::Vercel;

/// One value of a variable as the host has it, for the contexts it applies to.
#[derive(Debug, Clone, PartialEq)]
pub struct HostVar {
    /// What a write names (Vercel's variable id; Netlify's value id).
    pub id: String,
    pub key: String,
    /// Empty where the host does not show it (a secret value).
    pub value: String,
    pub contexts: Vec<String>,
    /// What Golive left to say it set this value (see the module's header).
    pub marker: Option<String>,
    /// When it last changed, in ms since the epoch.
    pub updated_at: Option<f64>,
    /// Tied to one branch (or a custom environment): outside the plan.
    pub scoped: bool,
    pub secret: bool,
}

impl HostVar {
    pub fn in_production(&self) -> bool {
        self.contexts.iter().any(|c| c == PRODUCTION)
    }
}

/// A host's own words, where the step and the checks say something about it.
pub struct Words {
    pub name: &'static str,
    /// What the host calls what it serves: a project, a site.
    pub project: &'static str,
    /// Its word for a write-only value, and for one it shows.
    pub secret: &'static str,
    pub plain: &'static str,
    /// Its contexts other than production.
    pub others: &'static str,
    /// The CLI's variables that connect it.
    pub variables: &'static str,
    pub status_page: &'static str,
    /// How to rebuild production by hand.
    pub redeploy: &'static str,
}

const VERCEL: Words = Words {
    name: "Vercel",
    project: "project",
    secret: "sensitive",
    plain: "encrypted",
    others: "preview and development",
    variables: "VERCEL_TOKEN and VERCEL_PROJECT",
    status_page: "vercel-status.com",
    redeploy: "`vercel redeploy` the production deployment",
};

const NETLIFY: Words = Words {
    name: "Netlify",
    project: "site",
    secret: "secret",
    plain: "plain",
    others: "deploy previews, branch deploys and dev",
    variables: "NETLIFY_TOKEN and NETLIFY_SITE_ID",
    status_page: "netlifystatus.com",
    redeploy: "Deploys → Trigger deploy → Deploy project in Netlify",
};

const RENDER: Words = Words {
    name: "Render",
    project: "service",
    // Render has no write-only values: everything it keeps it shows.
    secret: "plain",
    plain: "plain",
    others: "preview instances",
    variables: "RENDER_API_KEY and RENDER_SERVICE_ID",
    status_page: "status.render.com",
    redeploy: "Manual Deploy → Deploy latest commit in Render",
};

const CLOUDFLARE_PAGES: Words = Words {
    name: "Cloudflare Pages",
    project: "project",
    secret: "secret",
    plain: "plain text",
    others: "preview",
    variables: "CLOUDFLARE_API_TOKEN, CLOUDFLARE_ACCOUNT_ID and CLOUDFLARE_PROJECT",
    status_page: "cloudflarestatus.com",
    redeploy: "Deployments → the production deployment → Retry deployment in Cloudflare",
};

const CLOUDFLARE_WORKERS: Words = Words {
    name: "Cloudflare Workers",
    project: "script",
    secret: "secret",
    plain: "plain text",
    others: "its other environments (separate Workers, which Golive does not touch)",
    variables: "CLOUDFLARE_API_TOKEN, CLOUDFLARE_ACCOUNT_ID and CLOUDFLARE_PROJECT",
    status_page: "cloudflarestatus.com",
    redeploy: "nothing to rebuild: a Worker reads a new secret at once; run wrangler deploy for \
               code or [vars] changes",
};

impl Hosting {
    pub fn words(self) -> &'static Words {
        match self {
            Hosting::Vercel => &VERCEL,
            Hosting::Netlify => &NETLIFY,
            Hosting::Render => &RENDER,
            Hosting::CloudflarePages => &CLOUDFLARE_PAGES,
            Hosting::CloudflareWorkers => &CLOUDFLARE_WORKERS,
        }
    }

    /// The host named by the CLI's `HOSTING`.
    pub fn named(name: &str) -> Result<Hosting> {
        match name.trim().to_ascii_lowercase().as_str() {
            "vercel" => Ok(Hosting::Vercel),
            "netlify" => Ok(Hosting::Netlify),
            "render" => Ok(Hosting::Render),
            "cloudflare-pages" => Ok(Hosting::CloudflarePages),
            "cloudflare-workers" => Ok(Hosting::CloudflareWorkers),
            other => Err(Error::Config(format!(
                "HOSTING={other} is not a host Golive can check: use vercel (the default), \
                 netlify, render, cloudflare-pages or cloudflare-workers"
            ))),
        }
    }
}

/// Netlify's deploy contexts a value for `all` applies to, kept when production is taken off.
const NETLIFY_ALL: [&str; 5] = [
    PRODUCTION,
    "deploy-preview",
    "branch-deploy",
    "dev",
    "dev-server",
];

pub(super) const MARKER_PREFIX: &str = "GOLIVE_MARKER_";

/// A host's API, for one project (Vercel) or site (Netlify).
pub enum Host<'a> {
    Vercel {
        api: Vercel<'a>,
        project: &'a str,
        /// The project's name, which a redeploy names.
        name: &'a str,
    },
    Netlify {
        api: Netlify<'a>,
        site: &'a str,
    },
    Render {
        api: Render<'a>,
        service: &'a str,
    },
    CloudflarePages {
        api: Cloudflare<'a>,
        account: &'a str,
        project: &'a str,
    },
    /// The production script; the others (wrangler environments) are not touched.
    CloudflareWorkers {
        api: Cloudflare<'a>,
        account: &'a str,
        script: &'a str,
    },
}

/// Why a run has no host to ask.
pub enum Unlinked {
    /// No token, or no project (site, service) given.
    NotConnected,
    /// A token whose shape is not the host's, with what to set instead.
    BadToken { error: Error, fix: &'static str },
}

impl<'a> Host<'a> {
    /// The run's host, from its inputs (a saved project's link, or the CLI's variables).
    pub fn of_run(run: &'a RunContext) -> std::result::Result<Host<'a>, Unlinked> {
        let inputs = &run.inputs;
        // A token of the wrong shape, said with the variable to set.
        let shaped =
            |shape: Result<()>, fix| shape.map_err(|error| Unlinked::BadToken { error, fix });
        match inputs.hosting {
            Hosting::Vercel => {
                let (Some(api), Some(project)) = (run.vercel(), inputs.vercel_project.as_deref())
                else {
                    return Err(Unlinked::NotConnected);
                };
                Ok(Host::Vercel {
                    api,
                    project,
                    name: "",
                })
            }
            Hosting::Netlify => {
                let (Some(token), Some(site)) = (
                    inputs.netlify_token.as_ref(),
                    inputs.netlify_site_id.as_deref(),
                ) else {
                    return Err(Unlinked::NotConnected);
                };
                shaped(
                    netlify_token(token.expose()),
                    "Set NETLIFY_TOKEN to a Netlify personal access token (nfp_…).",
                )?;
                Ok(Host::Netlify {
                    api: Netlify::new(&run.http, &run.endpoints.netlify_api, token),
                    site,
                })
            }
            Hosting::Render => {
                let (Some(key), Some(service)) = (
                    inputs.render_api_key.as_ref(),
                    inputs.render_service_id.as_deref(),
                ) else {
                    return Err(Unlinked::NotConnected);
                };
                shaped(
                    render_key(key.expose()),
                    "Set RENDER_API_KEY to a Render API key (rnd_…).",
                )?;
                Ok(Host::Render {
                    api: Render::new(&run.http, &run.endpoints.render_api, key),
                    service,
                })
            }
            Hosting::CloudflarePages | Hosting::CloudflareWorkers => {
                let (Some(token), Some(account), Some(project)) = (
                    inputs.cloudflare_token.as_ref(),
                    inputs.cloudflare_account_id.as_deref(),
                    inputs.cloudflare_project.as_deref(),
                ) else {
                    return Err(Unlinked::NotConnected);
                };
                shaped(
                    cloudflare_token(token.expose()),
                    "Set CLOUDFLARE_API_TOKEN to a Cloudflare API token.",
                )?;
                let api = Cloudflare::new(&run.http, &run.endpoints.cloudflare_api, token);
                Ok(if inputs.hosting == Hosting::CloudflareWorkers {
                    Host::CloudflareWorkers {
                        api,
                        account,
                        script: project,
                    }
                } else {
                    Host::CloudflarePages {
                        api,
                        account,
                        project,
                    }
                })
            }
        }
    }
}

impl Host<'_> {
    pub fn words(&self) -> &'static Words {
        match self {
            Host::Vercel { .. } => &VERCEL,
            Host::Netlify { .. } => &NETLIFY,
            Host::Render { .. } => &RENDER,
            Host::CloudflarePages { .. } => &CLOUDFLARE_PAGES,
            Host::CloudflareWorkers { .. } => &CLOUDFLARE_WORKERS,
        }
    }

    /// What the env plan's reader should know about the host's variables, and why Golive
    /// will not write the live keys now (if it will not).
    pub async fn env_notes(&self) -> Result<(Vec<String>, Option<String>)> {
        match self {
            Host::Render { api, service } => {
                let s = api.service(service).await?;
                Ok((super::render::notes(&s), super::render::hold(&s)))
            }
            _ => Ok((vec![], None)),
        }
    }

    /// The domain as the host has it: on the project or not, verified, its DNS right.
    pub async fn domain(&self, domain: &str) -> Result<HostingDomain> {
        match self {
            Host::Vercel { api, project, .. } => {
                let (d, config) = futures::join!(
                    api.project_domain(project, domain),
                    api.domain_config(domain, project)
                );
                Ok(HostingDomain {
                    domain: d?,
                    misconfigured: config?.misconfigured,
                })
            }
            Host::Netlify { api, site } => {
                let site = api.site(site).await?;
                netlify_domain(api, &site, domain).await
            }
            Host::Render { api, service } => super::render::domain(api, service, domain).await,
            Host::CloudflarePages {
                api,
                account,
                project,
            } => cloudflare_pages::domain(api, account, project, domain).await,
            Host::CloudflareWorkers {
                api,
                account,
                script,
            } => cloudflare_workers::domain(api, account, script, domain).await,
        }
    }

    /// Adds the domain (nothing to do if it is there).
    pub async fn add_domain(&self, domain: &str) -> Result<()> {
        match self {
            Host::Vercel { api, project, .. } => {
                if api.project_domain(project, domain).await?.is_none() {
                    api.add_domain(project, domain).await.map_err(|e| {
                        reword(e, "vercel_conflict", "vercel_domain_elsewhere", |e| {
                            format!(
                                "{domain} is on another Vercel project ({e}). Remove it from \
                                 that project (Settings → Domains) and add it here again."
                            )
                        })
                    })?;
                }
                Ok(())
            }
            Host::Netlify { api, site } => {
                let site = api.site(site).await?;
                if !site.has_domain(domain) {
                    api.add_domain(&site, domain).await.map_err(|e| {
                        // Netlify refuses a domain another site has with a 422 that says so.
                        let taken = ["already", "taken", "in use"]
                            .iter()
                            .any(|w| e.to_string().contains(w));
                        if taken {
                            reword(e, "netlify_error", "netlify_domain_elsewhere", |e| {
                                format!(
                                    "{domain} is on another Netlify site ({e}). Remove it there \
                                     (Domain management → Options → Remove domain) and add it \
                                     here again."
                                )
                            })
                        } else {
                            e
                        }
                    })?;
                }
                Ok(())
            }
            Host::Render { api, service } => {
                if api.custom_domain(service, domain).await?.is_none() {
                    api.add_domain(service, domain).await.map_err(|e| {
                        reword(e, "render_conflict", "render_domain_elsewhere", |e| {
                            format!(
                                "{domain} is on another Render service ({e}). Remove it there \
                                 (the service's Settings → Custom Domains → Delete) and add it \
                                 here again."
                            )
                        })
                    })?;
                }
                Ok(())
            }
            Host::CloudflarePages {
                api,
                account,
                project,
            } => cloudflare_pages::add_domain(api, account, project, domain).await,
            Host::CloudflareWorkers {
                api,
                account,
                script,
            } => cloudflare_workers::add_domain(api, account, script, domain).await,
        }
    }

    /// Asks the host to verify the domain: Vercel checks its TXT record; Netlify tries to
    /// issue its certificate, which proves the domain points to the site; Render checks the
    /// domain's DNS again (its answer comes with the domain's next reading).
    pub async fn verify_domain(&self, domain: &str) -> Result<()> {
        match self {
            Host::Vercel { api, project, .. } => api.verify_domain(project, domain).await.map(drop),
            Host::Netlify { api, site } => {
                api.provision_certificate(site)
                    .await
                    .map(drop)
                    .map_err(|e| {
                        if !e.to_string().contains("bad dns") {
                            return e;
                        }
                        reword(e, "netlify_error", "netlify_dns_not_ready", |e| {
                            format!(
                                "Netlify cannot issue {domain}'s certificate yet: the domain \
                                 does not point to the site ({e}). Add the record on the Hosting \
                                 step at your DNS host, wait for it to propagate, then verify \
                                 again."
                            )
                        })
                    })
            }
            Host::Render { api, service } => api.verify_domain(service, domain).await,
            // Cloudflare validates it again (its TXT record, or the domain's CNAME).
            Host::CloudflarePages {
                api,
                account,
                project,
            } => api.retry_pages_domain(account, project, domain).await,
            // Attached is verified: Cloudflare serves a Worker's domain in its own zone.
            Host::CloudflareWorkers { .. } => Ok(()),
        }
    }

    /// Every variable value the project has, in the neutral model.
    pub async fn env(&self) -> Result<Vec<HostVar>> {
        match self {
            Host::Vercel { api, project, .. } => Ok(api
                .env(project)
                .await?
                .into_iter()
                .map(vercel_var)
                .collect()),
            Host::Netlify { api, site } => {
                let account = api.site(site).await?.account_slug;
                Ok(netlify_vars(&api.env(&account, site).await?))
            }
            Host::Render { api, service } => super::render::vars(api, service).await,
            Host::CloudflarePages {
                api,
                account,
                project,
            } => Ok(cloudflare_pages::vars(
                &cloudflare_pages::project(api, account, project).await?,
            )),
            Host::CloudflareWorkers {
                api,
                account,
                script,
            } => Ok(cloudflare_workers::vars(
                &cloudflare_workers::bindings(api, account, script).await?,
            )),
        }
    }

    /// Applies one step of the plan (`vars`: what the plan was made from).
    pub async fn apply(&self, step: &EnvStep, w: &Wanted, vars: &[HostVar]) -> Result<()> {
        match self {
            Host::Vercel { api, project, .. } => match (step.action, &step.id) {
                (EnvAction::Retarget, Some(id)) => {
                    api.edit_env(project, id, &json!({ "target": step.target }))
                        .await
                }
                (EnvAction::SetValue, Some(id)) => {
                    api.edit_env(
                        project,
                        id,
                        &json!({"value": w.value.expose(), "comment": w.marker}),
                    )
                    .await
                }
                (EnvAction::Create, _) => {
                    api.create_env(
                        project,
                        &w.key,
                        w.value.expose(),
                        w.kind,
                        &[PRODUCTION],
                        &w.marker,
                    )
                    .await
                }
                _ => Ok(()),
            },
            Host::Netlify { api, site } => {
                let account = api.site(site).await?.account_slug;
                netlify_apply(api, &account, site, step, w, vars).await
            }
            Host::Render { api, service } => super::render::apply(api, service, step, w).await,
            Host::CloudflarePages {
                api,
                account,
                project,
            } => cloudflare_pages::apply(api, account, project, step, w).await,
            Host::CloudflareWorkers {
                api,
                account,
                script,
            } => cloudflare_workers::apply(api, account, script, step, w, vars).await,
        }
    }

    /// The newest production deployment, if any.
    pub async fn production_deployment(&self) -> Result<Option<Deployment>> {
        match self {
            Host::Vercel { api, project, .. } => api.production_deployment(project).await,
            Host::Netlify { api, site } => {
                Ok(api.production_deploy(site).await?.map(netlify_deployment))
            }
            Host::Render { api, service } => {
                let (s, d) = futures::join!(api.service(service), api.newest_deploy(service));
                let s = s?;
                Ok(d?.map(|d| super::render::deployment(d, &s)))
            }
            Host::CloudflarePages {
                api,
                account,
                project,
            } => {
                cloudflare_pages::project(api, account, project).await?;
                Ok(api
                    .pages_production_deployment(account, project)
                    .await?
                    .map(|d| cloudflare_pages::deployment(account, project, d)))
            }
            Host::CloudflareWorkers {
                api,
                account,
                script,
            } => cloudflare_workers::production_deployment(api, account, script).await,
        }
    }

    /// Builds production again: Vercel rebuilds `current`; Netlify and Render build the
    /// production branch anew (Render's answer may be "queued" without the deploy: then it
    /// is the newest); Cloudflare Pages retries `current`; a Worker needs none (see
    /// `cloudflare_workers`).
    pub async fn redeploy(&self, current: &Deployment) -> Result<Deployment> {
        match self {
            Host::Vercel { api, name, .. } => api.redeploy(name, &current.id).await,
            Host::Netlify { api, site } => {
                let build = api.build(site).await?;
                Ok(netlify_deployment(api.deploy(&build.deploy_id).await?))
            }
            Host::Render { api, service } => {
                let s = api.service(service).await?;
                let d = match api.create_deploy(service).await? {
                    Some(d) => d,
                    None => api.newest_deploy(service).await?.ok_or_else(|| {
                        Error::invalid(
                            "render_deploy_not_found",
                            format!(
                                "Render queued the deploy but does not list it yet. Follow it \
                                 at {}.",
                                s.dashboard()
                            ),
                        )
                    })?,
                };
                Ok(super::render::deployment(d, &s))
            }
            Host::CloudflarePages {
                api,
                account,
                project,
            } => cloudflare_pages::redeploy(api, account, project, current).await,
            // Each secret written deployed a new version: the live one is the redeploy.
            Host::CloudflareWorkers { .. } => Ok(current.clone()),
        }
    }

    pub async fn deployment(&self, id: &str) -> Result<Deployment> {
        match self {
            Host::Vercel { api, .. } => api.deployment(id).await,
            Host::Netlify { api, .. } => Ok(netlify_deployment(api.deploy(id).await?)),
            Host::Render { api, service } => {
                let (s, d) = futures::join!(api.service(service), api.deploy(service, id));
                Ok(super::render::deployment(d?, &s?))
            }
            Host::CloudflarePages {
                api,
                account,
                project,
            } => Ok(cloudflare_pages::deployment(
                account,
                project,
                api.pages_deployment(account, project, id).await?,
            )),
            Host::CloudflareWorkers {
                api,
                account,
                script,
            } => cloudflare_workers::production_deployment(api, account, script)
                .await?
                .filter(|d| d.id == id)
                .ok_or_else(|| {
                    Error::invalid(
                        "cloudflare_deployment_replaced",
                        "A newer deployment of the Worker replaced this one: check again.",
                    )
                }),
        }
    }
}

/// A refusal with code `from`, said in the step's own words (`code`, `message`).
pub(super) fn reword(
    e: Error,
    from: &str,
    code: &'static str,
    message: impl FnOnce(&Error) -> String,
) -> Error {
    match &e {
        Error::Vendor { vendor, .. } if e.code() == from => Error::Vendor {
            vendor,
            code,
            message: message(&e),
        },
        _ => e,
    }
}

fn vercel_var(v: EnvVar) -> HostVar {
    HostVar {
        scoped: !v.git_branch.as_deref().unwrap_or("").is_empty()
            || !v.custom_environment_ids.is_empty(),
        secret: v.kind == "sensitive",
        id: v.id,
        key: v.key,
        value: v.value,
        contexts: v.target,
        marker: v.comment,
        updated_at: v.updated_at,
    }
}

/// Netlify's variables as one `HostVar` per value; the markers Golive keeps fold into the
/// values they mark.
fn netlify_vars(vars: &[NetlifyVar]) -> Vec<HostVar> {
    let marker_of = |key: &str| {
        vars.iter()
            .find(|m| m.key == format!("{MARKER_PREFIX}{key}"))?
            .values
            .iter()
            .find(|v| v.context == PRODUCTION)
            .map(|v| v.value.clone())
    };
    vars.iter()
        .filter(|v| !v.key.starts_with(MARKER_PREFIX))
        .flat_map(|v| {
            v.values.iter().map(move |x| {
                let contexts: Vec<String> = match x.context.as_str() {
                    "all" => NETLIFY_ALL.iter().map(|c| c.to_string()).collect(),
                    "branch" => vec![format!(
                        "branch:{}",
                        x.context_parameter.as_deref().unwrap_or_default()
                    )],
                    c => vec![c.to_string()],
                };
                let production = contexts.iter().any(|c| c == PRODUCTION);
                HostVar {
                    id: x.id.clone(),
                    key: v.key.clone(),
                    // Whatever Netlify shows of a secret (a mask, nothing), it is not the value.
                    value: if v.is_secret {
                        String::new()
                    } else {
                        x.value.clone()
                    },
                    contexts,
                    marker: if production { marker_of(&v.key) } else { None },
                    updated_at: v.updated_at.as_deref().and_then(millis),
                    scoped: x.context == "branch",
                    secret: v.is_secret,
                }
            })
        })
        .collect()
}

/// One step at Netlify. A re-target replaces the variable's values at once: the shared
/// value becomes one value per other context (Netlify has no "all but production"), the
/// variable's other values kept. A variable's secret flag covers all its values and cannot
/// be lifted, so Golive never changes it: a new variable for a secret is created secret, an
/// existing plain one gets its production value and stays as it is.
async fn netlify_apply(
    api: &Netlify<'_>,
    account: &str,
    site: &str,
    step: &EnvStep,
    w: &Wanted,
    vars: &[HostVar],
) -> Result<()> {
    let value = w.value.expose();
    let existing = vars.iter().find(|v| v.key == w.key);
    let secret = match (step.action, existing) {
        (EnvAction::Retarget, _) => {
            let var = api.env_var(account, site, &w.key).await?;
            let Some(shared) = var.values.iter().find(|x| Some(&x.id) == step.id.as_ref()) else {
                return Ok(());
            };
            if var.is_secret {
                // Netlify gives no secret value back: rewriting them would lose them.
                return Err(Error::invalid(
                    "netlify_secret_shared",
                    format!(
                        "{} is secret and shared by production and other contexts; Golive \
                         cannot read its value to keep it for the others. In Netlify, give \
                         it one value per context, then run the plan again.",
                        w.key
                    ),
                ));
            }
            let mut values: Vec<NetlifyValue> = var
                .values
                .iter()
                .filter(|x| x.id != shared.id)
                .cloned()
                .collect();
            for context in &step.target {
                if !values.iter().any(|x| &x.context == context) {
                    values.push(NetlifyValue {
                        id: String::new(),
                        value: shared.value.clone(),
                        context: context.clone(),
                        context_parameter: None,
                    });
                }
            }
            return api.replace_values(account, site, &var, &values).await;
        }
        (EnvAction::SetValue, Some(v)) | (EnvAction::Create, Some(v)) => {
            api.set_value(account, site, &w.key, PRODUCTION, value)
                .await?;
            v.secret
        }
        (EnvAction::Create, None) => {
            api.create_env(account, site, &w.key, value, PRODUCTION, w.secret)
                .await?;
            w.secret
        }
        _ => return Ok(()),
    };
    if !secret {
        return Ok(());
    }
    // After the value: a marker never claims a value that is not there.
    let marker_key = format!("{MARKER_PREFIX}{}", w.key);
    let has_marker = api
        .env(account, site)
        .await?
        .iter()
        .any(|v| v.key == marker_key);
    if has_marker {
        api.set_value(account, site, &marker_key, PRODUCTION, &w.marker)
            .await
    } else {
        api.create_env(account, site, &marker_key, &w.marker, PRODUCTION, false)
            .await
    }
}

/// The domain as Netlify has it: on the site, and verified once its certificate is issued.
async fn netlify_domain(api: &Netlify<'_>, site: &Site, domain: &str) -> Result<HostingDomain> {
    if !site.has_domain(domain) {
        return Ok(HostingDomain {
            domain: None,
            misconfigured: true,
        });
    }
    let verified = api
        .certificate(&site.id)
        .await?
        .is_some_and(|c| c.covers(domain));
    Ok(HostingDomain {
        domain: Some(ProjectDomain {
            name: domain.into(),
            verified,
            verification: if verified {
                vec![]
            } else {
                vec![Verification {
                    kind: "CNAME".into(),
                    domain: domain.into(),
                    value: site.subdomain(),
                    reason: "Netlify issues the certificate once the domain points to the site \
                             (at the apex, an ALIAS, ANAME or flattened CNAME)"
                        .into(),
                }]
            },
        }),
        misconfigured: !verified,
    })
}

/// A Netlify deploy in the model the step follows: its state in capitals (`READY`,
/// `ERROR`, `BUILDING`, …, Netlify's own words), live once ready (a production deploy is
/// published when it is ready), and its log in the console as the link to follow.
fn netlify_deployment(d: NetlifyDeploy) -> Deployment {
    let url = d
        .deploy_ssl_url
        .as_deref()
        .or(d.ssl_url.as_deref())
        .and_then(|u| url::Url::parse(u).ok())
        .and_then(|u| u.host_str().map(str::to_string))
        .unwrap_or_default();
    Deployment {
        url,
        ready_state: d.state.to_ascii_uppercase(),
        alias_assigned: d.state == "ready",
        alias_error: None,
        inspector_url: d
            .admin_url
            .as_ref()
            .map(|a| format!("{a}/deploys/{}", d.id)),
        created_at: d.created_at.as_deref().and_then(millis).unwrap_or_default(),
        error_message: d.error_message,
        id: d.id,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn value(id: &str, context: &str, value: &str) -> NetlifyValue {
        NetlifyValue {
            id: id.into(),
            value: value.into(),
            context: context.into(),
            context_parameter: None,
        }
    }

    #[test]
    fn netlify_values_map_to_contexts_and_markers_fold_in() {
        let vars = [
            NetlifyVar {
                key: "PK".into(),
                is_secret: false,
                values: vec![value("v1", "all", "pk_test_a")],
                updated_at: Some("2026-12-05T10:00:00Z".into()),
            },
            NetlifyVar {
                key: "SK".into(),
                is_secret: true,
                values: vec![
                    value("v2", "production", "****"),
                    value("v3", "deploy-preview", "****"),
                ],
                updated_at: None,
            },
            NetlifyVar {
                key: "GOLIVE_MARKER_SK".into(),
                is_secret: false,
                values: vec![value("v4", "production", "m")],
                updated_at: None,
            },
        ];
        let host = netlify_vars(&vars);
        assert_eq!(host.len(), 3, "the marker is no variable of its own");
        assert_eq!(host[0].contexts, NETLIFY_ALL);
        assert_eq!(host[0].updated_at, Some(1_796_464_800_000.0));
        assert_eq!(
            (host[1].value.as_str(), host[1].marker.as_deref()),
            ("", Some("m"))
        );
        assert_eq!(
            host[2].marker, None,
            "a marker marks production's value only"
        );
    }

    #[test]
    fn hosts_are_named_as_the_cli_takes_them() {
        assert_eq!(Hosting::named(" Netlify").unwrap(), Hosting::Netlify);
        assert_eq!(Hosting::named("render").unwrap(), Hosting::Render);
        assert_eq!(Hosting::named("vercel").unwrap(), Hosting::Vercel);
        let e = Hosting::named("heroku").unwrap_err();
        assert!(
            e.to_string()
                .contains("netlify, render, cloudflare-pages or cloudflare-workers"),
            "{e}"
        );
        assert_eq!(
            Hosting::named("cloudflare-pages").unwrap(),
            Hosting::CloudflarePages
        );
    }
}
