//! The site's protected path, as a Next.js app with `clerkMiddleware()` and `auth.protect()`
//! answers it. The rules are clerk/javascript's (packages/backend/src/tokens/request.ts,
//! handshake.ts, authenticateContext.ts; packages/nextjs/src/server/protect.ts,
//! clerkMiddleware.ts): `__session` is verified with the JWKS of the instance whose secret key
//! the server holds; a page load whose state is unknown is redirected through the handshake
//! of the publishable key's Frontend API, at most three times in a row; a signed-out page
//! load goes to sign-in, any other signed-out request gets a 404.

use axum::extract::State;
use axum::http::{header, HeaderMap, Method, StatusCode, Uri};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::any;
use axum::Router;

use crate::clerk::accounts::now_ms;
use crate::clerk::{cookie, keys};
use crate::scenario::{Shared, World};

/// The path the sandbox app protects (and everything under it).
pub const PROTECTED_PATH: &str = "/dashboard";
/// Clerk's handshake loop counter cookie, and the count at which it stops redirecting.
pub const REDIRECT_COUNT_COOKIE: &str = "__clerk_redirect_count";
pub const MAX_HANDSHAKES: u32 = 3;
/// The Frontend API version Clerk's middleware announces.
const API_VERSION: &str = "2026-05-12";
/// Clerk's clock skew allowance when checking `exp`, `nbf` and `iat`.
const SKEW_SECONDS: u64 = 5;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Status {
    SignedIn,
    SignedOut,
    Handshake,
}

impl Status {
    fn header(self) -> &'static str {
        match self {
            Status::SignedIn => "signed-in",
            Status::SignedOut => "signed-out",
            Status::Handshake => "handshake",
        }
    }
}

/// What `authenticateRequest` decided, with the headers it adds.
struct RequestState {
    status: Status,
    reason: Option<String>,
    location: Option<String>,
    set_cookies: Vec<String>,
}

impl RequestState {
    fn new(status: Status, reason: &str) -> RequestState {
        RequestState {
            status,
            reason: (!reason.is_empty()).then(|| reason.to_string()),
            location: None,
            set_cookies: vec![],
        }
    }
}

/// One request, as the middleware sees it.
struct Request<'a> {
    world: &'a World,
    method: &'a Method,
    headers: &'a HeaderMap,
    /// The full URL asked for.
    url: String,
    query: Vec<(String, String)>,
    /// The Frontend API host of the server's publishable key, and its secret key.
    frontend_api: &'static str,
    secret_key: &'static str,
    /// The server's proxy URL (`CLERK_PROXY_URL`), through which its handshakes go.
    proxy_url: Option<&'static str>,
}

impl Request<'_> {
    fn development(&self) -> bool {
        self.frontend_api.ends_with(".clerk.accounts.dev")
    }

    fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }

    fn query(&self, name: &str) -> Option<&str> {
        self.query
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    /// A query parameter, else a cookie.
    fn param(&self, name: &str) -> Option<String> {
        self.query(name)
            .map(str::to_string)
            .or_else(|| cookie(self.headers, name))
    }

    /// The claims of a session token signed by the instance whose secret key the server
    /// holds (its JWKS comes from the Backend API with that key), or Clerk's reason.
    fn verify(&self, token: &str) -> Result<serde_json::Value, &'static str> {
        let instance = self
            .world
            .instance_for(self.secret_key)
            .ok_or("secret-key-invalid")?;
        let claims = keys::verify(token, &[instance.id]).map_err(|e| match e {
            keys::Rejected::Malformed => "token-invalid",
            keys::Rejected::KidMismatch => "jwk-kid-mismatch",
            keys::Rejected::BadSignature => "token-invalid-signature",
        })?;
        if claims["sub"].as_str().is_none() {
            return Err("token-verification-failed");
        }
        let now = now_ms() / 1000;
        let at = |k: &str| claims[k].as_u64();
        if at("exp").is_some_and(|exp| exp + SKEW_SECONDS <= now) {
            return Err("token-expired");
        }
        if at("nbf").is_some_and(|nbf| nbf > now + SKEW_SECONDS) {
            return Err("token-not-active-yet");
        }
        if at("iat").is_some_and(|iat| iat > now + SKEW_SECONDS) {
            return Err("token-iat-in-the-future");
        }
        Ok(claims)
    }

    /// `isRequestEligibleForHandshake`: a GET for a document.
    fn eligible_for_handshake(&self) -> bool {
        let dest = self.header("sec-fetch-dest");
        *self.method == Method::GET
            && match dest {
                Some(d) => d == "document" || d == "iframe",
                None => self
                    .header("accept")
                    .is_some_and(|a| a.starts_with("text/html")),
            }
    }

    /// `handleMaybeHandshakeStatus`: a handshake redirect if this is a page load and the
    /// loop counter allows one more, else signed out for the same reason.
    fn maybe_handshake(&self, reason: &str, session: Option<&str>, suffixed: bool) -> RequestState {
        if !self.eligible_for_handshake() {
            return RequestState::new(Status::SignedOut, reason);
        }
        let count: u32 = cookie(self.headers, REDIRECT_COUNT_COOKIE)
            .and_then(|c| c.parse().ok())
            .unwrap_or(0);
        if count == MAX_HANDSHAKES {
            // Clerk logs: "Refreshing the session token resulted in an infinite redirect
            // loop. This usually means that your Clerk instance keys do not match".
            return RequestState::new(Status::SignedOut, reason);
        }
        let mut state = RequestState::new(Status::Handshake, reason);
        state.location = Some(self.handshake_url(reason, session, suffixed));
        state.set_cookies.push(format!(
            "{REDIRECT_COUNT_COOKIE}={}; SameSite=Lax; HttpOnly; Max-Age=2",
            count + 1
        ));
        state
    }

    fn handshake_url(&self, reason: &str, session: Option<&str>, suffixed: bool) -> String {
        let mut params = vec![
            ("redirect_url", without_dev_browser(&self.url)),
            ("__clerk_api_version", API_VERSION.to_string()),
            ("suffixed_cookies", suffixed.to_string()),
            ("__clerk_hs_reason", reason.to_string()),
            ("format", "nonce".to_string()),
        ];
        if let Some(s) = session {
            params.push(("__session", s.to_string()));
        }
        if self.development() {
            if let Some(db) = self.param("__clerk_db_jwt") {
                params.push(("__clerk_db_jwt", db));
            }
        }
        // With a proxy URL the handshake goes through the proxy (shared keys.ts
        // `parsePublishableKey`: the context's `frontendApi` is then the proxy URL).
        let base = match self.proxy_url {
            Some(url) => url.to_string(),
            None => format!("https://{}", self.frontend_api),
        };
        format!(
            "{base}/v1/client/handshake?{}",
            serde_urlencoded::to_string(params).unwrap()
        )
    }

    /// `resolveHandshake`: the Frontend API's signed cookie directives, applied. `Err` when
    /// the handshake token or the session token in it does not verify with the server's keys.
    fn resolve_handshake(&self, token: &str) -> Result<RequestState, ()> {
        let instance = self.world.instance_for(self.secret_key).ok_or(())?;
        let payload = keys::verify(token, &[instance.id]).map_err(|_| ())?;
        let directives: Vec<String> = payload["handshake"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|d| d.as_str().map(str::to_string))
            .collect();
        let session = directives
            .iter()
            .find_map(|d| d.strip_prefix("__session="))
            .and_then(|d| d.split(';').next())
            .unwrap_or_default()
            .to_string();
        let mut state = if session.is_empty() {
            RequestState::new(Status::SignedOut, "session-token-missing")
        } else {
            self.verify(&session).map_err(|_| ())?;
            RequestState::new(Status::SignedIn, "")
        };
        state.set_cookies = directives;
        if self.development() {
            // Development drops the handshake from the URL with one more redirect.
            let clean = strip_params(
                &self.url,
                &[
                    "__clerk_handshake",
                    "__clerk_help",
                    "__clerk_db_jwt",
                    "__clerk_handshake_nonce",
                ],
            );
            state.location = Some(clean);
        }
        Ok(state)
    }

    /// `authenticateRequestWithTokenInCookie`, for a primary domain (no satellites).
    fn authenticate(&self) -> Result<RequestState, String> {
        if let Some(token) = self.param("__clerk_handshake") {
            match self.resolve_handshake(&token) {
                Ok(state) => return Ok(state),
                // Development stops with an error (a key switch); production logs and goes
                // on, so a handshake signed for another instance sends the browser round again.
                Err(()) if self.development() => {
                    return Err(
                        "Clerk: Handshake token verification failed due to an invalid \
                                signature. If you have switched Clerk keys locally, clear your \
                                cookies and try again."
                            .into(),
                    )
                }
                Err(()) => {}
            }
        }
        let mut session = cookie(self.headers, "__session");
        let mut uat: u64 = cookie(self.headers, "__client_uat")
            .and_then(|c| c.parse().ok())
            .unwrap_or(0);
        // A token of another instance means this browser's cookies for this app are the
        // suffixed ones (`__session_<suffix>`), which the sandbox's clients never send.
        let suffixed = session.as_deref().is_some_and(|s| {
            keys::decode(s).is_some_and(|(_, c)| {
                c["iss"].as_str().is_some_and(|iss| {
                    iss.trim_start_matches("https://")
                        .trim_start_matches("http://")
                        != self.frontend_api
                })
            })
        });
        if suffixed {
            (session, uat) = (None, 0);
        }
        if self.development() {
            if self.query("__clerk_db_jwt").is_some() {
                return Ok(self.maybe_handshake("dev-browser-sync", session.as_deref(), suffixed));
            }
            if self.param("__clerk_db_jwt").is_none() {
                return Ok(self.maybe_handshake(
                    "dev-browser-missing",
                    session.as_deref(),
                    suffixed,
                ));
            }
        }
        let Some(token) = session.as_deref() else {
            return Ok(if uat == 0 {
                RequestState::new(Status::SignedOut, "session-token-and-uat-missing")
            } else {
                self.maybe_handshake("client-uat-but-no-session-token", None, suffixed)
            });
        };
        if uat == 0 {
            return Ok(self.maybe_handshake(
                "session-token-but-no-client-uat",
                session.as_deref(),
                suffixed,
            ));
        }
        let Some((_, claims)) = keys::decode(token) else {
            return Ok(RequestState::new(Status::SignedOut, "token-invalid"));
        };
        if claims["iat"].as_u64().unwrap_or(0) < uat {
            return Ok(self.maybe_handshake(
                "session-token-iat-before-client-uat",
                Some(token),
                suffixed,
            ));
        }
        Ok(match self.verify(token) {
            Ok(_) => RequestState::new(Status::SignedIn, ""),
            Err("token-expired") => {
                let refresh = if *self.method == Method::GET {
                    "non-eligible-no-refresh-cookie"
                } else {
                    "non-eligible-non-get"
                };
                self.maybe_handshake(
                    &format!("session-token-expired-refresh-{refresh}"),
                    Some(token),
                    suffixed,
                )
            }
            Err("token-not-active-yet") => {
                self.maybe_handshake("session-token-nbf", Some(token), suffixed)
            }
            Err("token-iat-in-the-future") => {
                self.maybe_handshake("session-token-iat-in-the-future", Some(token), suffixed)
            }
            Err(reason) => RequestState::new(Status::SignedOut, reason),
        })
    }

    /// protect.ts `isPageRequest`: wider than handshake eligibility.
    fn page_request(&self) -> bool {
        let dest = self.header("sec-fetch-dest");
        dest == Some("document")
            || dest == Some("iframe")
            || self
                .header("accept")
                .is_some_and(|a| a.contains("text/html"))
            || (self.header("next-url").is_some() && !self.server_action())
            || self.header("x-nextjs-data").is_some()
    }

    fn server_action(&self) -> bool {
        self.header("next-url").is_some()
            && (self
                .header("accept")
                .is_some_and(|a| a.contains("text/x-component"))
                || self
                    .header("content-type")
                    .is_some_and(|c| c.contains("multipart/form-data"))
                || self.header("next-action").is_some())
    }

    /// Where `redirectToSignIn()` sends a signed-out page load: the Account Portal of the
    /// publishable key's instance, back to this URL afterwards.
    fn sign_in_url(&self) -> String {
        let mut params = vec![("redirect_url", self.url.clone())];
        if self.development() {
            if let Some(db) = self.param("__clerk_db_jwt") {
                params.push(("__clerk_db_jwt", db));
            }
        }
        format!(
            "https://{}/sign-in?{}",
            accounts_host(self.frontend_api),
            serde_urlencoded::to_string(params).unwrap()
        )
    }
}

/// shared `buildAccountsBaseUrl`: `clerk.` (or `clerk.accounts.`) becomes `accounts.`.
pub fn accounts_host(frontend_api: &str) -> String {
    match frontend_api.find("clerk.") {
        Some(i) if frontend_api[i..].starts_with("clerk.accounts.") => format!(
            "{}accounts.{}",
            &frontend_api[..i],
            &frontend_api[i + "clerk.accounts.".len()..]
        ),
        Some(i) => format!(
            "{}accounts.{}",
            &frontend_api[..i],
            &frontend_api[i + "clerk.".len()..]
        ),
        None => frontend_api.to_string(),
    }
}

fn strip_params(url: &str, names: &[&str]) -> String {
    let Some((base, query)) = url.split_once('?') else {
        return url.to_string();
    };
    let kept: Vec<(String, String)> = serde_urlencoded::from_str::<Vec<(String, String)>>(query)
        .unwrap_or_default()
        .into_iter()
        .filter(|(k, _)| !names.contains(&k.as_str()))
        .collect();
    if kept.is_empty() {
        base.to_string()
    } else {
        format!("{base}?{}", serde_urlencoded::to_string(kept).unwrap())
    }
}

fn without_dev_browser(url: &str) -> String {
    strip_params(url, &["__clerk_db_jwt", "__dev_session"])
}

/// The protected path and everything under it, with fault injection (the site's other pages
/// keep answering whatever a fault on the same path does to a vendor).
pub fn routes(world: Shared) -> Router<Shared> {
    Router::new()
        .route(PROTECTED_PATH, any(protected))
        .route(&format!("{PROTECTED_PATH}/{{*rest}}"), any(protected))
        .layer(axum::middleware::from_fn_with_state(
            world,
            crate::faults::inject,
        ))
}

/// `/dashboard` and below: Clerk's middleware, then `auth.protect()`, then the page.
pub async fn protected(
    State(w): State<Shared>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
) -> Response {
    let world = w.lock().unwrap();
    let layout = world.scenario.layout;
    let (frontend_api, secret_key) = world.scenario.server_keys.keys(layout);
    let host = headers
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .unwrap_or(crate::DOMAIN)
        .split(':')
        .next()
        .unwrap_or_default()
        .to_string();
    let path_and_query = uri.path_and_query().map(|p| p.as_str()).unwrap_or("/");
    let req = Request {
        world: &world,
        method: &method,
        headers: &headers,
        url: format!("https://{host}{path_and_query}"),
        query: serde_urlencoded::from_str(uri.query().unwrap_or_default()).unwrap_or_default(),
        frontend_api,
        secret_key,
        proxy_url: layout.proxy_url(),
    };
    let state = match req.authenticate() {
        Ok(s) => s,
        Err(message) => return (StatusCode::INTERNAL_SERVER_ERROR, message).into_response(),
    };
    respond(&req, state)
}

fn respond(req: &Request, state: RequestState) -> Response {
    let mut headers = vec![(
        header::HeaderName::from_static("x-clerk-auth-status"),
        state.status.header().to_string(),
    )];
    if let Some(reason) = &state.reason {
        headers.push((
            header::HeaderName::from_static("x-clerk-auth-reason"),
            reason.clone(),
        ));
    }
    for c in &state.set_cookies {
        headers.push((header::SET_COOKIE, c.clone()));
    }
    let (status, location) = if let Some(location) = state.location {
        // The middleware returns the handshake's (or development's clean-up) redirect before
        // the app runs.
        headers.push((header::CACHE_CONTROL, "no-store".into()));
        (StatusCode::TEMPORARY_REDIRECT, Some(location))
    } else if state.status == Status::SignedIn {
        (StatusCode::OK, None)
    } else if req.page_request() {
        headers.push((
            header::HeaderName::from_static("x-clerk-redirect-to"),
            "true".into(),
        ));
        (StatusCode::TEMPORARY_REDIRECT, Some(req.sign_in_url()))
    } else if req.server_action() {
        (StatusCode::UNAUTHORIZED, None)
    } else {
        // `notFound()`: a rewrite to a page that does not exist, marked by protect.
        headers.insert(
            1,
            (
                header::HeaderName::from_static("x-clerk-auth-reason"),
                "protect-rewrite".into(),
            ),
        );
        (StatusCode::NOT_FOUND, None)
    };
    let mut response = match (status, location) {
        (StatusCode::OK, _) => Html(
            "<!DOCTYPE html><html><head><title>Dashboard — Quillmate</title></head>\
             <body><main>Your documents</main></body></html>",
        )
        .into_response(),
        (status, Some(location)) => (status, [(header::LOCATION, location)]).into_response(),
        (StatusCode::NOT_FOUND, None) => (
            StatusCode::NOT_FOUND,
            Html("<!DOCTYPE html><title>404: This page could not be found.</title>"),
        )
            .into_response(),
        (status, None) => status.into_response(),
    };
    for (name, value) in headers {
        if let Ok(v) = value.parse() {
            response.headers_mut().append(name, v);
        }
    }
    response
}
