//! The launch proof's own settings: the page that only signed-in users may see, the Supabase
//! anon key the rehearsal calls the project's API with, and the user it may rehearse as.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::error::{Error, Result};

/// What the Launch proof step saves; an empty field clears its setting.
#[derive(Debug, Clone, Default, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct LaunchSettings {
    pub protected_path: String,
    pub supabase_anon_key: String,
    pub rehearsal_user: String,
}

/// Where most Clerk apps keep their signed-in area.
pub const DEFAULT_PROTECTED_PATH: &str = "/dashboard";

/// A path on the app's own domain (`/dashboard`, `/app?tab=1`). A full URL is accepted when
/// it is on `domain` (people paste what their browser shows) and reduced to its path.
pub fn protected_path(input: &str, domain: &str) -> Result<String> {
    let input = input.trim();
    if input.is_empty() {
        return Ok(DEFAULT_PROTECTED_PATH.into());
    }
    if let Ok(url) = url::Url::parse(input) {
        let host = url.host_str().unwrap_or_default();
        if !host.eq_ignore_ascii_case(domain) {
            return Err(Error::invalid(
                "protected_path_other_host",
                format!(
                    "{input} is on {host}, not on {domain}. Give a path of the live site, such \
                     as /dashboard."
                ),
            ));
        }
        let mut path = url.path().to_string();
        if let Some(q) = url.query() {
            path = format!("{path}?{q}");
        }
        return Ok(path);
    }
    if !input.starts_with('/') || input.starts_with("//") || input.chars().any(char::is_whitespace)
    {
        return Err(Error::invalid(
            "protected_path_invalid",
            format!(
                "\"{input}\" is not a path: give the path of a page only signed-in users may \
                 see, starting with / (for example /dashboard)."
            ),
        ));
    }
    Ok(input.to_string())
}

/// A Supabase project's public key: the legacy anon key (a JWT with `role: anon`) or a new
/// publishable key (`sb_publishable_…`). Neither is a secret; a secret one is refused.
pub fn supabase_anon_key(input: &str) -> Result<Option<String>> {
    let key = input.trim();
    if key.is_empty() {
        return Ok(None);
    }
    if key.starts_with("sb_publishable_") {
        return Ok(Some(key.into()));
    }
    if key.starts_with("sb_secret_") {
        return Err(Error::invalid(
            "supabase_anon_key_secret",
            "That is a Supabase secret key. Paste the anon (public) key instead: Supabase \
             dashboard → Project Settings → API Keys.",
        ));
    }
    let role = crate::jwt::Jwt::decode(key)
        .ok()
        .and_then(|t| t.claim_str("role").map(str::to_string));
    match role.as_deref() {
        Some("anon") => Ok(Some(key.into())),
        Some("service_role") => Err(Error::invalid(
            "supabase_anon_key_secret",
            "That is the service_role key, which bypasses row-level security and must stay \
             secret. Paste the anon (public) key instead.",
        )),
        _ => Err(Error::invalid(
            "supabase_anon_key_invalid",
            "That is not a Supabase anon key: it is a long token starting with eyJ (or \
             sb_publishable_), under Project Settings → API Keys in the Supabase dashboard.",
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn protected_paths() {
        let d = "example.com";
        assert_eq!(protected_path("", d).unwrap(), "/dashboard");
        assert_eq!(protected_path(" /app ", d).unwrap(), "/app");
        assert_eq!(
            protected_path("https://example.com/app/x?y=1", d).unwrap(),
            "/app/x?y=1"
        );
        for (bad, code) in [
            ("dashboard", "protected_path_invalid"),
            ("//evil.test/x", "protected_path_invalid"),
            ("/a b", "protected_path_invalid"),
            ("https://other.test/dashboard", "protected_path_other_host"),
        ] {
            assert_eq!(protected_path(bad, d).unwrap_err().code(), code, "{bad}");
        }
    }

    #[test]
    fn anon_keys() {
        use base64::Engine;
        let jwt = |role: &str| {
            let b = |s: &str| base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(s);
            format!(
                "{}.{}.c2ln",
                b(r#"{"alg":"HS256"}"#),
                b(&format!(r#"{{"role":"{role}"}}"#))
            )
        };
        assert_eq!(supabase_anon_key("").unwrap(), None);
        assert!(supabase_anon_key(&jwt("anon")).unwrap().is_some());
        assert!(supabase_anon_key("sb_publishable_abc").unwrap().is_some());
        for (bad, code) in [
            (jwt("service_role"), "supabase_anon_key_secret"),
            ("sb_secret_abc".to_string(), "supabase_anon_key_secret"),
            ("whsec_abc".to_string(), "supabase_anon_key_invalid"),
        ] {
            assert_eq!(supabase_anon_key(&bad).unwrap_err().code(), code, "{bad}");
        }
    }
}
