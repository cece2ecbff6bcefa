//! The HTTP client every vendor module uses: bounded timeouts, the roots `trust` allows each
//! host, no redirects (a bearer token must never follow a redirect to another host),
//! and retries with backoff for idempotent reads only. On it, `Api`: the one skeleton of a
//! vendor's REST client (URLs, bearer token, reads and writes, the one decode and redaction),
//! so each vendor keeps only its endpoints and its words for a refusal.

use std::time::Duration;

use reqwest::{Method, RequestBuilder, Response, StatusCode};
use serde::de::DeserializeOwned;
use url::Url;

use crate::config::Endpoints;
use crate::error::{Error, Result};
use crate::redact::Redactor;
use crate::secrets::Secret;

const CONNECT_TIMEOUT: Duration = Duration::from_secs(5);
const READ_ATTEMPTS: u32 = 3;
/// A vendor's Retry-After is honoured up to this; longer waits are reported instead.
const MAX_RETRY_AFTER: Duration = Duration::from_secs(10);
/// A vendor's or OAuth provider's answer longer than this is refused unread: API answers
/// are small, and an endless one must not fill memory.
pub const MAX_ANSWER: usize = 4 << 20;

#[derive(Clone)]
pub struct Http {
    client: reqwest::Client,
}

impl Http {
    pub fn new(endpoints: &Endpoints) -> Result<Self> {
        let client = reqwest::Client::builder()
            .user_agent(concat!("golive/", env!("CARGO_PKG_VERSION")))
            .connect_timeout(CONNECT_TIMEOUT)
            .timeout(endpoints.http_timeout)
            .redirect(reqwest::redirect::Policy::none())
            .use_preconfigured_tls(crate::trust::client_config(endpoints)?)
            .build()
            .map_err(|e| Error::Config(format!("HTTP client: {e}")))?;
        Ok(Http { client })
    }

    pub fn client(&self) -> &reqwest::Client {
        &self.client
    }

    /// Sends a write exactly once: a write that may have landed is never repeated blindly.
    pub async fn write(&self, vendor: &'static str, req: RequestBuilder) -> Result<Response> {
        req.send()
            .await
            .map_err(|e| unreachable(vendor, e))
            .and_then(|r| refuse_redirect(vendor, r))
    }

    /// Sends an idempotent read, retrying on connection failures, 429 and 5xx with backoff.
    /// `build` makes a fresh request for each attempt.
    pub async fn read(
        &self,
        vendor: &'static str,
        build: impl Fn(&reqwest::Client) -> RequestBuilder,
    ) -> Result<Response> {
        let mut attempt = 1;
        loop {
            let outcome = build(&self.client).send().await;
            let wait = match &outcome {
                Ok(r) if is_retryable(r.status()) => retry_after(r).unwrap_or(backoff(attempt)),
                Err(e) if e.is_connect() => backoff(attempt),
                _ => Duration::ZERO,
            };
            if wait.is_zero() || attempt >= READ_ATTEMPTS || wait > MAX_RETRY_AFTER {
                return outcome
                    .map_err(|e| unreachable(vendor, e))
                    .and_then(|r| refuse_redirect(vendor, r));
            }
            tokio::time::sleep(wait).await;
            attempt += 1;
        }
    }
}

/// A vendor API never redirects; one that does is misconfigured or intercepted, and the
/// request (with its token) is not sent on.
fn refuse_redirect(vendor: &'static str, resp: Response) -> Result<Response> {
    if !resp.status().is_redirection() {
        return Ok(resp);
    }
    let to = resp
        .headers()
        .get(reqwest::header::LOCATION)
        .and_then(|l| l.to_str().ok())
        .and_then(|l| resp.url().join(l).ok())
        .and_then(|u| u.host_str().map(str::to_string))
        .unwrap_or_else(|| "elsewhere".into());
    Err(Error::Vendor {
        vendor,
        code: "redirect_refused",
        message: format!(
            "{vendor} redirected the request to {to} ({}). Golive does not follow redirects, \
             so your token was sent nowhere else. If you set a GOLIVE_* address, check it; \
             otherwise try again later.",
            resp.status().as_u16()
        ),
    })
}

fn is_retryable(status: StatusCode) -> bool {
    status == StatusCode::TOO_MANY_REQUESTS || status.is_server_error()
}

fn backoff(attempt: u32) -> Duration {
    Duration::from_millis(250 * 2u64.pow(attempt - 1))
}

/// The body of a successful answer; for any other status, the error `on_status` makes of
/// it (given the status, the Retry-After wait and the body).
async fn success_body(
    vendor: &'static str,
    resp: Response,
    on_status: impl FnOnce(StatusCode, Option<Duration>, &[u8]) -> Error,
) -> Result<hyper::body::Bytes> {
    let status = resp.status();
    let wait = retry_after(&resp);
    let body = read_answer(vendor, resp).await?;
    if status.is_success() {
        Ok(body)
    } else {
        Err(on_status(status, wait, &body))
    }
}

/// The answer's body, read up to `MAX_ANSWER`.
pub async fn read_answer(vendor: &'static str, mut resp: Response) -> Result<hyper::body::Bytes> {
    let mut body = Vec::new();
    while let Some(chunk) = resp.chunk().await.map_err(|e| unreachable(vendor, e))? {
        if body.len() + chunk.len() > MAX_ANSWER {
            return Err(Error::Vendor {
                vendor,
                code: "answer_too_large",
                message: format!(
                    "{vendor} sent an answer over {} MiB, more than any of its API answers; \
                     Golive stopped reading it. Try again; if it persists, check the address \
                     Golive uses for {vendor}.",
                    MAX_ANSWER >> 20
                ),
            });
        }
        body.extend_from_slice(&chunk);
    }
    Ok(body.into())
}

/// One id or name as a URL path segment: percent-encoded, so a value from a vendor or the
/// web view cannot add a segment, a query or a `..` to the path; an empty or dot-only one
/// (which a URL resolves as a directory) is refused.
pub fn seg(s: &str) -> Result<String> {
    if s.is_empty() || s.chars().all(|c| c == '.') {
        return Err(Error::invalid(
            "id_invalid",
            format!("{s:?} is not an id or name Golive can send to a vendor; check what was chosen or pasted."),
        ));
    }
    Ok(s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect())
}

fn retry_after(r: &Response) -> Option<Duration> {
    r.headers()
        .get(reqwest::header::RETRY_AFTER)?
        .to_str()
        .ok()?
        .trim()
        .parse::<u64>()
        .ok()
        .map(Duration::from_secs)
}

/// Describes a transport failure by host only: the URL's query may carry tokens.
pub fn unreachable(vendor: &'static str, e: reqwest::Error) -> Error {
    let host = e
        .url()
        .and_then(|u| {
            u.host_str().map(|h| match u.port() {
                Some(p) => format!("{h}:{p}: "),
                None => format!("{h}: "),
            })
        })
        .unwrap_or_default();
    let reason = if e.is_timeout() {
        "no answer in time (the request timed out); try again".to_string()
    } else if e.is_connect() {
        // The innermost cause ("Connection refused", "dns error") is the useful one.
        let mut cause = String::from("connection failed");
        let mut source = std::error::Error::source(&e);
        while let Some(s) = source {
            cause = s.to_string();
            source = s.source();
        }
        format!("connection failed ({cause})")
    } else {
        e.without_url().to_string()
    };
    Error::Unreachable {
        vendor,
        reason: format!("{host}{reason}"),
    }
}

/// Who a vendor is, for the answers of its API that Golive cannot use.
pub struct Vendor {
    pub name: &'static str,
    /// The code of a success whose body is not what the endpoint documents.
    pub bad_response: &'static str,
    pub status_page: &'static str,
}

impl Vendor {
    /// A 429, in the user's words: `whom` the vendor limits ("this token", "requests"), and
    /// the wait it asks for, in seconds, when it says.
    pub fn rate_limited(&self, whom: &str, wait: Option<u64>) -> String {
        match wait {
            Some(s) => format!("{} is rate limiting {whom}; try again in {s} s.", self.name),
            None => format!(
                "{} is rate limiting {whom}; try again in a minute.",
                self.name
            ),
        }
    }

    /// A 5xx, with where to see whether the vendor is down.
    pub fn server_error(&self, status: u16) -> String {
        format!(
            "{} had a server error ({status}). Check {} and try again.",
            self.name, self.status_page
        )
    }

    /// An answer of this vendor's that Golive cannot use, in the user's words.
    pub fn error(&self, code: &'static str, message: impl Into<String>) -> Error {
        Error::Vendor {
            vendor: self.name,
            code,
            message: message.into(),
        }
    }
}

/// Turns a refusal (status, Retry-After wait, body) into the vendor's own error and words.
type OnStatus<'a> = Box<dyn Fn(StatusCode, Option<Duration>, &[u8]) -> Error + Send + Sync + 'a>;

/// One vendor's REST API with one credential: reads retried with backoff, writes sent once,
/// every answer decoded here, and the credential taken out of every error (vendors may quote
/// what they were sent).
pub struct Api<'a> {
    vendor: &'static Vendor,
    http: &'a Http,
    base: &'a Url,
    token: &'a Secret,
    headers: Vec<(&'static str, &'static str)>,
    /// A query pair every request carries (Vercel's `teamId`).
    scope: Option<(&'static str, &'a str)>,
    on_status: OnStatus<'a>,
}

impl<'a> Api<'a> {
    pub fn new(
        vendor: &'static Vendor,
        http: &'a Http,
        base: &'a Url,
        token: &'a Secret,
        on_status: impl Fn(StatusCode, Option<Duration>, &[u8]) -> Error + Send + Sync + 'a,
    ) -> Self {
        Api {
            vendor,
            http,
            base,
            token,
            headers: vec![],
            scope: None,
            on_status: Box::new(on_status),
        }
    }

    pub fn header(mut self, name: &'static str, value: &'static str) -> Self {
        self.headers.push((name, value));
        self
    }

    pub fn scope(mut self, scope: Option<(&'static str, &'a str)>) -> Self {
        self.scope = scope;
        self
    }

    fn url(&self, path: &str, query: &[(&str, &str)]) -> Result<Url> {
        let mut url = self
            .base
            .join(path)
            .map_err(|e| Error::Config(format!("{} API URL: {e}", self.vendor.name)))?;
        let pairs = query.iter().copied().chain(self.scope);
        if pairs.clone().next().is_some() {
            url.query_pairs_mut().extend_pairs(pairs);
        }
        Ok(url)
    }

    fn request(&self, client: &reqwest::Client, method: Method, url: Url) -> RequestBuilder {
        let mut req = client.request(method, url).bearer_auth(self.token.expose());
        for (name, value) in &self.headers {
            req = req.header(*name, *value);
        }
        req
    }

    /// A read: retried with backoff on 429, 5xx and connection failures.
    pub async fn get<T: DeserializeOwned>(&self, path: &str, query: &[(&str, &str)]) -> Result<T> {
        let url = self.url(path, query)?;
        let resp = self
            .http
            .read(self.vendor.name, |c| {
                self.request(c, Method::GET, url.clone())
            })
            .await;
        self.decode(Method::GET, path, resp, &[]).await
    }

    /// A write: sent exactly once, never retried blindly.
    pub async fn send<T: DeserializeOwned>(
        &self,
        method: Method,
        path: &str,
        query: &[(&str, &str)],
        body: Option<&serde_json::Value>,
    ) -> Result<T> {
        self.send_holding(method, path, query, body, &[]).await
    }

    /// A write whose body holds secrets (`sent`): they are taken out of its errors too.
    pub async fn send_holding<T: DeserializeOwned>(
        &self,
        method: Method,
        path: &str,
        query: &[(&str, &str)],
        body: Option<&serde_json::Value>,
        sent: &[&str],
    ) -> Result<T> {
        let mut req = self.request(self.http.client(), method.clone(), self.url(path, query)?);
        if let Some(body) = body {
            req = req.json(body);
        }
        let resp = self.http.write(self.vendor.name, req).await;
        self.decode(method, path, resp, sent).await
    }

    /// What takes this API's token, and the secrets of a request's body, out of its errors.
    pub fn redactor(&self, sent: &[&str]) -> Redactor {
        let mut r = Redactor::of([self.token]);
        for s in sent {
            r.add(s);
        }
        r
    }

    /// The answer's JSON, or the vendor's error for it, with the token and `sent` taken out.
    async fn decode<T: DeserializeOwned>(
        &self,
        method: Method,
        path: &str,
        resp: Result<Response>,
        sent: &[&str],
    ) -> Result<T> {
        let vendor = self.vendor;
        let parsed = async {
            let body = success_body(vendor.name, resp?, |status, wait, body| {
                (self.on_status)(status, wait, body)
            })
            .await?;
            // A DELETE may answer with an empty body.
            let body: &[u8] = if body.is_empty() { b"{}" } else { &body };
            serde_json::from_slice(body).map_err(|e| {
                vendor.error(
                    vendor.bad_response,
                    format!(
                        "{method} /{path} answered with something Golive does not understand \
                         ({e}). Try again; if it persists, check {}.",
                        vendor.status_page
                    ),
                )
            })
        };
        parsed.await.map_err(|e| self.redactor(sent).error(e))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_id_stays_one_path_segment() {
        assert_eq!(seg("prj_Ab-1.x~").unwrap(), "prj_Ab-1.x~");
        assert_eq!(
            seg("prj_1/../../v9/x?y=1#z %").unwrap(),
            "prj_1%2F..%2F..%2Fv9%2Fx%3Fy%3D1%23z%20%25"
        );
        for bad in ["", ".", ".."] {
            assert_eq!(seg(bad).unwrap_err().code(), "id_invalid");
        }
        let base = Url::parse("https://api.vercel.com/").unwrap();
        let url = base
            .join(&format!(
                "v9/projects/{}/env",
                seg("../../v2/domains").unwrap()
            ))
            .unwrap();
        assert_eq!(url.path(), "/v9/projects/..%2F..%2Fv2%2Fdomains/env");
    }
}
