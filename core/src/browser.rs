//! A browser's part of signing in, as far as servers can tell: cookies kept per host (and per
//! parent domain when a server says so), page loads sent with the headers Clerk's middleware
//! uses to tell them from other requests, redirects followed hop by hop. Cookie values are
//! session material: they stay in memory, and only their names are ever shown.

use crate::https_probe::{HttpsResponse, ProbeError, ProbeRequest, Prober};

/// Redirects followed before a page load counts as a loop (Clerk's own guard stops after
/// three handshakes; each costs two hops).
pub const MAX_HOPS: usize = 12;

#[derive(Debug, Clone)]
struct Cookie {
    name: String,
    value: String,
    /// The host that set it, or the domain it was set for (`Domain=`), lowercase.
    domain: String,
    host_only: bool,
}

pub struct Browser<'a> {
    prober: &'a Prober,
    jar: Vec<Cookie>,
}

/// One answer of a page load: where it came from and where it sent the browser next.
#[derive(Debug, Clone)]
pub struct Hop {
    pub host: String,
    pub path: String,
    pub status: u16,
    pub location: Option<url::Url>,
    /// `x-clerk-auth-status` and `x-clerk-auth-reason`, which Clerk's middleware adds.
    pub auth_status: Option<String>,
    pub auth_reason: Option<String>,
    /// Why a redirect could not be followed (then `status` is 0).
    pub failed: Option<ProbeError>,
}

impl Hop {
    /// `host/path` without the query (it may carry a session token), for evidence.
    pub fn describe(&self) -> String {
        let path = self.path.split('?').next().unwrap_or_default();
        match &self.failed {
            Some(e) => format!("{}{path}: {e}", self.host),
            None => format!("{} {}{path}", self.status, self.host),
        }
    }

    /// What the server answered, in words: `answered 403`, `gave no answer (…)`.
    pub fn answer(&self) -> String {
        match &self.failed {
            Some(e) => format!("could not be reached ({e})"),
            None if (200..300).contains(&self.status) => format!(
                "answered {} with a page Golive does not understand",
                self.status
            ),
            None => format!("answered {}", self.status),
        }
    }
}

impl<'a> Browser<'a> {
    pub fn new(prober: &'a Prober) -> Self {
        Browser {
            prober,
            jar: vec![],
        }
    }

    /// Sets a cookie for `host` as the site's own script would (`__client_uat`, `__session`).
    pub fn set_cookie(&mut self, host: &str, name: &str, value: &str) {
        let host = host.to_ascii_lowercase();
        self.keep(
            &host,
            Cookie {
                name: name.into(),
                value: value.into(),
                domain: host.clone(),
                host_only: true,
            },
        );
    }

    /// Every cookie value held: session material to take out of anything shown.
    pub fn cookie_values(&self) -> impl Iterator<Item = &str> {
        self.jar.iter().map(|c| c.value.as_str())
    }

    pub fn cookie(&self, host: &str, name: &str) -> Option<&str> {
        self.for_host(host)
            .find(|c| c.name == name)
            .map(|c| c.value.as_str())
    }

    fn for_host(&self, host: &str) -> impl Iterator<Item = &Cookie> {
        let host = host.to_ascii_lowercase();
        self.jar.iter().filter(move |c| {
            host == c.domain || (!c.host_only && host.ends_with(&format!(".{}", c.domain)))
        })
    }

    /// Stores a cookie `host` set, in place of one of that name for `host` or for the
    /// cookie's domain (a host-only one replaced by a domain one, or back); an empty value
    /// only removes.
    fn keep(&mut self, host: &str, cookie: Cookie) {
        self.jar.retain(|c| {
            !(c.name == cookie.name && (c.domain == host || c.domain == cookie.domain))
        });
        if !cookie.value.is_empty() {
            self.jar.push(cookie);
        }
    }

    /// Keeps what a `Set-Cookie` from `host` says, as a browser would: `Domain=` widens it to
    /// that domain (only to a parent of `host`), `Max-Age=0` or an empty value removes it.
    fn absorb(&mut self, host: &str, set_cookie: &str) {
        let mut parts = set_cookie.split(';');
        let Some((name, value)) = parts.next().and_then(|p| p.split_once('=')) else {
            return;
        };
        let host = host.to_ascii_lowercase();
        let mut cookie = Cookie {
            name: name.trim().into(),
            value: value.trim().trim_matches('"').into(),
            domain: host.clone(),
            host_only: true,
        };
        for attr in parts {
            let (k, v) = attr.split_once('=').unwrap_or((attr, ""));
            match k.trim().to_ascii_lowercase().as_str() {
                "domain" => {
                    let d = v.trim().trim_start_matches('.').to_ascii_lowercase();
                    // A server may not set cookies for a domain it is not part of.
                    if host != d && !host.ends_with(&format!(".{d}")) {
                        return;
                    }
                    cookie.domain = d;
                    cookie.host_only = false;
                }
                "max-age" if v.trim().parse::<i64>().is_ok_and(|s| s <= 0) => {
                    cookie.value.clear();
                }
                _ => {}
            }
        }
        self.keep(&host, cookie);
    }

    /// Sends `req` to `https://<host>` with this browser's cookies for it, and keeps the
    /// cookies the answer sets.
    pub async fn send(
        &mut self,
        host: &str,
        req: ProbeRequest<'_>,
    ) -> Result<HttpsResponse, ProbeError> {
        let cookies: Vec<String> = self
            .for_host(host)
            .map(|c| format!("{}={}", c.name, c.value))
            .collect();
        let cookie_header = cookies.join("; ");
        let mut headers: Vec<(&str, &str)> = req.headers.to_vec();
        if !cookie_header.is_empty() {
            headers.push(("cookie", &cookie_header));
        }
        let resp = self
            .prober
            .send(
                host,
                ProbeRequest {
                    headers: &headers,
                    ..req
                },
            )
            .await?;
        for set in resp.header_values("set-cookie") {
            self.absorb(host, set);
        }
        Ok(resp)
    }

    /// Loads `https://<host><path>` as a top-level page, following the https redirects
    /// `follow` allows, up to `MAX_HOPS`; every answer is returned in order (the last is where
    /// the browser stopped, or the redirect it could not follow). Only a first page that
    /// cannot be loaded fails.
    pub async fn navigate(
        &mut self,
        host: &str,
        path: &str,
        follow: impl Fn(&url::Url) -> bool,
    ) -> Result<Vec<Hop>, ProbeError> {
        let mut hops: Vec<Hop> = vec![];
        let (mut host, mut path) = (host.to_string(), path.to_string());
        loop {
            let sent = self
                .send(
                    &host,
                    ProbeRequest::get(
                        &path,
                        &[
                            ("accept", "text/html,application/xhtml+xml;q=0.9,*/*;q=0.8"),
                            ("sec-fetch-dest", "document"),
                            ("sec-fetch-mode", "navigate"),
                        ],
                    ),
                )
                .await;
            let resp = match sent {
                Ok(r) => r,
                Err(e) if hops.is_empty() => return Err(e),
                Err(e) => {
                    hops.push(Hop {
                        host,
                        path,
                        status: 0,
                        location: None,
                        auth_status: None,
                        auth_reason: None,
                        failed: Some(e),
                    });
                    return Ok(hops);
                }
            };
            let base = url::Url::parse(&format!("https://{host}{path}"))
                .map_err(|e| ProbeError::Http(e.to_string()))?;
            let location = (300..400)
                .contains(&resp.status)
                .then(|| resp.header("location"))
                .flatten()
                .and_then(|l| base.join(l).ok());
            let hop = Hop {
                host: host.clone(),
                path: path.clone(),
                status: resp.status,
                location: location.clone(),
                auth_status: resp.header("x-clerk-auth-status").map(str::to_string),
                auth_reason: resp.header("x-clerk-auth-reason").map(str::to_string),
                failed: None,
            };
            hops.push(hop);
            match location {
                Some(next)
                    if next.scheme() == "https" && follow(&next) && hops.len() < MAX_HOPS =>
                {
                    host = next.host_str().unwrap_or_default().to_string();
                    path = match next.query() {
                        Some(q) => format!("{}?{q}", next.path()),
                        None => next.path().to_string(),
                    };
                }
                _ => return Ok(hops),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn browser() -> Browser<'static> {
        let prober = Box::leak(Box::new(
            Prober::new(&crate::config::Endpoints::default()).unwrap(),
        ));
        Browser::new(prober)
    }

    #[test]
    fn cookies_follow_host_and_domain_rules() {
        let mut b = browser();
        b.absorb("clerk.a.test", "__client=c1; Path=/; HttpOnly; Secure");
        b.absorb("clerk.a.test", "__clerk_handshake=h; Domain=a.test; Path=/");
        // A server may not set a cookie for a domain it is not part of.
        b.absorb("clerk.a.test", "evil=1; Domain=b.test");
        assert_eq!(b.cookie("clerk.a.test", "__client"), Some("c1"));
        assert_eq!(b.cookie("a.test", "__client"), None);
        assert_eq!(b.cookie("a.test", "__clerk_handshake"), Some("h"));
        assert_eq!(b.cookie("www.a.test", "__clerk_handshake"), Some("h"));
        assert_eq!(b.cookie("clerk.a.test", "evil"), None);
        assert_eq!(b.cookie("b.test", "evil"), None);
        // Removed by Max-Age=0 and by an empty value.
        b.absorb("a.test", "__clerk_handshake=; Domain=a.test; Max-Age=0");
        assert_eq!(b.cookie("a.test", "__clerk_handshake"), None);
        b.set_cookie("a.test", "__client_uat", "5");
        b.absorb("a.test", "__client_uat=0; Path=/");
        assert_eq!(b.cookie("a.test", "__client_uat"), Some("0"));
        b.absorb("a.test", "__client_uat=; Path=/");
        assert_eq!(b.cookie("a.test", "__client_uat"), None);
    }
}
