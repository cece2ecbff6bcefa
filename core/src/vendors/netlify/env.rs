//! A site's environment variables. Netlify keeps one variable per key, holding a value per
//! deploy context (`production`, `deploy-preview`, `branch-deploy`, `dev`, `dev-server`, or
//! one branch), or a single value for `all` of them. A variable marked `is_secret` has
//! write-only values (Netlify's Secrets Controller: only code on Netlify reads them) and
//! cannot use `all`. Golive reads, creates and changes values; it never deletes one.
//! Scopes are never sent: Netlify refuses specific scopes below the Pro plan ("Upgrade your
//! Netlify account to set specific scopes"), and leaving them out keeps every scope.

use reqwest::Method;
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

use super::Netlify;
use crate::error::Result;
use crate::http::seg;

#[derive(Debug, Clone, Deserialize)]
pub struct NetlifyVar {
    pub key: String,
    #[serde(default)]
    pub is_secret: bool,
    #[serde(default)]
    pub values: Vec<NetlifyValue>,
    #[serde(default)]
    pub updated_at: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct NetlifyValue {
    #[serde(default, skip_serializing)]
    pub id: String,
    #[serde(default)]
    pub value: String,
    pub context: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub context_parameter: Option<String>,
}

impl Netlify<'_> {
    fn env_path(account: &str, key: Option<&str>) -> Result<String> {
        Ok(match key {
            None => format!("accounts/{}/env", seg(account)?),
            Some(key) => format!("accounts/{}/env/{}", seg(account)?, seg(key)?),
        })
    }

    /// Every variable set on the site (not the team's shared ones), through `getEnvVars`
    /// with `site_id`: the spec's site-level path has `/api/v1` twice (see the subset's notes).
    pub async fn env(&self, account: &str, site: &str) -> Result<Vec<NetlifyVar>> {
        self.api
            .get(&Self::env_path(account, None)?, &[("site_id", site)])
            .await
    }

    pub async fn env_var(&self, account: &str, site: &str, key: &str) -> Result<NetlifyVar> {
        self.api
            .get(&Self::env_path(account, Some(key))?, &[("site_id", site)])
            .await
    }

    /// Creates a variable with one value, for `context`.
    pub async fn create_env(
        &self,
        account: &str,
        site: &str,
        key: &str,
        value: &str,
        context: &str,
        secret: bool,
    ) -> Result<()> {
        let body = json!([{"key": key, "is_secret": secret,
                           "values": [{"context": context, "value": value}]}]);
        self.api
            .send_holding::<Value>(
                Method::POST,
                &Self::env_path(account, None)?,
                &[("site_id", site)],
                Some(&body),
                &[value],
            )
            .await
            .map(drop)
    }

    /// Sets (or adds) the value of one context of an existing variable.
    pub async fn set_value(
        &self,
        account: &str,
        site: &str,
        key: &str,
        context: &str,
        value: &str,
    ) -> Result<()> {
        self.api
            .send_holding::<Value>(
                Method::PATCH,
                &Self::env_path(account, Some(key))?,
                &[("site_id", site)],
                Some(&json!({"context": context, "value": value})),
                &[value],
            )
            .await
            .map(drop)
    }

    /// Replaces every value of a variable at once (its secret flag kept as it is).
    pub async fn replace_values(
        &self,
        account: &str,
        site: &str,
        var: &NetlifyVar,
        values: &[NetlifyValue],
    ) -> Result<()> {
        let sent: Vec<&str> = values.iter().map(|v| v.value.as_str()).collect();
        let body = json!({"key": var.key, "is_secret": var.is_secret, "values": values});
        self.api
            .send_holding::<Value>(
                Method::PUT,
                &Self::env_path(account, Some(&var.key))?,
                &[("site_id", site)],
                Some(&body),
                &sent,
            )
            .await
            .map(drop)
    }
}
