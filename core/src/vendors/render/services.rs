//! The service (what Render calls what it runs: a web service or a static site, …) and its
//! preview instances. A preview (of a pull request) is a service of its own, listed with
//! `includePreviews=true` and naming its base service as `parentServer`.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::{unwrap, Render, LIMIT};
use crate::error::Result;
use crate::http::seg;

#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Service {
    pub id: String,
    pub name: String,
    #[serde(default)]
    pub owner_id: String,
    /// The service in Render's dashboard: the link for what the API cannot do.
    #[serde(default)]
    pub dashboard_url: Option<String>,
    #[serde(default)]
    pub service_details: ServiceDetails,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ServiceDetails {
    /// The service's own address (`https://<name>.onrender.com`).
    #[serde(default)]
    pub url: Option<String>,
    #[serde(default)]
    pub previews: Option<Previews>,
    /// Set on a preview instance: its base service.
    #[serde(default)]
    pub parent_server: Option<Parent>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct Previews {
    /// `off`, `manual` or `automatic`.
    pub generation: String,
}

#[derive(Debug, Clone, Deserialize)]
pub struct Parent {
    pub id: String,
}

impl Service {
    /// The host of the service's `onrender.com` address: what its custom domains point to.
    pub fn host(&self) -> Option<String> {
        let url = url::Url::parse(self.service_details.url.as_deref()?).ok()?;
        url.host_str().map(str::to_string)
    }

    /// Whether Render makes preview instances of it (which copy its variables).
    pub fn previews_on(&self) -> Option<&str> {
        self.service_details
            .previews
            .as_ref()
            .map(|p| p.generation.as_str())
            .filter(|g| *g != "off")
    }

    /// The dashboard, or Render's dashboard home when the API did not say.
    pub fn dashboard(&self) -> String {
        self.dashboard_url
            .clone()
            .unwrap_or_else(|| "https://dashboard.render.com".into())
    }
}

/// A service as the Hosting step's picker lists it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct RenderService {
    pub id: String,
    pub name: String,
    /// `web_service`, `static_site`, …
    #[serde(rename = "type")]
    pub kind: String,
    #[serde(default)]
    #[ts(optional)]
    pub dashboard_url: Option<String>,
}

/// One page of services; `next` is the cursor of the page after it, while pages come full.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
pub struct RenderServicePage {
    pub services: Vec<RenderService>,
    #[ts(optional)]
    pub next: Option<String>,
}

/// Services asked for per picker page.
const PER_PAGE: usize = 20;

impl Render<'_> {
    /// The key's services (previews left out, as Render lists by default) whose name
    /// contains `name`, a page at a time. The page is filtered here: Render's `name` filter
    /// is documented only as "Filter by name", not whether it matches part of one.
    pub async fn services(&self, name: &str, cursor: Option<&str>) -> Result<RenderServicePage> {
        let limit = PER_PAGE.to_string();
        let mut query = vec![("limit", limit.as_str())];
        if let Some(c) = cursor.filter(|c| !c.is_empty()) {
            query.push(("cursor", c));
        }
        let mut page: Vec<serde_json::Value> = self.api.get("services", &query).await?;
        let next = (page.len() == PER_PAGE)
            .then(|| {
                page.last()
                    .and_then(|w| w["cursor"].as_str().map(String::from))
            })
            .flatten();
        let needle = name.trim().to_lowercase();
        let mut services = vec![];
        for w in &mut page {
            let s: RenderService = unwrap(w, "service")?;
            if s.name.to_lowercase().contains(&needle) {
                services.push(s);
            }
        }
        Ok(RenderServicePage { services, next })
    }

    pub async fn service(&self, id: &str) -> Result<Service> {
        self.api.get(&format!("services/{}", seg(id)?), &[]).await
    }

    /// The preview instances of `service` (in its workspace).
    pub async fn previews(&self, service: &Service) -> Result<Vec<Service>> {
        let all: Vec<Service> = self
            .all(
                "services",
                &[("includePreviews", "true"), ("ownerId", &service.owner_id)],
                "service",
            )
            .await?;
        Ok(all
            .into_iter()
            .filter(|s| {
                s.service_details
                    .parent_server
                    .as_ref()
                    .is_some_and(|p| p.id == service.id)
            })
            .collect())
    }
}

// The picker's page size is below a whole list's, so a full picker page is never mistaken
// for the end of a list read whole.
const _: () = assert!(PER_PAGE < LIMIT);
