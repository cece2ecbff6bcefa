//! The SSO step: for each social provider, the values to paste into its console, a form for
//! the production client ID and secret (checked, the secret kept in the keychain), a live
//! probe, and pushing them to Clerk's production instance.

use serde::{Deserialize, Serialize};
use ts_rs::TS;
use url::Url;

use crate::error::{Error, Result};
use crate::http::Http;
use crate::https_probe::Prober;
use crate::keys::{parse_publishable_key, production_frontend_api, KeyEnv};
use crate::project::{OAuthClient, Project};
use crate::provider::{Credentials, ProviderId};
use crate::secrets::{Secret, SecretKind, SecretStore};
use crate::vendors::clerk::backend::{Backend, Domain};
use crate::vendors::clerk::frontend;
use crate::vendors::clerk::platform::Platform;
use crate::vendors::oauth::catalog::Provider;
use crate::vendors::oauth::formats::check_format;
use crate::vendors::oauth::token_probe::{self, ProbeResult};

/// What the provider consoles need, and each provider's state.
#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct SsoOverview {
    /// The authorized redirect URI (Clerk's production callback).
    pub redirect_uri: String,
    /// Authorized JavaScript origins.
    pub origins: Vec<String>,
    pub providers: Vec<ProviderState>,
    /// Why the development instance's providers are unknown (no key to find it).
    #[ts(optional)]
    pub development_unknown: Option<String>,
    /// Instances whose settings could not be read, and why.
    pub notes: Vec<String>,
}

#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ProviderState {
    pub provider: Provider,
    #[ts(optional)]
    pub enabled_in_development: Option<bool>,
    #[ts(optional)]
    pub enabled_in_production: Option<bool>,
    #[ts(optional)]
    pub client: Option<OAuthClient>,
    pub secret_set: bool,
}

/// The form for one provider. The secret arrives over IPC once and goes to the keychain.
#[derive(Debug, Clone, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct SsoForm {
    pub provider: ProviderId,
    pub client_id: String,
    /// Empty keeps the saved secret.
    #[ts(type = "string")]
    pub secret: Secret,
    #[ts(optional)]
    pub apple_team_id: Option<String>,
    #[ts(optional)]
    pub apple_key_id: Option<String>,
    #[ts(optional)]
    pub secret_expires_on: Option<String>,
}

/// `{frontend_api_url}/v1/oauth_callback`: from Clerk's domain object when the secret key
/// can ask, else from the live publishable key, else `clerk.<domain>`.
pub async fn redirect_uri(
    http: &Http,
    api: &Url,
    domain: &str,
    secret_key: Option<&Secret>,
    publishable_key: Option<&str>,
) -> String {
    let domains = match secret_key {
        Some(sk) => Backend::new(http, api, sk).domains().await.ok(),
        None => None,
    };
    callback_uri(domains.as_deref(), domain, publishable_key)
}

/// `redirect_uri` from domains already read (the checks read them once per run).
pub fn callback_uri(
    domains: Option<&[Domain]>,
    domain: &str,
    publishable_key: Option<&str>,
) -> String {
    match domains.into_iter().flatten().find(|d| d.name == domain) {
        Some(d) => format!(
            "{}/v1/oauth_callback",
            d.frontend_api_url.trim_end_matches('/')
        ),
        None => format!(
            "https://{}/v1/oauth_callback",
            production_frontend_api(domain, publishable_key)
        ),
    }
}

/// `YYYY-MM-DD` → days since 1970-01-01 (proleptic Gregorian).
pub fn days_since_epoch(date: &str) -> Option<i64> {
    let mut parts = date.trim().splitn(3, '-');
    let y: i64 = parts.next()?.parse().ok()?;
    let m: i64 = parts.next()?.parse().ok()?;
    let d: i64 = parts.next()?.parse().ok()?;
    if !(1..=12).contains(&m) || !(1..=31).contains(&d) {
        return None;
    }
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    Some(era * 146_097 + doe - 719_468)
}

pub fn today() -> i64 {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or_default();
    secs.div_euclid(86_400)
}

pub struct SsoStep<'a> {
    pub http: &'a Http,
    pub api: &'a Url,
    pub prober: &'a Prober,
    pub secrets: &'a dyn SecretStore,
    pub token_urls: &'a std::collections::BTreeMap<String, Url>,
}

impl SsoStep<'_> {
    pub fn token_url(&self, p: ProviderId) -> Url {
        self.token_urls
            .get(p.as_str())
            .cloned()
            .unwrap_or_else(|| Url::parse(p.token_url()).expect("catalog URLs parse"))
    }

    /// The development instance's Frontend API host: from the saved development key, or
    /// the application's development instance (platform key).
    async fn development_host(&self, project: &Project) -> std::result::Result<String, String> {
        if let Some(pk) = &project.dev_publishable_key {
            return parse_publishable_key(pk)
                .map(|k| k.frontend_api)
                .map_err(|e| e.to_string());
        }
        let (Some(ak), Some(app)) = (
            self.secrets
                .get(&project.id, SecretKind::ClerkPlatformKey)
                .ok()
                .flatten(),
            project.clerk_application_id.as_deref(),
        ) else {
            return Err(
                "Paste the development publishable key (pk_test_…) to see which providers \
                        development uses."
                    .into(),
            );
        };
        let app = Platform::new(self.http, self.api, &ak)
            .applications()
            .await
            .map_err(|e| e.to_string())?
            .into_iter()
            .find(|a| a.application_id == app)
            .ok_or("The Clerk application was not found with this platform key.")?;
        let pk = app
            .instance("development")
            .and_then(|i| i.publishable_key.clone())
            .ok_or("The application has no development instance.")?;
        parse_publishable_key(&pk)
            .map(|k| k.frontend_api)
            .map_err(|e| e.to_string())
    }

    /// The social providers on at `host` (`None` when there is no host to ask), or why they
    /// could not be read.
    async fn enabled(
        &self,
        host: Option<&str>,
        origin: &str,
        instance: &str,
    ) -> std::result::Result<Option<Vec<String>>, String> {
        let Some(host) = host else { return Ok(None) };
        match frontend::environment(self.prober, host, origin).await {
            Ok((env, _)) => Ok(Some(env.enabled_social())),
            Err(e) => Err(format!(
                "Could not read which providers the {instance} instance has on ({host}: {e}); \
                 try again in a minute."
            )),
        }
    }

    pub async fn overview(&self, project: &Project) -> Result<SsoOverview> {
        let sk = self.secrets.get(&project.id, SecretKind::ClerkSecretKey)?;
        let origin = format!("https://{}", project.domain);
        let prod_host = project
            .publishable_key
            .as_deref()
            .and_then(|k| parse_publishable_key(k).ok())
            .filter(|k| k.env == KeyEnv::Live)
            .map(|k| k.frontend_api);
        let (redirect, dev_host) = futures::join!(
            redirect_uri(
                self.http,
                self.api,
                project.clerk_domain(),
                sk.as_ref(),
                project.publishable_key.as_deref()
            ),
            self.development_host(project)
        );
        let (dev, prod) = futures::join!(
            self.enabled(
                dev_host.as_deref().ok(),
                "http://localhost:3000",
                "development"
            ),
            self.enabled(prod_host.as_deref(), &origin, "production"),
        );
        let notes = [&dev, &prod]
            .into_iter()
            .filter_map(|r| r.as_ref().err().cloned())
            .collect();
        let (dev, prod) = (dev.ok().flatten(), prod.ok().flatten());
        let mut providers = vec![];
        for p in ProviderId::ALL {
            providers.push(ProviderState {
                provider: p.info(),
                enabled_in_development: dev.as_ref().map(|d| d.iter().any(|x| x == p.as_str())),
                enabled_in_production: prod.as_ref().map(|d| d.iter().any(|x| x == p.as_str())),
                client: project.oauth.get(&p).cloned(),
                secret_set: self.secrets.get(&project.id, p.secret_kind())?.is_some(),
            });
        }
        Ok(SsoOverview {
            redirect_uri: redirect,
            origins: vec![origin, format!("https://www.{}", project.domain)],
            providers,
            development_unknown: dev_host.err(),
            notes,
        })
    }

    /// The saved credentials of one provider.
    pub fn credentials(&self, project: &Project, p: ProviderId) -> Result<Credentials> {
        let client = project.oauth.get(&p);
        let secret = self.secrets.get(&project.id, p.secret_kind())?;
        match (client, secret) {
            (Some(c), Some(secret)) => Ok(Credentials {
                client_id: c.client_id.clone(),
                secret,
                apple_team_id: c.apple_team_id.clone(),
                apple_key_id: c.apple_key_id.clone(),
                secret_expires_on: c.secret_expires_on.clone(),
            }),
            _ => Err(Error::invalid(
                "oauth_missing",
                format!("Save {}'s client ID and secret first.", p.info().name),
            )),
        }
    }

    /// Checks the form, keeps the secret in the keychain, and returns the project's client.
    pub fn save(&self, project: &Project, form: SsoForm) -> Result<OAuthClient> {
        let p = form.provider;
        let secret = if form.secret.expose().trim().is_empty() {
            self.secrets
                .get(&project.id, p.secret_kind())?
                .ok_or_else(|| Error::invalid("oauth_missing", "Paste the secret too."))?
        } else {
            Secret::new(form.secret.expose().trim())
        };
        let trim = |v: Option<String>| v.map(|s| s.trim().to_string()).filter(|s| !s.is_empty());
        let creds = Credentials {
            client_id: form.client_id.trim().to_string(),
            secret,
            apple_team_id: trim(form.apple_team_id),
            apple_key_id: trim(form.apple_key_id),
            secret_expires_on: trim(form.secret_expires_on),
        };
        check_format(p, &creds)?;
        if let Some(date) = &creds.secret_expires_on {
            if days_since_epoch(date).is_none() {
                return Err(Error::invalid(
                    "oauth_expiry_invalid",
                    "Give the secret's expiry date as shown in the console (YYYY-MM-DD).",
                ));
            }
        }
        self.secrets
            .set(&project.id, p.secret_kind(), &creds.secret)?;
        Ok(OAuthClient {
            client_id: creds.client_id,
            apple_team_id: creds.apple_team_id,
            apple_key_id: creds.apple_key_id,
            secret_expires_on: creds.secret_expires_on,
        })
    }

    pub async fn probe(&self, project: &Project, p: ProviderId) -> Result<ProbeResult> {
        let creds = self.credentials(project, p)?;
        let sk = self.secrets.get(&project.id, SecretKind::ClerkSecretKey)?;
        let redirect = redirect_uri(
            self.http,
            self.api,
            project.clerk_domain(),
            sk.as_ref(),
            project.publishable_key.as_deref(),
        )
        .await;
        token_probe::probe(self.http, p, &self.token_url(p), &creds, &redirect).await
    }

    /// Sets the provider's credentials on Clerk's production instance (platform key).
    pub async fn push(&self, project: &Project, p: ProviderId) -> Result<()> {
        let creds = self.credentials(project, p)?;
        let ak = self
            .secrets
            .get(&project.id, SecretKind::ClerkPlatformKey)?
            .ok_or_else(|| {
                Error::invalid(
                    "platform_key_missing",
                    "Without a Clerk platform key, paste the values into the Clerk dashboard \
                     (Configure → SSO connections) instead.",
                )
            })?;
        let app = project.clerk_application_id.as_deref().ok_or_else(|| {
            Error::invalid(
                "clerk_app_missing",
                "Pick the Clerk application on the Clerk step first.",
            )
        })?;
        let platform = Platform::new(self.http, self.api, &ak);
        platform
            .set_oauth_connection(app, p.as_str(), &creds.client_id, &creds.secret)
            .await
            .map_err(|e| match e.code() {
                "clerk_invalid_request" => Error::Vendor {
                    vendor: "Clerk",
                    code: "clerk_oauth_refused",
                    message: format!(
                        "Clerk refused {}'s credentials for production ({e}). Check them with the \
                         probe, then try again.",
                        p.info().name
                    ),
                },
                _ => e,
            })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_count_days() {
        assert_eq!(days_since_epoch("1970-01-01"), Some(0));
        assert_eq!(days_since_epoch("2026-11-26"), Some(20_783));
        assert_eq!(days_since_epoch("2000-03-01"), Some(11_017));
        assert_eq!(days_since_epoch("2026-13-01"), None);
        assert_eq!(days_since_epoch("soon"), None);
    }
}
