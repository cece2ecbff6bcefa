//! Deploys: the service's newest one, a new one (from the latest commit of its branch), and
//! one's status as it moves (`created`, `queued`, `build_in_progress`,
//! `update_in_progress`, `pre_deploy_in_progress`, … `live`, or `build_failed`,
//! `update_failed`, `pre_deploy_failed`, `canceled`, `deactivated`).

use reqwest::Method;
use serde::Deserialize;
use serde_json::{json, Value};

use super::{unwrap, Render};
use crate::error::Result;
use crate::http::seg;

#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RenderDeploy {
    pub id: String,
    #[serde(default)]
    pub status: Option<String>,
    #[serde(default)]
    pub created_at: Option<String>,
}

impl Render<'_> {
    /// The service's newest deploy, whatever its status (Render lists newest first).
    pub async fn newest_deploy(&self, service: &str) -> Result<Option<RenderDeploy>> {
        let mut page: Vec<Value> = self
            .api
            .get(
                &format!("services/{}/deploys", seg(service)?),
                &[("limit", "1")],
            )
            .await?;
        match page.first_mut() {
            Some(w) => unwrap(w, "deploy").map(Some),
            None => Ok(None),
        }
    }

    pub async fn deploy(&self, service: &str, id: &str) -> Result<RenderDeploy> {
        self.api
            .get(
                &format!("services/{}/deploys/{}", seg(service)?, seg(id)?),
                &[],
            )
            .await
    }

    /// Starts a deploy of the branch's latest commit, the build cache kept. Render answers
    /// 201 with the deploy, or 202 ("queued") with no body: then the deploy is the newest.
    pub async fn create_deploy(&self, service: &str) -> Result<Option<RenderDeploy>> {
        let answer: Value = self
            .api
            .send(
                Method::POST,
                &format!("services/{}/deploys", seg(service)?),
                &[],
                Some(&json!({ "clearCache": "do_not_clear" })),
            )
            .await?;
        if answer.get("id").is_none() {
            return Ok(None);
        }
        let mut answer = json!({ "deploy": answer });
        unwrap(&mut answer, "deploy").map(Some)
    }
}
