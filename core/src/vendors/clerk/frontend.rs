//! Clerk Frontend API on the user's own `clerk.<domain>`: public, no key. What it serves
//! proves DNS, the certificate and the instance are in place, as browsers will see them.

use serde::Deserialize;

use super::backend::Jwks;
use crate::https_probe::{CertInfo, ProbeError, Prober};

#[derive(Debug, Clone, Deserialize)]
pub struct Environment {
    pub display_config: DisplayConfig,
    #[serde(default)]
    pub user_settings: UserSettings,
}

#[derive(Debug, Clone, Default, Deserialize)]
pub struct UserSettings {
    /// `oauth_<provider>` → its settings.
    #[serde(default)]
    pub social: std::collections::BTreeMap<String, Social>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct Social {
    #[serde(default)]
    pub enabled: bool,
}

impl Environment {
    /// The social providers switched on in this instance (`google`, `github`, …).
    pub fn enabled_social(&self) -> Vec<String> {
        self.user_settings
            .social
            .iter()
            .filter(|(_, s)| s.enabled)
            .filter_map(|(k, _)| k.strip_prefix("oauth_").map(str::to_string))
            .collect()
    }
}

#[derive(Debug, Clone, Deserialize)]
pub struct DisplayConfig {
    pub instance_environment_type: String,
    pub home_url: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FrontendError {
    Probe(ProbeError),
    /// Answered, but not 200 (a retired or unbound domain answers 403).
    Status(u16),
    BadJson(String),
}

impl std::fmt::Display for FrontendError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            FrontendError::Probe(p) => p.fmt(f),
            FrontendError::Status(s) => write!(f, "it answered HTTP {s}"),
            FrontendError::BadJson(e) => write!(
                f,
                "it answered with something Golive does not understand ({e})"
            ),
        }
    }
}

async fn get_json<T: serde::de::DeserializeOwned>(
    prober: &Prober,
    host: &str,
    path: &str,
    headers: &[(&str, &str)],
) -> Result<(T, CertInfo), FrontendError> {
    let resp = prober
        .get(host, path, headers)
        .await
        .map_err(FrontendError::Probe)?;
    if resp.status != 200 {
        return Err(FrontendError::Status(resp.status));
    }
    let value =
        serde_json::from_slice(&resp.body).map_err(|e| FrontendError::BadJson(e.to_string()))?;
    Ok((value, resp.cert))
}

/// `GET /v1/environment`, sent with the production origin as a browser on the site would.
pub async fn environment(
    prober: &Prober,
    host: &str,
    origin: &str,
) -> Result<(Environment, CertInfo), FrontendError> {
    get_json(prober, host, "/v1/environment", &[("origin", origin)]).await
}

pub async fn jwks(prober: &Prober, host: &str) -> Result<Jwks, FrontendError> {
    Ok(get_json(prober, host, "/.well-known/jwks.json", &[])
        .await?
        .0)
}
