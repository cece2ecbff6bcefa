//! One DNS question to one server, with its own timeout and no cache: what that server says
//! right now. Every question of a matrix round runs concurrently.

use std::net::SocketAddr;
use std::time::Duration;

use hickory_resolver::config::{NameServerConfig, ResolveHosts, ResolverConfig, ResolverOpts};
use hickory_resolver::net::runtime::TokioRuntimeProvider;
use hickory_resolver::proto::rr::RecordType;
use hickory_resolver::Resolver;

/// A query costs at most this: a resolver that never answers is given up on.
pub const QUERY_TIMEOUT: Duration = Duration::from_secs(3);

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Answer {
    pub record_type: String,
    /// Lowercase, without the trailing dot for names.
    pub value: String,
    pub ttl: u32,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Reply {
    Records(Vec<Answer>),
    /// The name exists, but has no record of this type.
    NoData,
    NxDomain,
    NoAnswer,
    Failed(String),
}

impl Reply {
    pub fn values(&self, record_type: &str) -> Vec<String> {
        match self {
            Reply::Records(r) => r
                .iter()
                .filter(|a| a.record_type == record_type)
                .map(|a| a.value.clone())
                .collect(),
            _ => vec![],
        }
    }

    /// The TXT answers as their text.
    pub fn texts(&self) -> Vec<String> {
        self.values("TXT").iter().map(|v| text_of(v)).collect()
    }

    /// Whether one of the TXT answers is exactly `want`.
    pub fn has_text(&self, want: &str) -> bool {
        self.texts().iter().any(|t| t == want)
    }

    pub fn max_ttl(&self) -> Option<u32> {
        match self {
            Reply::Records(r) => r.iter().map(|a| a.ttl).max(),
            _ => None,
        }
    }
}

/// Asks one server, one question at a time or many at once; no cache, no retries.
pub struct Asker {
    resolver: Result<Resolver<TokioRuntimeProvider>, String>,
}

impl Asker {
    pub fn new(server: SocketAddr) -> Asker {
        let mut ns = NameServerConfig::udp_and_tcp(server.ip());
        for c in ns.connections.iter_mut() {
            c.port = server.port();
        }
        let mut opts = ResolverOpts::default();
        opts.cache_size = 0;
        opts.attempts = 1;
        opts.timeout = QUERY_TIMEOUT;
        opts.use_hosts_file = ResolveHosts::Never;
        opts.ndots = 0;
        opts.try_tcp_on_error = false;
        let resolver = Resolver::builder_with_config(
            ResolverConfig::from_parts(None, vec![], vec![ns]),
            TokioRuntimeProvider::default(),
        )
        .with_options(opts)
        .build()
        .map_err(|e| e.to_string());
        Asker { resolver }
    }

    /// Asks for `name`'s records of `record_type`, exactly once.
    pub async fn ask(&self, name: &str, record_type: RecordType) -> Reply {
        let resolver = match &self.resolver {
            Ok(r) => r,
            Err(e) => return Reply::Failed(e.clone()),
        };
        let fqdn = format!("{}.", name.trim_end_matches('.'));
        // The resolver's own timeout covers one connection; this one bounds the whole question
        // (UDP, then TCP), so a server that never answers costs exactly one timeout.
        match tokio::time::timeout(QUERY_TIMEOUT, resolver.lookup(fqdn, record_type)).await {
            Err(_) => Reply::NoAnswer,
            Ok(Ok(lookup)) => Reply::Records(
                lookup
                    .answers()
                    .iter()
                    .map(|r| Answer {
                        record_type: r.record_type().to_string(),
                        // Names compare without case or the trailing dot; a TXT value is text.
                        value: match r.record_type() {
                            RecordType::TXT => r.data.to_string(),
                            _ => r
                                .data
                                .to_string()
                                .trim_end_matches('.')
                                .to_ascii_lowercase(),
                        },
                        ttl: r.ttl,
                    })
                    .collect(),
            ),
            Ok(Err(e)) if e.is_nx_domain() => Reply::NxDomain,
            Ok(Err(e)) if e.is_no_records_found() => Reply::NoData,
            Ok(Err(e)) => {
                let text = e.to_string();
                if text.contains("timed out") || text.contains("timeout") {
                    Reply::NoAnswer
                } else {
                    Reply::Failed(text)
                }
            }
        }
    }
}

/// A TXT answer as its text: strings joined (DNS splits long ones), quotes off where the
/// answer's form has them.
pub fn text_of(value: &str) -> String {
    value
        .split("\" \"")
        .collect::<String>()
        .trim_matches('"')
        .to_string()
}

/// One question to one server.
pub async fn ask(server: SocketAddr, name: &str, record_type: RecordType) -> Reply {
    Asker::new(server).ask(name, record_type).await
}
