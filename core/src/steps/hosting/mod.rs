//! The hosting step, for every host behind `host::Host` (Vercel, Netlify, Render, Cloudflare
//! Pages and Workers): the domain on the project, the live Clerk keys for production only —
//! preview and development keep the test keys — and a production build followed until it is
//! live.
//!
//! The env migration is planned from what the host has now, every time, so it is idempotent
//! and an interrupted run converges when run again. Its order never loses a value: a test
//! key shared by production and other contexts is first re-targeted to the others (keeping
//! its value), then the live key is created for production; a production-only variable gets
//! its value replaced. Nothing is deleted. Vercel refuses two variables of one name on one
//! target (and Netlify holds one value per context), so between that re-target and the
//! create, production's settings lack the key for one request; deployments are unaffected
//! (variables apply at the next build), and the redeploy is refused until the plan is
//! complete.
//!
//! When the production webhook signing secret is saved, the same plan gives it to
//! production (as a secret, under the name the app reads) while previews keep the
//! development one.

pub mod cloudflare_pages;
pub mod cloudflare_workers;
pub mod env_plan;
pub mod host;
pub mod records;
mod render;

use std::time::Duration;

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use env_plan::{marker, plan_env, webhook_marker, EnvPlan, Wanted};
use host::{Host, HostVar, Words};

use crate::config::Endpoints;
use crate::error::{Error, Result};
use crate::http::Http;
use crate::keys::{cloudflare_token, netlify_token, parse_publishable_key, render_key, KeyEnv};
use crate::project::{Hosting, Project};
use crate::secrets::{Secret, SecretKind, SecretStore};
use crate::vendors::cloudflare::Cloudflare;
use crate::vendors::netlify::Netlify;
use crate::vendors::render::Render;
use crate::vendors::vercel::deployments::Deployment;
use crate::vendors::vercel::domains::ProjectDomain;
use crate::vendors::vercel::Vercel;
use crate::webhook;

/// The domain on the project (or site), as the host sees it.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct HostingDomain {
    /// `None` while the domain is not on the project.
    #[ts(optional)]
    pub domain: Option<ProjectDomain>,
    pub misconfigured: bool,
}

/// Streamed while a redeploy is followed.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(tag = "event", content = "data", rename_all = "camelCase")]
pub enum DeployEvent {
    Started { deployment: Deployment },
    State { deployment: Deployment },
}

/// How often a deployment is polled: Vercel's CLI waits 1 s for the first 15 s, then 5 s up
/// to a minute, 15 s up to five minutes, then 30 s. `scale` shrinks it for tests.
#[derive(Debug, Clone, Copy)]
pub struct FollowPace {
    pub scale: f64,
    /// Gives up after this long.
    pub limit: Duration,
}

impl Default for FollowPace {
    fn default() -> Self {
        FollowPace {
            scale: 1.0,
            limit: Duration::from_secs(45 * 60),
        }
    }
}

impl FollowPace {
    pub fn delay(&self, elapsed: Duration) -> Duration {
        let secs = match elapsed.as_secs() {
            0..15 => 1,
            15..60 => 5,
            60..300 => 15,
            _ => 30,
        };
        Duration::from_secs(secs).mul_f64(self.scale)
    }
}

/// What production should hold, from the project and the keychain.
struct Production {
    /// The live keys (their `kind`, the host's word, is given by `wanted`).
    keys: Vec<Wanted>,
    /// The webhook signing secret, with its marker.
    webhook_secret: Option<(String, Secret)>,
}

impl Production {
    /// Everything wanted, the signing secret under the name the app reads (from `vars`).
    fn wanted(&self, vars: &[HostVar], words: &Words) -> Result<Vec<Wanted>> {
        let mut wanted: Vec<Wanted> = self
            .keys
            .iter()
            .map(|w| Wanted {
                kind: if w.secret { words.secret } else { words.plain },
                ..w.clone()
            })
            .collect();
        if let Some((marker, secret)) = &self.webhook_secret {
            let key = webhook::secret_var(vars.iter().map(|v| v.key.as_str()));
            // The development secret pasted by mistake: previews hold the very same value.
            if vars
                .iter()
                .any(|v| v.key == key && v.value == secret.expose() && !v.in_production())
            {
                return Err(Error::invalid(
                    "webhook_secret_is_development",
                    format!(
                        "The signing secret saved in Golive is the development one: {}'s \
                         previews hold the same {key}. Paste the production endpoint's secret \
                         (Clerk dashboard → Production → Webhooks → your endpoint → Signing \
                         Secret) in the Hosting step's Webhooks section.",
                        words.name
                    ),
                ));
            }
            wanted.push(Wanted {
                key: key.into(),
                value: secret.clone(),
                secret: true,
                kind: words.secret,
                marker: marker.clone(),
            });
        }
        Ok(wanted)
    }
}

pub struct HostingStep<'a> {
    pub http: &'a Http,
    pub endpoints: &'a Endpoints,
    pub secrets: &'a dyn SecretStore,
}

impl HostingStep<'_> {
    /// The project's host, with the saved token and the picked project or site.
    async fn with_host<T>(
        &self,
        project: &Project,
        f: impl AsyncFnOnce(&Host<'_>) -> Result<T>,
    ) -> Result<T> {
        let (kind, missing) = match project.hosting {
            Hosting::Vercel => (
                SecretKind::VercelToken,
                "Paste a Vercel access token first (vercel.com/account/tokens).",
            ),
            Hosting::Netlify => (
                SecretKind::NetlifyToken,
                "Paste a Netlify personal access token first (app.netlify.com → User settings \
                 → Applications).",
            ),
            Hosting::Render => (
                SecretKind::RenderApiKey,
                "Paste a Render API key first (Render → Account settings → API Keys).",
            ),
            Hosting::CloudflarePages | Hosting::CloudflareWorkers => (
                SecretKind::CloudflareToken,
                "Paste a Cloudflare API token first (dash.cloudflare.com → My Profile → API \
                 Tokens, with Cloudflare Pages: Edit).",
            ),
        };
        let token = self.secrets.get(&project.id, kind)?.ok_or_else(|| {
            let code = match project.hosting {
                Hosting::Vercel => "vercel_token_missing",
                Hosting::Netlify => "netlify_token_missing",
                Hosting::Render => "render_key_missing",
                Hosting::CloudflarePages | Hosting::CloudflareWorkers => "cloudflare_token_missing",
            };
            Error::invalid(code, missing)
        })?;
        let host = match project.hosting {
            Hosting::Vercel => {
                let link = project.vercel_project.as_ref().ok_or_else(|| {
                    Error::invalid("vercel_project_missing", "Pick the Vercel project first.")
                })?;
                Host::Vercel {
                    api: Vercel::new(
                        self.http,
                        &self.endpoints.vercel_api,
                        &token,
                        link.team_id.as_deref(),
                    ),
                    project: &link.id,
                    name: &link.name,
                }
            }
            Hosting::Netlify => {
                netlify_token(token.expose())?;
                let link = project.netlify_site.as_ref().ok_or_else(|| {
                    Error::invalid("netlify_site_missing", "Pick the Netlify site first.")
                })?;
                Host::Netlify {
                    api: Netlify::new(self.http, &self.endpoints.netlify_api, &token),
                    site: &link.id,
                }
            }
            Hosting::Render => {
                render_key(token.expose())?;
                let link = project.render_service.as_ref().ok_or_else(|| {
                    Error::invalid("render_service_missing", "Pick the Render service first.")
                })?;
                Host::Render {
                    api: Render::new(self.http, &self.endpoints.render_api, &token),
                    service: &link.id,
                }
            }
            Hosting::CloudflarePages => {
                cloudflare_token(token.expose())?;
                let link = project.cloudflare_link().ok_or_else(|| {
                    Error::invalid(
                        "cloudflare_project_missing",
                        "Give the Cloudflare account ID and the Pages project's name first.",
                    )
                })?;
                Host::CloudflarePages {
                    api: Cloudflare::new(self.http, &self.endpoints.cloudflare_api, &token),
                    account: &link.account_id,
                    project: &link.name,
                }
            }
            Hosting::CloudflareWorkers => {
                cloudflare_token(token.expose())?;
                let link = project.cloudflare_link().ok_or_else(|| {
                    Error::invalid(
                        "cloudflare_project_missing",
                        "Give the Cloudflare account ID and the Worker's name first.",
                    )
                })?;
                Host::CloudflareWorkers {
                    api: Cloudflare::new(self.http, &self.endpoints.cloudflare_api, &token),
                    account: &link.account_id,
                    script: &link.name,
                }
            }
        };
        f(&host).await
    }

    pub async fn domain(&self, project: &Project) -> Result<HostingDomain> {
        self.with_host(project, async |h| h.domain(&project.domain).await)
            .await
    }

    /// Adds the domain to the project (nothing to do if it is there).
    pub async fn add_domain(&self, project: &Project) -> Result<HostingDomain> {
        self.with_host(project, async |h| h.add_domain(&project.domain).await)
            .await?;
        self.domain(project).await
    }

    pub async fn verify_domain(&self, project: &Project) -> Result<HostingDomain> {
        self.with_host(project, async |h| h.verify_domain(&project.domain).await)
            .await?;
        self.domain(project).await
    }

    /// What the plan puts in production: the live keys, and the webhook signing secret if
    /// one is saved (read before the host is asked anything, so a missing key is said first).
    fn production(&self, project: &Project) -> Result<Production> {
        let pk = project.publishable_key.clone().unwrap_or_default();
        let parsed = parse_publishable_key(&pk)
            .ok()
            .filter(|k| k.env == KeyEnv::Live);
        let sk = self.secrets.get(&project.id, SecretKind::ClerkSecretKey)?;
        let (Some(parsed), Some(sk)) = (parsed, sk.filter(|s| s.expose().starts_with("sk_live_")))
        else {
            return Err(Error::invalid(
                "live_keys_missing",
                "Save the live keys (pk_live_…, sk_live_…) on the Clerk step first.",
            ));
        };
        let keys_marker = marker(&parsed.frontend_api);
        let webhook_secret = self
            .secrets
            .get(&project.id, SecretKind::ClerkWebhookSecret)?
            .map(|secret| (webhook_marker(&parsed.frontend_api, &secret), secret));
        Ok(Production {
            keys: vec![
                Wanted {
                    key: project.framework.publishable_key_var().into(),
                    value: Secret::new(pk),
                    secret: false,
                    kind: "",
                    marker: keys_marker.clone(),
                },
                Wanted {
                    key: project.framework.secret_key_var().into(),
                    value: sk,
                    secret: true,
                    kind: "",
                    marker: keys_marker,
                },
            ],
            webhook_secret,
        })
    }

    pub async fn env_plan(&self, project: &Project) -> Result<EnvPlan> {
        let production = self.production(project)?;
        self.with_host(project, async |h| {
            let vars = h.env().await?;
            let words = h.words();
            let (notes, hold) = h.env_notes().await?;
            Ok(
                EnvPlan::of(plan_env(&vars, &production.wanted(&vars, words)?, words))
                    .noted(notes, hold),
            )
        })
        .await
    }

    /// Applies the plan made afresh from the host's current variables; stops at the first
    /// error (running it again continues from where it stopped).
    pub async fn env_apply(&self, project: &Project) -> Result<EnvPlan> {
        let production = self.production(project)?;
        self.with_host(project, async |h| {
            let words = h.words();
            let (notes, hold) = h.env_notes().await?;
            if let Some(why) = hold {
                return Err(Error::invalid("live_keys_would_reach_previews", why));
            }
            let vars = h.env().await?;
            let wanted = production.wanted(&vars, words)?;
            for s in &plan_env(&vars, &wanted, words) {
                let w = wanted
                    .iter()
                    .find(|w| w.key == s.key)
                    .expect("planned from wanted");
                h.apply(s, w, &vars).await?;
            }
            let vars = h.env().await?;
            Ok(
                EnvPlan::of(plan_env(&vars, &production.wanted(&vars, words)?, words))
                    .noted(notes, None),
            )
        })
        .await
    }

    /// Builds production again and follows it until it is live, fails, or `pace.limit`
    /// passes. Refused while the env plan is not done.
    pub async fn redeploy(
        &self,
        project: &Project,
        pace: FollowPace,
        on_event: impl Fn(DeployEvent),
    ) -> Result<Deployment> {
        if !self.env_plan(project).await?.done {
            return Err(Error::invalid(
                "env_not_ready",
                "Apply the environment variable plan first: a redeploy now would build with the \
                 old keys.",
            ));
        }
        self.with_host(project, async |h| {
            let current = h.production_deployment().await?.ok_or_else(|| {
                Error::invalid(
                    "no_production_deployment",
                    "This project has no production deployment to redeploy yet: push to its \
                     production branch first.",
                )
            })?;
            let mut d = h.redeploy(&current).await?;
            on_event(DeployEvent::Started {
                deployment: d.clone(),
            });
            let started = tokio::time::Instant::now();
            while !d.live() && !d.failed() {
                if started.elapsed() > pace.limit {
                    break;
                }
                tokio::time::sleep(pace.delay(started.elapsed())).await;
                d = h.deployment(&d.id).await?;
                on_event(DeployEvent::State {
                    deployment: d.clone(),
                });
            }
            Ok(d)
        })
        .await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_follow_pace_is_the_clis() {
        let p = FollowPace::default();
        assert_eq!(p.delay(Duration::from_secs(3)), Duration::from_secs(1));
        assert_eq!(p.delay(Duration::from_secs(20)), Duration::from_secs(5));
        assert_eq!(p.delay(Duration::from_secs(90)), Duration::from_secs(15));
        assert_eq!(p.delay(Duration::from_secs(600)), Duration::from_secs(30));
    }
}
