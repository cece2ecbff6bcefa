//! OAuth providers for social sign-in: what each console needs (redirect URI, origins,
//! where to click), the shape of its credentials, and a live probe of its token endpoint.
//!
//! The probe sends a made-up authorization code with the real client ID, secret and
//! redirect URI. Providers check the client before the code (RFC 6749 §5.2), so
//! `invalid_client` means the credentials are wrong and `invalid_grant` means they were
//! accepted — likely, not proven: the order of checks is not documented.

use std::time::{SystemTime, UNIX_EPOCH};

use base64::Engine;
use serde::{Deserialize, Serialize};
use ts_rs::TS;
use url::Url;

use crate::error::{Error, Result};
use crate::http::Http;
use crate::secrets::Secret;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, TS)]
#[serde(rename_all = "kebab-case")]
pub enum ProviderId {
    Google,
    Github,
    Microsoft,
    Discord,
    Apple,
}

/// How a provider is set up, as the SSO step shows it.
#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct Provider {
    pub id: ProviderId,
    pub name: &'static str,
    /// Where the app's credentials are made.
    pub console_url: &'static str,
    pub console_steps: &'static str,
    pub client_id_example: &'static str,
    pub secret_label: &'static str,
    /// Things that break sign-in on launch day if missed.
    pub warnings: Vec<&'static str>,
    /// Apple signs a client secret with a key: it needs a team ID and key ID too.
    pub needs_apple_key: bool,
    /// Microsoft's secrets expire: the step asks for the date.
    pub secret_expires: bool,
}

impl ProviderId {
    pub const ALL: [ProviderId; 5] = [
        ProviderId::Google,
        ProviderId::Github,
        ProviderId::Microsoft,
        ProviderId::Discord,
        ProviderId::Apple,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            ProviderId::Google => "google",
            ProviderId::Github => "github",
            ProviderId::Microsoft => "microsoft",
            ProviderId::Discord => "discord",
            ProviderId::Apple => "apple",
        }
    }

    pub fn parse(s: &str) -> Option<ProviderId> {
        ProviderId::ALL.into_iter().find(|p| p.as_str() == s)
    }

    /// The token endpoint the probe calls (overridable per provider, see `Endpoints`).
    pub fn token_url(self) -> &'static str {
        match self {
            ProviderId::Google => "https://oauth2.googleapis.com/token",
            ProviderId::Github => "https://github.com/login/oauth/access_token",
            ProviderId::Microsoft => "https://login.microsoftonline.com/common/oauth2/v2.0/token",
            ProviderId::Discord => "https://discord.com/api/oauth2/token",
            ProviderId::Apple => "https://appleid.apple.com/auth/token",
        }
    }

    pub fn info(self) -> Provider {
        let base = Provider {
            id: self,
            name: "",
            console_url: "",
            console_steps: "",
            client_id_example: "",
            secret_label: "Client secret",
            warnings: vec![],
            needs_apple_key: false,
            secret_expires: false,
        };
        match self {
            ProviderId::Google => Provider {
                name: "Google",
                console_url: "https://console.cloud.google.com/apis/credentials",
                console_steps: "APIs & Services → Credentials → Create credentials → OAuth client ID → \
                                Web application. Add the origins and the redirect URI below.",
                client_id_example: "1234567890-abc.apps.googleusercontent.com",
                warnings: vec![
                    "Publish the OAuth consent screen (\"In production\"): in \"Testing\" only 100 \
                     listed test users can sign in.",
                ],
                ..base
            },
            ProviderId::Github => Provider {
                name: "GitHub",
                console_url: "https://github.com/settings/developers",
                console_steps: "Settings → Developer settings → OAuth Apps → New OAuth App. Set the \
                                Authorization callback URL below, then \"Generate a new client secret\".",
                client_id_example: "Ov23li…",
                ..base
            },
            ProviderId::Microsoft => Provider {
                name: "Microsoft",
                console_url: "https://entra.microsoft.com/#view/Microsoft_AAD_RegisteredApps/ApplicationsListBlade",
                console_steps: "Microsoft Entra → App registrations → New registration: \"Accounts in any \
                                organizational directory and personal Microsoft accounts\", Web redirect URI \
                                below. Then Certificates & secrets → New client secret.",
                client_id_example: "00000000-0000-0000-0000-000000000000",
                secret_label: "Client secret (its Value, not its Secret ID)",
                warnings: vec![
                    "Client secrets expire (6 months by default, 24 at most): Golive reminds you before.",
                ],
                secret_expires: true,
                ..base
            },
            ProviderId::Discord => Provider {
                name: "Discord",
                console_url: "https://discord.com/developers/applications",
                console_steps: "Developer Portal → your application → OAuth2: copy the Client ID, reset \
                                the secret, add the redirect below.",
                client_id_example: "123456789012345678",
                ..base
            },
            ProviderId::Apple => Provider {
                name: "Apple",
                console_url: "https://developer.apple.com/account/resources/identifiers/list/serviceId",
                console_steps: "Certificates, Identifiers & Profiles → Identifiers → Services IDs: enable \
                                Sign in with Apple with the domain and return URL below. Keys → create a \
                                key with Sign in with Apple and download its .p8 file.",
                client_id_example: "com.example.signin",
                secret_label: "Private key (.p8 file)",
                warnings: vec!["Apple shows the .p8 key once: keep the file."],
                needs_apple_key: true,
                ..base
            },
        }
    }
}

/// What the user gives for one provider.
#[derive(Debug, Clone)]
pub struct Credentials {
    pub client_id: String,
    /// The client secret, or Apple's .p8 private key.
    pub secret: Secret,
    pub apple_team_id: Option<String>,
    pub apple_key_id: Option<String>,
    /// `YYYY-MM-DD`, for secrets that expire (Microsoft).
    pub secret_expires_on: Option<String>,
}

fn invalid(code: &'static str, message: impl Into<String>) -> Error {
    Error::invalid(code, message)
}

fn is_guid(s: &str) -> bool {
    let parts: Vec<&str> = s.split('-').collect();
    parts.iter().map(|p| p.len()).collect::<Vec<_>>() == [8, 4, 4, 4, 12]
        && parts
            .iter()
            .all(|p| p.chars().all(|c| c.is_ascii_hexdigit()))
}

fn is_apple_id(s: &str) -> bool {
    s.len() == 10
        && s.chars()
            .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit())
}

/// Format checks that catch a wrong paste before any request: swapped fields, the secret
/// ID instead of the secret, a value from another provider.
pub fn check_format(p: ProviderId, c: &Credentials) -> Result<()> {
    let (id, secret) = (c.client_id.trim(), c.secret.expose().trim());
    if id.is_empty() || secret.is_empty() {
        return Err(invalid(
            "oauth_missing",
            "Paste both the client ID and the secret.",
        ));
    }
    let swapped = |looks_like_id: bool| {
        if looks_like_id {
            Err(invalid(
                "oauth_swapped",
                "The client ID and the secret look swapped: paste each into its own field.",
            ))
        } else {
            Ok(())
        }
    };
    match p {
        ProviderId::Google => {
            swapped(secret.ends_with(".apps.googleusercontent.com") || id.starts_with("GOCSPX-"))?;
            if !id.ends_with(".apps.googleusercontent.com") {
                return Err(invalid(
                    "oauth_client_id_invalid",
                    "Google client IDs end in .apps.googleusercontent.com: copy it from Credentials → OAuth 2.0 Client IDs.",
                ));
            }
            if !secret.starts_with("GOCSPX-") {
                return Err(invalid(
                    "oauth_secret_invalid",
                    "Google client secrets start with GOCSPX-: copy it from the same OAuth client.",
                ));
            }
        }
        ProviderId::Github => {
            let secret_like = secret.len() == 40 && secret.chars().all(|c| c.is_ascii_hexdigit());
            swapped(id.len() == 40 && id.chars().all(|c| c.is_ascii_hexdigit()) && !secret_like)?;
            let id_ok = id.starts_with("Iv1.")
                || id.starts_with("Iv23")
                || id.starts_with("Ov23")
                || (id.len() == 20 && id.chars().all(|c| c.is_ascii_hexdigit()));
            if !id_ok {
                return Err(invalid(
                    "oauth_client_id_invalid",
                    "GitHub client IDs look like Ov23li… (or Iv1.… for GitHub Apps): copy the Client ID from the app's page.",
                ));
            }
            if !secret_like {
                return Err(invalid(
                    "oauth_secret_invalid",
                    "GitHub client secrets are 40 hexadecimal characters: generate one on the app's page.",
                ));
            }
        }
        ProviderId::Microsoft => {
            swapped(!is_guid(id) && is_guid(secret) && id.contains('~'))?;
            if !is_guid(id) {
                return Err(invalid(
                    "oauth_client_id_invalid",
                    "Microsoft client IDs are GUIDs: copy the Application (client) ID from the app's Overview.",
                ));
            }
            if is_guid(secret) {
                return Err(invalid(
                    "oauth_secret_is_id",
                    "That is the secret's ID: paste its Value (shown once, when the secret is created).",
                ));
            }
        }
        ProviderId::Discord => {
            swapped(
                !id.chars().all(|c| c.is_ascii_digit())
                    && secret.chars().all(|c| c.is_ascii_digit()),
            )?;
            if !(17..=20).contains(&id.len()) || !id.chars().all(|c| c.is_ascii_digit()) {
                return Err(invalid(
                    "oauth_client_id_invalid",
                    "Discord client IDs are 17 to 20 digits: copy the Client ID from OAuth2 in the Developer Portal.",
                ));
            }
        }
        ProviderId::Apple => {
            if !secret.contains("BEGIN PRIVATE KEY") {
                return Err(invalid(
                    "oauth_secret_invalid",
                    "Choose the .p8 key file Apple let you download (it starts with -----BEGIN PRIVATE KEY-----).",
                ));
            }
            if !id.contains('.') {
                return Err(invalid(
                    "oauth_client_id_invalid",
                    "Apple's client ID is the Services ID, like com.example.signin.",
                ));
            }
            for (v, what) in [(&c.apple_team_id, "team ID"), (&c.apple_key_id, "key ID")] {
                if !v.as_deref().is_some_and(is_apple_id) {
                    return Err(invalid(
                        "oauth_apple_ids_invalid",
                        format!("Apple's {what} is 10 capital letters and digits (Membership details; Keys)."),
                    ));
                }
            }
        }
    }
    Ok(())
}

/// Google's downloaded client JSON (`{"web": {...}}` or `{"installed": {...}}`).
pub fn parse_google_json(text: &str) -> Result<(String, Secret)> {
    #[derive(Deserialize)]
    struct Client {
        client_id: String,
        client_secret: String,
    }
    #[derive(Deserialize)]
    struct File {
        web: Option<Client>,
        installed: Option<Client>,
    }
    let file: File = serde_json::from_str(text).map_err(|_| {
        invalid(
            "google_json_invalid",
            "That is not Google's client JSON: download it from Credentials → your OAuth client → Download JSON.",
        )
    })?;
    let client = file.web.or(file.installed).ok_or_else(|| {
        invalid(
            "google_json_invalid",
            "The JSON has neither a \"web\" nor an \"installed\" client.",
        )
    })?;
    Ok((client.client_id, Secret::new(client.client_secret)))
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "kebab-case")]
pub enum Verdict {
    /// The provider took the client and refused only the made-up code.
    Accepted,
    /// Client ID or secret rejected.
    Rejected,
    /// The redirect URI is not registered with the provider.
    RedirectMismatch,
    /// Something else: the provider's message says what.
    Other,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ProbeResult {
    pub verdict: Verdict,
    pub status: u16,
    /// The provider's `error` code, if it sent one.
    #[ts(optional)]
    pub error: Option<String>,
    /// The provider's own description (never contains the secret).
    pub message: String,
}

/// Sorts a token endpoint's answer. GitHub answers 200 with an `error` field.
pub fn classify(status: u16, body: &[u8]) -> ProbeResult {
    let json: serde_json::Value = serde_json::from_slice(body).unwrap_or_default();
    let error = json["error"].as_str().map(str::to_string);
    let description = json["error_description"]
        .as_str()
        .or(json["error"]["message"].as_str())
        .unwrap_or("")
        .to_string();
    // Discord, Microsoft and Apple name a wrong redirect URI only in the description.
    let lower = description.to_ascii_lowercase();
    let about_redirect = lower.contains("redirect_uri")
        || lower.contains("redirect uri")
        || lower.contains("aadsts50011");
    let verdict = match error.as_deref() {
        Some("redirect_uri_mismatch") => Verdict::RedirectMismatch,
        // A 401 is about the client, whatever its description mentions.
        _ if status == 401 => Verdict::Rejected,
        Some(_) if about_redirect => Verdict::RedirectMismatch,
        Some("invalid_grant" | "bad_verification_code") => Verdict::Accepted,
        Some("invalid_client" | "incorrect_client_credentials" | "unauthorized_client") => {
            Verdict::Rejected
        }
        _ => Verdict::Other,
    };
    let said = match (&error, description.is_empty()) {
        (Some(e), false) => Some(format!("{e}: {description}")),
        (Some(e), true) => Some(e.clone()),
        (None, _) => None,
    };
    let message = match (verdict, status, said) {
        (Verdict::Other, 429, _) => {
            "The provider is rate limiting (HTTP 429); probe again in a minute.".to_string()
        }
        (Verdict::Other, s, _) if s >= 500 => {
            format!("The provider had a server error (HTTP {s}); probe again later.")
        }
        (Verdict::Other, s, Some(said)) => format!("HTTP {s}: {said}"),
        (_, _, Some(said)) => said,
        (_, s, None) => format!("HTTP {s} with no OAuth error in the answer"),
    };
    ProbeResult {
        verdict,
        status,
        error,
        message,
    }
}

/// The made-up code the probe sends (any provider refuses it).
const PROBE_CODE: &str = "golive-probe-not-a-real-code";

/// Apple's client secret: a short-lived ES256 JWT signed with the .p8 key.
fn apple_client_secret(c: &Credentials) -> Result<String> {
    let der = rustls_pemfile::private_key(&mut c.secret.expose().as_bytes())
        .ok()
        .flatten()
        .ok_or_else(|| invalid("oauth_secret_invalid", "The .p8 key could not be read."))?;
    let rng = ring::rand::SystemRandom::new();
    let key = ring::signature::EcdsaKeyPair::from_pkcs8(
        &ring::signature::ECDSA_P256_SHA256_FIXED_SIGNING,
        der.secret_der(),
        &rng,
    )
    .map_err(|_| {
        invalid(
            "oauth_secret_invalid",
            "The .p8 file is not an Apple (P-256) key.",
        )
    })?;
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or_default();
    let b64 = base64::engine::general_purpose::URL_SAFE_NO_PAD;
    let header = serde_json::json!({"alg": "ES256", "kid": c.apple_key_id});
    let claims = serde_json::json!({"iss": c.apple_team_id, "iat": now, "exp": now + 300,
                                    "aud": "https://appleid.apple.com", "sub": c.client_id});
    let signing_input = format!(
        "{}.{}",
        b64.encode(header.to_string()),
        b64.encode(claims.to_string())
    );
    let signature = key
        .sign(&rng, signing_input.as_bytes())
        .map_err(|_| invalid("oauth_secret_invalid", "Signing with the .p8 key failed."))?;
    Ok(format!(
        "{signing_input}.{}",
        b64.encode(signature.as_ref())
    ))
}

/// Asks the token endpoint to redeem a made-up code with these credentials.
pub async fn probe(
    http: &Http,
    p: ProviderId,
    token_url: &Url,
    c: &Credentials,
    redirect_uri: &str,
) -> Result<ProbeResult> {
    let secret = if p == ProviderId::Apple {
        Secret::new(apple_client_secret(c)?)
    } else {
        c.secret.clone()
    };
    let form = [
        ("grant_type", "authorization_code"),
        ("code", PROBE_CODE),
        ("redirect_uri", redirect_uri),
        ("client_id", c.client_id.trim()),
        ("client_secret", secret.expose().trim()),
    ];
    let vendor = p.info().name;
    let req = http
        .client()
        .post(token_url.clone())
        .header("Accept", "application/json")
        .form(&form);
    let resp = http.write(vendor, req).await?;
    let status = resp.status().as_u16();
    let body = resp
        .bytes()
        .await
        .map_err(|e| crate::http::unreachable(vendor, e))?;
    let mut result = classify(status, &body);
    // Never echo anything that might carry the secret back.
    result.message = result.message.replace(secret.expose().trim(), "…");
    Ok(result)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn creds(id: &str, secret: &str) -> Credentials {
        Credentials {
            client_id: id.into(),
            secret: Secret::new(secret),
            apple_team_id: None,
            apple_key_id: None,
            secret_expires_on: None,
        }
    }

    #[test]
    fn each_providers_answers_are_classified() {
        let cases: &[(u16, &str, Verdict)] = &[
            (
                401,
                r#"{"error":"invalid_client","error_description":"The OAuth client was not found."}"#,
                Verdict::Rejected,
            ),
            (
                400,
                r#"{"error":"invalid_grant","error_description":"Malformed auth code."}"#,
                Verdict::Accepted,
            ),
            (
                400,
                r#"{"error":"redirect_uri_mismatch","error_description":"Bad Request"}"#,
                Verdict::RedirectMismatch,
            ),
            (
                200,
                r#"{"error":"incorrect_client_credentials","error_description":"The client_id and/or client_secret passed are incorrect."}"#,
                Verdict::Rejected,
            ),
            (
                200,
                r#"{"error":"bad_verification_code","error_description":"The code passed is incorrect or expired."}"#,
                Verdict::Accepted,
            ),
            (
                200,
                r#"{"error":"redirect_uri_mismatch"}"#,
                Verdict::RedirectMismatch,
            ),
            (
                401,
                r#"{"error":"invalid_client","error_description":"AADSTS7000215: Invalid client secret provided."}"#,
                Verdict::Rejected,
            ),
            (
                400,
                r#"{"error":"invalid_grant","error_description":"AADSTS9002313: Invalid request."}"#,
                Verdict::Accepted,
            ),
            (401, r#"{"error":"invalid_client"}"#, Verdict::Rejected),
            (
                400,
                r#"{"error":"invalid_grant","error_description":"Invalid \"code\" in request."}"#,
                Verdict::Accepted,
            ),
            (
                400,
                r#"{"error":"invalid_request","error_description":"Missing client_secret"}"#,
                Verdict::Other,
            ),
            (401, "not json", Verdict::Rejected),
            (503, "", Verdict::Other),
        ];
        for (status, body, want) in cases {
            assert_eq!(
                classify(*status, body.as_bytes()).verdict,
                *want,
                "{status} {body}"
            );
        }
        assert_eq!(
            classify(
                400,
                br#"{"error":"invalid_grant","error_description":"Malformed auth code."}"#
            )
            .message,
            "invalid_grant: Malformed auth code."
        );
    }

    #[test]
    fn formats_catch_wrong_pastes() {
        let g = |id: &str, s: &str| {
            check_format(ProviderId::Google, &creds(id, s)).map_err(|e| e.code())
        };
        assert!(g("1-a.apps.googleusercontent.com", "GOCSPX-abc").is_ok());
        assert_eq!(
            g("GOCSPX-abc", "1-a.apps.googleusercontent.com"),
            Err("oauth_swapped")
        );
        assert_eq!(g("1-a", "GOCSPX-abc"), Err("oauth_client_id_invalid"));
        assert_eq!(
            g("1-a.apps.googleusercontent.com", "secret"),
            Err("oauth_secret_invalid")
        );
        let guid = "3f2a1b4c-5d6e-4f70-8a9b-0c1d2e3f4a5b";
        let m = |id: &str, s: &str| {
            check_format(ProviderId::Microsoft, &creds(id, s)).map_err(|e| e.code())
        };
        assert!(m(guid, "Abc8Q~secretvalue.withtilde").is_ok());
        assert_eq!(m(guid, guid), Err("oauth_secret_is_id"));
        let gh = |id: &str, s: &str| {
            check_format(ProviderId::Github, &creds(id, s)).map_err(|e| e.code())
        };
        assert!(gh("Ov23liAbCdEfGh012345", &"a".repeat(40)).is_ok());
        assert_eq!(gh(&"a".repeat(40), "Ov23li"), Err("oauth_swapped"));
        let d = |id: &str, s: &str| {
            check_format(ProviderId::Discord, &creds(id, s)).map_err(|e| e.code())
        };
        assert!(d("123456789012345678", "abcDEF").is_ok());
        assert_eq!(d("abcDEF", "123456789012345678"), Err("oauth_swapped"));
        assert_eq!(d("", "x"), Err("oauth_missing"));
    }

    #[test]
    fn googles_json_is_read_either_way() {
        for kind in ["web", "installed"] {
            let text = format!(
                r#"{{"{kind}":{{"client_id":"1-a.apps.googleusercontent.com","client_secret":"GOCSPX-x","redirect_uris":[]}}}}"#
            );
            let (id, secret) = parse_google_json(&text).unwrap();
            assert_eq!(
                (id.as_str(), secret.expose()),
                ("1-a.apps.googleusercontent.com", "GOCSPX-x")
            );
        }
        assert_eq!(
            parse_google_json("{}").unwrap_err().code(),
            "google_json_invalid"
        );
        assert_eq!(
            parse_google_json("nope").unwrap_err().code(),
            "google_json_invalid"
        );
    }
}
