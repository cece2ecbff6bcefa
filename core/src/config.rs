//! Every outside address the engine talks to, in one value. Defaults are the real vendors;
//! `GOLIVE_*` environment variables point the same code at the sandbox. An overridden
//! address may receive secrets, so plain `http://` is accepted only to this computer, and
//! every override is named to the user (`Endpoints::overrides`).

use std::collections::BTreeMap;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

use serde::Serialize;
use ts_rs::TS;
use url::{Host, Url};

use crate::error::{Error, Result};
use crate::minisign::PublicKey;
use crate::secrets::KEYCHAIN_SERVICE;

/// The app's identifier; also the name of its config directory (as Tauri names it).
pub const APP_ID: &str = "dev.golive.desktop";

/// The updater's manifest of the newest release, as GitHub Releases serves the asset of the
/// release marked latest.
pub const UPDATE_URL: &str =
    "https://github.com/golive-dev/golive/releases/latest/download/latest.json";

#[derive(Debug, Clone)]
pub struct Endpoints {
    /// Clerk Backend + Platform API base.
    pub clerk_api: Url,
    pub vercel_api: Url,
    pub cloudflare_api: Url,
    /// Netlify's API root, `/api/v1/` included (its paths are relative to it).
    pub netlify_api: Url,
    /// Render's API root, `/v1/` included.
    pub render_api: Url,
    /// Supabase Management API base.
    pub supabase_api: Url,
    /// Replaces a Supabase project's own base (`https://<ref>.supabase.co`) for every project.
    pub supabase_project_url: Option<Url>,
    /// Replaces the public resolver panel.
    pub resolvers: Option<Vec<SocketAddr>>,
    /// Replaces nameserver discovery.
    pub authoritative: Option<Vec<SocketAddr>>,
    /// `HOST:PORT` → address, as curl's `--connect-to`, for HTTPS probes.
    pub connect_to: BTreeMap<(String, u16), SocketAddr>,
    /// PEM bundle of extra trusted roots (the sandbox's test CA).
    pub extra_ca: Option<PathBuf>,
    /// Per provider (lowercase), from `GOLIVE_OAUTH_<PROVIDER>_TOKEN_URL`.
    pub oauth_token_urls: BTreeMap<String, Url>,
    /// How long a vendor API request may take (`GOLIVE_HTTP_TIMEOUT_MS`); tests shorten it.
    pub http_timeout: Duration,
    /// Where the app learns of a newer Golive (`GOLIVE_UPDATE_URL`).
    pub update_url: Url,
    /// Replaces the release key the app checks updates against (`GOLIVE_UPDATE_PUBKEY`);
    /// only ever set together with an update URL on this computer.
    pub update_key: Option<PublicKey>,
}

impl Default for Endpoints {
    fn default() -> Self {
        Endpoints {
            clerk_api: Url::parse("https://api.clerk.com").unwrap(),
            vercel_api: Url::parse("https://api.vercel.com").unwrap(),
            cloudflare_api: Url::parse("https://api.cloudflare.com").unwrap(),
            netlify_api: Url::parse("https://api.netlify.com/api/v1/").unwrap(),
            render_api: Url::parse("https://api.render.com/v1/").unwrap(),
            supabase_api: Url::parse("https://api.supabase.com").unwrap(),
            supabase_project_url: None,
            resolvers: None,
            authoritative: None,
            connect_to: BTreeMap::new(),
            extra_ca: None,
            oauth_token_urls: BTreeMap::new(),
            http_timeout: Duration::from_secs(10),
            update_url: Url::parse(UPDATE_URL).unwrap(),
            update_key: None,
        }
    }
}

impl Endpoints {
    pub fn from_env() -> Result<Self> {
        Self::from_vars(std::env::vars())
    }

    /// Reads the `GOLIVE_*` variables from any list, so tests need not touch the process env.
    pub fn from_vars(vars: impl IntoIterator<Item = (String, String)>) -> Result<Self> {
        let mut e = Endpoints::default();
        for (name, value) in vars {
            let value = value.trim();
            if value.is_empty() {
                continue;
            }
            match name.as_str() {
                "GOLIVE_CLERK_API_URL" => e.clerk_api = parse_url(&name, value)?,
                "GOLIVE_VERCEL_API_URL" => e.vercel_api = parse_url(&name, value)?,
                "GOLIVE_CLOUDFLARE_API_URL" => e.cloudflare_api = parse_url(&name, value)?,
                "GOLIVE_NETLIFY_API_URL" => e.netlify_api = api_root(parse_url(&name, value)?),
                "GOLIVE_RENDER_API_URL" => e.render_api = api_root(parse_url(&name, value)?),
                "GOLIVE_SUPABASE_API_URL" => e.supabase_api = parse_url(&name, value)?,
                "GOLIVE_SUPABASE_PROJECT_URL" => {
                    e.supabase_project_url = Some(parse_url(&name, value)?)
                }
                "GOLIVE_RESOLVERS" => e.resolvers = Some(parse_addrs(&name, value)?),
                "GOLIVE_AUTHORITATIVE" => e.authoritative = Some(parse_addrs(&name, value)?),
                "GOLIVE_CONNECT_TO" => e.connect_to = parse_connect_to(value)?,
                "GOLIVE_HTTP_TIMEOUT_MS" => {
                    let ms: u64 = value.parse().ok().filter(|&ms| ms > 0).ok_or_else(|| {
                        Error::Config(format!("{name}={value} is not a positive number"))
                    })?;
                    e.http_timeout = Duration::from_millis(ms);
                }
                "GOLIVE_UPDATE_URL" => e.update_url = parse_update_url(value)?,
                "GOLIVE_UPDATE_PUBKEY" => {
                    e.update_key = Some(PublicKey::parse(value).ok_or_else(|| {
                        Error::Config(
                            "GOLIVE_UPDATE_PUBKEY is not a minisign public key (the base64 text \
                             `tauri signer generate` writes to the .pub file)"
                                .into(),
                        )
                    })?)
                }
                "GOLIVE_EXTRA_CA" => {
                    let path = PathBuf::from(value);
                    if !path.is_file() {
                        return Err(Error::Config(format!(
                            "GOLIVE_EXTRA_CA points at {value}, which is not a readable file"
                        )));
                    }
                    e.extra_ca = Some(path);
                }
                _ => {
                    if let Some(provider) = name
                        .strip_prefix("GOLIVE_OAUTH_")
                        .and_then(|r| r.strip_suffix("_TOKEN_URL"))
                    {
                        e.oauth_token_urls
                            .insert(provider.to_ascii_lowercase(), parse_url(&name, value)?);
                    }
                }
            }
        }
        // The key decides which downloads Golive installs: a test server on this computer
        // may bring its own, an address elsewhere never.
        if e.update_key.is_some() && !is_loopback(&e.update_url) {
            return Err(Error::Config(
                "GOLIVE_UPDATE_PUBKEY replaces the key that proves an update is a Golive \
                 release, so it is accepted only with GOLIVE_UPDATE_URL on this computer \
                 (127.0.0.1, ::1 or localhost), for tests. Unset GOLIVE_UPDATE_PUBKEY."
                    .into(),
            ));
        }
        Ok(e)
    }
}

/// One `GOLIVE_*` variable that points Golive away from the real vendors, as the app's
/// banner and the CLI's warning name it. Addresses and paths only: never a secret.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct Override {
    pub variable: String,
    /// What it replaces, e.g. "Clerk API".
    pub what: String,
    pub address: String,
}

impl Endpoints {
    /// Every address that differs from the real vendors', in a stable order.
    pub fn overrides(&self) -> Vec<Override> {
        let real = Endpoints::default();
        let item = |variable: &str, what: &str, address: String| Override {
            variable: variable.into(),
            what: what.into(),
            address,
        };
        let join = |addrs: &[SocketAddr]| {
            addrs
                .iter()
                .map(SocketAddr::to_string)
                .collect::<Vec<_>>()
                .join(", ")
        };
        let mut all = vec![];
        for (variable, what, url, default) in [
            (
                "GOLIVE_CLERK_API_URL",
                "Clerk API",
                &self.clerk_api,
                &real.clerk_api,
            ),
            (
                "GOLIVE_VERCEL_API_URL",
                "Vercel API",
                &self.vercel_api,
                &real.vercel_api,
            ),
            (
                "GOLIVE_CLOUDFLARE_API_URL",
                "Cloudflare API",
                &self.cloudflare_api,
                &real.cloudflare_api,
            ),
            (
                "GOLIVE_NETLIFY_API_URL",
                "Netlify API",
                &self.netlify_api,
                &real.netlify_api,
            ),
            (
                "GOLIVE_RENDER_API_URL",
                "Render API",
                &self.render_api,
                &real.render_api,
            ),
            (
                "GOLIVE_SUPABASE_API_URL",
                "Supabase API",
                &self.supabase_api,
                &real.supabase_api,
            ),
        ] {
            if url != default {
                all.push(item(variable, what, url.to_string()));
            }
        }
        if let Some(url) = &self.supabase_project_url {
            all.push(item(
                "GOLIVE_SUPABASE_PROJECT_URL",
                "Supabase project API",
                url.to_string(),
            ));
        }
        for (provider, url) in &self.oauth_token_urls {
            all.push(item(
                &format!("GOLIVE_OAUTH_{}_TOKEN_URL", provider.to_ascii_uppercase()),
                &format!("{} OAuth token endpoint", capitalized(provider)),
                url.to_string(),
            ));
        }
        if !self.connect_to.is_empty() {
            let routes: Vec<String> = self
                .connect_to
                .iter()
                .map(|((host, port), addr)| format!("{host}:{port} → {addr}"))
                .collect();
            all.push(item(
                "GOLIVE_CONNECT_TO",
                "HTTPS probes' addresses",
                routes.join(", "),
            ));
        }
        if let Some(ca) = &self.extra_ca {
            all.push(item(
                "GOLIVE_EXTRA_CA",
                "extra CA, trusted for these hosts only",
                ca.display().to_string(),
            ));
        }
        if let Some(r) = &self.resolvers {
            all.push(item("GOLIVE_RESOLVERS", "public DNS resolvers", join(r)));
        }
        if let Some(a) = &self.authoritative {
            all.push(item(
                "GOLIVE_AUTHORITATIVE",
                "authoritative DNS servers",
                join(a),
            ));
        }
        if self.update_url != real.update_url {
            all.push(item(
                "GOLIVE_UPDATE_URL",
                "update server",
                self.update_url.to_string(),
            ));
        }
        if let Some(key) = &self.update_key {
            all.push(item(
                "GOLIVE_UPDATE_PUBKEY",
                "key updates are checked against, instead of Golive's release key",
                format!("minisign key {}", key.id()),
            ));
        }
        all
    }

    /// The hosts the `GOLIVE_*` variables point at, the only ones `GOLIVE_EXTRA_CA` may
    /// vouch for: the overridden API and token URLs and the `GOLIVE_CONNECT_TO` names.
    pub fn overridden_hosts(&self) -> std::collections::BTreeSet<String> {
        let real = Endpoints::default();
        let apis = [
            (&self.clerk_api, &real.clerk_api),
            (&self.vercel_api, &real.vercel_api),
            (&self.cloudflare_api, &real.cloudflare_api),
            (&self.netlify_api, &real.netlify_api),
            (&self.render_api, &real.render_api),
            (&self.supabase_api, &real.supabase_api),
        ];
        apis.into_iter()
            .filter(|(url, default)| url != default)
            .map(|(url, _)| url)
            .chain(&self.supabase_project_url)
            .chain(self.oauth_token_urls.values())
            .filter_map(host_name)
            .chain(self.connect_to.keys().map(|(host, _)| host.clone()))
            .collect()
    }

    /// A Supabase project's API base: `https://<ref>.supabase.co` unless overridden.
    pub fn supabase_project(&self, project_ref: &str) -> Result<Url> {
        match &self.supabase_project_url {
            Some(url) => Ok(url.clone()),
            None => Url::parse(&format!("https://{project_ref}.supabase.co"))
                .map_err(|e| Error::Config(format!("Supabase project {project_ref}: {e}"))),
        }
    }
}

fn capitalized(word: &str) -> String {
    let mut chars = word.chars();
    chars
        .next()
        .map(|c| c.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}

/// A URL's host as TLS names it: a lowercase DNS name or an IP address without brackets.
fn host_name(url: &Url) -> Option<String> {
    match url.host()? {
        Host::Domain(d) => Some(d.to_ascii_lowercase()),
        Host::Ipv4(ip) => Some(ip.to_string()),
        Host::Ipv6(ip) => Some(ip.to_string()),
    }
}

/// Where projects are saved: `GOLIVE_CONFIG_DIR`, else the platform's config dir + `APP_ID`.
pub fn config_dir() -> Result<PathBuf> {
    if let Some(dir) = std::env::var_os("GOLIVE_CONFIG_DIR").filter(|d| !d.is_empty()) {
        return Ok(PathBuf::from(dir));
    }
    dirs::config_dir()
        .map(|d| d.join(APP_ID))
        .ok_or_else(|| Error::Config("this system has no user config directory".into()))
}

/// The keychain service secrets are kept under: `GOLIVE_KEYCHAIN_SERVICE` (the sandbox demo's
/// own, so it never reads or writes the real entries), else `golive`.
pub fn keychain_service() -> String {
    keychain_service_from(std::env::var("GOLIVE_KEYCHAIN_SERVICE").ok())
}

fn keychain_service_from(value: Option<String>) -> String {
    value
        .map(|v| v.trim().to_string())
        .filter(|v| !v.is_empty())
        .unwrap_or_else(|| KEYCHAIN_SERVICE.to_string())
}

/// A base whose paths are relative to it (`…/api/v1` → `…/api/v1/`), so joining a path
/// keeps its last segment.
fn api_root(mut url: Url) -> Url {
    if !url.path().ends_with('/') {
        let path = format!("{}/", url.path());
        url.set_path(&path);
    }
    url
}

fn parse_url(name: &str, value: &str) -> Result<Url> {
    let url = Url::parse(value)
        .map_err(|e| Error::Config(format!("{name}={value} is not a URL ({e})")))?;
    if !matches!(url.scheme(), "http" | "https") {
        return Err(Error::Config(format!("{name} must be an http(s) URL")));
    }
    // Golive adds the credential itself; one in the URL would end up in messages.
    if !url.username().is_empty() || url.password().is_some() {
        return Err(Error::Config(format!(
            "{name} carries a user name or password; remove it from the URL"
        )));
    }
    // Secrets go to this address: in clear text only if they never leave this computer.
    if url.scheme() == "http" && !is_loopback(&url) {
        return Err(Error::Config(format!(
            "{name}={value} would send secrets unencrypted over the network. Use https://, \
             or plain http:// only to this computer (127.0.0.1, ::1 or localhost), or unset \
             {name} to use the real vendor."
        )));
    }
    Ok(url)
}

/// Like `parse_url`; what plain http would expose here is the update manifest, which is not
/// signed (only the download is), so it could be altered on the way.
fn parse_update_url(value: &str) -> Result<Url> {
    let name = "GOLIVE_UPDATE_URL";
    if Url::parse(value).is_ok_and(|url| url.scheme() == "http" && !is_loopback(&url)) {
        return Err(Error::Config(format!(
            "{name}={value} would fetch updates unencrypted over the network, where what \
             they announce can be altered on the way. Use https://, or plain http:// only to \
             this computer (127.0.0.1, ::1 or localhost), or unset {name} to use Golive's \
             releases."
        )));
    }
    parse_url(name, value)
}

/// 127.0.0.0/8, ::1 or `localhost`: addresses that never leave this computer.
pub fn is_loopback(url: &Url) -> bool {
    match url.host() {
        Some(Host::Domain(d)) => d.eq_ignore_ascii_case("localhost"),
        Some(Host::Ipv4(ip)) => ip.is_loopback(),
        Some(Host::Ipv6(ip)) => ip.is_loopback(),
        None => false,
    }
}

fn parse_addr(name: &str, s: &str, default_port: u16) -> Result<SocketAddr> {
    let s = s.trim();
    s.parse::<SocketAddr>()
        .or_else(|_| {
            s.parse::<std::net::IpAddr>()
                .map(|ip| SocketAddr::new(ip, default_port))
        })
        .map_err(|_| Error::Config(format!("{name}: \"{s}\" is not ip or ip:port")))
}

fn parse_addrs(name: &str, value: &str) -> Result<Vec<SocketAddr>> {
    value.split(',').map(|s| parse_addr(name, s, 53)).collect()
}

fn parse_connect_to(value: &str) -> Result<BTreeMap<(String, u16), SocketAddr>> {
    let bad = |item: &str| {
        Error::Config(format!(
            "GOLIVE_CONNECT_TO: \"{item}\" is not HOST:PORT:ADDR:PORT (as curl --connect-to)"
        ))
    };
    value
        .split(',')
        .map(|item| {
            let item = item.trim();
            let mut parts = item.splitn(3, ':');
            let (host, port, target) = (parts.next(), parts.next(), parts.next());
            match (host, port.and_then(|p| p.parse::<u16>().ok()), target) {
                (Some(h), Some(p), Some(t)) if !h.is_empty() => Ok((
                    (h.to_ascii_lowercase(), p),
                    parse_addr("GOLIVE_CONNECT_TO", t, 443).map_err(|_| bad(item))?,
                )),
                _ => Err(bad(item)),
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn vars(list: &[(&str, &str)]) -> Vec<(String, String)> {
        list.iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn the_keychain_service_is_golive_unless_overridden() {
        assert_eq!(keychain_service_from(None), "golive");
        assert_eq!(keychain_service_from(Some(" ".into())), "golive");
        assert_eq!(
            keychain_service_from(Some("golive-sandbox".into())),
            "golive-sandbox"
        );
    }

    #[test]
    fn defaults_are_the_real_vendors() {
        let e = Endpoints::from_vars(vec![]).unwrap();
        assert_eq!(e.clerk_api.as_str(), "https://api.clerk.com/");
        assert_eq!(e.vercel_api.as_str(), "https://api.vercel.com/");
        assert_eq!(e.supabase_api.as_str(), "https://api.supabase.com/");
        assert_eq!(e.cloudflare_api.as_str(), "https://api.cloudflare.com/");
        assert_eq!(e.netlify_api.as_str(), "https://api.netlify.com/api/v1/");
        assert_eq!(e.render_api.as_str(), "https://api.render.com/v1/");
        assert!(e.resolvers.is_none() && e.connect_to.is_empty());
    }

    #[test]
    fn every_variable_overrides() {
        let e = Endpoints::from_vars(vars(&[
            ("GOLIVE_CLERK_API_URL", "http://127.0.0.1:9000"),
            ("GOLIVE_VERCEL_API_URL", "http://127.0.0.1:9001"),
            ("GOLIVE_SUPABASE_API_URL", "http://127.0.0.1:9003"),
            ("GOLIVE_CLOUDFLARE_API_URL", "http://127.0.0.1:9004"),
            ("GOLIVE_NETLIFY_API_URL", "http://127.0.0.1:9005/api/v1"),
            ("GOLIVE_RENDER_API_URL", "http://127.0.0.1:9006/render/v1"),
            ("GOLIVE_RESOLVERS", "127.0.0.1:5300, 127.0.0.2"),
            ("GOLIVE_AUTHORITATIVE", "127.0.0.1:5301"),
            (
                "GOLIVE_CONNECT_TO",
                "clerk.quillmate.test:443:127.0.0.1:8443",
            ),
            (
                "GOLIVE_OAUTH_GOOGLE_TOKEN_URL",
                "http://127.0.0.1:9002/token",
            ),
            ("GOLIVE_HTTP_TIMEOUT_MS", "1500"),
        ]))
        .unwrap();
        assert_eq!(e.http_timeout, Duration::from_millis(1500));
        assert_eq!(e.clerk_api.port(), Some(9000));
        assert_eq!(e.vercel_api.port(), Some(9001));
        assert_eq!(e.supabase_api.port(), Some(9003));
        assert_eq!(e.cloudflare_api.port(), Some(9004));
        // Netlify's paths join under its root, `/api/v1/` kept.
        assert_eq!(
            e.netlify_api.join("sites/s1").unwrap().as_str(),
            "http://127.0.0.1:9005/api/v1/sites/s1"
        );
        assert_eq!(
            e.render_api.join("services/srv-1").unwrap().as_str(),
            "http://127.0.0.1:9006/render/v1/services/srv-1"
        );
        assert_eq!(
            e.resolvers.unwrap(),
            vec![
                "127.0.0.1:5300".parse().unwrap(),
                "127.0.0.2:53".parse().unwrap()
            ]
        );
        assert_eq!(e.authoritative.unwrap().len(), 1);
        assert_eq!(
            e.connect_to[&("clerk.quillmate.test".to_string(), 443)],
            "127.0.0.1:8443".parse().unwrap()
        );
        assert_eq!(e.oauth_token_urls["google"].path(), "/token");
    }

    #[test]
    fn bad_values_are_config_errors() {
        for (k, v) in [
            ("GOLIVE_CLERK_API_URL", "not a url"),
            ("GOLIVE_CLERK_API_URL", "ftp://x"),
            ("GOLIVE_RESOLVERS", "1.2.3"),
            ("GOLIVE_CONNECT_TO", "clerk.x:443"),
            ("GOLIVE_EXTRA_CA", "/no/such/file.pem"),
            ("GOLIVE_HTTP_TIMEOUT_MS", "0"),
            ("GOLIVE_HTTP_TIMEOUT_MS", "ten"),
        ] {
            let err = Endpoints::from_vars(vars(&[(k, v)])).unwrap_err();
            assert_eq!(err.code(), "config", "{k}={v}");
            assert!(err.to_string().contains(k), "{err}");
        }
    }

    #[test]
    fn plain_http_is_only_for_this_computer() {
        let url_vars = [
            "GOLIVE_CLERK_API_URL",
            "GOLIVE_VERCEL_API_URL",
            "GOLIVE_CLOUDFLARE_API_URL",
            "GOLIVE_SUPABASE_API_URL",
            "GOLIVE_OAUTH_GOOGLE_TOKEN_URL",
        ];
        for k in url_vars {
            for v in [
                "http://127.0.0.1:9000",
                "http://127.8.9.1/",
                "http://[::1]:9000",
                "http://localhost:9000/token",
                "http://LocalHost",
                "https://api.example.com",
                "https://10.0.0.1:8443",
            ] {
                assert!(Endpoints::from_vars(vars(&[(k, v)])).is_ok(), "{k}={v}");
            }
            for v in [
                "http://api.example.com",
                "http://10.0.0.1:9000",
                "http://[2001:db8::1]",
                "http://[::ffff:127.0.0.1]",
                "http://localhost.example.com",
                "http://127.0.0.1.nip.io",
                "http://0.0.0.0:9000",
            ] {
                let err = Endpoints::from_vars(vars(&[(k, v)])).unwrap_err();
                assert_eq!(err.code(), "config", "{k}={v}");
                let text = err.to_string();
                assert!(text.contains(k) && text.contains("unencrypted"), "{text}");
            }
        }
    }

    #[test]
    fn a_url_with_credentials_is_refused_without_echoing_them() {
        let err = Endpoints::from_vars(vars(&[(
            "GOLIVE_CLERK_API_URL",
            "https://user:hunter2hunter2@api.example.com",
        )]))
        .unwrap_err();
        let text = err.to_string();
        assert!(text.contains("GOLIVE_CLERK_API_URL"), "{text}");
        assert!(!text.contains("hunter2"), "{text}");
    }

    #[test]
    fn overrides_name_every_changed_address_and_nothing_else() {
        // Any readable file passes for the CA here; its contents are read by `trust`.
        const CA: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/Cargo.toml");
        assert!(Endpoints::from_vars(vec![]).unwrap().overrides().is_empty());
        // The real vendor's own address is no override.
        let same = Endpoints::from_vars(vars(&[("GOLIVE_CLERK_API_URL", "https://api.clerk.com")]));
        assert!(same.unwrap().overrides().is_empty());

        let e = Endpoints::from_vars(vars(&[
            ("GOLIVE_CLERK_API_URL", "http://127.0.0.1:9000"),
            ("GOLIVE_VERCEL_API_URL", "https://vercel.example.com"),
            ("GOLIVE_CLOUDFLARE_API_URL", "http://localhost:9004"),
            ("GOLIVE_SUPABASE_API_URL", "http://[::1]:9003"),
            (
                "GOLIVE_OAUTH_GOOGLE_TOKEN_URL",
                "http://127.0.0.1:9002/token",
            ),
            (
                "GOLIVE_CONNECT_TO",
                "clerk.quillmate.test:443:127.0.0.1:8443",
            ),
            ("GOLIVE_EXTRA_CA", CA),
            ("GOLIVE_RESOLVERS", "127.0.0.1:5300"),
            ("GOLIVE_AUTHORITATIVE", "127.0.0.1:5301"),
            ("GOLIVE_HTTP_TIMEOUT_MS", "1500"),
            ("GOLIVE_UPDATE_URL", "http://127.0.0.1:9005/latest.json"),
            ("GOLIVE_UPDATE_PUBKEY", TEST_KEY),
        ]))
        .unwrap();
        let shown: Vec<(String, String)> = e
            .overrides()
            .into_iter()
            .map(|o| (o.variable, o.address))
            .collect();
        let shown: Vec<(&str, &str)> = shown.iter().map(|(v, a)| (&v[..], &a[..])).collect();
        assert_eq!(
            shown,
            [
                ("GOLIVE_CLERK_API_URL", "http://127.0.0.1:9000/"),
                ("GOLIVE_VERCEL_API_URL", "https://vercel.example.com/"),
                ("GOLIVE_CLOUDFLARE_API_URL", "http://localhost:9004/"),
                ("GOLIVE_SUPABASE_API_URL", "http://[::1]:9003/"),
                (
                    "GOLIVE_OAUTH_GOOGLE_TOKEN_URL",
                    "http://127.0.0.1:9002/token"
                ),
                (
                    "GOLIVE_CONNECT_TO",
                    "clerk.quillmate.test:443 → 127.0.0.1:8443"
                ),
                ("GOLIVE_EXTRA_CA", CA),
                ("GOLIVE_RESOLVERS", "127.0.0.1:5300"),
                ("GOLIVE_AUTHORITATIVE", "127.0.0.1:5301"),
                ("GOLIVE_UPDATE_URL", "http://127.0.0.1:9005/latest.json"),
                ("GOLIVE_UPDATE_PUBKEY", "minisign key A12FE70843C26CF2"),
            ]
        );
    }

    // A test key's public half (`tauri signer generate`).
    const TEST_KEY: &str = "dW50cnVzdGVkIGNvbW1lbnQ6IG1pbmlzaWduIHB1YmxpYyBrZXk6IEExMkZFNzA4NDNDMjZDRjIKUldUeWJNSkRDT2N2b1VLNnlmTS92RE5vc1kvaTRvTy82S3ViTGQ2NWZtMUNpdmwrZnMwM3RycisK";

    #[test]
    fn updates_come_from_golive_releases_unless_overridden() {
        let e = Endpoints::from_vars(vec![]).unwrap();
        assert_eq!(e.update_url.as_str(), UPDATE_URL);
        assert!(e.update_key.is_none());
        for url in [
            "http://127.0.0.1:9005/latest.json",
            "http://localhost/latest.json",
            "https://updates.example.com/latest.json",
        ] {
            let e = Endpoints::from_vars(vars(&[("GOLIVE_UPDATE_URL", url)])).unwrap();
            assert_eq!(e.update_url.as_str(), url);
        }
        for url in [
            "http://updates.example.com/latest.json",
            "http://10.0.0.1/x",
        ] {
            let err = Endpoints::from_vars(vars(&[("GOLIVE_UPDATE_URL", url)])).unwrap_err();
            let text = err.to_string();
            assert_eq!(err.code(), "config");
            assert!(
                text.contains("GOLIVE_UPDATE_URL") && text.contains("unencrypted"),
                "{text}"
            );
        }
    }

    #[test]
    fn another_update_key_is_taken_only_with_an_update_server_on_this_computer() {
        let local = Endpoints::from_vars(vars(&[
            ("GOLIVE_UPDATE_PUBKEY", TEST_KEY),
            ("GOLIVE_UPDATE_URL", "http://[::1]:9005/latest.json"),
        ]))
        .unwrap();
        assert_eq!(local.update_key.unwrap().id(), "A12FE70843C26CF2");

        for others in [
            vec![],
            vec![(
                "GOLIVE_UPDATE_URL",
                "https://updates.example.com/latest.json",
            )],
            vec![("GOLIVE_UPDATE_URL", UPDATE_URL)],
        ] {
            let mut list = others.clone();
            list.push(("GOLIVE_UPDATE_PUBKEY", TEST_KEY));
            let err = Endpoints::from_vars(vars(&list)).unwrap_err();
            let text = err.to_string();
            assert_eq!(err.code(), "config", "{others:?}");
            assert!(
                text.contains("GOLIVE_UPDATE_PUBKEY") && text.contains("this computer"),
                "{text}"
            );
        }

        let err = Endpoints::from_vars(vars(&[
            ("GOLIVE_UPDATE_URL", "http://127.0.0.1:9005/latest.json"),
            (
                "GOLIVE_UPDATE_PUBKEY",
                "RWTybMJDCOcvoUK6yfM/vDNosY/i4oO/6KubLd65fm1Civl+fs03trr+",
            ),
        ]))
        .unwrap_err();
        assert!(
            err.to_string().contains("not a minisign public key"),
            "{err}"
        );
    }

    #[test]
    fn overridden_hosts_are_the_changed_addresses_only() {
        let e = Endpoints::from_vars(vars(&[
            ("GOLIVE_CLERK_API_URL", "https://Clerk.Example.test:8443"),
            ("GOLIVE_SUPABASE_API_URL", "https://api.supabase.com"),
            ("GOLIVE_OAUTH_GOOGLE_TOKEN_URL", "https://[::1]:9002/token"),
            (
                "GOLIVE_CONNECT_TO",
                "accounts.quillmate.test:443:127.0.0.1:8443",
            ),
        ]))
        .unwrap();
        let hosts: Vec<String> = e.overridden_hosts().into_iter().collect();
        assert_eq!(
            hosts,
            ["::1", "accounts.quillmate.test", "clerk.example.test"]
        );
        assert!(Endpoints::default().overridden_hosts().is_empty());
    }
}
