//! Clerk Platform API (`/v1/platform`, private beta), authenticated with a platform key
//! (`ak_…`). Shapes follow `clerk-platform-beta.yml` (tests/fixtures/specs/clerk-platform.json).

use std::collections::BTreeMap;

use reqwest::Method;
use serde::{Deserialize, Serialize};
use serde_json::json;
use ts_rs::TS;
use url::Url;

use super::{api, KeyKind};
use crate::error::Result;
use crate::http::{seg, Api, Http};
use crate::secrets::Secret;

#[derive(Debug, Clone, Deserialize)]
pub struct Application {
    pub application_id: String,
    pub name: String,
    pub instances: Vec<AppInstance>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct AppInstance {
    pub instance_id: String,
    pub environment_type: String,
    #[serde(default)]
    pub secret_key: Option<Secret>,
    #[serde(default)]
    pub publishable_key: Option<String>,
}

impl Application {
    pub fn instance(&self, environment: &str) -> Option<&AppInstance> {
        self.instances
            .iter()
            .find(|i| i.environment_type == environment)
    }
}

#[derive(Debug, Clone, Deserialize)]
pub struct CreatedInstance {
    pub id: String,
    pub active_domain: PlatformDomain,
    pub secret_key: Secret,
    pub publishable_key: String,
}

/// A DNS record Clerk wants, as `cname_targets` lists it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct CnameTarget {
    pub host: String,
    pub value: String,
    pub required: bool,
}

#[derive(Debug, Clone, Deserialize)]
pub struct PlatformDomain {
    pub id: String,
    pub name: String,
    #[serde(default)]
    pub frontend_api_url: Option<String>,
    #[serde(default)]
    pub cname_targets: Vec<CnameTarget>,
    #[serde(default)]
    pub application: Option<ObjectRef>,
    #[serde(default)]
    pub instance: Option<InstanceRef>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct ObjectRef {
    pub id: String,
}

#[derive(Debug, Clone, Deserialize)]
pub struct InstanceRef {
    pub id: String,
    pub environment_type: String,
}

#[derive(Debug, Deserialize)]
struct DomainList {
    data: Vec<PlatformDomain>,
}

/// A hint Clerk attaches to a failing part of the domain (e.g. "CNAME points elsewhere").
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct FailureHint {
    pub code: String,
    pub message: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct CnameStatus {
    pub from: String,
    pub to: String,
    #[serde(default)]
    pub actual: Vec<String>,
    pub verified: bool,
    pub required: bool,
    #[serde(default, deserialize_with = "null_as_empty")]
    pub failure_hints: Vec<FailureHint>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct PartStatus {
    pub status: String,
    #[serde(default, deserialize_with = "null_as_empty")]
    pub failure_hints: Vec<FailureHint>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct DnsStatus {
    pub status: String,
    pub cnames: BTreeMap<String, CnameStatus>,
}

/// Clerk's own view of the domain: DNS, certificates and mail, each with its hints.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct DomainStatus {
    pub status: String,
    pub dns: DnsStatus,
    pub ssl: PartStatus,
    #[ts(optional)]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mail: Option<PartStatus>,
    /// The Frontend API proxy's part, for domains that use one.
    #[ts(optional)]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub proxy: Option<ProxyStatus>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct ProxyStatus {
    pub status: String,
    pub required: bool,
}

fn null_as_empty<'de, D, T>(d: D) -> std::result::Result<Vec<T>, D::Error>
where
    D: serde::Deserializer<'de>,
    T: Deserialize<'de>,
{
    Ok(Option::<Vec<T>>::deserialize(d)?.unwrap_or_default())
}

pub struct Platform<'a> {
    api: Api<'a>,
}

impl<'a> Platform<'a> {
    pub fn new(http: &'a Http, base: &'a Url, platform_key: &'a Secret) -> Self {
        Platform {
            api: api(http, base, platform_key, KeyKind::Platform),
        }
    }

    pub async fn applications(&self) -> Result<Vec<Application>> {
        self.api.get("v1/platform/applications", &[]).await
    }

    /// With the instances' keys: the only way to adopt an existing production instance.
    pub async fn application_with_keys(&self, app_id: &str) -> Result<Application> {
        self.api
            .get(
                &format!(
                    "v1/platform/applications/{}?include_secret_keys=true",
                    seg(app_id)?
                ),
                &[],
            )
            .await
    }

    pub async fn create_production_instance(
        &self,
        app_id: &str,
        domain: &str,
        clone_instance_id: Option<&str>,
    ) -> Result<CreatedInstance> {
        let body = json!({
            "domain": domain,
            "environment_type": "production",
            "clone_instance_id": clone_instance_id,
        });
        self.api
            .send(
                Method::POST,
                &format!("v1/platform/applications/{}/instances", seg(app_id)?),
                &[],
                Some(&body),
            )
            .await
    }

    pub async fn domains(&self, app_id: &str) -> Result<Vec<PlatformDomain>> {
        let list: DomainList = self
            .api
            .get(
                &format!("v1/platform/applications/{}/domains", seg(app_id)?),
                &[],
            )
            .await?;
        Ok(list.data)
    }

    /// Workspace-wide lookup by name: tells which application a domain belongs to.
    pub async fn domain(&self, name: &str) -> Result<PlatformDomain> {
        self.api
            .get(&format!("v1/platform/domains/{}", seg(name)?), &[])
            .await
    }

    pub async fn domain_status(&self, app_id: &str, domain: &str) -> Result<DomainStatus> {
        self.api
            .get(
                &format!(
                    "v1/platform/applications/{}/domains/{}/status",
                    seg(app_id)?,
                    seg(domain)?
                ),
                &[],
            )
            .await
    }

    /// Asks Clerk to re-check DNS now. A check already running (409) is not an error:
    /// the current status is returned instead.
    pub async fn dns_check(&self, app_id: &str, domain: &str) -> Result<DomainStatus> {
        let path = format!(
            "v1/platform/applications/{}/domains/{}/dns_check",
            seg(app_id)?,
            seg(domain)?
        );
        match self.api.send(Method::POST, &path, &[], None).await {
            Err(e) if e.code() == "clerk_conflict" => self.domain_status(app_id, domain).await,
            other => other,
        }
    }
}

impl Platform<'_> {
    /// Turns on a social connection in the production instance with the app's own
    /// credentials (`connection_oauth_<provider>`). Clerk answers 422 when it refuses them.
    pub async fn set_oauth_connection(
        &self,
        app_id: &str,
        provider: &str,
        client_id: &str,
        client_secret: &Secret,
    ) -> Result<()> {
        let body = json!({ format!("connection_oauth_{provider}"): {
            "enabled": true, "client_id": client_id, "client_secret": client_secret.expose()
        }});
        self.api
            .send_holding::<serde_json::Value>(
                Method::PATCH,
                &format!(
                    "v1/platform/applications/{}/instances/production/config",
                    seg(app_id)?
                ),
                &[],
                Some(&body),
                &[client_secret.expose()],
            )
            .await
            .map(drop)
    }
}
