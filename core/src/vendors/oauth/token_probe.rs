//! The live check of a provider's credentials: a made-up authorization code sent with the
//! real client ID, secret and redirect URI to the token endpoint. Providers check the
//! client before the code (RFC 6749 §5.2), so `invalid_client` means the credentials are
//! wrong and `invalid_grant` means they were accepted — likely, not proven: the order of
//! checks is not documented.

use std::time::{SystemTime, UNIX_EPOCH};

use base64::Engine;
use serde::{Deserialize, Serialize};
use ts_rs::TS;
use url::Url;

use crate::error::{Error, Result};
use crate::http::{read_answer, Http};
use crate::provider::{Credentials, ProviderId};
use crate::redact::Redactor;
use crate::secrets::Secret;

impl ProviderId {
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
        // The provider's own trouble says nothing of the client, whatever its words quote.
        _ if status == 429 || status >= 500 => Verdict::Other,
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
        .ok_or_else(|| Error::invalid("oauth_secret_invalid", "The .p8 key could not be read."))?;
    let rng = ring::rand::SystemRandom::new();
    let key = ring::signature::EcdsaKeyPair::from_pkcs8(
        &ring::signature::ECDSA_P256_SHA256_FIXED_SIGNING,
        der.secret_der(),
        &rng,
    )
    .map_err(|_| {
        Error::invalid(
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
        .map_err(|_| Error::invalid("oauth_secret_invalid", "Signing with the .p8 key failed."))?;
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
    // The provider may quote the form back: its secret (Apple's: the key and the JWT made
    // with it) is taken out of whatever the probe says.
    let redactor = Redactor::of([&c.secret, &secret]);
    let resp = http
        .write(vendor, req)
        .await
        .map_err(|e| redactor.error(e))?;
    let status = resp.status().as_u16();
    let body = read_answer(vendor, resp)
        .await
        .map_err(|e| redactor.error(e))?;
    let mut result = classify(status, &body);
    result.message = redactor.text(&result.message);
    result.error = result.error.map(|e| redactor.text(&e));
    Ok(result)
}

#[cfg(test)]
mod tests {
    use super::*;

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
}
