//! The hosting step (Vercel, Netlify, Render, Cloudflare Pages and Workers): the project or site
//! link, its domain, the production-only env migration and the redeploy.

use super::Engine;
use crate::error::{Error, Result};
use crate::keys::cloudflare_token;
use crate::project::Hosting;
use crate::project::{CloudflareLink, NetlifyLink, Project, RenderLink, VercelLink};
use crate::secrets::SecretKind;
use crate::steps::hosting::env_plan::EnvPlan;
use crate::steps::hosting::{cloudflare_pages, cloudflare_workers};
use crate::steps::hosting::{DeployEvent, FollowPace, HostingDomain, HostingStep};
use crate::vendors::cloudflare::Cloudflare;
use crate::vendors::netlify::sites::NetlifySitePage;
use crate::vendors::netlify::Netlify;
use crate::vendors::render::services::RenderServicePage;
use crate::vendors::render::Render;
use crate::vendors::vercel::deployments::Deployment;
use crate::vendors::vercel::projects::ProjectPage;
use crate::vendors::vercel::Vercel;

impl Engine {
    fn hosting_step(&self) -> HostingStep<'_> {
        HostingStep {
            http: &self.http,
            endpoints: &self.endpoints,
            secrets: self.secrets.as_ref(),
        }
    }

    /// Vercel projects the saved token sees, for the Hosting step's picker.
    pub async fn vercel_projects(
        &self,
        id: &str,
        team_id: Option<&str>,
        search: &str,
        from: Option<&str>,
    ) -> Result<ProjectPage> {
        self.sealed(id, async {
            let project = self.projects.get(id)?;
            let token = self
                .secrets
                .get(&project.id, SecretKind::VercelToken)?
                .ok_or_else(|| {
                    Error::invalid(
                        "vercel_token_missing",
                        "Paste a Vercel access token first (vercel.com/account/tokens).",
                    )
                })?;
            let team_id = team_id.map(str::trim).filter(|t| !t.is_empty());
            let vercel = Vercel::new(&self.http, &self.endpoints.vercel_api, &token, team_id);
            vercel.projects(search, from).await
        })
        .await
    }

    /// Links (or, given none, unlinks) the project's Vercel project.
    pub fn set_vercel_project(&self, id: &str, link: Option<VercelLink>) -> Result<Project> {
        self.projects.update_with(id, |p| p.vercel_project = link)
    }

    /// Netlify sites the saved token sees, for the Hosting step's picker.
    pub async fn netlify_sites(
        &self,
        id: &str,
        search: &str,
        page: u32,
    ) -> Result<NetlifySitePage> {
        self.sealed(id, async {
            let project = self.projects.get(id)?;
            let token = self
                .secrets
                .get(&project.id, SecretKind::NetlifyToken)?
                .ok_or_else(|| {
                    Error::invalid(
                        "netlify_token_missing",
                        "Paste a Netlify personal access token first (app.netlify.com → User \
                         settings → Applications).",
                    )
                })?;
            let netlify = Netlify::new(&self.http, &self.endpoints.netlify_api, &token);
            netlify.sites(search, page).await
        })
        .await
    }

    /// Links (or, given none, unlinks) the project's Netlify site.
    pub fn set_netlify_site(&self, id: &str, link: Option<NetlifyLink>) -> Result<Project> {
        self.projects.update_with(id, |p| p.netlify_site = link)
    }

    /// Render services the saved API key sees, for the Hosting step's picker.
    pub async fn render_services(
        &self,
        id: &str,
        search: &str,
        cursor: Option<&str>,
    ) -> Result<RenderServicePage> {
        self.sealed(id, async {
            let project = self.projects.get(id)?;
            let key = self
                .secrets
                .get(&project.id, SecretKind::RenderApiKey)?
                .ok_or_else(|| {
                    Error::invalid(
                        "render_key_missing",
                        "Paste a Render API key first (Render → Account settings → API Keys).",
                    )
                })?;
            crate::keys::render_key(key.expose())?;
            let render = Render::new(&self.http, &self.endpoints.render_api, &key);
            render.services(search, cursor).await
        })
        .await
    }

    /// Links (or, given none, unlinks) the project's Render service.
    pub fn set_render_service(&self, id: &str, link: Option<RenderLink>) -> Result<Project> {
        self.projects.update_with(id, |p| p.render_service = link)
    }

    /// Links (or, given none, unlinks) the project's Cloudflare Pages project (or Worker),
    /// once Cloudflare says the saved token sees it in that account: both are typed by hand
    /// (Cloudflare names them by name within an account), so a typo is said here.
    pub async fn set_cloudflare_project(
        &self,
        id: &str,
        link: Option<CloudflareLink>,
    ) -> Result<Project> {
        let hosting = self.projects.get(id)?.hosting;
        let link = link.map(|l| CloudflareLink {
            account_id: l.account_id.trim().to_string(),
            name: l.name.trim().to_string(),
            kind: Some(hosting),
        });
        if let Some(l) = &link {
            self.sealed(id, async {
                let token = self
                    .secrets
                    .get(id, SecretKind::CloudflareToken)?
                    .ok_or_else(|| {
                        Error::invalid(
                            "cloudflare_token_missing",
                            "Paste a Cloudflare API token first (dash.cloudflare.com → My \
                             Profile → API Tokens, with Cloudflare Pages: Edit).",
                        )
                    })?;
                cloudflare_token(token.expose())?;
                let api = Cloudflare::new(&self.http, &self.endpoints.cloudflare_api, &token);
                if hosting == Hosting::CloudflareWorkers {
                    cloudflare_workers::bindings(&api, &l.account_id, &l.name)
                        .await
                        .map(drop)
                } else {
                    cloudflare_pages::project(&api, &l.account_id, &l.name)
                        .await
                        .map(drop)
                }
            })
            .await?;
        }
        self.projects
            .update_with(id, |p| p.cloudflare_project = link)
    }

    pub async fn hosting_domain(&self, id: &str) -> Result<HostingDomain> {
        self.sealed(id, async {
            self.hosting_step().domain(&self.projects.get(id)?).await
        })
        .await
    }

    pub async fn hosting_add_domain(&self, id: &str) -> Result<HostingDomain> {
        self.sealed(id, async {
            self.hosting_step()
                .add_domain(&self.projects.get(id)?)
                .await
        })
        .await
    }

    pub async fn hosting_verify_domain(&self, id: &str) -> Result<HostingDomain> {
        self.sealed(id, async {
            self.hosting_step()
                .verify_domain(&self.projects.get(id)?)
                .await
        })
        .await
    }

    pub async fn hosting_env_plan(&self, id: &str) -> Result<EnvPlan> {
        self.sealed(id, async {
            self.hosting_step().env_plan(&self.projects.get(id)?).await
        })
        .await
    }

    pub async fn hosting_env_apply(&self, id: &str) -> Result<EnvPlan> {
        self.sealed(id, async {
            self.hosting_step().env_apply(&self.projects.get(id)?).await
        })
        .await
    }

    pub async fn hosting_redeploy(
        &self,
        id: &str,
        pace: FollowPace,
        on_event: impl Fn(DeployEvent),
    ) -> Result<Deployment> {
        self.sealed(id, async {
            self.hosting_step()
                .redeploy(&self.projects.get(id)?, pace, on_event)
                .await
        })
        .await
    }
}
