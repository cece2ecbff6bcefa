//! Where the app and Clerk live. The app's domain (the apex or a subdomain); Clerk's
//! production domain, the app's own or a parent (a parent shares sessions with its other
//! subdomains); the Frontend API's host, or a proxy on the app's domain in its place; and
//! satellite domains that share the primary's sessions. The project may say each part;
//! what it leaves open comes from Clerk (the publishable key's host, the instance's domains),
//! and the layout says where each detected part came from.

use serde::{Deserialize, Serialize};
use ts_rs::TS;
use url::Url;

use crate::domain;
use crate::error::{Error, Result};
use crate::vendors::clerk::backend::Domain;

/// What the project (or the CLI's environment) says about the layout; unset parts are
/// detected from Clerk.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct LayoutSettings {
    /// Clerk's production domain: the app domain, or one of its parents.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub clerk_domain: Option<String>,
    /// The Frontend API proxy (`https://<app domain>/__clerk`), instead of the `clerk` CNAME.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub proxy_url: Option<String>,
    /// Satellite domains, each with the hosting project of its app when linked.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[ts(as = "Option<Vec<SatelliteSetting>>", optional)]
    pub satellites: Vec<SatelliteSetting>,
}

impl LayoutSettings {
    /// Nothing set: everything is detected.
    pub fn is_unset(&self) -> bool {
        *self == LayoutSettings::default()
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct SatelliteSetting {
    pub domain: String,
    /// The satellite app's Vercel project (`prj_…`), for its env check.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub vercel_project: Option<String>,
}

/// The layout a run works with; its JSON is the report's `layout` (CLI contract).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Layout {
    pub app_domain: String,
    pub clerk_domain: String,
    /// The production Frontend API's host (`clerk.<clerk domain>`).
    pub frontend_api: String,
    pub proxy_url: Option<String>,
    pub satellites: Vec<Satellite>,
    /// Where each part the project did not set came from, one sentence each.
    pub detected: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Satellite {
    pub domain: String,
    pub frontend_api: String,
    pub vercel_project: Option<String>,
}

/// The registrable domain a name belongs to (the zone at its registrar, whose Host fields
/// are relative to it): `clerk.app.example.co.uk` → `example.co.uk`.
pub fn zone_of(name: &str) -> &str {
    psl::domain_str(name).unwrap_or(name)
}

/// `name` is `parent` or under it.
pub fn is_within(name: &str, parent: &str) -> bool {
    name == parent || name.ends_with(&format!(".{parent}"))
}

impl Layout {
    /// The app at its zone's apex (an `A` record), rather than on a subdomain (a `CNAME`).
    pub fn app_at_apex(&self) -> bool {
        zone_of(&self.app_domain) == self.app_domain
    }

    pub fn proxied(&self) -> bool {
        self.proxy_url.is_some()
    }

    /// The Account Portal's host.
    pub fn accounts_host(&self) -> String {
        format!("accounts.{}", self.clerk_domain)
    }

    /// Where browsers reach the Frontend API: the proxy when there is one.
    pub fn frontend_api_url(&self) -> String {
        format!("https://{}", self.frontend_api_base())
    }

    /// The same without the scheme: `clerk.example.com`, or `example.com/__clerk` through a
    /// proxy (the Frontend API client's address).
    pub fn frontend_api_base(&self) -> String {
        match &self.proxy_url {
            Some(p) => p.trim_start_matches("https://").to_string(),
            None => self.frontend_api.clone(),
        }
    }

    /// One line for reports: where the app and Clerk are.
    pub fn describe(&self) -> String {
        let mut s = format!(
            "app at {}; Clerk's Frontend API at {}",
            self.app_domain,
            self.frontend_api_url()
        );
        if self.clerk_domain != self.app_domain {
            s += &format!(" (sessions shared across {})", self.clerk_domain);
        }
        if !self.satellites.is_empty() {
            let names: Vec<&str> = self.satellites.iter().map(|s| s.domain.as_str()).collect();
            s += &format!("; satellites: {}", names.join(", "));
        }
        s
    }
}

fn invalid(message: String) -> Error {
    Error::invalid("layout_invalid", message)
}

/// Checks and normalises what the user set, against the app's (already normalised) domain.
pub fn validate(app_domain: &str, settings: &LayoutSettings) -> Result<LayoutSettings> {
    let clerk_domain = match &settings.clerk_domain {
        None => None,
        Some(d) => {
            let d = domain::normalize(d)?;
            if !is_within(app_domain, &d) {
                return Err(invalid(format!(
                    "Clerk's domain must be the app's domain ({app_domain}) or one of its \
                     parents, and {d} is neither. Pick {app_domain} or {}.",
                    zone_of(app_domain)
                )));
            }
            if psl::domain_str(&d).is_none() {
                return Err(invalid(format!(
                    "{d} is a public suffix, which no one can register: Clerk's domain must \
                     be {} or under it.",
                    zone_of(app_domain)
                )));
            }
            Some(d)
        }
    };
    let proxy_url = match &settings.proxy_url {
        None => None,
        Some(p) => Some(proxy_url(app_domain, p)?),
    };
    let mut satellites: Vec<SatelliteSetting> = vec![];
    for s in &settings.satellites {
        let d = domain::normalize(&s.domain)?;
        let primary = clerk_domain.as_deref().unwrap_or(app_domain);
        if is_within(&d, primary) || is_within(app_domain, &d) {
            return Err(invalid(format!(
                "{d} is the primary domain or shares it ({primary}): a satellite is another \
                 domain, like {}. Subdomains of {primary} share sessions without one.",
                satellite_example(primary)
            )));
        }
        if satellites.iter().any(|x| x.domain == d) {
            return Err(invalid(format!("{d} is listed twice as a satellite.")));
        }
        satellites.push(SatelliteSetting {
            domain: d,
            vercel_project: s.vercel_project.clone().filter(|p| !p.trim().is_empty()),
        });
    }
    Ok(LayoutSettings {
        clerk_domain,
        proxy_url,
        satellites,
    })
}

fn satellite_example(primary: &str) -> String {
    let zone = zone_of(primary);
    let (name, suffix) = zone.split_once('.').unwrap_or((zone, "com"));
    format!("{name}-blog.{suffix}")
}

/// A proxy URL is `https://` on the app's own domain, with a path (Clerk's docs use
/// `/__clerk`): the browser reaches the Frontend API there, first party.
fn proxy_url(app_domain: &str, input: &str) -> Result<String> {
    let example = format!("https://{app_domain}/__clerk");
    let url = Url::parse(input.trim()).map_err(|_| {
        invalid(format!(
            "\"{}\" is not a URL. The proxy URL looks like {example}.",
            input.trim()
        ))
    })?;
    if url.scheme() != "https" {
        return Err(invalid(format!(
            "The proxy URL must use https (Clerk refuses anything else), like {example}."
        )));
    }
    let host = url.host_str().unwrap_or_default();
    if host != app_domain {
        return Err(invalid(format!(
            "The proxy must be on the app's own domain ({app_domain}), not {host}: Clerk's \
             cookies are first-party only there. Use {example}."
        )));
    }
    if url.path() == "/" || url.query().is_some() || url.port().is_some() {
        return Err(invalid(format!(
            "The proxy URL needs a path of its own and nothing else, like {example}."
        )));
    }
    Ok(url.as_str().trim_end_matches('/').to_string())
}

/// `clerk.example.com` → `example.com`, when that is the app domain or one of its parents.
fn clerk_domain_of(frontend_api: &str, app_domain: &str) -> Option<String> {
    let d = frontend_api.strip_prefix("clerk.")?;
    (is_within(app_domain, d) && psl::domain_str(d).is_some()).then(|| d.to_string())
}

fn host_of(url: &str) -> Option<String> {
    Url::parse(url).ok()?.host_str().map(str::to_string)
}

/// The run's layout: the project's settings first; then the live publishable key's host
/// (the one truth about which Clerk domain the app uses); then the instance's domains.
pub fn resolve(
    app_domain: &str,
    settings: &LayoutSettings,
    live_pk_frontend_api: Option<&str>,
    clerk: Option<&[Domain]>,
) -> Layout {
    let mut detected = vec![];
    let primary = clerk.and_then(|ds| ds.iter().find(|d| !d.is_satellite));
    let clerk_domain = if let Some(d) = &settings.clerk_domain {
        d.clone()
    } else if let Some(d) = live_pk_frontend_api.and_then(|f| clerk_domain_of(f, app_domain)) {
        detected.push(format!(
            "Clerk's domain {d}: from the publishable key (its Frontend API is clerk.{d})."
        ));
        d
    } else if let Some(d) = primary
        .map(|p| p.name.clone())
        .filter(|d| is_within(app_domain, d))
    {
        detected.push(format!("Clerk's domain {d}: from the instance's domains."));
        d
    } else {
        if zone_of(app_domain) != app_domain {
            // Nothing says which, and a subdomain app has a choice: say what is assumed.
            detected.push(format!(
                "Clerk's domain {app_domain}: assumed, as neither a live publishable key nor \
                 Clerk says otherwise; pick {} to share sign-ins with its other subdomains.",
                zone_of(app_domain)
            ));
        }
        app_domain.to_string()
    };
    let proxy_url = match (
        &settings.proxy_url,
        primary.and_then(|p| p.proxy_url.clone()),
    ) {
        (Some(p), _) => Some(p.clone()),
        (None, Some(p)) => match proxy_url(app_domain, &p) {
            Ok(p) => {
                detected.push(format!("Proxy {p}: from Clerk's domain settings."));
                Some(p)
            }
            // Clerk's value is its own: a proxy on another host is reported, not used.
            Err(_) => None,
        },
        (None, None) => None,
    };
    let mut satellites: Vec<Satellite> = settings
        .satellites
        .iter()
        .map(|s| Satellite {
            frontend_api: format!("clerk.{}", s.domain),
            domain: s.domain.clone(),
            vercel_project: s.vercel_project.clone(),
        })
        .collect();
    for d in clerk.unwrap_or_default().iter().filter(|d| d.is_satellite) {
        if let Some(s) = satellites.iter_mut().find(|s| s.domain == d.name) {
            s.frontend_api = host_of(&d.frontend_api_url).unwrap_or(s.frontend_api.clone());
        } else if domain::normalize(&d.name).is_ok_and(|n| n == d.name) {
            detected.push(format!("Satellite {}: listed by Clerk.", d.name));
            satellites.push(Satellite {
                frontend_api: host_of(&d.frontend_api_url)
                    .unwrap_or_else(|| format!("clerk.{}", d.name)),
                domain: d.name.clone(),
                vercel_project: None,
            });
        }
    }
    Layout {
        app_domain: app_domain.to_string(),
        frontend_api: format!("clerk.{clerk_domain}"),
        clerk_domain,
        proxy_url,
        satellites,
        detected,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn domain(name: &str, satellite: bool, proxy: Option<&str>) -> Domain {
        Domain {
            name: name.into(),
            frontend_api_url: format!("https://clerk.{name}"),
            cname_targets: None,
            is_satellite: satellite,
            proxy_url: proxy.map(str::to_string),
        }
    }

    fn settings() -> LayoutSettings {
        LayoutSettings::default()
    }

    #[test]
    fn the_apex_layout_is_the_default() {
        let l = resolve("quillmate.site", &settings(), None, None);
        assert_eq!(l.clerk_domain, "quillmate.site");
        assert_eq!(l.frontend_api, "clerk.quillmate.site");
        assert!(l.app_at_apex() && !l.proxied() && l.satellites.is_empty());
        assert!(l.detected.is_empty());
        assert_eq!(l.frontend_api_url(), "https://clerk.quillmate.site");
    }

    #[test]
    fn the_publishable_key_says_which_clerk_domain() {
        let root = resolve(
            "app.quillmate.site",
            &settings(),
            Some("clerk.quillmate.site"),
            None,
        );
        assert_eq!(root.clerk_domain, "quillmate.site");
        assert!(!root.app_at_apex());
        assert!(root.detected[0].contains("publishable key"), "{:?}", root);
        let own = resolve(
            "app.quillmate.site",
            &settings(),
            Some("clerk.app.quillmate.site"),
            None,
        );
        assert_eq!(own.frontend_api, "clerk.app.quillmate.site");
        assert_eq!(own.accounts_host(), "accounts.app.quillmate.site");
        // A key for another domain is not a layout: the key checks report it.
        let other = resolve(
            "quillmate.site",
            &settings(),
            Some("clerk.other.site"),
            None,
        );
        assert_eq!(other.clerk_domain, "quillmate.site");
        // The project's choice wins over what is detected.
        let chosen = resolve(
            "app.quillmate.site",
            &LayoutSettings {
                clerk_domain: Some("app.quillmate.site".into()),
                ..settings()
            },
            Some("clerk.quillmate.site"),
            None,
        );
        assert_eq!(chosen.clerk_domain, "app.quillmate.site");
        assert!(chosen.detected.is_empty());
    }

    #[test]
    fn clerks_domains_give_the_proxy_and_the_satellites() {
        let domains = [
            domain(
                "quillmate.site",
                false,
                Some("https://quillmate.site/__clerk/"),
            ),
            domain("quillmate-blog.site", true, None),
            domain("evil.site\nx", true, None),
        ];
        let l = resolve("quillmate.site", &settings(), None, Some(&domains));
        assert_eq!(
            l.proxy_url.as_deref(),
            Some("https://quillmate.site/__clerk")
        );
        assert_eq!(l.frontend_api_url(), "https://quillmate.site/__clerk");
        assert_eq!(l.satellites.len(), 1);
        assert_eq!(l.satellites[0].frontend_api, "clerk.quillmate-blog.site");
        assert_eq!(l.detected.len(), 3, "{:?}", l.detected);
        // A proxy Clerk has on another host is not used as this app's.
        let elsewhere = [domain(
            "quillmate.site",
            false,
            Some("https://cdn.other/__clerk"),
        )];
        assert_eq!(
            resolve("quillmate.site", &settings(), None, Some(&elsewhere)).proxy_url,
            None
        );
    }

    #[test]
    fn bad_settings_say_what_to_do() {
        let bad = |s: LayoutSettings| validate("app.quillmate.site", &s).unwrap_err().to_string();
        let clerk = |d: &str| LayoutSettings {
            clerk_domain: Some(d.into()),
            ..settings()
        };
        assert!(bad(clerk("other.site")).contains("app.quillmate.site or quillmate.site"));
        let suffix = validate("app.quillmate.co.uk", &clerk("co.uk")).unwrap_err();
        assert!(suffix.to_string().contains("public suffix"), "{suffix}");
        let proxy = |p: &str| LayoutSettings {
            proxy_url: Some(p.into()),
            ..settings()
        };
        assert!(bad(proxy("http://app.quillmate.site/__clerk")).contains("https"));
        assert!(bad(proxy("https://proxy.other.site/__clerk")).contains("own domain"));
        assert!(bad(proxy("https://app.quillmate.site")).contains("path"));
        assert!(bad(proxy("not a url")).contains("not a URL"));
        let satellite = |d: &str| LayoutSettings {
            satellites: vec![SatelliteSetting {
                domain: d.into(),
                vercel_project: None,
            }],
            ..settings()
        };
        let same = bad(satellite("app.quillmate.site"));
        assert!(same.contains("quillmate-blog.site"), "{same}");
        assert!(bad(satellite("www.app.quillmate.site")).contains("primary"));
        let ok = validate(
            "app.quillmate.site",
            &LayoutSettings {
                clerk_domain: Some("Quillmate.Site".into()),
                proxy_url: Some("https://app.quillmate.site/__clerk/".into()),
                satellites: vec![SatelliteSetting {
                    domain: "https://Quillmate-Blog.site/".into(),
                    vercel_project: Some(" ".into()),
                }],
            },
        )
        .unwrap();
        assert_eq!(ok.clerk_domain.as_deref(), Some("quillmate.site"));
        assert_eq!(
            ok.proxy_url.as_deref(),
            Some("https://app.quillmate.site/__clerk")
        );
        assert_eq!(ok.satellites[0].domain, "quillmate-blog.site");
        assert_eq!(ok.satellites[0].vercel_project, None);
    }

    #[test]
    fn zones_are_registrable_domains() {
        assert_eq!(zone_of("clerk.app.example.co.uk"), "example.co.uk");
        assert_eq!(zone_of("app.quillmate.test"), "quillmate.test");
        assert!(is_within("app.quillmate.test", "quillmate.test"));
        assert!(!is_within("notquillmate.test", "quillmate.test"));
    }
}
