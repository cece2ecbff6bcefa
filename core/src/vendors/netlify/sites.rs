//! The site: its custom domain (and aliases), and the certificate Netlify issues for them.
//! Netlify has no domain-verification endpoint: a domain is proven to be the site's when
//! Netlify can issue its Let's Encrypt certificate, which it does only once the domain's DNS
//! points to the site (`POST /sites/{id}/ssl` answers 422 "bad dns for custom domain" before).

use reqwest::Method;
use serde::{Deserialize, Serialize};
use serde_json::json;
use ts_rs::TS;

use super::Netlify;
use crate::error::Result;
use crate::http::seg;

#[derive(Debug, Clone, Deserialize)]
pub struct Site {
    pub id: String,
    pub name: String,
    /// The team's slug: the env endpoints' `{account_id}` (Netlify's CLI passes the slug).
    #[serde(default)]
    pub account_slug: String,
    #[serde(default)]
    pub custom_domain: Option<String>,
    #[serde(default)]
    pub domain_aliases: Vec<String>,
}

impl Site {
    pub fn has_domain(&self, domain: &str) -> bool {
        self.custom_domain.as_deref() == Some(domain)
            || self.domain_aliases.iter().any(|a| a == domain)
    }

    /// What a custom domain's CNAME names: the site's Netlify subdomain, which Netlify
    /// makes of the site's name (`<name>.netlify.app`, as its domain docs say to point to).
    /// The site's `url` is no help: once a custom domain is set, it is that domain.
    pub fn subdomain(&self) -> String {
        format!("{}.netlify.app", self.name)
    }
}

/// A site as the Hosting step's picker lists it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct NetlifySite {
    pub id: String,
    pub name: String,
    /// The team's name, for people in several teams.
    #[serde(default, alias = "account_name")]
    #[ts(optional)]
    pub account_name: Option<String>,
    #[serde(default, alias = "custom_domain")]
    #[ts(optional)]
    pub custom_domain: Option<String>,
}

/// One page of sites; `next` is the page after it, while pages come full.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
pub struct NetlifySitePage {
    pub sites: Vec<NetlifySite>,
    #[ts(optional)]
    pub next: Option<u32>,
}

/// Sites asked for per page.
const PER_PAGE: u32 = 20;

/// The site's certificate (`sniCertificate`).
#[derive(Debug, Clone, Deserialize)]
pub struct Certificate {
    #[serde(default)]
    pub state: String,
    #[serde(default)]
    pub domains: Vec<String>,
}

impl Certificate {
    pub fn covers(&self, domain: &str) -> bool {
        self.state == "issued" && self.domains.iter().any(|d| d == domain)
    }
}

impl Netlify<'_> {
    /// Sites of every team the token's user is in, whose name contains `name`, a page at a
    /// time (Netlify pages by number; its Link header is not needed: a short page is the
    /// last).
    pub async fn sites(&self, name: &str, page: u32) -> Result<NetlifySitePage> {
        let (page_s, per_page) = (page.max(1).to_string(), PER_PAGE.to_string());
        let mut query = vec![("filter", "all"), ("page", page_s.as_str())];
        query.push(("per_page", &per_page));
        if !name.trim().is_empty() {
            query.push(("name", name.trim()));
        }
        let sites: Vec<NetlifySite> = self.api.get("sites", &query).await?;
        Ok(NetlifySitePage {
            next: (sites.len() as u32 == PER_PAGE).then_some(page.max(1) + 1),
            sites,
        })
    }

    pub async fn site(&self, site: &str) -> Result<Site> {
        self.api.get(&format!("sites/{}", seg(site)?), &[]).await
    }

    /// Puts `domain` on the site: as its custom domain, or as an alias when it has another.
    pub async fn add_domain(&self, site: &Site, domain: &str) -> Result<Site> {
        let body = match site.custom_domain.as_deref() {
            None | Some("") => json!({ "custom_domain": domain }),
            Some(_) => {
                let mut aliases = site.domain_aliases.clone();
                aliases.push(domain.to_string());
                json!({ "domain_aliases": aliases })
            }
        };
        self.api
            .send(
                Method::PATCH,
                &format!("sites/{}", seg(&site.id)?),
                &[],
                Some(&body),
            )
            .await
    }

    /// The site's certificate; `None` while it has none (Netlify answers 404).
    pub async fn certificate(&self, site: &str) -> Result<Option<Certificate>> {
        match self
            .api
            .get(&format!("sites/{}/ssl", seg(site)?), &[])
            .await
        {
            Ok(c) => Ok(Some(c)),
            Err(e) if e.code() == "netlify_not_found" => Ok(None),
            Err(e) => Err(e),
        }
    }

    /// Asks Netlify to issue the certificate (Let's Encrypt) for the site's domains.
    pub async fn provision_certificate(&self, site: &str) -> Result<Certificate> {
        self.api
            .send(
                Method::POST,
                &format!("sites/{}/ssl", seg(site)?),
                &[],
                None,
            )
            .await
    }
}
