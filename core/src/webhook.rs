//! Clerk webhooks, which Clerk delivers through Svix: the production endpoint a project
//! names, and the variables apps read the endpoint's signing secret from. Clerk does not
//! copy either from development, so both are part of the launch.

use url::Url;

use crate::error::{Error, Result};

/// The variables apps read the signing secret from, the default first: Clerk's
/// `verifyWebhook` reads `CLERK_WEBHOOK_SIGNING_SECRET`; its earlier guides used
/// `WEBHOOK_SECRET`.
pub const SECRET_VARS: [&str; 2] = ["CLERK_WEBHOOK_SIGNING_SECRET", "WEBHOOK_SECRET"];

/// The variable the app uses: the first of `SECRET_VARS` among `names` (the host's
/// variables), else the default.
pub fn secret_var<'a>(names: impl IntoIterator<Item = &'a str>) -> &'static str {
    let names: Vec<&str> = names.into_iter().collect();
    SECRET_VARS
        .into_iter()
        .find(|v| names.contains(v))
        .unwrap_or(SECRET_VARS[0])
}

/// The production endpoint from what was typed or pasted: an `https://` URL on `domain` or
/// one of its subdomains (Golive probes only the app's own hosts). `None` when cleared.
pub fn endpoint_url(pasted: &str, domain: &str) -> Result<Option<Url>> {
    let pasted = pasted.trim();
    if pasted.is_empty() {
        return Ok(None);
    }
    let example = format!("https://{domain}/api/webhooks/clerk");
    let invalid = |message: String| Error::invalid("webhook_url_invalid", message);
    let url = match Url::parse(pasted) {
        Ok(u) => u,
        Err(url::ParseError::RelativeUrlWithoutBase) if !pasted.contains(char::is_whitespace) => {
            return Err(invalid(format!(
                "Write the whole address, starting with https://, e.g. {example}."
            )))
        }
        Err(_) => {
            return Err(invalid(format!(
                "“{pasted}” is not a URL. Paste the address of your app's webhook route, e.g. \
                 {example}."
            )))
        }
    };
    if url.scheme() != "https" {
        return Err(invalid(format!(
            "The endpoint must be an https:// address (not {}:): Clerk sends your users' data \
             to it. For example {example}.",
            url.scheme()
        )));
    }
    if !url.username().is_empty() || url.password().is_some() {
        return Err(invalid(
            "Leave the user name and password out of the URL: Clerk signs each delivery \
             instead."
                .into(),
        ));
    }
    if url.fragment().is_some() {
        return Err(invalid(
            "Leave the #… part out: it is never sent to the server.".into(),
        ));
    }
    let host = url.host_str().unwrap_or_default();
    if host != domain && !host.ends_with(&format!(".{domain}")) {
        return Err(invalid(format!(
            "{host} is not {domain} or one of its subdomains. Golive checks only endpoints on \
             your app's domain; a handler hosted elsewhere (a separate backend, Convex, a \
             Supabase function) is not checked here: leave this empty and check it in the Clerk \
             dashboard → Webhooks."
        )));
    }
    Ok(Some(url))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn message(pasted: &str) -> String {
        endpoint_url(pasted, "quillmate.test")
            .unwrap_err()
            .to_string()
    }

    #[test]
    fn endpoints_are_https_on_the_apps_domain() {
        let ok = |p: &str| {
            endpoint_url(p, "quillmate.test")
                .unwrap()
                .unwrap()
                .to_string()
        };
        assert_eq!(
            ok("  https://Quillmate.TEST/api/webhooks/clerk "),
            "https://quillmate.test/api/webhooks/clerk"
        );
        assert_eq!(
            ok("https://api.quillmate.test:8443/hooks?src=clerk"),
            "https://api.quillmate.test:8443/hooks?src=clerk"
        );
        assert_eq!(endpoint_url(" ", "quillmate.test").unwrap(), None);
        for (pasted, says) in [
            (
                "quillmate.test/api/webhooks/clerk",
                "starting with https://",
            ),
            ("not a url", "is not a URL"),
            ("http://quillmate.test/api/webhooks/clerk", "https://"),
            (
                "https://user:pw@quillmate.test/hook",
                "user name and password",
            ),
            ("https://quillmate.test/hook#x", "#…"),
            ("https://evilquillmate.test/hook", "not quillmate.test"),
            ("https://quillmate.test.evil.com/hook", "not quillmate.test"),
            (
                "https://x.convex.site/clerk-users-webhook",
                "hosted elsewhere",
            ),
        ] {
            assert!(
                message(pasted).contains(says),
                "{pasted}: {}",
                message(pasted)
            );
        }
    }

    #[test]
    fn the_apps_variable_is_found_or_defaulted() {
        assert_eq!(
            secret_var(["WEBHOOK_SECRET", "CLERK_SECRET_KEY"]),
            "WEBHOOK_SECRET"
        );
        assert_eq!(
            secret_var(["WEBHOOK_SECRET", "CLERK_WEBHOOK_SIGNING_SECRET"]),
            "CLERK_WEBHOOK_SIGNING_SECRET"
        );
        assert_eq!(secret_var([]), "CLERK_WEBHOOK_SIGNING_SECRET");
    }
}
