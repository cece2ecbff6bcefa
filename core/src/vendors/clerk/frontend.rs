//! Clerk Frontend API on the user's own `clerk.<domain>`: public, no key. What it serves
//! proves DNS, the certificate and the instance are in place, as browsers will see them.

use serde::Deserialize;

use super::backend::Jwks;
use super::ClerkErrors;
use crate::browser::Browser;
use crate::https_probe::{CertInfo, ProbeError, ProbeRequest, Prober};

#[derive(Debug, Clone, Deserialize)]
pub struct Environment {
    pub display_config: DisplayConfig,
    #[serde(default)]
    pub user_settings: UserSettings,
}

#[derive(Debug, Clone, Default, Deserialize)]
pub struct UserSettings {
    /// `oauth_<provider>` → its settings.
    #[serde(default)]
    pub social: std::collections::BTreeMap<String, Social>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct Social {
    #[serde(default)]
    pub enabled: bool,
}

impl Environment {
    /// The social providers switched on in this instance (`google`, `github`, …).
    pub fn enabled_social(&self) -> Vec<String> {
        self.user_settings
            .social
            .iter()
            .filter(|(_, s)| s.enabled)
            .filter_map(|(k, _)| k.strip_prefix("oauth_").map(str::to_string))
            .collect()
    }
}

#[derive(Debug, Clone, Deserialize)]
pub struct DisplayConfig {
    pub instance_environment_type: String,
    pub home_url: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FrontendError {
    Probe(ProbeError),
    /// Answered, but not 200 (a retired or unbound domain answers 403).
    Status(u16),
    BadJson(String),
}

impl std::fmt::Display for FrontendError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            FrontendError::Probe(p) => p.fmt(f),
            FrontendError::Status(s) => write!(f, "it answered HTTP {s}"),
            FrontendError::BadJson(e) => write!(
                f,
                "it answered with something Golive does not understand ({e})"
            ),
        }
    }
}

/// Where the Frontend API is: a host (`clerk.example.com`), or a proxy's host and path
/// (`example.com/__clerk`, see `Layout::frontend_api_base`). Answers the host and the full path.
fn at(base: &str, path: &str) -> (String, String) {
    match base.split_once('/') {
        Some((host, prefix)) => (host.to_string(), format!("/{prefix}{path}")),
        None => (base.to_string(), path.to_string()),
    }
}

async fn get_json<T: serde::de::DeserializeOwned>(
    prober: &Prober,
    base: &str,
    path: &str,
    headers: &[(&str, &str)],
) -> Result<(T, CertInfo), FrontendError> {
    let (host, path) = at(base, path);
    let resp = prober
        .get(&host, &path, headers)
        .await
        .map_err(FrontendError::Probe)?;
    if resp.status != 200 {
        return Err(FrontendError::Status(resp.status));
    }
    let value =
        serde_json::from_slice(&resp.body).map_err(|e| FrontendError::BadJson(e.to_string()))?;
    Ok((value, resp.cert))
}

/// `GET /v1/environment`, sent with the production origin as a browser on the site would.
pub async fn environment(
    prober: &Prober,
    host: &str,
    origin: &str,
) -> Result<(Environment, CertInfo), FrontendError> {
    get_json(prober, host, "/v1/environment", &[("origin", origin)]).await
}

pub async fn jwks(prober: &Prober, host: &str) -> Result<Jwks, FrontendError> {
    Ok(get_json(prober, host, "/.well-known/jwks.json", &[])
        .await?
        .0)
}

/// The Clerk API version the Frontend API calls name, as clerk-js does.
const FAPI_VERSION_QUERY: &str = "__clerk_api_version=2026-05-12";

#[derive(Deserialize)]
struct Envelope<T> {
    response: T,
}

#[derive(Deserialize)]
struct SignInResource {
    status: String,
    #[serde(default)]
    created_session_id: Option<String>,
}

#[derive(Deserialize)]
struct TokenResource {
    jwt: crate::secrets::Secret,
}

/// Why the Frontend API refused a step of the sign-in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SignInError {
    Frontend(FrontendError),
    /// Clerk's answer: its HTTP status, error code and words.
    Refused {
        status: u16,
        code: String,
        message: String,
    },
}

impl SignInError {
    /// Bot protection stopped a scripted sign-in (a testing token lets it through).
    pub fn is_bot_protection(&self) -> bool {
        matches!(self, SignInError::Refused { code, .. }
            if code == "bot_detected" || code.starts_with("captcha"))
    }
}

impl std::fmt::Display for SignInError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            SignInError::Frontend(e) => e.fmt(f),
            SignInError::Refused {
                status,
                code,
                message,
            } => write!(f, "it answered {status} {code}: {message}"),
        }
    }
}

async fn post_form<T: serde::de::DeserializeOwned>(
    browser: &mut Browser<'_>,
    base: &str,
    path: &str,
    origin: &str,
    form: &str,
) -> Result<T, SignInError> {
    let (host, path) = at(base, path);
    let resp = browser
        .send(
            &host,
            ProbeRequest {
                method: "POST",
                path: &path,
                headers: &[
                    ("origin", origin),
                    ("content-type", "application/x-www-form-urlencoded"),
                    ("accept", "application/json"),
                ],
                body: form.as_bytes(),
            },
        )
        .await
        .map_err(|e| SignInError::Frontend(FrontendError::Probe(e)))?;
    if resp.status != 200 {
        let first = serde_json::from_slice::<ClerkErrors>(&resp.body)
            .ok()
            .and_then(|e| e.errors.into_iter().next());
        return Err(match first {
            Some(e) => SignInError::Refused {
                status: resp.status,
                code: e.code.unwrap_or_default(),
                message: e.long_message.unwrap_or(e.message),
            },
            None => SignInError::Frontend(FrontendError::Status(resp.status)),
        });
    }
    serde_json::from_slice::<Envelope<T>>(&resp.body)
        .map(|e| e.response)
        .or_else(|_| serde_json::from_slice::<T>(&resp.body))
        .map_err(|e| SignInError::Frontend(FrontendError::BadJson(e.to_string())))
}

fn query(path: &str, testing_token: Option<&crate::secrets::Secret>) -> String {
    match testing_token {
        Some(t) => format!(
            "{path}?{FAPI_VERSION_QUERY}&__clerk_testing_token={}",
            url::form_urlencoded::byte_serialize(t.expose().as_bytes()).collect::<String>()
        ),
        None => format!("{path}?{FAPI_VERSION_QUERY}"),
    }
}

/// Signs in with a one-time ticket (`strategy=ticket`), as clerk-js does on a production
/// site: the Frontend API starts a client and keeps it in the browser's `__client` cookie.
/// Answers the new session's id.
pub async fn sign_in_with_ticket(
    browser: &mut Browser<'_>,
    host: &str,
    origin: &str,
    ticket: &crate::secrets::Secret,
    testing_token: Option<&crate::secrets::Secret>,
) -> Result<String, SignInError> {
    let form: String = url::form_urlencoded::Serializer::new(String::new())
        .append_pair("strategy", "ticket")
        .append_pair("ticket", ticket.expose())
        .finish();
    let sign_in: SignInResource = post_form(
        browser,
        host,
        &query("/v1/client/sign_ins", testing_token),
        origin,
        &form,
    )
    .await?;
    match (sign_in.status.as_str(), sign_in.created_session_id) {
        ("complete", Some(id)) => Ok(id),
        (status, _) => Err(SignInError::Refused {
            status: 200,
            code: format!("sign_in_{status}"),
            message: format!(
                "the sign-in is {status}, not complete: the instance asks for more than a \
                     ticket (for example a second factor)"
            ),
        }),
    }
}

/// A fresh session token for the signed-in session (`POST /v1/client/sessions/{id}/tokens`).
pub async fn session_token(
    browser: &mut Browser<'_>,
    host: &str,
    origin: &str,
    session_id: &str,
    testing_token: Option<&crate::secrets::Secret>,
) -> Result<crate::secrets::Secret, SignInError> {
    let path = format!(
        "/v1/client/sessions/{}/tokens",
        crate::http::seg(session_id)
            .map_err(|e| SignInError::Frontend(FrontendError::BadJson(e.to_string())))?
    );
    let token: TokenResource =
        post_form(browser, host, &query(&path, testing_token), origin, "").await?;
    Ok(token.jwt)
}
