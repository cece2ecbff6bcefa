//! Deployments: the project's current production deployment, a redeploy of it, and its
//! progress until it is ready (or failed).

use reqwest::Method;
use serde::{Deserialize, Deserializer, Serialize};
use serde_json::{json, Value};
use ts_rs::TS;

use super::Vercel;
use crate::error::Result;
use crate::http::seg;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct Deployment {
    #[serde(alias = "uid")]
    pub id: String,
    pub url: String,
    /// QUEUED, INITIALIZING, BUILDING, READY, ERROR, CANCELED (and BLOCKED, DELETED).
    #[serde(alias = "state")]
    pub ready_state: String,
    /// Vercel sends a boolean or a timestamp.
    #[serde(default, deserialize_with = "truthy")]
    pub alias_assigned: bool,
    #[serde(default)]
    #[ts(optional)]
    pub alias_error: Option<AliasError>,
    #[serde(default)]
    #[ts(optional)]
    pub inspector_url: Option<String>,
    #[serde(alias = "created")]
    pub created_at: f64,
    #[serde(default)]
    #[ts(optional)]
    pub error_message: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct AliasError {
    pub code: String,
    pub message: String,
}

fn truthy<'de, D: Deserializer<'de>>(d: D) -> std::result::Result<bool, D::Error> {
    Ok(match Option::<Value>::deserialize(d)? {
        Some(Value::Bool(b)) => b,
        Some(Value::Number(_)) => true,
        _ => false,
    })
}

impl Deployment {
    pub fn failed(&self) -> bool {
        // DEACTIVATED and `…_FAILED` are Render's.
        matches!(
            self.ready_state.as_str(),
            "ERROR" | "CANCELED" | "DELETED" | "DEACTIVATED"
        ) || self.ready_state.ends_with("_ERROR")
            || self.ready_state.ends_with("_FAILED")
            || self.alias_error.is_some()
    }

    /// Ready and serving the production domains (LIVE is Render's word).
    pub fn live(&self) -> bool {
        matches!(self.ready_state.as_str(), "READY" | "LIVE") && self.alias_assigned
    }
}

#[derive(Debug, Deserialize)]
struct ProjectTargets {
    #[serde(default)]
    targets: std::collections::HashMap<String, Option<TargetDeployment>>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct TargetDeployment {
    id: String,
}

#[derive(Debug, Deserialize)]
struct DeploymentList {
    deployments: Vec<Deployment>,
}

impl Vercel<'_> {
    /// The project's newest production deployment, if any.
    pub async fn production_deployment(&self, project: &str) -> Result<Option<Deployment>> {
        let p: ProjectTargets = self
            .api
            .get(&format!("v9/projects/{}", seg(project)?), &[])
            .await?;
        if let Some(Some(t)) = p.targets.get("production") {
            return self.deployment(&t.id).await.map(Some);
        }
        let list: DeploymentList = self
            .api
            .get(
                "v6/deployments",
                &[
                    ("projectId", project),
                    ("target", "production"),
                    ("limit", "1"),
                ],
            )
            .await?;
        Ok(list.deployments.into_iter().next())
    }

    pub async fn deployment(&self, id: &str) -> Result<Deployment> {
        self.api
            .get(&format!("v13/deployments/{}", seg(id)?), &[])
            .await
    }

    /// Rebuilds `deployment` for production, as `vercel redeploy` does.
    pub async fn redeploy(&self, name: &str, deployment: &str) -> Result<Deployment> {
        let body = json!({"name": name, "deploymentId": deployment, "target": "production",
                          "meta": {"action": "redeploy"}});
        self.api
            .send(
                Method::POST,
                "v13/deployments",
                &[("forceNew", "1")],
                Some(&body),
            )
            .await
    }
}
