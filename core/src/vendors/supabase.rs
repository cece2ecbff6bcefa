//! Supabase Management API (`/v1`), authenticated with a personal access token: the
//! project's third-party auth integrations (which token issuers Supabase trusts).
//! Shapes: tests/fixtures/specs/supabase-third-party-auth.json.

use reqwest::{Method, StatusCode};
use serde::{Deserialize, Serialize};
use serde_json::json;
use ts_rs::TS;
use url::Url;

use crate::error::{Error, Result};
use crate::http::{seg, Api, Http, Vendor};
use crate::secrets::Secret;

const VENDOR: Vendor = Vendor {
    name: "Supabase",
    bad_response: "supabase_bad_response",
    status_page: "status.supabase.com",
};

/// One trusted issuer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct ThirdPartyAuth {
    pub id: String,
    #[serde(rename = "type")]
    pub kind: String,
    #[serde(default)]
    #[ts(optional)]
    pub oidc_issuer_url: Option<String>,
}

pub struct Management<'a> {
    http: &'a Http,
    base: &'a Url,
    token: &'a Secret,
}

impl<'a> Management<'a> {
    pub fn new(http: &'a Http, base: &'a Url, token: &'a Secret) -> Self {
        Management { http, base, token }
    }

    /// The API for calls about one project: its refusals name the project.
    fn api<'p>(&self, project_ref: &'p str) -> Api<'p>
    where
        'a: 'p,
    {
        Api::new(
            &VENDOR,
            self.http,
            self.base,
            self.token,
            move |status, wait, body| status_error(project_ref, status, wait, body),
        )
    }

    fn path(project_ref: &str) -> Result<String> {
        Ok(format!(
            "v1/projects/{}/config/auth/third-party-auth",
            seg(project_ref)?
        ))
    }

    pub async fn third_party_auth(&self, project_ref: &str) -> Result<Vec<ThirdPartyAuth>> {
        self.api(project_ref)
            .get(&Self::path(project_ref)?, &[])
            .await
    }

    /// Adds an OIDC issuer; sent once, never retried.
    pub async fn add_oidc_issuer(&self, project_ref: &str, issuer: &str) -> Result<ThirdPartyAuth> {
        let body = json!({"oidc_issuer_url": issuer});
        self.api(project_ref)
            .send(Method::POST, &Self::path(project_ref)?, &[], Some(&body))
            .await
    }
}

fn status_error(
    project_ref: &str,
    status: StatusCode,
    retry: Option<std::time::Duration>,
    body: &[u8],
) -> Error {
    // Supabase's errors are `{"message": "..."}`.
    let said = serde_json::from_slice::<serde_json::Value>(body)
        .ok()
        .and_then(|v| v["message"].as_str().map(|m| format!(": {}", m.trim())))
        .unwrap_or_default();
    let (code, message) = match status.as_u16() {
        401 => (
            "supabase_token_rejected",
            "Supabase rejected the access token (401). Create a new one in the Supabase dashboard \
             → Account → Access Tokens."
                .to_string(),
        ),
        403 => (
            "supabase_forbidden",
            format!(
                "This access token may not manage project {project_ref} (403). Use a token of an \
                     account that owns it."
            ),
        ),
        404 => (
            "supabase_project_not_found",
            format!(
                "Supabase has no project {project_ref} (404). Check the project URL \
                     (https://<ref>.supabase.co)."
            ),
        ),
        429 => (
            "supabase_rate_limited",
            VENDOR.rate_limited("requests", retry.map(|d| d.as_secs())),
        ),
        s if s >= 500 => ("supabase_unavailable", VENDOR.server_error(s)),
        s => (
            "supabase_error",
            format!(
                "Supabase refused the request ({s}{said}). Reload this step to see the \
                 project's current settings, then try again."
            ),
        ),
    };
    VENDOR.error(code, message)
}

/// The project ref from what users paste: `https://<ref>.supabase.co`, a
/// `NEXT_PUBLIC_SUPABASE_URL=…` line, a dashboard URL, or the ref itself.
pub fn parse_project_ref(pasted: &str) -> Result<String> {
    let value = crate::keys::clean_paste(pasted, "https://");
    let value = value.trim().trim_end_matches('/');
    let candidate = if let Some(rest) = value
        .strip_prefix("https://")
        .or(value.strip_prefix("http://"))
    {
        if let Some(host) = rest
            .split('/')
            .next()
            .and_then(|h| h.strip_suffix(".supabase.co"))
        {
            host.to_string()
        } else if let Some(path) = rest.strip_prefix("supabase.com/dashboard/project/") {
            path.split('/').next().unwrap_or_default().to_string()
        } else {
            String::new()
        }
    } else {
        value.to_string()
    };
    let ok = (15..=40).contains(&candidate.len())
        && candidate
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit());
    if ok {
        Ok(candidate)
    } else {
        Err(Error::invalid(
            "supabase_ref_invalid",
            "Paste the project URL (https://<ref>.supabase.co, your NEXT_PUBLIC_SUPABASE_URL) or \
             its ref: the 20 lowercase letters in that URL.",
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_the_ref_in_what_users_paste() {
        let r = "abcdefghijklmnopqrst";
        for paste in [
            r.to_string(),
            format!("https://{r}.supabase.co"),
            format!("https://{r}.supabase.co/"),
            format!("NEXT_PUBLIC_SUPABASE_URL=https://{r}.supabase.co"),
            format!("https://supabase.com/dashboard/project/{r}/settings/api"),
        ] {
            assert_eq!(parse_project_ref(&paste).unwrap(), r, "{paste}");
        }
        for bad in ["", "https://example.com", "ABC", "short"] {
            assert_eq!(
                parse_project_ref(bad).unwrap_err().code(),
                "supabase_ref_invalid",
                "{bad}"
            );
        }
    }

    #[test]
    fn statuses_have_their_messages() {
        for (s, code) in [
            (401, "supabase_token_rejected"),
            (403, "supabase_forbidden"),
            (404, "supabase_project_not_found"),
            (429, "supabase_rate_limited"),
            (503, "supabase_unavailable"),
        ] {
            let e = status_error("ref", StatusCode::from_u16(s).unwrap(), None, b"");
            assert_eq!(e.code(), code);
        }
        let conflict = status_error(
            "ref",
            StatusCode::CONFLICT,
            None,
            br#"{"message":"Integration already exists"}"#,
        );
        assert!(conflict
            .to_string()
            .contains("(409: Integration already exists)"));
        assert!(status_error(
            "ref",
            StatusCode::TOO_MANY_REQUESTS,
            Some(std::time::Duration::from_secs(7)),
            b""
        )
        .to_string()
        .contains("7 s"));
    }
}

/// How a project's Data API answered a signed-in user's request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DataApiAnswer {
    /// It verified the token and went on to the table (which need not exist).
    Accepted,
    /// It refused the token itself (401: `PGRST301` cannot verify it, `PGRST303` expired).
    Refused { status: u16, said: String },
    /// Another answer: not PostgREST's to a verified token.
    Other { status: u16, said: String },
}

#[derive(Deserialize)]
struct PostgrestError {
    #[serde(default)]
    code: Option<String>,
    #[serde(default)]
    message: Option<String>,
}

/// A table no project has: PostgREST checks the token before it looks for the table, so a
/// "no such table" answer proves the token was accepted, whatever the project's schema.
pub const PROBE_TABLE: &str = "golive_rehearsal_probe";

/// `GET <project>/rest/v1/<PROBE_TABLE>` with the anon key and the user's session token, as the
/// app's Supabase client sends every request of a signed-in user.
pub async fn data_api_as_user(
    http: &Http,
    project: &Url,
    anon_key: &str,
    session_token: &Secret,
) -> Result<DataApiAnswer> {
    let url = project
        .join(&format!("rest/v1/{PROBE_TABLE}"))
        .map_err(|e| Error::Config(format!("Supabase project URL: {e}")))?;
    let req = http
        .client()
        .get(url)
        .header("apikey", anon_key)
        .bearer_auth(session_token.expose());
    let resp = http.write(VENDOR.name, req).await?;
    let status = resp.status().as_u16();
    let body = crate::http::read_answer(VENDOR.name, resp).await?;
    let parsed = serde_json::from_slice::<PostgrestError>(&body);
    let code = parsed.as_ref().ok().and_then(|e| e.code.clone());
    let said = match &parsed {
        Ok(PostgrestError {
            code,
            message: Some(m),
        }) => format!(
            "HTTP {status}, {}: {m}",
            code.as_deref().unwrap_or("no code")
        ),
        _ => format!("HTTP {status}"),
    };
    let no_such_table = matches!(code.as_deref(), Some("PGRST205" | "42P01"));
    Ok(match status {
        200..=299 if serde_json::from_slice::<serde_json::Value>(&body).is_ok() => {
            DataApiAnswer::Accepted
        }
        200..=299 => DataApiAnswer::Other {
            status,
            said: format!("HTTP {status} with something Golive does not understand"),
        },
        404 if no_such_table => DataApiAnswer::Accepted,
        401 => DataApiAnswer::Refused { status, said },
        _ => DataApiAnswer::Other { status, said },
    })
}
