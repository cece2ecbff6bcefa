//! Clerk key formats, parsed the way Clerk's own SDK parses them, and the clean-up of
//! whatever users paste (quotes, `KEY=value` lines, whole `.env` snippets).

use base64::Engine;

use crate::error::{Error, Result};
use crate::secrets::SecretKind;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeyEnv {
    Test,
    Live,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PublishableKey {
    pub env: KeyEnv,
    /// The Frontend API host the key encodes, e.g. `clerk.quillmate.site`.
    pub frontend_api: String,
}

/// `pk_<env>_` + base64(`<frontend api host>$`), padding stripped.
pub fn parse_publishable_key(key: &str) -> Result<PublishableKey> {
    let bad = |why: &str| {
        Error::invalid(
            "publishable_key_invalid",
            format!("This is not a Clerk publishable key: {why}. Copy it again from the Clerk dashboard → API keys."),
        )
    };
    let env = if key.starts_with("pk_live_") {
        KeyEnv::Live
    } else if key.starts_with("pk_test_") {
        KeyEnv::Test
    } else {
        return Err(wrong_field(key, "publishable key")
            .unwrap_or_else(|| bad("it must start with pk_live_ or pk_test_")));
    };
    let parts: Vec<&str> = key.split('_').collect();
    if parts.len() != 3 {
        return Err(bad("it has extra underscores"));
    }
    let bytes = base64::engine::general_purpose::STANDARD_NO_PAD
        .decode(parts[2].trim_end_matches('='))
        .map_err(|_| bad("the part after the prefix is not base64"))?;
    let decoded = String::from_utf8(bytes).map_err(|_| bad("it does not decode to a host name"))?;
    let host = decoded
        .strip_suffix('$')
        .filter(|h| !h.contains('$') && h.contains('.'))
        .ok_or_else(|| bad("it does not decode to a host name ending in $"))?;
    Ok(PublishableKey {
        env,
        frontend_api: host.to_string(),
    })
}

/// The production Frontend API host: from the live publishable key when there is one (it
/// covers secondary apps' `clerk.app.<domain>`), else `clerk.<Clerk's domain>`.
pub fn production_frontend_api(clerk_domain: &str, publishable_key: Option<&str>) -> String {
    publishable_key
        .and_then(|k| parse_publishable_key(k).ok())
        .filter(|k| k.env == KeyEnv::Live)
        .map(|k| k.frontend_api)
        .unwrap_or_else(|| format!("clerk.{clerk_domain}"))
}

/// `sk_<env>_<opaque>`; Clerk checks nothing else offline.
pub fn secret_key_env(key: &str) -> Result<KeyEnv> {
    let env = if let Some(rest) = key.strip_prefix("sk_live_") {
        (KeyEnv::Live, rest)
    } else if let Some(rest) = key.strip_prefix("sk_test_") {
        (KeyEnv::Test, rest)
    } else {
        return Err(wrong_field(key, "secret key").unwrap_or_else(|| {
            Error::invalid(
                "secret_key_invalid",
                "This is not a Clerk secret key: it must start with sk_live_ or sk_test_. \
                 Copy it from the Clerk dashboard → API keys.",
            )
        }));
    };
    if env.1.len() < 16 || !env.1.chars().all(|c| c.is_ascii_alphanumeric()) {
        return Err(Error::invalid(
            "secret_key_invalid",
            "This secret key looks cut short or has stray characters. Copy it again in full.",
        ));
    }
    Ok(env.0)
}

/// A key of another kind pasted into this field (`field`: what belongs in it, e.g. "secret
/// key") gets a message naming the right field.
fn wrong_field(key: &str, field: &str) -> Option<Error> {
    let (what, right) = if key.starts_with("pk_") {
        ("a publishable key (pk_…)", "Publishable key field")
    } else if key.starts_with("sk_") {
        ("a secret key (sk_…)", "Secret key field")
    } else if key.starts_with("ak_") {
        ("a Clerk platform key (ak_…)", "Platform key field")
    } else if key.starts_with("whsec_") {
        (
            "a webhook signing secret (whsec_…)",
            "signing secret field of the Hosting step's Webhooks section",
        )
    } else {
        return None;
    };
    Some(Error::invalid(
        "wrong_field",
        format!("That is {what}, not a {field}. Paste it in the {right} instead."),
    ))
}

/// A webhook signing secret as Clerk shows it (Svix's format): `whsec_` + the base64 of a
/// random key.
pub fn webhook_secret(secret: &str) -> Result<()> {
    let Some(key) = secret.strip_prefix("whsec_") else {
        return Err(
            wrong_field(secret, "webhook signing secret").unwrap_or_else(|| {
                Error::invalid(
                    "webhook_secret_invalid",
                    "This is not a webhook signing secret: it must start with whsec_. Copy it \
                     from the Clerk dashboard → Webhooks → your production endpoint → Signing \
                     Secret.",
                )
            }),
        );
    };
    let decoded = base64::engine::general_purpose::STANDARD.decode(key);
    if !decoded.is_ok_and(|k| k.len() >= 16) {
        return Err(Error::invalid(
            "webhook_secret_invalid",
            "This signing secret looks cut short or has stray characters. Copy it again in \
             full (Signing Secret → the eye icon → copy).",
        ));
    }
    Ok(())
}

/// A pasted publishable key, cleaned and checked; `None` when the field was cleared.
pub fn publishable_key_paste(pasted: &str) -> Result<Option<String>> {
    let key = clean_paste(pasted, "pk_");
    if key.is_empty() {
        return Ok(None);
    }
    parse_publishable_key(&key)?;
    Ok(Some(key))
}

/// The development instance's publishable key: as above, and a `pk_test_` one.
pub fn dev_publishable_key_paste(pasted: &str) -> Result<Option<String>> {
    let key = publishable_key_paste(pasted)?;
    if let Some(k) = &key {
        if parse_publishable_key(k)?.env != KeyEnv::Test {
            return Err(Error::invalid(
                "not_development_key",
                "This is a production key: paste the development instance's pk_test_… key.",
            ));
        }
    }
    Ok(key)
}

/// A pasted secret of `kind`, cleaned and checked, ready for the keychain.
pub fn secret_paste(kind: SecretKind, pasted: &str) -> Result<String> {
    let value = match kind {
        SecretKind::ClerkSecretKey => {
            let key = clean_paste(pasted, "sk_");
            secret_key_env(&key)?;
            key
        }
        SecretKind::ClerkPlatformKey => {
            let key = clean_paste(pasted, "ak_");
            if !key.starts_with("ak_") {
                if let Some(e) = wrong_field(&key, "platform key") {
                    return Err(e);
                }
                return Err(Error::invalid(
                    "platform_key_invalid",
                    "Clerk platform keys start with ak_. Create one in the Clerk dashboard → \
                     Platform API keys.",
                ));
            }
            key
        }
        SecretKind::ClerkWebhookSecret => {
            let secret = clean_paste(pasted, "whsec_");
            if !secret.is_empty() {
                webhook_secret(&secret)?;
            }
            secret
        }
        SecretKind::VercelToken => clean_paste(pasted, ""),
        SecretKind::CloudflareToken => {
            let token = clean_paste(pasted, "");
            cloudflare_token(&token)?;
            token
        }
        SecretKind::NetlifyToken => {
            let token = clean_paste(pasted, "nfp_");
            netlify_token(&token)?;
            token
        }
        SecretKind::RenderApiKey => {
            let key = clean_paste(pasted, "rnd_");
            if !key.is_empty() {
                render_key(&key)?;
            }
            key
        }
        // OAuth secrets go through the SSO step, which checks them with their client ID.
        SecretKind::OauthGoogle
        | SecretKind::OauthGithub
        | SecretKind::OauthMicrosoft
        | SecretKind::OauthDiscord
        | SecretKind::OauthApple => {
            return Err(Error::invalid(
                "use_sso_form",
                "Save OAuth credentials with the SSO step's form.",
            ))
        }
        // Supabase personal access tokens start with sbp_.
        SecretKind::SupabaseToken => clean_paste(pasted, "sbp_"),
    };
    if value.is_empty() {
        return Err(Error::invalid(
            "secret_empty",
            format!("Paste the {} first.", kind.label()),
        ));
    }
    Ok(value)
}

/// Whose token `token` is, when its shape says it is another host's. Shapes, from each
/// vendor's own announcement of its token formats: Vercel's are `vcp_`/`vci_`/`vca_`/`vcr_`/
/// `vck_…` (before 2025, 24 letters and digits); Cloudflare's `cfut_`/`cfat_`/`cfk_…` (before,
/// 40 characters); Render's API keys `rnd_…`. Netlify's own start with `nf` and a letter
/// (`nfp_` for personal access tokens, since November 2023); its older, unprefixed ones are
/// none of the above, so they pass.
fn other_host_token(token: &str) -> Option<&'static str> {
    let prefixed = |prefixes: &[&str]| prefixes.iter().any(|p| token.starts_with(p));
    let alnum = token.chars().all(|c| c.is_ascii_alphanumeric());
    let legacy_cloudflare = token.len() == 40
        && token
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-');
    if prefixed(&["vcp_", "vci_", "vca_", "vcr_", "vck_"]) || (token.len() == 24 && alnum) {
        Some("a Vercel access token")
    } else if prefixed(&["cfut_", "cfat_", "cfk_"]) || legacy_cloudflare {
        Some("a Cloudflare API token")
    } else if token.starts_with("rnd_") {
        Some("a Render API key")
    } else {
        None
    }
}

/// A Netlify access token, or what was pasted instead.
pub fn netlify_token(token: &str) -> Result<()> {
    match other_host_token(token) {
        Some(what) if !token.starts_with("nf") => Err(Error::invalid(
            "netlify_token_invalid",
            format!(
                "This looks like {what}, not a Netlify one. Create a Netlify personal access \
                 token (app.netlify.com → User settings → Applications → Personal access \
                 tokens; it starts with nfp_) and paste that."
            ),
        )),
        _ => Ok(()),
    }
}

/// A Render API key, or what was pasted instead: Render's keys all start with `rnd_`.
pub fn render_key(key: &str) -> Result<()> {
    if key.starts_with("rnd_") {
        return Ok(());
    }
    // Netlify's tokens first: a 40-character one would pass for Cloudflare's older shape.
    let what = match other_host_token(key) {
        _ if key.starts_with("nf") => {
            "This looks like a Netlify access token, not a Render API key.".into()
        }
        Some(what) => format!("This looks like {what}, not a Render API key."),
        None if key.starts_with("srv-") => {
            "This is a service's ID (it goes in the service field), not an API key.".into()
        }
        None => "Render API keys start with rnd_.".into(),
    };
    Err(Error::invalid(
        "render_key_invalid",
        format!(
            "{what} Create one in Render (Account settings → API Keys → Create API key) and \
             paste that."
        ),
    ))
}

/// A Cloudflare API token, or what was pasted instead: another host's token is named
/// (Netlify's start with `nf` and a letter, which `other_host_token` leaves to Netlify's).
pub fn cloudflare_token(token: &str) -> Result<()> {
    let netlify = token.starts_with("nf")
        && token[2..].starts_with(|c: char| c.is_ascii_lowercase())
        && token.contains('_');
    let what = match other_host_token(token) {
        Some(what) if !what.contains("Cloudflare") => Some(what),
        _ if netlify => Some("a Netlify access token"),
        _ => None,
    };
    match what {
        Some(what) => Err(Error::invalid(
            "cloudflare_token_invalid",
            format!(
                "This looks like {what}, not a Cloudflare one. Create a Cloudflare API token \
                 (dash.cloudflare.com → My Profile → API Tokens; with Cloudflare Pages: Edit or \
                 Workers Scripts: Edit, and Zone: Read and DNS: Edit for Golive's DNS step) and \
                 paste that."
            ),
        )),
        None => Ok(()),
    }
}

/// Extracts the value from a paste: trims whitespace and quotes, and from `KEY=value` lines or
/// a whole `.env` snippet picks the line whose value starts with `prefix` (e.g. `sk_`).
pub fn clean_paste(input: &str, prefix: &str) -> String {
    let values: Vec<String> = input
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .map(|l| {
            let l = l.strip_prefix("export ").unwrap_or(l);
            // A variable's name, not a value's base64 padding (`v1,…=`).
            let is_name = |k: &str| {
                k.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
                    && k.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_')
            };
            let v = match l.split_once('=') {
                Some((k, v)) if is_name(k) => v,
                _ => l,
            };
            v.trim().trim_matches(['"', '\'', '`']).trim().to_string()
        })
        .collect();
    values
        .iter()
        .find(|v| v.starts_with(prefix))
        .or(values.first())
        .cloned()
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pk(env: &str, host: &str) -> String {
        let b64 = base64::engine::general_purpose::STANDARD_NO_PAD.encode(format!("{host}$"));
        format!("pk_{env}_{b64}")
    }

    #[test]
    fn decodes_publishable_keys() {
        let k = parse_publishable_key(&pk("live", "clerk.quillmate.site")).unwrap();
        assert_eq!(k.env, KeyEnv::Live);
        assert_eq!(k.frontend_api, "clerk.quillmate.site");
        // The docs' example, with padding left on.
        let k = parse_publishable_key("pk_test_ZXhhbXBsZS5hY2NvdW50cy5kZXYk").unwrap();
        assert_eq!(
            (k.env, k.frontend_api.as_str()),
            (KeyEnv::Test, "example.accounts.dev")
        );
    }

    #[test]
    fn rejects_malformed_publishable_keys() {
        for (key, code) in [
            ("pk_live_", "publishable_key_invalid"),
            ("pk_live_!!!", "publishable_key_invalid"),
            ("pk_live_a_b", "publishable_key_invalid"),
            (
                "pk_live_Y2xlcmsucXVpbGxtYXRlLnNpdGU",
                "publishable_key_invalid",
            ), // no '$'
            ("sk_live_abcdefghijklmnop1234", "wrong_field"),
            ("hello", "publishable_key_invalid"),
        ] {
            assert_eq!(
                parse_publishable_key(key).unwrap_err().code(),
                code,
                "{key}"
            );
        }
    }

    #[test]
    fn secret_keys_and_wrong_fields() {
        assert_eq!(
            secret_key_env("sk_live_abcdefghijklmnop1234").unwrap(),
            KeyEnv::Live
        );
        assert_eq!(
            secret_key_env("sk_test_abcdefghijklmnop1234").unwrap(),
            KeyEnv::Test
        );
        let e = secret_key_env(&pk("live", "clerk.x.com")).unwrap_err();
        assert_eq!(e.code(), "wrong_field");
        assert!(e.to_string().contains("Publishable key field"), "{e}");
        assert_eq!(
            secret_key_env("sk_live_short").unwrap_err().code(),
            "secret_key_invalid"
        );
        assert_eq!(
            secret_key_env("sk_live_abc def ghijklmnop")
                .unwrap_err()
                .code(),
            "secret_key_invalid"
        );
        assert_eq!(secret_key_env("ak_abc").unwrap_err().code(), "wrong_field");
    }

    #[test]
    fn webhook_secrets_and_keys_in_each_others_fields() {
        let whsec = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
        assert_eq!(
            secret_paste(
                SecretKind::ClerkWebhookSecret,
                &format!("CLERK_WEBHOOK_SIGNING_SECRET={whsec}\n")
            )
            .unwrap(),
            whsec
        );
        for (pasted, code, says) in [
            ("whsec_short", "webhook_secret_invalid", "cut short"),
            ("whsec_not base64!!", "webhook_secret_invalid", "cut short"),
            ("hello", "webhook_secret_invalid", "must start with whsec_"),
            (
                "sk_live_abcdefghijklmnop1234",
                "wrong_field",
                "not a webhook signing secret. Paste it in the Secret key field",
            ),
            (
                "pk_live_Y2xlcmsucXVpbGxtYXRlLnRlc3Qk",
                "wrong_field",
                "Publishable key field",
            ),
        ] {
            let e = secret_paste(SecretKind::ClerkWebhookSecret, pasted).unwrap_err();
            assert_eq!(e.code(), code, "{pasted}");
            assert!(e.to_string().contains(says), "{pasted}: {e}");
        }
        // And a whsec_ pasted into each Clerk key field names the Webhooks section.
        for kind in [SecretKind::ClerkSecretKey, SecretKind::ClerkPlatformKey] {
            let e = secret_paste(kind, whsec).unwrap_err();
            assert_eq!(e.code(), "wrong_field", "{kind:?}");
            assert!(e.to_string().contains("Webhooks section"), "{e}");
        }
        let e = publishable_key_paste(whsec).unwrap_err();
        assert!(e.to_string().contains("not a publishable key"), "{e}");
    }

    #[test]
    fn another_hosts_token_is_not_taken_for_cloudflares() {
        for (token, host) in [
            ("vcp_sandboxVercelToken0123456789", "Vercel"),
            ("nfp_sandboxNetlifyToken0123456789abcdefg", "Netlify"),
            ("rnd_sandboxRenderKey0123456789", "Render"),
        ] {
            let e = secret_paste(SecretKind::CloudflareToken, token).unwrap_err();
            assert_eq!(e.code(), "cloudflare_token_invalid");
            assert!(e.to_string().contains(host), "{e}");
        }
        for ok in [
            "cfut_sandboxCloudflareToken0123456789ab",
            "0123456789abcdefghij0123456789ABCDEFGHIJ",
        ] {
            assert_eq!(secret_paste(SecretKind::CloudflareToken, ok).unwrap(), ok);
        }
    }

    #[test]
    fn another_hosts_token_is_not_taken_for_netlifys() {
        for (token, what) in [
            ("vcp_sandboxVercelToken0123456789", "Vercel"),
            ("AbCdEfGhIjKlMnOpQrStUv12", "Vercel"),
            ("cfut_sandboxCloudflareToken0123456789ab", "Cloudflare"),
            ("0123456789abcdefghij0123456789ABCDEFGHIJ", "Cloudflare"),
            ("rnd_9X3kQp7VbT2hYRzNcMfWj4Dg", "Render"),
        ] {
            let e = secret_paste(SecretKind::NetlifyToken, token).unwrap_err();
            assert_eq!(e.code(), "netlify_token_invalid");
            assert!(e.to_string().contains(what), "{e}");
        }
        for ok in [
            "nfp_sandboxNetlifyToken0123456789abcdefgh",
            // An older, unprefixed token (43 URL-safe characters).
            "u1Wl0ZRsUqk8tRAnDtGmG4CIh3pF-rXhh-FM2Zp-MBs",
        ] {
            assert_eq!(secret_paste(SecretKind::NetlifyToken, ok).unwrap(), ok);
        }
        // From a `.env` snippet, the Netlify token is picked.
        assert_eq!(
            secret_paste(
                SecretKind::NetlifyToken,
                "VERCEL_TOKEN=vcp_x\nNETLIFY_AUTH_TOKEN=nfp_abc"
            )
            .unwrap(),
            "nfp_abc"
        );
    }

    #[test]
    fn another_hosts_token_is_not_taken_for_a_render_key() {
        for (token, what) in [
            ("vcp_sandboxVercelToken0123456789", "a Vercel access token"),
            (
                "cfut_sandboxCloudflareToken0123456789ab",
                "a Cloudflare API token",
            ),
            (
                "nfp_sandboxNetlifyToken0123456789abcdefg",
                "a Netlify access token",
            ),
            (
                "0123456789abcdefghij0123456789ABCDEFGHIJ",
                "a Cloudflare API token",
            ),
            ("sk_live_abcdefghijklmnop1234", "start with rnd_"),
        ] {
            let e = secret_paste(SecretKind::RenderApiKey, token).unwrap_err();
            assert_eq!(e.code(), "render_key_invalid", "{token}");
            assert!(e.to_string().contains(what), "{e}");
        }
        let ok = "rnd_9X3kQp7VbT2hYRzNcMfWj4Dg";
        assert_eq!(secret_paste(SecretKind::RenderApiKey, ok).unwrap(), ok);
        assert_eq!(
            secret_paste(SecretKind::RenderApiKey, &format!("RENDER_API_KEY={ok}")).unwrap(),
            ok
        );
    }

    #[test]
    fn cleans_what_users_paste() {
        let sk = "sk_live_abcdefghijklmnop1234";
        for paste in [
            format!("  {sk}\n"),
            format!("\"{sk}\""),
            format!("CLERK_SECRET_KEY={sk}"),
            format!("export CLERK_SECRET_KEY='{sk}'"),
            format!("# keys\nNEXT_PUBLIC_CLERK_PUBLISHABLE_KEY=pk_live_xyz\nCLERK_SECRET_KEY=\"{sk}\"\n"),
        ] {
            assert_eq!(clean_paste(&paste, "sk_"), sk, "{paste:?}");
        }
        assert_eq!(
            clean_paste("NEXT_PUBLIC_CLERK_PUBLISHABLE_KEY=pk_live_xyz", "sk_"),
            "pk_live_xyz"
        );
        // Base64 padding is not a `KEY=value` line.
        assert_eq!(clean_paste("v1,g0hM9/+OE=", "whsec_"), "v1,g0hM9/+OE=");
    }
}
