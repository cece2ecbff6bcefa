//! Cloudflare Pages (`/accounts/{account}/pages/projects/{project}`): the project and its
//! environment variables per environment (`deployment_configs.production` and `.preview`,
//! each `{KEY: {type: plain_text | secret_text, value}}`), its custom domains with their
//! validation, and its deployments. Shapes: tests/fixtures/specs/cloudflare-pages.json, cut
//! from Cloudflare's OpenAPI schema (../shared/vendor-specs/cloudflare-pages-workers-subset.json);
//! the domain's fields, untyped there, are cloudflare-go v6's `pages/projectdomain.go`.

use std::collections::BTreeMap;

use reqwest::Method;
use serde::Deserialize;
use serde_json::{json, Map, Value};

use super::Cloudflare;
use crate::error::Result;
use crate::http::seg;

#[derive(Debug, Clone, Deserialize)]
pub struct PagesProject {
    pub name: String,
    /// `<name>.pages.dev` (or with a suffix Cloudflare adds when the name was taken).
    #[serde(default)]
    pub subdomain: String,
    #[serde(default)]
    pub production_branch: Option<String>,
    #[serde(default)]
    pub deployment_configs: DeploymentConfigs,
    /// The production deployment serving the project's domains.
    #[serde(default)]
    pub canonical_deployment: Option<PagesDeployment>,
    /// Where its builds come from: a repository (`{type: github | gitlab, …}`), or nothing for
    /// a project uploaded directly (`wrangler pages deploy`), which Cloudflare cannot rebuild.
    #[serde(default)]
    pub source: Option<Value>,
}

#[derive(Debug, Clone, Default, Deserialize)]
pub struct DeploymentConfigs {
    #[serde(default)]
    pub production: EnvConfig,
    #[serde(default)]
    pub preview: EnvConfig,
}

#[derive(Debug, Clone, Default, Deserialize)]
pub struct EnvConfig {
    /// `null` where none is set.
    #[serde(default)]
    pub env_vars: Option<BTreeMap<String, PagesVar>>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct PagesVar {
    #[serde(rename = "type", default)]
    pub kind: Option<String>,
    /// Empty (or absent) for a `secret_text`: Cloudflare never gives it back.
    #[serde(default)]
    pub value: Option<String>,
}

impl PagesVar {
    pub fn secret(&self) -> bool {
        self.kind.as_deref() == Some("secret_text")
    }
}

/// A custom domain (`pages/projectdomain.go`): `status` is `initializing`, `pending`,
/// `active`, `deactivated`, `blocked` or `error`; `validation_data` says how Cloudflare
/// proves it (an HTTP check or a TXT record) and how far it got.
#[derive(Debug, Clone, Deserialize)]
pub struct PagesDomain {
    pub name: String,
    #[serde(default)]
    pub status: String,
    #[serde(default)]
    pub validation_data: Option<Validation>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct Validation {
    #[serde(default)]
    pub error_message: Option<String>,
    #[serde(default)]
    pub txt_name: Option<String>,
    #[serde(default)]
    pub txt_value: Option<String>,
}

/// A deployment; its progress is its `latest_stage` (`queued`, `initialize`, `clone_repo`,
/// `build`, `deploy`; each `idle`, `active`, `success`, `failure` or `canceled`).
#[derive(Debug, Clone, Deserialize)]
pub struct PagesDeployment {
    pub id: String,
    #[serde(default)]
    pub url: Option<String>,
    #[serde(default)]
    pub created_on: Option<String>,
    #[serde(default)]
    pub latest_stage: Option<Stage>,
    /// The variables it was built with (a secret's value left out).
    #[serde(default)]
    pub env_vars: Option<BTreeMap<String, PagesVar>>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct Stage {
    pub name: String,
    pub status: String,
}

impl Cloudflare<'_> {
    fn project_path(account: &str, project: &str) -> Result<String> {
        Ok(format!(
            "accounts/{}/pages/projects/{}",
            seg(account)?,
            seg(project)?
        ))
    }

    pub async fn pages_project(&self, account: &str, project: &str) -> Result<PagesProject> {
        Ok(self
            .get(&Self::project_path(account, project)?, &[])
            .await?
            .result)
    }

    /// Sets production's variables named in `vars` (one request: Cloudflare merges the
    /// keys given into the environment's and keeps the others).
    pub async fn set_production_vars(
        &self,
        account: &str,
        project: &str,
        vars: &[(&str, &str, bool)],
    ) -> Result<()> {
        let mut env = Map::new();
        for (key, value, secret) in vars {
            let kind = if *secret { "secret_text" } else { "plain_text" };
            env.insert(key.to_string(), json!({"type": kind, "value": value}));
        }
        let body = json!({"deployment_configs": {"production": {"env_vars": env}}});
        let sent: Vec<&str> = vars.iter().map(|(_, v, _)| *v).collect();
        self.send_holding::<Value>(
            Method::PATCH,
            &Self::project_path(account, project)?,
            Some(body),
            &sent,
        )
        .await
        .map(drop)
    }

    /// The domain on the project; `None` while it is not (Cloudflare answers 404).
    pub async fn pages_domain(
        &self,
        account: &str,
        project: &str,
        domain: &str,
    ) -> Result<Option<PagesDomain>> {
        let path = format!(
            "{}/domains/{}",
            Self::project_path(account, project)?,
            seg(domain)?
        );
        match self.get(&path, &[]).await {
            Ok(env) => Ok(Some(env.result)),
            Err(e) if e.code() == "cloudflare_not_found" => Ok(None),
            Err(e) => Err(e),
        }
    }

    pub async fn add_pages_domain(&self, account: &str, project: &str, domain: &str) -> Result<()> {
        let path = format!("{}/domains", Self::project_path(account, project)?);
        self.send::<Value>(Method::POST, &path, Some(json!({ "name": domain })))
            .await
            .map(drop)
    }

    /// Asks Cloudflare to validate the domain again.
    pub async fn retry_pages_domain(
        &self,
        account: &str,
        project: &str,
        domain: &str,
    ) -> Result<()> {
        let path = format!(
            "{}/domains/{}",
            Self::project_path(account, project)?,
            seg(domain)?
        );
        self.send::<Value>(Method::PATCH, &path, Some(json!({})))
            .await
            .map(drop)
    }

    /// The newest production deployment, whatever its state (the list is newest first).
    pub async fn pages_production_deployment(
        &self,
        account: &str,
        project: &str,
    ) -> Result<Option<PagesDeployment>> {
        let path = format!("{}/deployments", Self::project_path(account, project)?);
        let list: Vec<PagesDeployment> = self.get(&path, &[("env", "production")]).await?.result;
        Ok(list.into_iter().next())
    }

    pub async fn pages_deployment(
        &self,
        account: &str,
        project: &str,
        id: &str,
    ) -> Result<PagesDeployment> {
        let path = format!(
            "{}/deployments/{}",
            Self::project_path(account, project)?,
            seg(id)?
        );
        Ok(self.get(&path, &[]).await?.result)
    }

    /// Builds a production deployment again, from its commit and with the project's current
    /// variables (`retry`: a JSON call, where a new deployment takes a multipart form).
    pub async fn retry_pages_deployment(
        &self,
        account: &str,
        project: &str,
        id: &str,
    ) -> Result<PagesDeployment> {
        let path = format!(
            "{}/deployments/{}/retry",
            Self::project_path(account, project)?,
            seg(id)?
        );
        self.send(Method::POST, &path, Some(json!({}))).await
    }
}
