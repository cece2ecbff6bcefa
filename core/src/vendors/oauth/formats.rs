//! Format checks that catch a wrong paste before any request: swapped fields, the secret
//! ID instead of the secret, a value from another provider.

use crate::error::{Error, Result};
use crate::provider::{Credentials, ProviderId};

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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::secrets::Secret;

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
}
