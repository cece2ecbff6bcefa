//! What the live site's Clerk middleware does with a browser, read from its redirects: a
//! returning visitor without a session token is sent to the Frontend API of the server's
//! publishable key for a handshake, whose answer only the right secret key can verify
//! (clerk/javascript `packages/backend/src/tokens/request.ts`, `handshake.ts`).

use crate::browser::{Browser, Hop};
use crate::context::RunContext;
use crate::https_probe::{now_unix, ProbeError};

pub const HANDSHAKE_PATH: &str = "/v1/client/handshake";

/// The protected path of this run (the default when unset).
pub fn protected_path(run: &RunContext) -> String {
    run.inputs
        .protected_path
        .clone()
        .unwrap_or_else(|| super::settings::DEFAULT_PROTECTED_PATH.into())
}

/// What the site's server holds, as its answers to a returning visitor show.
#[derive(Debug, Clone)]
pub enum ServerKey {
    /// The Frontend API's handshake answered with an error instead of sending the browser
    /// back.
    HandshakeFailed {
        hop: Hop,
    },
    /// The handshake went to this instance's Frontend API and came back settled.
    Proven {
        frontend_api: String,
        hops: Vec<Hop>,
    },
    /// The handshake went to a development Frontend API: development keys on the server.
    DevelopmentKeys {
        handshake_host: String,
    },
    /// The handshake went to another production Frontend API: another app's keys.
    OtherPublishableKey {
        handshake_host: String,
    },
    /// The handshake repeated: the server cannot verify this instance's answer, so its
    /// secret key is another instance's (Clerk logs "your Clerk instance keys do not match").
    Loop {
        handshakes: usize,
        hops: Vec<Hop>,
    },
    /// The server failed (a missing or malformed key makes Clerk's middleware throw).
    ServerError {
        hop: Hop,
    },
    /// No handshake was asked for, so the key cannot be told from outside.
    NoHandshake {
        hop: Hop,
    },
    Unreachable(ProbeError),
}

impl ServerKey {
    pub fn is_proven(&self) -> bool {
        matches!(self, ServerKey::Proven { .. })
    }
}

/// Page loads follow the handshake and the way back to the site, not on to a sign-in page
/// (what the site says is the redirect itself).
fn on_site_or_handshake(domain: &str) -> impl Fn(&url::Url) -> bool + '_ {
    move |u: &url::Url| {
        u.path().ends_with(HANDSHAKE_PATH)
            || u.host_str().is_some_and(|h| h.eq_ignore_ascii_case(domain))
    }
}

/// The host a hop sent the browser to for a handshake, if it did.
pub fn handshake_host(hop: &Hop) -> Option<String> {
    let to = hop.location.as_ref()?;
    // Through a proxy the handshake is on the site, under the proxy's path.
    let prefix = to.path().strip_suffix(HANDSHAKE_PATH)?;
    Some(format!(
        "{}{prefix}",
        to.host_str().unwrap_or_default().to_ascii_lowercase()
    ))
}

/// Loads the protected page as a browser that was signed in before (`__client_uat` set) and
/// has no session token: Clerk's middleware must ask its Frontend API for a handshake.
pub async fn server_key(run: &RunContext) -> ServerKey {
    let expected = run.frontend_api_base().await;
    let mut browser = Browser::new(&run.prober);
    browser.set_cookie(&run.domain, "__client_uat", &now_unix().to_string());
    let hops = match browser
        .navigate(
            &run.domain,
            &protected_path(run),
            on_site_or_handshake(&run.domain),
        )
        .await
    {
        Ok(h) => h,
        Err(e) => return ServerKey::Unreachable(e),
    };
    classify(hops, &expected)
}

fn classify(hops: Vec<Hop>, expected: &str) -> ServerKey {
    let first = hops[0].clone();
    if first.status >= 500 {
        return ServerKey::ServerError { hop: first };
    }
    let handshakes: Vec<String> = hops.iter().filter_map(handshake_host).collect();
    let Some(host) = handshakes.first().cloned() else {
        return ServerKey::NoHandshake { hop: first };
    };
    if host.ends_with(".clerk.accounts.dev") || host.ends_with(".lcl.dev") {
        return ServerKey::DevelopmentKeys {
            handshake_host: host,
        };
    }
    if host != expected {
        return ServerKey::OtherPublishableKey {
            handshake_host: host,
        };
    }
    if handshakes.len() > 1 {
        return ServerKey::Loop {
            handshakes: handshakes.len(),
            hops,
        };
    }
    let last = hops.last().cloned().unwrap_or(first);
    // A handshake that does not send the browser back (a proxy that answers 404, a host
    // that refuses) failed, wherever it is.
    let stuck = last
        .path
        .split('?')
        .next()
        .unwrap_or_default()
        .ends_with(HANDSHAKE_PATH);
    if last.host != hops[0].host || stuck {
        return ServerKey::HandshakeFailed { hop: last };
    }
    if last.status >= 500 {
        return ServerKey::ServerError { hop: last };
    }
    ServerKey::Proven {
        frontend_api: host,
        hops,
    }
}

/// Loads the protected page with a production session, as the signed-in browser would.
pub async fn with_session(
    run: &RunContext,
    token: &str,
    issued_at: i64,
) -> Result<Vec<Hop>, ProbeError> {
    let mut browser = Browser::new(&run.prober);
    browser.set_cookie(&run.domain, "__session", token);
    // Not newer than the token, or the middleware takes the token for a stale one.
    browser.set_cookie(&run.domain, "__client_uat", &issued_at.to_string());
    browser
        .navigate(
            &run.domain,
            &protected_path(run),
            on_site_or_handshake(&run.domain),
        )
        .await
}

/// Loads the protected page as a first-time visitor: no cookies at all.
pub async fn anonymous(run: &RunContext) -> Result<Vec<Hop>, ProbeError> {
    Browser::new(&run.prober)
        .navigate(
            &run.domain,
            &protected_path(run),
            on_site_or_handshake(&run.domain),
        )
        .await
}

/// A redirect to a sign-in page: the Account Portal's, or one of the app's own.
pub fn is_sign_in(hop: &Hop) -> bool {
    hop.location.as_ref().is_some_and(|l| {
        let host = l.host_str().unwrap_or_default();
        host.starts_with("accounts.") || l.path().contains("sign-in") || l.path().contains("login")
    })
}

/// The hops as evidence: `307 quillmate.test/dashboard → 307 clerk.quillmate.test/v1/…`.
pub fn trail(hops: &[Hop]) -> String {
    let mut parts: Vec<String> = hops.iter().map(Hop::describe).collect();
    if let Some(l) = hops.last().and_then(|h| h.location.as_ref()) {
        parts.push(format!("{}{}", l.host_str().unwrap_or_default(), l.path()));
    }
    parts.join(" → ")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hop(status: u16, host: &str, path: &str, to: Option<&str>) -> Hop {
        Hop {
            host: host.into(),
            path: path.into(),
            status,
            location: to.map(|t| url::Url::parse(t).unwrap()),
            auth_status: None,
            auth_reason: None,
            failed: None,
        }
    }

    const HS: &str = "https://clerk.a.test/v1/client/handshake?redirect_url=x";

    #[test]
    fn handshakes_tell_the_servers_keys() {
        let to_site = Some("https://a.test/dashboard");
        let sign_in = Some("https://accounts.a.test/sign-in?redirect_url=x");
        let good = vec![
            hop(307, "a.test", "/dashboard", Some(HS)),
            hop(307, "clerk.a.test", "/v1/client/handshake?x", to_site),
            hop(307, "a.test", "/dashboard", sign_in),
        ];
        assert!(classify(good.clone(), "clerk.a.test").is_proven());
        assert!(is_sign_in(good.last().unwrap()));
        let looped = [good[..2].to_vec(), good[..2].to_vec(), good[2..].to_vec()].concat();
        assert!(matches!(
            classify(looped, "clerk.a.test"),
            ServerKey::Loop { handshakes: 2, .. }
        ));
        let dev = vec![
            hop(
                307,
                "a.test",
                "/dashboard",
                Some("https://x-1.clerk.accounts.dev/v1/client/handshake"),
            ),
            hop(307, "x-1.clerk.accounts.dev", "/v1/client/handshake", None),
        ];
        assert!(matches!(
            classify(dev, "clerk.a.test"),
            ServerKey::DevelopmentKeys { .. }
        ));
        let refused = vec![
            hop(307, "a.test", "/dashboard", Some(HS)),
            hop(400, "clerk.a.test", "/v1/client/handshake?x", None),
        ];
        assert!(matches!(
            classify(refused, "clerk.a.test"),
            ServerKey::HandshakeFailed { .. }
        ));
        let other = vec![
            hop(
                307,
                "a.test",
                "/dashboard",
                Some("https://clerk.b.test/v1/client/handshake"),
            ),
            hop(403, "clerk.b.test", "/v1/client/handshake", None),
        ];
        assert!(matches!(
            classify(other, "clerk.a.test"),
            ServerKey::OtherPublishableKey { .. }
        ));
        assert!(matches!(
            classify(vec![hop(500, "a.test", "/dashboard", None)], "clerk.a.test"),
            ServerKey::ServerError { .. }
        ));
        assert!(matches!(
            classify(vec![hop(200, "a.test", "/dashboard", None)], "clerk.a.test"),
            ServerKey::NoHandshake { .. }
        ));
    }

    #[test]
    fn through_a_proxy_the_handshake_is_on_the_site_under_its_path() {
        let proxied = Some("https://a.test/__clerk/v1/client/handshake?redirect_url=x");
        let good = vec![
            hop(307, "a.test", "/dashboard", proxied),
            hop(
                307,
                "a.test",
                "/__clerk/v1/client/handshake?x",
                Some("https://a.test/dashboard"),
            ),
            hop(200, "a.test", "/dashboard", None),
        ];
        assert_eq!(handshake_host(&good[0]).as_deref(), Some("a.test/__clerk"));
        assert!(classify(good.clone(), "a.test/__clerk").is_proven());
        // A proxy path the site does not forward: the browser stays on its 404.
        let broken = vec![
            good[0].clone(),
            hop(404, "a.test", "/__clerk/v1/client/handshake?x", None),
        ];
        assert!(matches!(
            classify(broken, "a.test/__clerk"),
            ServerKey::HandshakeFailed { .. }
        ));
    }
}
