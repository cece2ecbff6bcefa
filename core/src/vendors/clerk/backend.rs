//! Clerk Backend API (`/v1`), authenticated with the instance's secret key.
//! Shapes follow Clerk's OpenAPI spec 2026-05-12 (tests/fixtures/specs/clerk-bapi.json).

use reqwest::Method;
use serde::Deserialize;
use url::Url;

use super::platform::CnameTarget;
use super::{api, KeyKind};
use crate::error::Result;
use crate::http::Http;
use crate::http::{seg, Api};
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
    /// A satellite shares the primary domain's sessions.
    #[serde(default)]
    pub is_satellite: bool,
    /// Set when the Frontend API is proxied through the app instead of the `clerk` CNAME.
    #[serde(default)]
    pub proxy_url: Option<String>,
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

#[derive(Debug, Clone, Deserialize)]
pub struct Jwk {
    #[serde(default)]
    pub kid: Option<String>,
    /// The RSA modulus and exponent (base64url), which verify session tokens.
    #[serde(default)]
    pub n: Option<String>,
    #[serde(default)]
    pub e: Option<String>,
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

    /// Creates a user from `body` (`POST /v1/users`, the spec's CreateUser fields).
    pub async fn create_user(&self, body: &serde_json::Value) -> Result<User> {
        self.api
            .send(Method::POST, "v1/users", &[], Some(body))
            .await
    }

    pub async fn user(&self, id: &str) -> Result<User> {
        self.api.get(&format!("v1/users/{}", seg(id)?), &[]).await
    }

    /// The users whose `external_id` is exactly `external_id`.
    pub async fn users_with_external_id(&self, external_id: &str) -> Result<Vec<User>> {
        self.api
            .get(
                "v1/users",
                &[("external_id", external_id), ("limit", "100")],
            )
            .await
    }

    /// The users with this email address (at most one in an instance).
    pub async fn users_with_email(&self, email: &str) -> Result<Vec<User>> {
        self.api.get("v1/users", &[("email_address", email)]).await
    }

    pub async fn delete_user(&self, id: &str) -> Result<()> {
        self.api
            .send::<serde_json::Value>(Method::DELETE, &format!("v1/users/{}", seg(id)?), &[], None)
            .await
            .map(drop)
    }

    /// A one-time sign-in ticket for the user, valid `expires_in` seconds.
    pub async fn sign_in_token(&self, user_id: &str, expires_in: u32) -> Result<SignInToken> {
        let body = serde_json::json!({"user_id": user_id, "expires_in_seconds": expires_in});
        self.api
            .send(Method::POST, "v1/sign_in_tokens", &[], Some(&body))
            .await
    }

    pub async fn revoke_session(&self, id: &str) -> Result<()> {
        self.api
            .send::<serde_json::Value>(
                Method::POST,
                &format!("v1/sessions/{}/revoke", seg(id)?),
                &[],
                None,
            )
            .await
            .map(drop)
    }

    /// A testing token: lets scripted sign-ins through bot protection.
    pub async fn testing_token(&self) -> Result<Secret> {
        let t: TestingToken = self
            .api
            .send(Method::POST, "v1/testing_tokens", &[], None)
            .await?;
        Ok(Secret::new(t.token))
    }
}

#[derive(Debug, Clone, Deserialize)]
pub struct User {
    pub id: String,
    #[serde(default)]
    pub external_id: Option<String>,
    #[serde(default)]
    pub private_metadata: serde_json::Value,
    #[serde(default)]
    pub email_addresses: Vec<EmailAddress>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct EmailAddress {
    pub email_address: String,
}

#[derive(Deserialize)]
pub struct SignInToken {
    pub token: Secret,
}

#[derive(Deserialize)]
struct TestingToken {
    token: String,
}
