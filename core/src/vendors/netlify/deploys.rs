//! Deploys: the site's newest production deploy, a new production build, and a deploy's
//! state as it moves (`new`, `enqueued`, `building`, `uploading`, `processing`, … `ready`
//! or `error`). A build made without a branch is a production build (the spec's
//! `createSiteBuild`); its `deploy_id` is the deploy to follow.

use reqwest::Method;
use serde::Deserialize;

use super::Netlify;
use crate::error::Result;
use crate::http::seg;

#[derive(Debug, Clone, Deserialize)]
pub struct NetlifyDeploy {
    pub id: String,
    #[serde(default)]
    pub state: String,
    #[serde(default)]
    pub ssl_url: Option<String>,
    #[serde(default)]
    pub deploy_ssl_url: Option<String>,
    /// The site's console address; its deploy's log is under `/deploys/<id>`.
    #[serde(default)]
    pub admin_url: Option<String>,
    #[serde(default)]
    pub error_message: Option<String>,
    #[serde(default)]
    pub created_at: Option<String>,
}

/// A build; its deploy is what is followed.
#[derive(Debug, Clone, Deserialize)]
pub struct Build {
    pub deploy_id: String,
}

impl Netlify<'_> {
    /// The site's newest production deploy, whatever its state.
    pub async fn production_deploy(&self, site: &str) -> Result<Option<NetlifyDeploy>> {
        let list: Vec<NetlifyDeploy> = self
            .api
            .get(
                &format!("sites/{}/deploys", seg(site)?),
                &[("production", "true"), ("per_page", "1")],
            )
            .await?;
        Ok(list.into_iter().next())
    }

    pub async fn deploy(&self, id: &str) -> Result<NetlifyDeploy> {
        self.api.get(&format!("deploys/{}", seg(id)?), &[]).await
    }

    /// Starts a production build from the site's repository.
    pub async fn build(&self, site: &str) -> Result<Build> {
        self.api
            .send(
                Method::POST,
                &format!("sites/{}/builds", seg(site)?),
                &[],
                None,
            )
            .await
    }
}
