//! Cloudflare Workers (`/accounts/{account}/workers/…`): a script's bindings (its plain
//! variables and the names of its secrets), its secrets, its custom domains and its
//! deployments. Shapes: tests/fixtures/specs/cloudflare-workers.json — the custom domains and
//! deployments cut from Cloudflare's OpenAPI schema; the settings and secrets endpoints, which
//! that cut (2024-08) lacks, from cloudflare-go v6.6.0 (`workers/scriptscriptandversionsetting.go`,
//! `workers/scriptsecret.go`, commit 16ae7fd5).

use reqwest::Method;
use serde::Deserialize;
use serde_json::{json, Value};

use super::Cloudflare;
use crate::error::Result;
use crate::http::seg;

/// One binding of the script: `plain_text` has its `text`; a `secret_text` only its name.
#[derive(Debug, Clone, Deserialize)]
pub struct Binding {
    pub name: String,
    #[serde(rename = "type")]
    pub kind: String,
    #[serde(default)]
    pub text: Option<String>,
}

#[derive(Debug, Clone, Deserialize)]
struct Settings {
    #[serde(default)]
    bindings: Vec<Binding>,
}

/// A Worker custom domain: `hostname` served by `service` (the script) in `environment`.
#[derive(Debug, Clone, Deserialize)]
pub struct WorkerDomain {
    pub hostname: String,
    #[serde(default)]
    pub service: String,
}

#[derive(Debug, Clone, Deserialize)]
pub struct WorkerDeployment {
    pub id: String,
    #[serde(default)]
    pub created_on: Option<String>,
}

#[derive(Debug, Clone, Deserialize)]
struct Deployments {
    #[serde(default)]
    deployments: Vec<WorkerDeployment>,
}

impl Cloudflare<'_> {
    fn script_path(account: &str, script: &str) -> Result<String> {
        Ok(format!(
            "accounts/{}/workers/scripts/{}",
            seg(account)?,
            seg(script)?
        ))
    }

    /// The script's bindings, as its production settings have them.
    pub async fn worker_bindings(&self, account: &str, script: &str) -> Result<Vec<Binding>> {
        let path = format!("{}/settings", Self::script_path(account, script)?);
        let s: Settings = self.get(&path, &[]).await?.result;
        Ok(s.bindings)
    }

    /// Sets a secret (a new one, or a new value); Cloudflare deploys it at once.
    pub async fn put_worker_secret(
        &self,
        account: &str,
        script: &str,
        name: &str,
        text: &str,
    ) -> Result<()> {
        let path = format!("{}/secrets", Self::script_path(account, script)?);
        let body = json!({"name": name, "text": text, "type": "secret_text"});
        self.send_holding::<Value>(Method::PUT, &path, Some(body), &[text])
            .await
            .map(drop)
    }

    /// Removes a secret: only ever a marker Golive set before (see `hosting::cloudflare_workers`).
    pub async fn delete_worker_secret(
        &self,
        account: &str,
        script: &str,
        name: &str,
    ) -> Result<()> {
        let path = format!(
            "{}/secrets/{}",
            Self::script_path(account, script)?,
            seg(name)?
        );
        self.send::<Value>(Method::DELETE, &path, None)
            .await
            .map(drop)
    }

    /// The account's Worker custom domains for `hostname`, whichever script serves them.
    pub async fn worker_domains(&self, account: &str, hostname: &str) -> Result<Vec<WorkerDomain>> {
        let path = format!("accounts/{}/workers/domains", seg(account)?);
        Ok(self.get(&path, &[("hostname", hostname)]).await?.result)
    }

    /// Attaches `hostname` (in zone `zone_id`) to the script's production environment.
    pub async fn attach_worker_domain(
        &self,
        account: &str,
        script: &str,
        zone_id: &str,
        hostname: &str,
    ) -> Result<()> {
        let path = format!("accounts/{}/workers/domains", seg(account)?);
        let body = json!({"zone_id": zone_id, "hostname": hostname, "service": script,
                          "environment": "production"});
        self.send::<Value>(Method::PUT, &path, Some(body))
            .await
            .map(drop)
    }

    /// The newest deployment of the script.
    pub async fn worker_deployment(
        &self,
        account: &str,
        script: &str,
    ) -> Result<Option<WorkerDeployment>> {
        let path = format!("{}/deployments", Self::script_path(account, script)?);
        let d: Deployments = self.get(&path, &[]).await?.result;
        Ok(d.deployments
            .into_iter()
            .max_by(|a, b| a.created_on.cmp(&b.created_on)))
    }
}
