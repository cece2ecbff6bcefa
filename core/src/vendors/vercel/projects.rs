//! Vercel projects: finding the one to launch, and what Vercel wants for its domain.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::Vercel;
use crate::error::Result;
use crate::http::seg;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct VercelProject {
    pub id: String,
    pub name: String,
    #[serde(default)]
    #[ts(optional)]
    pub framework: Option<String>,
}

/// One page of projects; `next` continues the listing.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
pub struct ProjectPage {
    pub projects: Vec<VercelProject>,
    #[ts(optional)]
    pub next: Option<String>,
}

#[derive(Debug, Deserialize)]
struct ProjectList {
    projects: Vec<VercelProject>,
    pagination: Pagination,
}

/// `next` is a continuation token (string) or, in the older form, a timestamp (number).
#[derive(Debug, Deserialize)]
struct Pagination {
    next: Option<serde_json::Value>,
}

/// `GET /v6/domains/{domain}/config`: how Vercel sees the domain's DNS, and what it wants.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DomainConfig {
    #[serde(default)]
    pub configured_by: Option<String>,
    #[serde(default, rename = "recommendedIPv4")]
    pub recommended_ipv4: Vec<RankedIps>,
    #[serde(default, rename = "recommendedCNAME")]
    pub recommended_cname: Vec<RankedName>,
    pub misconfigured: bool,
}

#[derive(Debug, Clone, Deserialize)]
pub struct RankedIps {
    pub rank: f64,
    pub value: Vec<String>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct RankedName {
    pub rank: f64,
    pub value: String,
}

impl DomainConfig {
    /// The preferred apex address (rank 1; one is enough).
    pub fn apex_ip(&self) -> Option<String> {
        best(
            self.recommended_ipv4
                .iter()
                .map(|r| (r.rank, r.value.first())),
        )
        .map(|v| v.to_string())
    }

    /// Every address Vercel recommends, at any rank (older ones still serve).
    pub fn all_ips(&self) -> Vec<String> {
        self.recommended_ipv4
            .iter()
            .flat_map(|r| r.value.iter().cloned())
            .collect()
    }

    /// The preferred CNAME target (rank 1), without the trailing dot.
    pub fn cname(&self) -> Option<String> {
        best(
            self.recommended_cname
                .iter()
                .map(|r| (r.rank, Some(&r.value))),
        )
        .map(|v| v.trim_end_matches('.').to_ascii_lowercase())
    }
}

fn best<'v>(ranked: impl Iterator<Item = (f64, Option<&'v String>)>) -> Option<&'v String> {
    ranked
        .filter_map(|(rank, v)| v.map(|v| (rank, v)))
        .min_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, v)| v)
}

impl Vercel<'_> {
    /// Projects whose name contains `search`, 20 at a time, most recently updated first.
    pub async fn projects(&self, search: &str, from: Option<&str>) -> Result<ProjectPage> {
        let mut query = vec![("limit", "20")];
        if !search.trim().is_empty() {
            query.push(("search", search.trim()));
        }
        if let Some(from) = from {
            query.push(("from", from));
        }
        let list: ProjectList = self.api.get("v10/projects", &query).await?;
        Ok(ProjectPage {
            projects: list.projects,
            next: match list.pagination.next {
                Some(serde_json::Value::String(token)) => Some(token),
                Some(serde_json::Value::Number(n)) => Some(n.to_string()),
                _ => None,
            },
        })
    }

    /// Vercel's view of `domain` for `project` (the recommendations are per project).
    pub async fn domain_config(&self, domain: &str, project: &str) -> Result<DomainConfig> {
        self.api
            .get(
                &format!("v6/domains/{}/config", seg(domain)?),
                &[("projectIdOrName", project)],
            )
            .await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rank_one_wins_whatever_the_order() {
        let c: DomainConfig = serde_json::from_value(serde_json::json!({
            "configuredBy": null,
            "acceptedChallenges": ["http-01"],
            "recommendedIPv4": [{"rank": 2, "value": ["76.76.21.21"]}, {"rank": 1, "value": ["216.198.79.1"]}],
            "recommendedCNAME": [{"rank": 2, "value": "cname.vercel-dns.com."}, {"rank": 1, "value": "ABC.vercel-dns-017.com."}],
            "misconfigured": true
        }))
        .unwrap();
        assert_eq!(c.apex_ip().as_deref(), Some("216.198.79.1"));
        assert_eq!(c.cname().as_deref(), Some("abc.vercel-dns-017.com"));
        assert_eq!(c.all_ips(), ["76.76.21.21", "216.198.79.1"]);
    }
}
