//! What the checks work from: the domain, keys and tokens, taken either from a saved project
//! (settings + keychain) or, headless, from environment variables.

use std::collections::BTreeMap;

use crate::error::Result;
use crate::layout::{LayoutSettings, SatelliteSetting};
use crate::project::{Hosting, Project};
use crate::provider::{Credentials, ProviderId};
use crate::redact::Redactor;
use crate::secrets::{Secret, SecretKind, SecretStore};

#[derive(Debug, Clone, Default)]
pub struct Inputs {
    pub publishable_key: Option<String>,
    pub secret_key: Option<Secret>,
    pub platform_key: Option<Secret>,
    pub vercel_token: Option<Secret>,
    pub vercel_project: Option<String>,
    pub vercel_team_id: Option<String>,
    pub supabase_token: Option<Secret>,
    pub supabase_project_ref: Option<String>,
    pub cloudflare_token: Option<Secret>,
    /// Which host serves the site (`HOSTING`: `vercel`, the default, `netlify` or `render`).
    pub hosting: Hosting,
    pub netlify_token: Option<Secret>,
    /// The Netlify site's API id (Site configuration → Site details → Site ID).
    pub netlify_site_id: Option<String>,
    pub render_api_key: Option<Secret>,
    /// The Render service's id (`srv-…`).
    pub render_service_id: Option<String>,
    /// The Cloudflare account (`CLOUDFLARE_ACCOUNT_ID`) and Pages project or Worker script
    /// (`CLOUDFLARE_PROJECT`), for apps on Cloudflare; its token is `cloudflare_token`.
    pub cloudflare_account_id: Option<String>,
    pub cloudflare_project: Option<String>,
    /// A page of the live site only signed-in users may see (`/dashboard` when unset).
    pub protected_path: Option<String>,
    /// The Supabase project's anon (public) key, for the rehearsal's call to its API.
    pub supabase_anon_key: Option<String>,
    /// A user to rehearse as (id or email) instead of a throwaway one.
    pub rehearsal_user: Option<String>,
    /// Production OAuth credentials by provider.
    pub oauth: BTreeMap<ProviderId, Credentials>,
    /// The production webhook endpoint, as given (the checks validate it).
    pub webhook_url: Option<String>,
    /// The production endpoint's signing secret (`whsec_…`).
    pub webhook_secret: Option<Secret>,
    /// What is set about the domain layout; the rest is detected from Clerk.
    pub layout: LayoutSettings,
}

impl Inputs {
    /// CLERK_PUBLISHABLE_KEY (or any `*_CLERK_PUBLISHABLE_KEY`, as frameworks prefix it),
    /// CLERK_SECRET_KEY, CLERK_PLATFORM_API_KEY, VERCEL_TOKEN, VERCEL_PROJECT, VERCEL_TEAM_ID,
    /// SUPABASE_ACCESS_TOKEN, SUPABASE_PROJECT_REF, CLOUDFLARE_API_TOKEN, SITE_PROTECTED_PATH,
    /// SUPABASE_ANON_KEY, REHEARSAL_USER, CLERK_WEBHOOK_URL, CLERK_WEBHOOK_SIGNING_SECRET,
    /// CLERK_PROXY_URL (or a framework's `*_CLERK_PROXY_URL`), VERCEL_SATELLITE_PROJECTS
    /// (`domain=prj_…` pairs, comma-separated), HOSTING, NETLIFY_TOKEN, NETLIFY_SITE_ID,
    /// RENDER_API_KEY, RENDER_SERVICE_ID, CLOUDFLARE_ACCOUNT_ID, CLOUDFLARE_PROJECT and the
    /// `OAUTH_*` ones. A HOSTING Golive does not know is left out here
    /// (`Hosting::named` says why, for the CLI).
    pub fn from_vars(vars: impl IntoIterator<Item = (String, String)>) -> Self {
        let mut inputs = Inputs::default();
        let (mut prefixed_pk, mut prefixed_proxy) = (None, None);
        let all: BTreeMap<String, String> = vars.into_iter().collect();
        for (name, value) in all.clone() {
            let value = value.trim().to_string();
            if value.is_empty() {
                continue;
            }
            match name.as_str() {
                "CLERK_PUBLISHABLE_KEY" => inputs.publishable_key = Some(value),
                "CLERK_SECRET_KEY" => inputs.secret_key = Some(Secret::new(value)),
                "CLERK_PLATFORM_API_KEY" => inputs.platform_key = Some(Secret::new(value)),
                "VERCEL_TOKEN" => inputs.vercel_token = Some(Secret::new(value)),
                "VERCEL_PROJECT" => inputs.vercel_project = Some(value),
                "VERCEL_TEAM_ID" => inputs.vercel_team_id = Some(value),
                "SUPABASE_ACCESS_TOKEN" => inputs.supabase_token = Some(Secret::new(value)),
                "SUPABASE_PROJECT_REF" => inputs.supabase_project_ref = Some(value),
                "CLOUDFLARE_API_TOKEN" => inputs.cloudflare_token = Some(Secret::new(value)),
                "HOSTING" => inputs.hosting = Hosting::named(&value).unwrap_or_default(),
                "NETLIFY_TOKEN" => inputs.netlify_token = Some(Secret::new(value)),
                "NETLIFY_SITE_ID" => inputs.netlify_site_id = Some(value),
                "RENDER_API_KEY" => inputs.render_api_key = Some(Secret::new(value)),
                "RENDER_SERVICE_ID" => inputs.render_service_id = Some(value),
                "CLOUDFLARE_ACCOUNT_ID" => inputs.cloudflare_account_id = Some(value),
                "CLOUDFLARE_PROJECT" => inputs.cloudflare_project = Some(value),
                "SITE_PROTECTED_PATH" => inputs.protected_path = Some(value),
                "SUPABASE_ANON_KEY" => inputs.supabase_anon_key = Some(value),
                "REHEARSAL_USER" => inputs.rehearsal_user = Some(value),
                "CLERK_WEBHOOK_URL" => inputs.webhook_url = Some(value),
                "CLERK_WEBHOOK_SIGNING_SECRET" => inputs.webhook_secret = Some(Secret::new(value)),
                n if n.ends_with("_CLERK_PUBLISHABLE_KEY") => prefixed_pk = Some(value),
                "CLERK_PROXY_URL" => inputs.layout.proxy_url = Some(value),
                n if n.ends_with("_CLERK_PROXY_URL") => prefixed_proxy = Some(value),
                "VERCEL_SATELLITE_PROJECTS" => inputs.layout.satellites = satellites(&value),
                _ => {}
            }
        }
        inputs.publishable_key = inputs.publishable_key.or(prefixed_pk);
        inputs.layout.proxy_url = inputs.layout.proxy_url.or(prefixed_proxy);
        inputs.oauth = oauth_from_vars(&all);
        inputs
    }

    pub fn from_project(project: &Project, secrets: &dyn SecretStore) -> Result<Self> {
        let mut oauth = BTreeMap::new();
        for (p, client) in &project.oauth {
            if let Some(secret) = secrets.get(&project.id, p.secret_kind())? {
                oauth.insert(
                    *p,
                    Credentials {
                        client_id: client.client_id.clone(),
                        secret,
                        apple_team_id: client.apple_team_id.clone(),
                        apple_key_id: client.apple_key_id.clone(),
                        secret_expires_on: client.secret_expires_on.clone(),
                    },
                );
            }
        }
        Ok(Inputs {
            oauth,
            publishable_key: project.publishable_key.clone(),
            secret_key: secrets.get(&project.id, SecretKind::ClerkSecretKey)?,
            platform_key: secrets.get(&project.id, SecretKind::ClerkPlatformKey)?,
            vercel_token: secrets.get(&project.id, SecretKind::VercelToken)?,
            vercel_project: project.vercel_project.as_ref().map(|v| v.id.clone()),
            vercel_team_id: project
                .vercel_project
                .as_ref()
                .and_then(|v| v.team_id.clone()),
            supabase_token: secrets.get(&project.id, SecretKind::SupabaseToken)?,
            supabase_project_ref: project.supabase_project_ref.clone(),
            cloudflare_token: secrets.get(&project.id, SecretKind::CloudflareToken)?,
            hosting: project.hosting,
            netlify_token: secrets.get(&project.id, SecretKind::NetlifyToken)?,
            netlify_site_id: project.netlify_site.as_ref().map(|s| s.id.clone()),
            render_api_key: secrets.get(&project.id, SecretKind::RenderApiKey)?,
            render_service_id: project.render_service.as_ref().map(|s| s.id.clone()),
            cloudflare_account_id: project.cloudflare_link().map(|c| c.account_id.clone()),
            cloudflare_project: project.cloudflare_link().map(|c| c.name.clone()),
            protected_path: project.protected_path.clone(),
            supabase_anon_key: project.supabase_anon_key.clone(),
            rehearsal_user: project.rehearsal_user.clone(),
            webhook_url: project.webhook_url.clone(),
            webhook_secret: secrets.get(&project.id, SecretKind::ClerkWebhookSecret)?,
            layout: project.layout.clone(),
        })
    }

    /// The Clerk domain given with the CLI's `--clerk-domain`.
    pub fn with_clerk_domain(mut self, clerk_domain: Option<String>) -> Self {
        self.layout.clerk_domain = clerk_domain.or(self.layout.clerk_domain);
        self
    }

    /// What takes every one of these secrets out of text that will be shown.
    pub fn redactor(&self) -> Redactor {
        let keys = [
            &self.secret_key,
            &self.platform_key,
            &self.vercel_token,
            &self.supabase_token,
            &self.cloudflare_token,
            &self.netlify_token,
            &self.render_api_key,
            &self.webhook_secret,
        ];
        Redactor::of(
            keys.into_iter()
                .flatten()
                .chain(self.oauth.values().map(|c| &c.secret)),
        )
    }
}

/// `OAUTH_<PROVIDER>_CLIENT_ID` and `_CLIENT_SECRET` (Apple's secret: the .p8 text or its
/// path), `OAUTH_APPLE_TEAM_ID`, `OAUTH_APPLE_KEY_ID`, `OAUTH_<PROVIDER>_SECRET_EXPIRES`.
/// `blog.example=prj_1,shop.example=prj_2`: satellites with their apps' Vercel projects.
fn satellites(value: &str) -> Vec<SatelliteSetting> {
    value
        .split(',')
        .filter(|pair| !pair.trim().is_empty())
        .map(|pair| {
            let (domain, project) = pair.split_once('=').unwrap_or((pair, ""));
            SatelliteSetting {
                domain: domain.trim().to_string(),
                vercel_project: Some(project.trim().to_string()).filter(|p| !p.is_empty()),
            }
        })
        .collect()
}

fn oauth_from_vars(vars: &BTreeMap<String, String>) -> BTreeMap<ProviderId, Credentials> {
    let get = |k: String| {
        vars.get(&k)
            .map(|v| v.trim().to_string())
            .filter(|v| !v.is_empty())
    };
    ProviderId::ALL
        .into_iter()
        .filter_map(|p| {
            let name = p.as_str().to_ascii_uppercase();
            let client_id = get(format!("OAUTH_{name}_CLIENT_ID"))?;
            let mut secret = get(format!("OAUTH_{name}_CLIENT_SECRET"))?;
            if p == ProviderId::Apple && !secret.contains("BEGIN") {
                secret = std::fs::read_to_string(&secret).ok()?;
            }
            Some((
                p,
                Credentials {
                    client_id,
                    secret: Secret::new(secret),
                    apple_team_id: get("OAUTH_APPLE_TEAM_ID".into()),
                    apple_key_id: get("OAUTH_APPLE_KEY_ID".into()),
                    secret_expires_on: get(format!("OAUTH_{name}_SECRET_EXPIRES")),
                },
            ))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_keys_from_env_names() {
        let i = Inputs::from_vars(
            [
                ("NEXT_PUBLIC_CLERK_PUBLISHABLE_KEY", "pk_live_a"),
                ("CLERK_SECRET_KEY", " sk_live_b "),
                ("VERCEL_TEAM_ID", "team_1"),
                ("CLERK_PLATFORM_API_KEY", ""),
                (
                    "CLERK_WEBHOOK_URL",
                    "https://quillmate.test/api/webhooks/clerk",
                ),
                (
                    "CLERK_WEBHOOK_SIGNING_SECRET",
                    "whsec_abcdefghijklmnopqrstuvwxyz",
                ),
            ]
            .map(|(k, v)| (k.to_string(), v.to_string())),
        );
        assert_eq!(i.publishable_key.as_deref(), Some("pk_live_a"));
        assert_eq!(i.secret_key.as_ref().unwrap().expose(), "sk_live_b");
        assert_eq!(i.vercel_team_id.as_deref(), Some("team_1"));
        assert!(i.platform_key.is_none());
        assert_eq!(
            i.webhook_url.as_deref(),
            Some("https://quillmate.test/api/webhooks/clerk")
        );
        // The signing secret is a secret: redacted wherever it is quoted.
        assert_eq!(
            i.redactor()
                .text("got whsec_abcdefghijklmnopqrstuvwxyz back"),
            "got [redacted] back"
        );
    }

    #[test]
    fn oauth_credentials_need_both_halves() {
        let i = Inputs::from_vars(
            [
                ("OAUTH_GOOGLE_CLIENT_ID", "1-a.apps.googleusercontent.com"),
                ("OAUTH_GOOGLE_CLIENT_SECRET", "GOCSPX-x"),
                ("OAUTH_GITHUB_CLIENT_ID", "Ov23li"),
            ]
            .map(|(k, v)| (k.to_string(), v.to_string())),
        );
        assert_eq!(i.oauth.keys().collect::<Vec<_>>(), [&ProviderId::Google]);
        assert_eq!(i.oauth[&ProviderId::Google].secret.expose(), "GOCSPX-x");
    }

    #[test]
    fn the_plain_name_wins_over_a_prefixed_one() {
        let i = Inputs::from_vars(
            [
                ("CLERK_PUBLISHABLE_KEY", "pk_a"),
                ("VITE_CLERK_PUBLISHABLE_KEY", "pk_b"),
            ]
            .map(|(k, v)| (k.to_string(), v.to_string())),
        );
        assert_eq!(i.publishable_key.as_deref(), Some("pk_a"));
    }
}
