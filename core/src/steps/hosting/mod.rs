//! The hosting step (Vercel): the domain on the project, the live Clerk keys for production
//! only — preview and development keep the test keys — and a redeploy followed to READY.
//!
//! The env migration is planned from what Vercel has now, every time, so it is idempotent
//! and an interrupted run converges when run again. Its order never loses a value: a test
//! key shared by production and other targets is first re-targeted to the others (keeping
//! its value), then the live key is created for production; a production-only variable gets
//! its value replaced. Nothing is deleted. Vercel refuses two variables of one name on one
//! target, so between that re-target and the create, production's settings lack the key for
//! one request; deployments are unaffected (variables apply at the next build), and the
//! redeploy is refused until the plan is complete.
//!
//! When the production webhook signing secret is saved, the same plan gives it to
//! production (as sensitive, under the name the app reads) while previews keep the
//! development one.

pub mod env_plan;

use std::time::Duration;

use serde::{Deserialize, Serialize};
use serde_json::json;
use ts_rs::TS;
use url::Url;

use env_plan::{marker, plan_env, webhook_marker, EnvAction, EnvPlan, Wanted, PRODUCTION};

use crate::error::{Error, Result};
use crate::http::Http;
use crate::keys::{parse_publishable_key, KeyEnv};
use crate::project::Project;
use crate::secrets::{Secret, SecretKind, SecretStore};
use crate::vendors::vercel::deployments::Deployment;
use crate::vendors::vercel::domains::ProjectDomain;
use crate::vendors::vercel::env::EnvVar;
use crate::vendors::vercel::Vercel;
use crate::webhook;

/// The domain on the project, as Vercel sees it.
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
    keys: Vec<Wanted>,
    /// The webhook signing secret, with its marker.
    webhook_secret: Option<(String, Secret)>,
}

impl Production {
    /// Everything wanted, the signing secret under the name the app reads (from `vars`).
    fn wanted(&self, vars: &[EnvVar]) -> Result<Vec<Wanted>> {
        let mut wanted = self.keys.clone();
        if let Some((marker, secret)) = &self.webhook_secret {
            let key = webhook::secret_var(vars.iter().map(|v| v.key.as_str()));
            // The development secret pasted by mistake: previews hold the very same value.
            if vars.iter().any(|v| {
                v.key == key
                    && v.value == secret.expose()
                    && !v.target.iter().any(|t| t == PRODUCTION)
            }) {
                return Err(Error::invalid(
                    "webhook_secret_is_development",
                    format!(
                        "The signing secret saved in Golive is the development one: Vercel's \
                         previews hold the same {key}. Paste the production endpoint's secret \
                         (Clerk dashboard → Production → Webhooks → your endpoint → Signing \
                         Secret) in the Hosting step's Webhooks section."
                    ),
                ));
            }
            wanted.push(Wanted {
                key: key.into(),
                value: secret.clone(),
                kind: "sensitive",
                marker: marker.clone(),
            });
        }
        Ok(wanted)
    }
}

pub struct HostingStep<'a> {
    pub http: &'a Http,
    pub api: &'a Url,
    pub secrets: &'a dyn SecretStore,
}

impl HostingStep<'_> {
    fn token(&self, project: &Project) -> Result<Secret> {
        self.secrets
            .get(&project.id, SecretKind::VercelToken)?
            .ok_or_else(|| {
                Error::invalid(
                    "vercel_token_missing",
                    "Paste a Vercel access token first (vercel.com/account/tokens).",
                )
            })
    }

    fn link(project: &Project) -> Result<&crate::project::VercelLink> {
        project.vercel_project.as_ref().ok_or_else(|| {
            Error::invalid("vercel_project_missing", "Pick the Vercel project first.")
        })
    }

    async fn with_vercel<T>(
        &self,
        project: &Project,
        f: impl AsyncFnOnce(&Vercel<'_>, &str) -> Result<T>,
    ) -> Result<T> {
        let token = self.token(project)?;
        let link = Self::link(project)?;
        let vercel = Vercel::new(self.http, self.api, &token, link.team_id.as_deref());
        f(&vercel, &link.id).await
    }

    pub async fn domain(&self, project: &Project) -> Result<HostingDomain> {
        self.with_vercel(project, async |v, pid| {
            let (domain, config) = futures::join!(
                v.project_domain(pid, &project.domain),
                v.domain_config(&project.domain, pid)
            );
            Ok(HostingDomain {
                domain: domain?,
                misconfigured: config?.misconfigured,
            })
        })
        .await
    }

    /// Adds the domain to the project (nothing to do if it is there).
    pub async fn add_domain(&self, project: &Project) -> Result<HostingDomain> {
        self.with_vercel(project, async |v, pid| {
            if v.project_domain(pid, &project.domain).await?.is_none() {
                v.add_domain(pid, &project.domain)
                    .await
                    .map_err(|e| match e.code() {
                        "vercel_conflict" => Error::Vendor {
                            vendor: "Vercel",
                            code: "vercel_domain_elsewhere",
                            message: format!(
                            "{} is on another Vercel project ({e}). Remove it from that project \
                             (Settings → Domains) and add it here again.",
                            project.domain
                        ),
                        },
                        _ => e,
                    })?;
            }
            Ok(())
        })
        .await?;
        self.domain(project).await
    }

    pub async fn verify_domain(&self, project: &Project) -> Result<HostingDomain> {
        self.with_vercel(project, async |v, pid| {
            v.verify_domain(pid, &project.domain).await.map(drop)
        })
        .await?;
        self.domain(project).await
    }

    /// What the plan puts in production: the live keys, and the webhook signing secret if
    /// one is saved (read before Vercel is asked anything, so a missing key is said first).
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
                    kind: "encrypted",
                    marker: keys_marker.clone(),
                },
                Wanted {
                    key: project.framework.secret_key_var().into(),
                    value: sk,
                    kind: "sensitive",
                    marker: keys_marker,
                },
            ],
            webhook_secret,
        })
    }

    pub async fn env_plan(&self, project: &Project) -> Result<EnvPlan> {
        let production = self.production(project)?;
        self.with_vercel(project, async |v, pid| {
            let vars = v.env(pid).await?;
            Ok(EnvPlan::of(plan_env(&vars, &production.wanted(&vars)?)))
        })
        .await
    }

    /// Applies the plan made afresh from Vercel's current variables; stops at the first
    /// error (running it again continues from where it stopped).
    pub async fn env_apply(&self, project: &Project) -> Result<EnvPlan> {
        let production = self.production(project)?;
        self.with_vercel(project, async |v, pid| {
            let vars = v.env(pid).await?;
            let wanted = production.wanted(&vars)?;
            for s in &plan_env(&vars, &wanted) {
                let w = wanted
                    .iter()
                    .find(|w| w.key == s.key)
                    .expect("planned from wanted");
                match (s.action, &s.id) {
                    (EnvAction::Retarget, Some(id)) => {
                        v.edit_env(pid, id, &json!({ "target": s.target })).await?
                    }
                    (EnvAction::SetValue, Some(id)) => {
                        v.edit_env(
                            pid,
                            id,
                            &json!({"value": w.value.expose(), "comment": w.marker}),
                        )
                        .await?
                    }
                    (EnvAction::Create, _) => {
                        v.create_env(
                            pid,
                            &w.key,
                            w.value.expose(),
                            w.kind,
                            &[PRODUCTION],
                            &w.marker,
                        )
                        .await?
                    }
                    _ => {}
                }
            }
            let vars = v.env(pid).await?;
            Ok(EnvPlan::of(plan_env(&vars, &production.wanted(&vars)?)))
        })
        .await
    }

    /// Redeploys the current production deployment and follows it until it is live, fails,
    /// or `pace.limit` passes. Refused while the env plan is not done.
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
        let link = Self::link(project)?;
        self.with_vercel(project, async |v, pid| {
            let current = v.production_deployment(pid).await?.ok_or_else(|| {
                Error::invalid(
                    "no_production_deployment",
                    "This project has no production deployment to redeploy yet: push to its \
                     production branch first.",
                )
            })?;
            let mut d = v.redeploy(&link.name, &current.id).await?;
            on_event(DeployEvent::Started {
                deployment: d.clone(),
            });
            let started = tokio::time::Instant::now();
            while !d.live() && !d.failed() {
                if started.elapsed() > pace.limit {
                    break;
                }
                tokio::time::sleep(pace.delay(started.elapsed())).await;
                d = v.deployment(&d.id).await?;
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
