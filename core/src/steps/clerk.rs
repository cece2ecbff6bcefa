//! The Clerk step: the production instance, created through the Platform API when the user
//! has a platform key (or adopted when it already exists), its live keys stored, Clerk's
//! domain status; and the checklist of what a cloned instance does not carry over.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::error::{Error, Result};
use crate::http::Http;
use crate::project::Project;
use crate::secrets::{Secret, SecretKind, SecretStore};
use crate::vendors::clerk::platform::{CnameTarget, DomainStatus, Platform};
use url::Url;

/// A Clerk application the platform key can see.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ClerkApp {
    pub id: String,
    pub name: String,
    pub has_production: bool,
}

/// The production instance after it was created or adopted. No key in it: those went to
/// the keychain (secret) and the project (publishable).
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ProductionInstance {
    pub instance_id: String,
    pub domain: String,
    pub cname_targets: Vec<CnameTarget>,
    /// It already existed: Golive took its keys instead of creating one.
    pub adopted: bool,
}

/// What creating (or adopting) the production instance returns to the UI.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
pub struct ProductionCreated {
    pub instance: ProductionInstance,
    pub project: Project,
}

/// One thing a cloned production instance does not carry over.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ChecklistItem {
    pub id: String,
    pub title: String,
    pub detail: String,
    pub link: String,
}

/// From Clerk's production guide: "SSO connections, Integrations, and Paths settings do not
/// copy over", plus the per-instance values that must be set again.
pub fn checklist() -> Vec<ChecklistItem> {
    [
        ("sso-connections", "Re-create enterprise SSO connections",
         "SAML and OIDC enterprise connections are not cloned. Social sign-in is the SSO step.",
         "https://dashboard.clerk.com/"),
        ("integrations", "Turn integrations on again",
         "Integrations (Supabase, Firebase, Google Analytics, …) start off in production.",
         "https://dashboard.clerk.com/"),
        ("paths", "Set the component paths",
         "Sign-in, sign-up and after-sign-in paths are not cloned.",
         "https://dashboard.clerk.com/"),
        ("webhooks", "Create the production webhook endpoint",
         "Add the endpoint to the production instance and set its signing secret as \
          CLERK_WEBHOOK_SIGNING_SECRET (whsec_…) in production: the Hosting step's Webhooks \
          section opens the dashboard and sets the secret.",
         "https://clerk.com/docs/guides/development/webhooks/syncing"),
        ("jwt-key", "Update CLERK_JWT_KEY",
         "The JWT verification key is per instance: copy the production one if your app uses it.",
         "https://clerk.com/docs/guides/development/clerk-environment-variables"),
        ("native-redirects", "Allowlist native app redirect URLs",
         "Mobile apps: add <bundle id>://callback and the app's other redirect URLs again.",
         "https://clerk.com/docs/guides/development/deployment/production"),
    ]
    .into_iter()
    .map(|(id, title, detail, link)| ChecklistItem {
        id: id.into(),
        title: title.into(),
        detail: detail.into(),
        link: link.into(),
    })
    .collect()
}

pub struct ClerkStep<'a> {
    pub http: &'a Http,
    pub api: &'a Url,
    pub secrets: &'a dyn SecretStore,
}

impl ClerkStep<'_> {
    fn platform_key(&self, project: &Project) -> Result<Secret> {
        self.secrets
            .get(&project.id, SecretKind::ClerkPlatformKey)?
            .ok_or_else(|| {
                Error::invalid(
                    "platform_key_missing",
                    "Paste a Clerk platform key (ak_…) first, or follow the guided steps.",
                )
            })
    }

    pub async fn applications(&self, project: &Project) -> Result<Vec<ClerkApp>> {
        let key = self.platform_key(project)?;
        let apps = Platform::new(self.http, self.api, &key)
            .applications()
            .await?;
        Ok(apps
            .into_iter()
            .map(|a| ClerkApp {
                has_production: a.instance("production").is_some(),
                id: a.application_id,
                name: a.name,
            })
            .collect())
    }

    /// Creates the production instance for the project's domain, cloning development; if
    /// one exists already (409) it is adopted. Either way its keys are stored, so running
    /// this again after an interruption converges. Returns the project with the new
    /// publishable key and application id for the caller to save.
    pub async fn create_production(
        &self,
        project: &Project,
        app_id: &str,
    ) -> Result<(ProductionInstance, Project)> {
        let key = self.platform_key(project)?;
        let api = Platform::new(self.http, self.api, &key);
        let app = api.application_with_keys(app_id).await?;
        let dev = app.instance("development").map(|i| i.instance_id.clone());
        let (instance_id, secret, publishable, domain, targets, adopted) = match api
            .create_production_instance(app_id, &project.domain, dev.as_deref())
            .await
        {
            Ok(created) => (
                created.id,
                created.secret_key,
                created.publishable_key,
                created.active_domain.name,
                created.active_domain.cname_targets,
                false,
            ),
            Err(e) if e.code() == "clerk_production_exists" => {
                let existing = api.application_with_keys(app_id).await?;
                let prod =
                    existing
                        .instance("production")
                        .cloned()
                        .ok_or_else(|| Error::Vendor {
                            vendor: "Clerk",
                            code: "clerk_bad_response",
                            message:
                                "Clerk says a production instance exists but does not list it."
                                    .into(),
                        })?;
                let (Some(secret), Some(publishable)) = (prod.secret_key, prod.publishable_key)
                else {
                    return Err(Error::Vendor {
                            vendor: "Clerk",
                            code: "clerk_keys_hidden",
                            message: "The production instance exists, but Clerk did not return its \
                                      keys to this platform key. Copy them from the dashboard → API keys."
                                .into(),
                        });
                };
                let domains = api.domains(app_id).await?;
                let d = domains
                    .into_iter()
                    .find(|d| d.instance.as_ref().is_none_or(|i| i.id == prod.instance_id));
                (
                    prod.instance_id,
                    secret,
                    publishable,
                    d.as_ref().map(|d| d.name.clone()).unwrap_or_default(),
                    d.map(|d| d.cname_targets).unwrap_or_default(),
                    true,
                )
            }
            Err(e) => return Err(e),
        };
        if !domain.is_empty() && domain != project.domain {
            return Err(Error::invalid(
                "clerk_domain_differs",
                format!(
                    "This application's production instance is for {domain}, not {}. Change the \
                     project's domain, or pick the application that goes live on {}.",
                    project.domain, project.domain
                ),
            ));
        }
        self.secrets
            .set(&project.id, SecretKind::ClerkSecretKey, &secret)?;
        let mut updated = project.clone();
        updated.publishable_key = Some(publishable);
        updated.clerk_application_id = Some(app_id.to_string());
        Ok((
            ProductionInstance {
                instance_id,
                domain: project.domain.clone(),
                cname_targets: targets,
                adopted,
            },
            updated,
        ))
    }

    /// Clerk's own DNS/SSL/mail status; `recheck` asks Clerk to look at DNS again first.
    pub async fn domain_status(&self, project: &Project, recheck: bool) -> Result<DomainStatus> {
        let key = self.platform_key(project)?;
        let api = Platform::new(self.http, self.api, &key);
        let app_id = match &project.clerk_application_id {
            Some(id) => id.clone(),
            None => api
                .domain(&project.domain)
                .await?
                .application
                .map(|a| a.id)
                .ok_or_else(|| {
                    Error::invalid("clerk_app_unknown", "Pick the Clerk application first.")
                })?,
        };
        if recheck {
            api.dns_check(&app_id, &project.domain).await
        } else {
            api.domain_status(&app_id, &project.domain).await
        }
    }
}
