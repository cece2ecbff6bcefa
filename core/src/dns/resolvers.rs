//! Whom to ask: the zone's authoritative nameservers (the truth at the source) and a panel
//! of public resolvers (what visitors see). `GOLIVE_AUTHORITATIVE` and `GOLIVE_RESOLVERS`
//! replace both, which is how tests and the sandbox keep every query on loopback.

use std::net::{IpAddr, SocketAddr};

use hickory_resolver::proto::rr::RecordType;

use super::query::{ask, Reply};
use crate::config::Endpoints;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Server {
    pub label: String,
    pub addr: SocketAddr,
}

const PUBLIC: &[(&str, &str)] = &[
    ("Cloudflare", "1.1.1.1"),
    ("Google", "8.8.8.8"),
    ("Quad9", "9.9.9.9"),
    ("OpenDNS", "208.67.222.222"),
];

/// The public resolvers, plus the system's own (what this machine's browser sees).
pub fn public_panel(endpoints: &Endpoints) -> Vec<Server> {
    if let Some(list) = &endpoints.resolvers {
        return list
            .iter()
            .map(|a| Server {
                label: format!("Resolver {a}"),
                addr: *a,
            })
            .collect();
    }
    let mut panel: Vec<Server> = PUBLIC
        .iter()
        .map(|(label, ip)| Server {
            label: label.to_string(),
            addr: SocketAddr::new(ip.parse().unwrap(), 53),
        })
        .collect();
    if let Ok((config, _)) = hickory_resolver::system_conf::read_system_conf() {
        if let Some(ns) = config.name_servers().first() {
            if !panel.iter().any(|s| s.addr.ip() == ns.ip) {
                panel.push(Server {
                    label: format!("This computer ({})", ns.ip),
                    addr: SocketAddr::new(ns.ip, 53),
                });
            }
        }
    }
    panel
}

/// The zone's nameservers: walk up from `domain` to the name that has NS records, then
/// resolve each nameserver's address through the first public resolver.
pub async fn authoritative(endpoints: &Endpoints, domain: &str) -> Result<Vec<Server>, String> {
    if let Some(list) = &endpoints.authoritative {
        return Ok(list
            .iter()
            .map(|a| Server {
                label: a.to_string(),
                addr: *a,
            })
            .collect());
    }
    let via = public_panel(endpoints)
        .first()
        .map(|s| s.addr)
        .ok_or("no resolver to ask")?;
    let labels: Vec<&str> = domain.split('.').collect();
    for start in 0..labels.len().saturating_sub(1) {
        let zone = labels[start..].join(".");
        let Reply::Records(ns) = ask(via, &zone, RecordType::NS).await else {
            continue;
        };
        let hosts: Vec<String> = ns
            .into_iter()
            .filter(|a| a.record_type == "NS")
            .map(|a| a.value)
            .collect();
        if hosts.is_empty() {
            continue;
        }
        let mut servers = vec![];
        for host in hosts {
            for ip in ask(via, &host, RecordType::A).await.values("A") {
                if let Ok(ip) = ip.parse::<IpAddr>() {
                    servers.push(Server {
                        label: host.clone(),
                        addr: SocketAddr::new(ip, 53),
                    });
                }
            }
        }
        if !servers.is_empty() {
            return Ok(servers);
        }
    }
    Err(format!("found no nameservers for {domain}"))
}
