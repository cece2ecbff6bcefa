#![recursion_limit = "256"] // the Frontend API fake's environment body is one large json! literal
//! Golive's sandbox: local fakes of every outside service, on loopback, with named scenarios.
//! Tests start it in-process; `golive-sandbox` runs it for people and the e2e tests.

pub mod build;
pub mod clerk;
pub mod cloudflare;
pub mod demo;
pub mod dns;
pub mod faults;
pub mod netlify;
pub mod oauth;
pub mod render;
pub mod scenario;
pub mod site;
pub mod site_csp;
pub mod site_webhook;
pub mod supabase;
pub mod tls;
pub mod update;
pub mod vercel;

use std::net::SocketAddr;
use std::sync::{Arc, Mutex};

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::routing::post;
use axum::Router;
use tokio::net::TcpListener;
use tokio::task::JoinHandle;

pub use scenario::Scenario;
use scenario::{Shared, World, PLATFORM_KEY};

/// The production domain every scenario is about (`.test` is reserved, so never real).
pub const DOMAIN: &str = "quillmate.test";

/// A running sandbox. Dropping it stops its servers.
pub struct Sandbox {
    pub world: Shared,
    /// Clerk's Backend and Platform APIs, Supabase's Management API, Vercel's and
    /// Cloudflare's APIs (plain HTTP, told apart by path), plus `/__sandbox` controls.
    pub clerk_api: SocketAddr,
    /// HTTPS for `clerk.<domain>` and `accounts.<domain>` (of Clerk's domain in the layout,
    /// and the satellite's `clerk.`), and Clerk's shared host.
    pub frontend: SocketAddr,
    /// HTTPS for the site itself (`<domain>`, `www.<domain>`, `app.<domain>`).
    pub site: SocketAddr,
    /// HTTPS for the development instance's Frontend API.
    pub dev_frontend: SocketAddr,
    /// The zone's authoritative server, and two public resolvers (the second lags when the
    /// scenario is `propagating`).
    pub authoritative: SocketAddr,
    pub public: Vec<SocketAddr>,
    /// Golive's update server: the running version until a test publishes another.
    pub updates: update::UpdateServer,
    ca_file: tempfile::NamedTempFile,
    apple_key_file: tempfile::NamedTempFile,
    tasks: Vec<JoinHandle<()>>,
    _dns: Vec<hickory_server::server::Server<dns::ZoneServer>>,
}

impl Sandbox {
    pub async fn start(scenario: Scenario) -> std::io::Result<Sandbox> {
        let world: Shared = Arc::new(Mutex::new(World::new(scenario)));

        let api_listener = TcpListener::bind(("127.0.0.1", 0)).await?;
        let clerk_api = api_listener.local_addr()?;
        let api = Router::new()
            .merge(clerk::backend::routes())
            .merge(clerk::platform::routes())
            .merge(supabase::routes())
            .merge(vercel::routes())
            .merge(netlify::routes())
            .merge(render::routes())
            .merge(cloudflare::routes())
            .merge(oauth::routes())
            .layer(axum::middleware::from_fn_with_state(
                world.clone(),
                faults::inject,
            ))
            .layer(axum::middleware::from_fn(faults::delay))
            .layer(axum::middleware::from_fn_with_state(world.clone(), record))
            .route("/__sandbox/scenario/{name}", post(switch_scenario))
            .with_state(world.clone());
        let api_task = tokio::spawn(async move {
            let _ = axum::serve(api_listener, api).await;
        });

        // Every layout's names: the app's subdomain, Clerk on it, the satellite.
        let ca = Arc::new(tls::TestCa::new(&[
            DOMAIN,
            scenario::APP_SUBDOMAIN,
            scenario::SATELLITE_DOMAIN,
        ]));
        let mut ca_file = tempfile::NamedTempFile::new()?;
        std::io::Write::write_all(&mut ca_file, ca.pem.as_bytes())?;
        let mut apple_key_file = tempfile::NamedTempFile::new()?;
        std::io::Write::write_all(
            &mut apple_key_file,
            oauth::apple_key().serialize_pem().as_bytes(),
        )?;
        let fapi_listener = TcpListener::bind(("127.0.0.1", 0)).await?;
        let frontend = fapi_listener.local_addr()?;
        let fapi_task = tokio::spawn(clerk::frontend::serve(
            fapi_listener,
            world.clone(),
            ca.clone(),
        ));
        let dev_listener = TcpListener::bind(("127.0.0.1", 0)).await?;
        let dev_frontend = dev_listener.local_addr()?;
        let dev_task = tokio::spawn(clerk::frontend::serve_development(
            dev_listener,
            world.clone(),
            ca.clone(),
        ));
        let site_listener = TcpListener::bind(("127.0.0.1", 0)).await?;
        let site = site_listener.local_addr()?;
        let site_task = tokio::spawn(site::serve(site_listener, world.clone(), ca));

        let delay = faults::dns_delay();
        let (authoritative, auth_server) =
            dns::serve(world.clone(), dns::View::Authoritative, delay).await?;
        let (public_a, public_a_server) =
            dns::serve(world.clone(), dns::View::Public, delay).await?;
        let (public_b, public_b_server) =
            dns::serve(world.clone(), dns::View::LaggingPublic, delay).await?;

        let updates = update::UpdateServer::start().await?;

        Ok(Sandbox {
            world,
            clerk_api,
            frontend,
            site,
            dev_frontend,
            authoritative,
            public: vec![public_a, public_b],
            updates,
            ca_file,
            apple_key_file,
            tasks: vec![api_task, fapi_task, site_task, dev_task],
            _dns: vec![auth_server, public_a_server, public_b_server],
        })
    }

    /// Every DNS query and HTTPS request the sandbox has received so far.
    pub fn probes(&self) -> Vec<Probe> {
        self.world.lock().unwrap().probes.clone()
    }

    /// The test CA's certificate (PEM), which the sandbox's HTTPS servers chain to.
    pub fn ca_path(&self) -> &std::path::Path {
        self.ca_file.path()
    }

    /// Every request the vendor fakes have received so far.
    pub fn requests(&self) -> Vec<Recorded> {
        self.world.lock().unwrap().requests.clone()
    }

    pub fn scenario(&self) -> Scenario {
        self.world.lock().unwrap().scenario.clone()
    }

    /// Makes every `method` request to `path` answer `kind` from now on.
    pub fn fault(&self, method: &str, path: &str, kind: faults::FaultKind) {
        self.world.lock().unwrap().faults.push(faults::Fault {
            method: method.into(),
            path: path.into(),
            kind,
        });
    }

    /// Replaces the world with a fresh one for `scenario` (as `POST /__sandbox/scenario/…`).
    pub fn switch(&self, scenario: Scenario) {
        self.world.lock().unwrap().reset(scenario);
    }

    /// The `GOLIVE_*` variables that point the app or the CLI at this sandbox.
    /// Every outside address is covered, so nothing can reach a real vendor.
    pub fn env(&self) -> Vec<(String, String)> {
        let api = format!("http://{}", self.clerk_api);
        let (fapi, site, dev) = (self.frontend, self.site, self.dev_frontend);
        let dev_host = scenario::DEV_FRONTEND_API;
        let (app, satellite) = (scenario::APP_SUBDOMAIN, scenario::SATELLITE_DOMAIN);
        [
            ("GOLIVE_CLERK_API_URL", api.clone()),
            (
                "GOLIVE_CONNECT_TO",
                format!(
                    "clerk.{DOMAIN}:443:{fapi},accounts.{DOMAIN}:443:{fapi},\
                     {DOMAIN}:443:{site},www.{DOMAIN}:443:{site},{dev_host}:443:{dev},\
                     {app}:443:{site},clerk.{app}:443:{fapi},accounts.{app}:443:{fapi},\
                     clerk.{satellite}:443:{fapi}"
                ),
            ),
            ("GOLIVE_EXTRA_CA", self.ca_file.path().display().to_string()),
            ("GOLIVE_SUPABASE_API_URL", api.clone()),
            // The project's Data API (`/rest/v1/`) is served by the same plain-HTTP server.
            ("GOLIVE_SUPABASE_PROJECT_URL", api.clone()),
            ("GOLIVE_VERCEL_API_URL", api.clone()),
            ("GOLIVE_CLOUDFLARE_API_URL", api.clone()),
            ("GOLIVE_NETLIFY_API_URL", format!("{api}/api/v1")),
            ("GOLIVE_RENDER_API_URL", format!("{api}/render/v1")),
            ("GOLIVE_RESOLVERS", join(&self.public)),
            ("GOLIVE_AUTHORITATIVE", self.authoritative.to_string()),
            ("GOLIVE_UPDATE_URL", self.updates.url()),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_string(), v))
        .chain(oauth::CLIENTS.iter().map(|c| {
            (
                format!("GOLIVE_OAUTH_{}_TOKEN_URL", c.provider.to_ascii_uppercase()),
                format!("{api}/oauth/{}/token", c.provider),
            )
        }))
        .collect()
    }

    /// The keys the scenario's user has at hand, as environment variables.
    pub fn key_env(&self) -> Vec<(String, String)> {
        let mut vars = self.scenario().key_env();
        vars.extend(self.oauth_env());
        vars
    }

    /// The sandbox app's production OAuth credentials, as the CLI reads them. Apple's
    /// secret is the path of its .p8 file.
    pub fn oauth_env(&self) -> Vec<(String, String)> {
        let mut vars: Vec<(String, String)> = oauth::CLIENTS
            .iter()
            .flat_map(|c| {
                let p = c.provider.to_ascii_uppercase();
                let secret = if c.provider == "apple" {
                    self.apple_key_file.path().display().to_string()
                } else {
                    c.secret.to_string()
                };
                [
                    (format!("OAUTH_{p}_CLIENT_ID"), c.client_id.to_string()),
                    (format!("OAUTH_{p}_CLIENT_SECRET"), secret),
                ]
            })
            .collect();
        vars.push(("OAUTH_APPLE_TEAM_ID".into(), oauth::APPLE_TEAM_ID.into()));
        vars.push(("OAUTH_APPLE_KEY_ID".into(), oauth::APPLE_KEY_ID.into()));
        vars
    }

    /// Every secret a user of this sandbox could hand Golive — keys, tokens, OAuth client
    /// secrets, the Apple .p8 key's body, webhook signing secrets, the webhook dashboard's
    /// login key — for tests that prove none of them leaks.
    pub fn canaries(&self) -> Vec<String> {
        use scenario::*;
        let mut all: Vec<String> = [
            LIVE_SECRET_KEY,
            OTHER_SECRET_KEY,
            DEV_SECRET_KEY,
            PLATFORM_KEY,
            SUPABASE_TOKEN,
            VERCEL_TOKEN,
            CLOUDFLARE_TOKEN,
            LIVE_WEBHOOK_SECRET,
            DEV_WEBHOOK_SECRET,
            SVIX_LOGIN_KEY,
        ]
        .into_iter()
        .chain(oauth::CLIENTS.iter().map(|c| c.secret))
        .filter(|s| !s.is_empty())
        .map(str::to_string)
        .collect();
        let pem = std::fs::read_to_string(self.apple_key_file.path()).unwrap_or_default();
        all.extend(
            pem.lines()
                .filter(|l| !l.starts_with("-----") && l.len() >= 32)
                .map(str::to_string),
        );
        // And every ticket, session token, cookie and testing token the fakes handed out.
        all.extend(self.world.lock().unwrap().issued_secrets.iter().cloned());
        all
    }

    /// The users each instance has now.
    pub fn users(&self) -> Vec<clerk::accounts::User> {
        self.world.lock().unwrap().accounts.users.clone()
    }

    /// Every session ever created, with its status (`active`, `revoked`, `removed`).
    pub fn sessions(&self) -> Vec<clerk::accounts::Session> {
        self.world.lock().unwrap().accounts.sessions.clone()
    }

    /// Every sign-in token ever created, with its status.
    pub fn sign_in_tokens(&self) -> Vec<clerk::accounts::SignInToken> {
        self.world.lock().unwrap().accounts.sign_in_tokens.clone()
    }

    /// Every request the Frontend APIs (production and development) received.
    pub fn frontend_requests(&self) -> Vec<Recorded> {
        self.world.lock().unwrap().frontend_requests.clone()
    }

    pub fn platform_key_env(&self) -> Vec<(String, String)> {
        vec![("CLERK_PLATFORM_API_KEY".into(), PLATFORM_KEY.into())]
    }
}

/// A DNS query or an HTTPS request (Frontend API, site) the sandbox received.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Probe {
    Dns {
        server: SocketAddr,
        name: String,
        record_type: String,
    },
    Https {
        /// The `Host` the client asked for.
        host: String,
        path: String,
    },
}

/// A request the fakes received, kept so contract tests can check what Golive sends.
#[derive(Debug, Clone)]
pub struct Recorded {
    /// The `Host` asked for (the Frontend APIs' requests are told apart by it).
    pub host: String,
    pub method: String,
    pub path: String,
    pub query: Option<String>,
    /// A JSON body, or a form body as an object of strings.
    pub body: Option<serde_json::Value>,
    /// What the fake answered, so contract tests can check responses too.
    pub status: u16,
    pub response: Option<serde_json::Value>,
    /// The Authorization header, so a benchmark can replay the request.
    pub authorization: Option<String>,
}

async fn record(
    State(world): State<Shared>,
    req: axum::extract::Request,
    next: axum::middleware::Next,
) -> axum::response::Response {
    let (recorded, resp) = capture(req, next).await;
    world.lock().unwrap().requests.push(recorded);
    resp
}

/// Middleware for the Frontend APIs: keeps each request and its answer, as `record` does.
pub async fn record_frontend(
    State(world): State<Shared>,
    req: axum::extract::Request,
    next: axum::middleware::Next,
) -> axum::response::Response {
    let (recorded, resp) = capture(req, next).await;
    world.lock().unwrap().frontend_requests.push(recorded);
    resp
}

/// A JSON body as is; a form body as an object of its fields.
fn body_value(content_type: Option<&str>, bytes: &[u8]) -> Option<serde_json::Value> {
    if content_type.is_some_and(|c| c.starts_with("application/x-www-form-urlencoded")) {
        let pairs: Vec<(String, String)> = serde_urlencoded::from_bytes(bytes).ok()?;
        return Some(serde_json::Value::Object(
            pairs.into_iter().map(|(k, v)| (k, v.into())).collect(),
        ));
    }
    serde_json::from_slice(bytes).ok()
}

async fn capture(
    req: axum::extract::Request,
    next: axum::middleware::Next,
) -> (Recorded, axum::response::Response) {
    let (parts, body) = req.into_parts();
    let bytes = axum::body::to_bytes(body, 1 << 20)
        .await
        .unwrap_or_default();
    let header = |name: &str| {
        parts
            .headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .map(str::to_string)
    };
    let mut recorded = Recorded {
        host: header("host")
            .unwrap_or_default()
            .split(':')
            .next()
            .unwrap_or_default()
            .to_string(),
        method: parts.method.to_string(),
        path: parts.uri.path().to_string(),
        query: parts.uri.query().map(str::to_string),
        body: body_value(header("content-type").as_deref(), &bytes),
        status: 0,
        response: None,
        authorization: header("authorization"),
    };
    let resp = next
        .run(axum::extract::Request::from_parts(
            parts,
            axum::body::Body::from(bytes),
        ))
        .await;
    let (parts, body) = resp.into_parts();
    // Room for a `Padded` answer, so it reaches the client whole.
    let bytes = axum::body::to_bytes(body, 2 * faults::PADDING)
        .await
        .unwrap_or_default();
    recorded.status = parts.status.as_u16();
    recorded.response = serde_json::from_slice(&bytes).ok();
    (
        recorded,
        axum::response::Response::from_parts(parts, axum::body::Body::from(bytes)),
    )
}

/// Middleware for the HTTPS servers: notes each request as a probe.
pub async fn note_https(
    State(world): State<Shared>,
    req: axum::extract::Request,
    next: axum::middleware::Next,
) -> axum::response::Response {
    let host = req
        .headers()
        .get("host")
        .and_then(|h| h.to_str().ok())
        .unwrap_or_default();
    let probe = Probe::Https {
        host: host.split(':').next().unwrap_or_default().to_string(),
        path: req.uri().path().to_string(),
    };
    world.lock().unwrap().probes.push(probe);
    next.run(req).await
}

fn join(addrs: &[SocketAddr]) -> String {
    addrs
        .iter()
        .map(|a| a.to_string())
        .collect::<Vec<_>>()
        .join(",")
}

async fn switch_scenario(State(world): State<Shared>, Path(name): Path<String>) -> StatusCode {
    match Scenario::named(&name) {
        Some(s) => {
            world.lock().unwrap().reset(s);
            StatusCode::NO_CONTENT
        }
        None => StatusCode::NOT_FOUND,
    }
}

impl Drop for Sandbox {
    fn drop(&mut self) {
        for t in &self.tasks {
            t.abort();
        }
    }
}
