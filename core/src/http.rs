//! The HTTP client every vendor module uses: bounded timeouts, extra trusted roots from the
//! configuration, no redirects (a bearer token must never follow a redirect to another host),
//! and retries with backoff for idempotent reads only.

use std::time::Duration;

use reqwest::{RequestBuilder, Response, StatusCode};

use crate::config::Endpoints;
use crate::error::{Error, Result};

const CONNECT_TIMEOUT: Duration = Duration::from_secs(5);
const READ_ATTEMPTS: u32 = 3;
/// A vendor's Retry-After is honoured up to this; longer waits are reported instead.
const MAX_RETRY_AFTER: Duration = Duration::from_secs(10);

#[derive(Clone)]
pub struct Http {
    client: reqwest::Client,
}

impl Http {
    pub fn new(endpoints: &Endpoints) -> Result<Self> {
        let mut builder = reqwest::Client::builder()
            .user_agent(concat!("golive/", env!("CARGO_PKG_VERSION")))
            .connect_timeout(CONNECT_TIMEOUT)
            .timeout(endpoints.http_timeout)
            .redirect(reqwest::redirect::Policy::none());
        if let Some(path) = &endpoints.extra_ca {
            let pem = std::fs::read(path)
                .map_err(|e| Error::Config(format!("GOLIVE_EXTRA_CA {}: {e}", path.display())))?;
            let certs = reqwest::Certificate::from_pem_bundle(&pem).map_err(|e| {
                Error::Config(format!("GOLIVE_EXTRA_CA {}: not PEM ({e})", path.display()))
            })?;
            for cert in certs {
                builder = builder.add_root_certificate(cert);
            }
        }
        let client = builder
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
pub async fn success_body(
    vendor: &'static str,
    resp: Response,
    on_status: impl FnOnce(StatusCode, Option<Duration>, &[u8]) -> Error,
) -> Result<hyper::body::Bytes> {
    let status = resp.status();
    let wait = retry_after(&resp);
    let body = resp.bytes().await.map_err(|e| unreachable(vendor, e))?;
    if status.is_success() {
        Ok(body)
    } else {
        Err(on_status(status, wait, &body))
    }
}

pub fn retry_after(r: &Response) -> Option<Duration> {
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
