//! A project's environment variables: read (decrypted where Vercel allows), created and
//! edited one at a time. Never deleted.

use reqwest::Method;
use serde::{Deserialize, Deserializer, Serialize};
use serde_json::{json, Value};
use ts_rs::TS;

use super::Vercel;
use crate::error::Result;
use crate::http::seg;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct EnvVar {
    pub id: String,
    pub key: String,
    /// Empty when Vercel does not give it back (sensitive variables).
    #[serde(default, skip_serializing)]
    #[ts(skip)]
    pub value: String,
    #[serde(rename = "type")]
    pub kind: String,
    #[serde(default, deserialize_with = "one_or_many")]
    pub target: Vec<String>,
    #[serde(default)]
    #[ts(optional)]
    pub git_branch: Option<String>,
    #[serde(default)]
    #[ts(optional)]
    pub comment: Option<String>,
    #[serde(default)]
    #[ts(optional)]
    pub updated_at: Option<f64>,
    #[serde(default)]
    pub custom_environment_ids: Vec<String>,
}

/// Vercel gives `target` as one string or a list.
fn one_or_many<'de, D: Deserializer<'de>>(d: D) -> std::result::Result<Vec<String>, D::Error> {
    Ok(match Option::<Value>::deserialize(d)? {
        Some(Value::String(s)) => vec![s],
        Some(Value::Array(a)) => a
            .into_iter()
            .filter_map(|v| v.as_str().map(str::to_string))
            .collect(),
        _ => vec![],
    })
}

#[derive(Debug, Deserialize)]
struct EnvList {
    envs: Vec<EnvVar>,
}

#[derive(Debug, Deserialize)]
struct Created {
    #[serde(default)]
    failed: Vec<Failed>,
}

#[derive(Debug, Deserialize)]
struct Failed {
    error: FailedError,
}

#[derive(Debug, Deserialize)]
struct FailedError {
    #[serde(default)]
    message: String,
}

impl Vercel<'_> {
    /// Every variable of the project, with values decrypted where Vercel returns them.
    pub async fn env(&self, project: &str) -> Result<Vec<EnvVar>> {
        Ok(self
            .api
            .get::<EnvList>(
                &format!("v10/projects/{}/env", seg(project)?),
                &[("decrypt", "true")],
            )
            .await?
            .envs)
    }

    /// Creates one variable. A 201 may still list it under `failed`: that is an error.
    pub async fn create_env(
        &self,
        project: &str,
        key: &str,
        value: &str,
        kind: &str,
        target: &[&str],
        comment: &str,
    ) -> Result<()> {
        let body = json!({"key": key, "value": value, "type": kind, "target": target,
                          "comment": comment});
        let created: Created = self
            .api
            .send_holding(
                Method::POST,
                &format!("v10/projects/{}/env", seg(project)?),
                &[],
                Some(&body),
                &[value],
            )
            .await?;
        match created.failed.first() {
            None => Ok(()),
            // Vercel's words may quote the value it was sent.
            Some(f) => Err(self.api.redactor(&[value]).error(super::VENDOR.error(
                "vercel_env_failed",
                format!("Vercel did not create {key}: {}", f.error.message),
            ))),
        }
    }

    /// Changes some fields of one variable (`{"target": …}` or `{"value": …}`).
    pub async fn edit_env(&self, project: &str, id: &str, changes: &Value) -> Result<()> {
        let sent: Vec<&str> = changes["value"].as_str().into_iter().collect();
        self.api
            .send_holding::<Value>(
                Method::PATCH,
                &format!("v9/projects/{}/env/{}", seg(project)?, seg(id)?),
                &[],
                Some(changes),
                &sent,
            )
            .await
            .map(drop)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn targets_come_as_a_string_or_a_list() {
        let one: EnvVar = serde_json::from_value(json!({"id": "e1", "key": "K", "value": "v",
            "type": "plain", "target": "production"}))
        .unwrap();
        assert_eq!(one.target, ["production"]);
        let many: EnvVar = serde_json::from_value(json!({"id": "e2", "key": "K", "value": "",
            "type": "sensitive", "target": ["preview", "development"]}))
        .unwrap();
        assert_eq!(many.target, ["preview", "development"]);
        // The value never crosses IPC, even where Vercel gave it.
        assert!(!serde_json::to_string(&one).unwrap().contains("\"value\""));
    }
}
