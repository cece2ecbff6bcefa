//! A service's environment variables: one flat set, `{key, value}`, values shown in plain
//! text — no deploy contexts, no secret flag. Golive adds or updates one variable at a time
//! (`PUT …/env-vars/{key}`), never the "replace all" `PUT …/env-vars`, and never deletes.
//! Variables of a linked environment group are not listed here.

use reqwest::Method;
use serde::Deserialize;
use serde_json::{json, Value};

use super::Render;
use crate::error::Result;
use crate::http::seg;

#[derive(Debug, Clone, Deserialize)]
pub struct RenderVar {
    pub key: String,
    #[serde(default)]
    pub value: String,
}

impl Render<'_> {
    pub async fn env(&self, service: &str) -> Result<Vec<RenderVar>> {
        self.all(
            &format!("services/{}/env-vars", seg(service)?),
            &[],
            "envVar",
        )
        .await
    }

    /// Adds or updates one variable.
    pub async fn set_env(&self, service: &str, key: &str, value: &str) -> Result<()> {
        self.api
            .send_holding::<Value>(
                Method::PUT,
                &format!("services/{}/env-vars/{}", seg(service)?, seg(key)?),
                &[],
                Some(&json!({ "value": value })),
                &[value],
            )
            .await
            .map(drop)
    }
}
