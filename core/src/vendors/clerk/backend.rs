//! Clerk Backend API (`/v1`), authenticated with the instance's secret key.
//! Shapes follow Clerk's OpenAPI spec 2026-05-12 (tests/fixtures/specs/clerk-bapi.json).

use reqwest::Method;
use serde::Deserialize;
use url::Url;

use super::platform::CnameTarget;
use super::{api, KeyKind};
use crate::error::Result;
use crate::http::Api;
use crate::http::Http;
use crate::secrets::Secret;

#[derive(Debug, Clone, Deserialize)]
pub struct Instance {
    pub id: String,
    pub environment_type: String,
}

#[derive(Debug, Clone, Deserialize)]
pub struct Domain {
    pub name: String,
    pub frontend_api_url: String,
    #[serde(default)]
    pub cname_targets: Option<Vec<CnameTarget>>,
}

#[derive(Debug, Deserialize)]
struct DomainList {
    data: Vec<Domain>,
}

#[derive(Deserialize)]
struct SvixUrl {
    svix_url: String,
}

#[derive(Debug, Deserialize)]
pub struct Jwks {
    pub keys: Vec<Jwk>,
}

#[derive(Debug, Deserialize)]
pub struct Jwk {
    #[serde(default)]
    pub kid: Option<String>,
}

impl Jwks {
    /// Clerk's key ids are the instance id, so equal sets mean the same instance.
    pub fn kids(&self) -> Vec<String> {
        let mut kids: Vec<String> = self.keys.iter().filter_map(|k| k.kid.clone()).collect();
        kids.sort();
        kids
    }
}

pub struct Backend<'a> {
    api: Api<'a>,
}

impl<'a> Backend<'a> {
    pub fn new(http: &'a Http, base: &'a Url, secret_key: &'a Secret) -> Self {
        Backend {
            api: api(http, base, secret_key, KeyKind::Secret),
        }
    }

    pub async fn instance(&self) -> Result<Instance> {
        self.api.get("v1/instance", &[]).await
    }

    pub async fn domains(&self) -> Result<Vec<Domain>> {
        Ok(self.api.get::<DomainList>("v1/domains", &[]).await?.data)
    }

    pub async fn jwks(&self) -> Result<Jwks> {
        self.api.get("v1/jwks", &[]).await
    }

    /// A fresh link to the instance's webhook dashboard (Svix's portal). It logs whoever
    /// opens it in, so it is kept as a secret.
    pub async fn svix_url(&self) -> Result<Secret> {
        let answer: SvixUrl = self
            .api
            .send(Method::POST, "v1/webhooks/svix_url", &[], None)
            .await?;
        Ok(Secret::new(answer.svix_url))
    }
}
