//! A project's domains: adding the production domain, and verifying it when Vercel asks
//! for proof of ownership (a `_vercel` TXT record).

use reqwest::Method;
use serde::{Deserialize, Serialize};
use serde_json::json;
use ts_rs::TS;

use super::Vercel;
use crate::error::Result;
use crate::http::seg;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct ProjectDomain {
    pub name: String,
    pub verified: bool,
    /// What to add when `verified` is false (usually a TXT at `_vercel.<apex>`).
    #[serde(default)]
    pub verification: Vec<Verification>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Verification {
    #[serde(rename = "type")]
    pub kind: String,
    pub domain: String,
    pub value: String,
    pub reason: String,
}

impl Vercel<'_> {
    /// The domain as the project has it; `None` when it is not on the project.
    pub async fn project_domain(
        &self,
        project: &str,
        domain: &str,
    ) -> Result<Option<ProjectDomain>> {
        match self
            .api
            .get(
                &format!("v9/projects/{}/domains/{}", seg(project)?, seg(domain)?),
                &[],
            )
            .await
        {
            Ok(d) => Ok(Some(d)),
            Err(e) if e.code() == "vercel_not_found" => Ok(None),
            Err(e) => Err(e),
        }
    }

    pub async fn add_domain(&self, project: &str, domain: &str) -> Result<ProjectDomain> {
        self.api
            .send(
                Method::POST,
                &format!("v10/projects/{}/domains", seg(project)?),
                &[],
                Some(&json!({ "name": domain })),
            )
            .await
    }

    pub async fn verify_domain(&self, project: &str, domain: &str) -> Result<ProjectDomain> {
        self.api
            .send(
                Method::POST,
                &format!(
                    "v9/projects/{}/domains/{}/verify",
                    seg(project)?,
                    seg(domain)?
                ),
                &[],
                None,
            )
            .await
    }
}
