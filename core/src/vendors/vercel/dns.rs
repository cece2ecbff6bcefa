//! Vercel DNS: the records of a domain whose nameservers are Vercel's (`serviceType ==
//! "zeit.world"`). Only creating and, when the user confirms one record, deleting it.

use serde::Deserialize;
use serde_json::json;

use super::Vercel;
use crate::error::Result;
use crate::http::seg;
use reqwest::Method;

#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DomainInfo {
    pub name: String,
    /// `zeit.world` when Vercel hosts the domain's DNS.
    pub service_type: String,
    #[serde(default)]
    pub nameservers: Vec<String>,
}

#[derive(Debug, Deserialize)]
struct DomainEnvelope {
    domain: DomainInfo,
}

impl DomainInfo {
    pub fn dns_at_vercel(&self) -> bool {
        self.service_type == "zeit.world"
    }
}

/// A record in a Vercel DNS zone; `name` is relative to the domain (`""` = the apex).
#[derive(Debug, Clone, Deserialize)]
pub struct VercelRecord {
    pub id: String,
    pub name: String,
    #[serde(rename = "type")]
    pub kind: String,
    pub value: String,
}

#[derive(Debug, Deserialize)]
struct RecordList {
    records: Vec<VercelRecord>,
}

#[derive(Debug, Deserialize)]
struct Created {
    uid: String,
}

impl Vercel<'_> {
    pub async fn domain_info(&self, domain: &str) -> Result<DomainInfo> {
        Ok(self
            .api
            .get::<DomainEnvelope>(&format!("v5/domains/{}", seg(domain)?), &[])
            .await?
            .domain)
    }

    pub async fn dns_records(&self, domain: &str) -> Result<Vec<VercelRecord>> {
        Ok(self
            .api
            .get::<RecordList>(
                &format!("v4/domains/{}/records", seg(domain)?),
                &[("limit", "100")],
            )
            .await?
            .records)
    }

    /// Creates one record; `name` relative to the domain. Returns its id.
    pub async fn create_dns_record(
        &self,
        domain: &str,
        name: &str,
        kind: &str,
        value: &str,
    ) -> Result<String> {
        let body = json!({"name": name, "type": kind, "value": value, "ttl": 60,
                          "comment": "Added by Golive"});
        let created: Created = self
            .api
            .send(
                Method::POST,
                &format!("v2/domains/{}/records", seg(domain)?),
                &[],
                Some(&body),
            )
            .await?;
        Ok(created.uid)
    }

    pub async fn delete_dns_record(&self, domain: &str, id: &str) -> Result<()> {
        self.api
            .send::<serde_json::Value>(
                Method::DELETE,
                &format!("v2/domains/{}/records/{}", seg(domain)?, seg(id)?),
                &[],
                None,
            )
            .await
            .map(drop)
    }
}
