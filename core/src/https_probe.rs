//! HTTPS probes of the user's own hosts (`clerk.<domain>`, `accounts.<domain>`, the live
//! site). Unlike the vendor API client this one reports what a browser would see: the
//! certificate (issuer, expiry) and, when TLS fails, why — a certificate not issued yet looks
//! different from a host that does not answer. `GOLIVE_CONNECT_TO` and `GOLIVE_EXTRA_CA`
//! point it at the sandbox (the CA trusted only for the routed hosts).

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use http_body_util::{BodyExt, Full, Limited};
use hyper::body::Bytes;
use rustls::pki_types::{CertificateDer, ServerName};
use tokio::net::TcpStream;

use crate::config::Endpoints;
use crate::error::Result;

const CONNECT_TIMEOUT: Duration = Duration::from_secs(5);
/// Responses larger than this are cut off: probes read small JSON or a page's head.
pub const MAX_BODY: usize = 2 * 1024 * 1024;

/// The certificate the server presented, as people talk about it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CertInfo {
    pub issuer: String,
    /// `YYYY-MM-DD`.
    pub not_after: String,
    pub days_left: i64,
}

#[derive(Debug, Clone)]
pub struct HttpsResponse {
    pub status: u16,
    pub headers: hyper::HeaderMap,
    pub body: Bytes,
    pub cert: CertInfo,
}

impl HttpsResponse {
    /// Every value of a header that may repeat (`set-cookie`), as text.
    pub fn header_values(&self, name: &str) -> Vec<&str> {
        self.headers
            .get_all(name)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .collect()
    }

    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }
}

/// One request of a probe: what a browser or a script would send.
#[derive(Debug, Clone, Copy)]
pub struct ProbeRequest<'a> {
    pub method: &'a str,
    pub path: &'a str,
    pub headers: &'a [(&'a str, &'a str)],
    pub body: &'a [u8],
}

impl<'a> ProbeRequest<'a> {
    pub fn get(path: &'a str, headers: &'a [(&'a str, &'a str)]) -> Self {
        ProbeRequest {
            method: "GET",
            path,
            headers,
            body: b"",
        }
    }
}

/// Why a probe failed, in the terms the checks explain to users.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ProbeError {
    /// The name does not resolve.
    Resolve(String),
    /// Nothing accepted the connection (refused, unreachable, timed out connecting).
    Connect(String),
    /// The server presented a certificate for other names (e.g. Clerk's default one before
    /// it issued yours).
    NameMismatch {
        presented: Vec<String>,
    },
    /// A certificate no trusted authority issued.
    UntrustedCertificate(String),
    Expired,
    /// TLS failed for another reason.
    Tls(String),
    /// Connected, but the HTTP exchange failed or took too long.
    Http(String),
}

impl std::fmt::Display for ProbeError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ProbeError::Resolve(e) => write!(f, "the name does not resolve ({e})"),
            ProbeError::Connect(e) => write!(f, "nothing answered ({e})"),
            ProbeError::NameMismatch { presented } if presented.is_empty() => {
                write!(f, "the certificate is for another name")
            }
            ProbeError::NameMismatch { presented } => {
                write!(f, "the certificate is for {}", presented.join(", "))
            }
            ProbeError::UntrustedCertificate(e) => {
                write!(f, "the certificate is not trusted ({e})")
            }
            ProbeError::Expired => write!(f, "the certificate has expired"),
            ProbeError::Tls(e) => write!(f, "TLS failed ({e})"),
            ProbeError::Http(e) => write!(f, "the HTTP request failed ({e})"),
        }
    }
}

/// Probes reuse one TLS configuration: the public web roots, plus the extra CA for the
/// hosts `GOLIVE_CONNECT_TO` routes (see `trust`).
#[derive(Clone)]
pub struct Prober {
    tls: Arc<rustls::ClientConfig>,
    connect_to: std::collections::BTreeMap<(String, u16), SocketAddr>,
    timeout: Duration,
}

impl Prober {
    pub fn new(endpoints: &Endpoints) -> Result<Self> {
        let tls = crate::trust::client_config(endpoints)?;
        Ok(Prober {
            tls: Arc::new(tls),
            connect_to: endpoints.connect_to.clone(),
            timeout: endpoints.http_timeout,
        })
    }

    /// `GET https://<host><path>` with the given headers.
    pub async fn get(
        &self,
        host: &str,
        path: &str,
        headers: &[(&str, &str)],
    ) -> std::result::Result<HttpsResponse, ProbeError> {
        self.send(host, ProbeRequest::get(path, headers)).await
    }

    /// Sends `req` to `https://<host>`; redirects are answers, never followed here.
    pub async fn send(
        &self,
        host: &str,
        req: ProbeRequest<'_>,
    ) -> std::result::Result<HttpsResponse, ProbeError> {
        self.send_to(host, 443, req).await
    }

    /// `send`, to another port than 443 (an endpoint the user named, `https://host:port/…`).
    pub async fn send_to(
        &self,
        host: &str,
        port: u16,
        req: ProbeRequest<'_>,
    ) -> std::result::Result<HttpsResponse, ProbeError> {
        match tokio::time::timeout(self.timeout, self.send_inner(host, port, req)).await {
            Ok(r) => r,
            Err(_) => Err(ProbeError::Http(format!(
                "no answer within {:.1} s",
                self.timeout.as_secs_f64()
            ))),
        }
    }

    async fn send_inner(
        &self,
        host: &str,
        port: u16,
        req: ProbeRequest<'_>,
    ) -> std::result::Result<HttpsResponse, ProbeError> {
        let addrs = self.resolve(host, port).await?;
        let tcp = connect_any(&addrs).await?;
        let name = ServerName::try_from(host.to_string())
            .map_err(|e| ProbeError::Resolve(e.to_string()))?;
        let tls = tokio_rustls::TlsConnector::from(self.tls.clone())
            .connect(name, tcp)
            .await
            .map_err(tls_error)?;
        let cert = {
            let (_, session) = tls.get_ref();
            let leaf = session
                .peer_certificates()
                .and_then(|c| c.first())
                .ok_or_else(|| ProbeError::Tls("no certificate presented".into()))?;
            cert_info(leaf)?
        };
        let (mut sender, conn) =
            hyper::client::conn::http1::handshake(hyper_util::rt::TokioIo::new(tls))
                .await
                .map_err(|e| ProbeError::Http(e.to_string()))?;
        tokio::spawn(conn);
        let mut builder = hyper::Request::builder()
            .method(req.method)
            .uri(req.path)
            .header(
                "host",
                match port {
                    443 => host.to_string(),
                    _ => format!("{host}:{port}"),
                },
            )
            .header("user-agent", concat!("golive/", env!("CARGO_PKG_VERSION")));
        for (k, v) in req.headers {
            builder = builder.header(*k, *v);
        }
        let request = builder
            .body(Full::new(Bytes::copy_from_slice(req.body)))
            .map_err(|e| ProbeError::Http(e.to_string()))?;
        let resp = sender
            .send_request(request)
            .await
            .map_err(|e| ProbeError::Http(e.to_string()))?;
        let status = resp.status().as_u16();
        let headers = resp.headers().clone();
        let body = Limited::new(resp.into_body(), MAX_BODY)
            .collect()
            .await
            .map_err(|e| ProbeError::Http(e.to_string()))?
            .to_bytes();
        Ok(HttpsResponse {
            status,
            headers,
            body,
            cert,
        })
    }

    async fn resolve(
        &self,
        host: &str,
        port: u16,
    ) -> std::result::Result<Vec<SocketAddr>, ProbeError> {
        if let Some(addr) = self.connect_to.get(&(host.to_ascii_lowercase(), port)) {
            return Ok(vec![*addr]);
        }
        let addrs: Vec<SocketAddr> = tokio::net::lookup_host((host, port))
            .await
            .map_err(|e| ProbeError::Resolve(e.to_string()))?
            .collect();
        if addrs.is_empty() {
            return Err(ProbeError::Resolve("no addresses".into()));
        }
        Ok(addrs)
    }
}

async fn connect_any(addrs: &[SocketAddr]) -> std::result::Result<TcpStream, ProbeError> {
    let mut last = String::from("no address");
    for addr in addrs {
        match tokio::time::timeout(CONNECT_TIMEOUT, TcpStream::connect(addr)).await {
            Ok(Ok(s)) => return Ok(s),
            Ok(Err(e)) => last = e.to_string(),
            Err(_) => last = format!("no answer within {} s", CONNECT_TIMEOUT.as_secs()),
        }
    }
    Err(ProbeError::Connect(last))
}

fn tls_error(e: std::io::Error) -> ProbeError {
    use rustls::CertificateError as C;
    use std::io::ErrorKind as K;
    // Dropped before any TLS was spoken: nothing serves HTTPS for this name there.
    if matches!(
        e.kind(),
        K::ConnectionReset | K::ConnectionAborted | K::UnexpectedEof | K::BrokenPipe
    ) {
        return ProbeError::Connect(e.to_string());
    }
    let Some(rustls::Error::InvalidCertificate(cert)) = e
        .get_ref()
        .and_then(|inner| inner.downcast_ref::<rustls::Error>())
    else {
        return ProbeError::Tls(e.to_string());
    };
    match cert {
        C::NotValidForName => ProbeError::NameMismatch { presented: vec![] },
        C::NotValidForNameContext { presented, .. } => ProbeError::NameMismatch {
            presented: presented.clone(),
        },
        C::Expired | C::ExpiredContext { .. } => ProbeError::Expired,
        C::UnknownIssuer | C::BadSignature => ProbeError::UntrustedCertificate(format!("{cert:?}")),
        other => ProbeError::Tls(format!("{other:?}")),
    }
}

fn cert_info(der: &CertificateDer<'_>) -> std::result::Result<CertInfo, ProbeError> {
    let (_, cert) = x509_parser::parse_x509_certificate(der.as_ref())
        .map_err(|e| ProbeError::Tls(format!("unreadable certificate: {e}")))?;
    let issuer = cert
        .issuer()
        .iter_organization()
        .chain(cert.issuer().iter_common_name())
        .find_map(|a| a.as_str().ok().map(str::to_string))
        .unwrap_or_else(|| cert.issuer().to_string());
    let not_after = cert.validity().not_after;
    let days_left = (not_after.timestamp() - now_unix()) / 86_400;
    let date = not_after.to_datetime().date();
    Ok(CertInfo {
        issuer,
        not_after: format!(
            "{:04}-{:02}-{:02}",
            date.year(),
            u8::from(date.month()),
            date.day()
        ),
        days_left,
    })
}

/// Now, in Unix seconds.
pub fn now_unix() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or_default()
}
