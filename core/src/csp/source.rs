//! Source expressions (CSP Level 3 §2.3.1) and whether a URL matches one (§6.7.2.8, with a
//! redirect count of 0: Golive asks about first requests only).

use url::Url;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Source {
    /// `'none'`: matches nothing.
    None,
    /// `'self'`.
    SelfOrigin,
    UnsafeInline,
    UnsafeEval,
    StrictDynamic,
    /// Any other quoted keyword (`'unsafe-hashes'`, `'report-sample'`, …): allows no URL.
    OtherKeyword,
    /// `'nonce-<value>'`.
    Nonce(String),
    /// `'sha256-…'`, `'sha384-…'`, `'sha512-…'`.
    Hash,
    /// `*` alone.
    Any,
    /// `https:`, `blob:`, `data:`… (lowercase, without the colon).
    Scheme(String),
    Host(HostSource),
    /// Not a source expression: browsers ignore it, so does Golive.
    Invalid,
}

/// `[scheme://]host[:port][/path]`; the host may be `*` or start with `*.`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HostSource {
    scheme: Option<String>,
    host: String,
    port: Option<Port>,
    path: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Port {
    Any,
    Number(u16),
}

impl Source {
    pub fn parse(token: &str) -> Source {
        if let Some(inner) = token.strip_prefix('\'').and_then(|t| t.strip_suffix('\'')) {
            return keyword(inner);
        }
        if token == "*" {
            return Source::Any;
        }
        if let Some(scheme) = token.strip_suffix(':') {
            return if is_scheme(scheme) {
                Source::Scheme(scheme.to_ascii_lowercase())
            } else {
                Source::Invalid
            };
        }
        HostSource::parse(token).map_or(Source::Invalid, Source::Host)
    }

    /// Whether a request for `url`, from a page at `origin`, matches this expression.
    pub fn matches(&self, url: &Url, origin: &Url) -> bool {
        match self {
            Source::Any => is_http(url.scheme()) || url.scheme() == origin.scheme(),
            Source::Scheme(s) => scheme_part_matches(s, url.scheme()),
            Source::Host(h) => h.matches(url, origin),
            Source::SelfOrigin => self_matches(url, origin),
            _ => false,
        }
    }
}

fn keyword(inner: &str) -> Source {
    let lower = inner.to_ascii_lowercase();
    match lower.as_str() {
        "none" => return Source::None,
        "self" => return Source::SelfOrigin,
        "unsafe-inline" => return Source::UnsafeInline,
        "unsafe-eval" => return Source::UnsafeEval,
        "strict-dynamic" => return Source::StrictDynamic,
        _ => {}
    }
    if lower.starts_with("nonce-") {
        let value = &inner["nonce-".len()..];
        return if is_base64_value(value) {
            Source::Nonce(value.to_string())
        } else {
            Source::Invalid
        };
    }
    for alg in ["sha256-", "sha384-", "sha512-"] {
        if let Some(value) = lower.strip_prefix(alg) {
            return if is_base64_value(value) {
                Source::Hash
            } else {
                Source::Invalid
            };
        }
    }
    if !lower.is_empty()
        && lower
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
    {
        Source::OtherKeyword
    } else {
        Source::Invalid
    }
}

/// `base64-value = 1*( ALPHA / DIGIT / "+" / "/" / "-" / "_" ) *2"="`.
fn is_base64_value(v: &str) -> bool {
    let body = v.trim_end_matches('=');
    v.len() - body.len() <= 2
        && !body.is_empty()
        && body
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"+/-_".contains(&b))
}

/// `scheme = ALPHA *( ALPHA / DIGIT / "+" / "-" / "." )`.
fn is_scheme(s: &str) -> bool {
    let mut bytes = s.bytes();
    bytes.next().is_some_and(|b| b.is_ascii_alphabetic())
        && bytes.all(|b| b.is_ascii_alphanumeric() || b"+-.".contains(&b))
}

fn is_http(scheme: &str) -> bool {
    scheme == "http" || scheme == "https"
}

/// §6.7.2.9: a source's scheme also matches its secure upgrade.
fn scheme_part_matches(a: &str, b: &str) -> bool {
    a.eq_ignore_ascii_case(b)
        || matches!(
            (a, b),
            ("http", "https") | ("ws", "wss" | "http" | "https") | ("wss", "https")
        )
}

/// `'self'`: the page's origin, or its secure upgrade on the same host and port. URLs
/// without a host (`blob:`, `data:`) never match: they must be listed by scheme.
fn self_matches(url: &Url, origin: &Url) -> bool {
    let (Some(host), Some(own)) = (url.host_str(), origin.host_str()) else {
        return false;
    };
    if host != own || url.port() != origin.port() {
        return false;
    }
    url.scheme() == origin.scheme()
        || matches!(url.scheme(), "https" | "wss")
        || (origin.scheme() == "http" && matches!(url.scheme(), "http" | "ws"))
}

impl HostSource {
    fn parse(token: &str) -> Option<HostSource> {
        let (scheme, rest) = match token.split_once("://") {
            Some((s, rest)) if is_scheme(s) => (Some(s.to_ascii_lowercase()), rest),
            Some(_) => return None,
            None => (None, token),
        };
        let path_at = rest.find('/').unwrap_or(rest.len());
        let (authority, path) = rest.split_at(path_at);
        let (host, port) = match authority.split_once(':') {
            Some((h, "*")) => (h, Some(Port::Any)),
            Some((h, p)) if !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()) => {
                (h, Some(Port::Number(p.parse().ok()?)))
            }
            Some(_) => return None,
            None => (authority, None),
        };
        if !is_host_part(host) {
            return None;
        }
        Some(HostSource {
            scheme,
            host: host.to_ascii_lowercase(),
            port,
            path: (!path.is_empty()).then(|| path.to_string()),
        })
    }

    fn matches(&self, url: &Url, origin: &Url) -> bool {
        let Some(host) = url.host_str() else {
            return false;
        };
        let scheme_ok = match &self.scheme {
            Some(s) => scheme_part_matches(s, url.scheme()),
            // A host without a scheme takes the page's (and its secure upgrade).
            None => scheme_part_matches(origin.scheme(), url.scheme()),
        };
        scheme_ok
            && host_part_matches(&self.host, host)
            && self.port_matches(url)
            && self
                .path
                .as_deref()
                .is_none_or(|p| path_matches(p, url.path()))
    }

    /// §6.7.2.11: no port means the URL's scheme's default port.
    fn port_matches(&self, url: &Url) -> bool {
        match self.port {
            Some(Port::Any) => true,
            Some(Port::Number(n)) => url.port_or_known_default() == Some(n),
            None => url.port().is_none(),
        }
    }
}

/// `host-part = "*" / [ "*." ] 1*host-char *( "." 1*host-char ) [ "." ]`.
fn is_host_part(host: &str) -> bool {
    if host == "*" {
        return true;
    }
    let name = host.strip_prefix("*.").unwrap_or(host);
    let name = name.strip_suffix('.').unwrap_or(name);
    !name.is_empty()
        && name.split('.').all(|label| {
            !label.is_empty()
                && label
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'-')
        })
}

/// §6.7.2.10: `*` matches every host, `*.example.com` its subdomains (not itself).
fn host_part_matches(pattern: &str, host: &str) -> bool {
    match pattern.strip_prefix('*') {
        Some(rest) => host.to_ascii_lowercase().ends_with(rest),
        None => pattern.eq_ignore_ascii_case(host),
    }
}

/// §6.7.2.12: a path ending in `/` is a prefix, any other must match exactly (each segment
/// compared percent-decoded).
fn path_matches(pattern: &str, path: &str) -> bool {
    if pattern == "/" && path.is_empty() {
        return true;
    }
    let exact = !pattern.ends_with('/');
    let mut want: Vec<&str> = pattern.split('/').collect();
    let have: Vec<&str> = path.split('/').collect();
    if want.len() > have.len() || (exact && want.len() != have.len()) {
        return false;
    }
    if !exact {
        want.pop();
    }
    want.iter()
        .zip(&have)
        .all(|(a, b)| percent_decode(a) == percent_decode(b))
}

fn percent_decode(s: &str) -> Vec<u8> {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = bytes
            .get(i + 1..i + 3)
            .filter(|h| h.iter().all(u8::is_ascii_hexdigit))
            .and_then(|h| u8::from_str_radix(std::str::from_utf8(h).ok()?, 16).ok());
        match (bytes[i], hex) {
            (b'%', Some(b)) => {
                out.push(b);
                i += 3;
            }
            (b, _) => {
                out.push(b);
                i += 1;
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn url(u: &str) -> Url {
        Url::parse(u).unwrap()
    }

    /// Whether `expr` matches `u` on a page at https://quillmate.test.
    fn m(expr: &str, u: &str) -> bool {
        Source::parse(expr).matches(&url(u), &url("https://quillmate.test/"))
    }

    #[test]
    fn expressions_parse_into_their_kinds() {
        assert_eq!(Source::parse("'none'"), Source::None);
        assert_eq!(Source::parse("'SELF'"), Source::SelfOrigin);
        assert_eq!(Source::parse("'Unsafe-Inline'"), Source::UnsafeInline);
        assert_eq!(Source::parse("'unsafe-eval'"), Source::UnsafeEval);
        assert_eq!(Source::parse("'strict-dynamic'"), Source::StrictDynamic);
        assert_eq!(Source::parse("'report-sample'"), Source::OtherKeyword);
        assert_eq!(
            Source::parse("'nonce-r4nd0m+/=='"),
            Source::Nonce("r4nd0m+/==".into())
        );
        assert_eq!(Source::parse("'NONCE-abc'"), Source::Nonce("abc".into()));
        assert_eq!(Source::parse("'sha256-AbC123+/='"), Source::Hash);
        assert_eq!(Source::parse("'sha512-x'"), Source::Hash);
        assert_eq!(Source::parse("*"), Source::Any);
        assert_eq!(Source::parse("HTTPS:"), Source::Scheme("https".into()));
        assert_eq!(Source::parse("blob:"), Source::Scheme("blob".into()));
        assert!(matches!(
            Source::parse("https://*.Clerk.com:443/npm/"),
            Source::Host(_)
        ));
        assert!(matches!(
            Source::parse("clerk.quillmate.test"),
            Source::Host(_)
        ));
        for bad in [
            "'self",
            "self'",
            "'nonce-'",
            "'nonce-a b'",
            "'sha256-'",
            "'sha256-a==='",
            "''",
            "'https://x'",
            "1https:",
            "https://",
            "https://exa mple.com",
            "example..com",
            "*.",
            "a.*.com",
            "example.com:99999",
            "example.com:8o",
            "[::1]",
            "'unsafe inline'",
        ] {
            assert_eq!(Source::parse(bad), Source::Invalid, "{bad}");
        }
    }

    #[test]
    fn self_matches_the_page_origin_and_its_secure_upgrade_only() {
        assert!(m("'self'", "https://quillmate.test/app.js"));
        assert!(m("'self'", "wss://quillmate.test/socket"));
        assert!(!m("'self'", "http://quillmate.test/app.js"));
        assert!(!m("'self'", "https://clerk.quillmate.test/"));
        assert!(!m("'self'", "https://quillmate.test:8443/"));
        // blob: and data: URLs must be listed by scheme.
        assert!(!m("'self'", "blob:https://quillmate.test/0d5f"));
        assert!(!m("'self'", "data:text/plain,hi"));
        // On an http page, 'self' also allows the https upgrade.
        let http = url("http://quillmate.test/");
        let s = Source::parse("'self'");
        assert!(s.matches(&url("https://quillmate.test/"), &http));
        assert!(s.matches(&url("ws://quillmate.test/"), &http));
    }

    #[test]
    fn keywords_nonces_and_hashes_match_no_url() {
        for expr in [
            "'none'",
            "'unsafe-inline'",
            "'unsafe-eval'",
            "'strict-dynamic'",
            "'nonce-abc'",
            "'sha256-abc'",
            "'report-sample'",
            "nonsense^",
        ] {
            assert!(!m(expr, "https://clerk.quillmate.test/"), "{expr}");
        }
    }

    #[test]
    fn star_matches_network_urls_and_the_page_scheme_but_not_local_schemes() {
        assert!(m("*", "https://clerk.quillmate.test/v1/client"));
        assert!(m("*", "http://example.com/"));
        assert!(!m("*", "blob:https://quillmate.test/0d5f"));
        assert!(!m("*", "data:image/png;base64,AA"));
    }

    #[test]
    fn scheme_sources_match_their_scheme_and_its_secure_upgrade() {
        assert!(m("https:", "https://clerk.quillmate.test/"));
        assert!(m("http:", "https://clerk.quillmate.test/"));
        assert!(!m("https:", "http://clerk.quillmate.test/"));
        assert!(m("blob:", "blob:https://quillmate.test/0d5f"));
        assert!(m("data:", "data:image/png;base64,AA"));
        assert!(!m("https:", "blob:https://quillmate.test/0d5f"));
        assert!(m("ws:", "wss://x.test/"));
        assert!(m("wss:", "https://x.test/"));
    }

    #[test]
    fn host_sources_match_host_scheme_port_and_path() {
        let fapi = "https://clerk.quillmate.test/npm/@clerk/clerk-js@5/dist/clerk.browser.js";
        // Host only: the page's scheme (https) and its default port.
        assert!(m("clerk.quillmate.test", fapi));
        assert!(m("CLERK.quillmate.test", fapi));
        assert!(!m("clerk.quillmate.test", "http://clerk.quillmate.test/"));
        assert!(!m(
            "clerk.quillmate.test",
            "https://clerk.quillmate.test:8443/"
        ));
        assert!(!m("quillmate.test", fapi));
        // With a scheme.
        assert!(m("https://clerk.quillmate.test", fapi));
        assert!(m("http://clerk.quillmate.test", fapi));
        assert!(!m(
            "https://clerk.quillmate.test",
            "http://clerk.quillmate.test/"
        ));
        // A ws(s) source also covers https (the spec's scheme-part match), not the reverse.
        assert!(m("wss://clerk.quillmate.test", fapi));
        assert!(!m(
            "https://clerk.quillmate.test",
            "wss://clerk.quillmate.test/"
        ));
        // Wildcards: subdomains at any depth, never the bare domain.
        assert!(m("*.quillmate.test", fapi));
        assert!(m("https://*.test", fapi));
        assert!(!m("*.clerk.quillmate.test", fapi));
        assert!(!m("*.quillmate.test", "https://quillmate.test/"));
        assert!(m("https://*", fapi));
        assert!(!m("https://*", "blob:https://quillmate.test/0d5f"));
        // Ports: none means the default, `*` any, a number that one.
        assert!(m("clerk.quillmate.test:443", fapi));
        assert!(m(
            "clerk.quillmate.test:*",
            "https://clerk.quillmate.test:8443/"
        ));
        assert!(m(
            "clerk.quillmate.test:8443",
            "https://clerk.quillmate.test:8443/"
        ));
        assert!(!m("clerk.quillmate.test:8443", fapi));
        // Paths: a trailing slash is a prefix, otherwise exact; compared decoded.
        assert!(m("https://clerk.quillmate.test/npm/", fapi));
        assert!(m("https://clerk.quillmate.test/", fapi));
        assert!(!m("https://clerk.quillmate.test/npm", fapi));
        assert!(!m("https://clerk.quillmate.test/v1/", fapi));
        assert!(m(
            "https://clerk.quillmate.test/npm/%40clerk/clerk-js@5/dist/clerk.browser.js",
            fapi
        ));
        assert!(!m(
            "https://clerk.quillmate.test/npm/@clerk/clerk-js@5/dist/clerk.browser.js/",
            fapi
        ));
        // No host to match.
        assert!(!m("quillmate.test", "blob:https://quillmate.test/0d5f"));
    }
}
