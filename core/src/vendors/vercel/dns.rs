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

/// One page of a zone's records, newest first.
#[derive(Debug, Deserialize)]
struct RecordList {
    records: Vec<VercelRecord>,
    /// Absent in the older, unpaginated form.
    #[serde(default)]
    pagination: Option<Pagination>,
}

#[derive(Debug, Deserialize)]
struct Pagination {
    /// The creation time (ms) the next page lists records `until`; null on the last page.
    next: Option<serde_json::Value>,
}

/// Records asked for per page (Vercel's default is 20).
const PAGE_SIZE: &str = "100";
/// A zone longer than this many pages (or an API that never stops paging) is refused
/// rather than read in part: a record missed on a later page would be created twice.
const MAX_PAGES: usize = 50;

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

    /// Every record of the zone, page after page (`until` the previous page's `next`, as
    /// Vercel's CLI pages): a record on a later page is as real as one on the first.
    pub async fn dns_records(&self, domain: &str) -> Result<Vec<VercelRecord>> {
        let path = format!("v4/domains/{}/records", seg(domain)?);
        let mut records = vec![];
        let mut until: Option<String> = None;
        for _ in 0..MAX_PAGES {
            let mut query = vec![("limit", PAGE_SIZE)];
            if let Some(until) = &until {
                query.push(("until", until.as_str()));
            }
            let page: RecordList = self.api.get(&path, &query).await?;
            records.extend(page.records);
            until = match page.pagination.and_then(|p| p.next) {
                Some(serde_json::Value::Number(n)) => Some(n.to_string()),
                Some(serde_json::Value::String(s)) => Some(s),
                _ => return Ok(records),
            };
        }
        Err(super::VENDOR.error(
            "vercel_dns_too_many_records",
            format!(
                "{domain} has more DNS records at Vercel than Golive reads ({MAX_PAGES} pages of \
                 {PAGE_SIZE}), so it creates none there. Add the records at Vercel from the table."
            ),
        ))
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
