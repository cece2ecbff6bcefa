//! A real DNS server for the sandbox (hickory-server over UDP and TCP on loopback), serving
//! the scenario's zone as the authoritative servers see it, or as a public resolver does —
//! which may lag behind (`propagating`). Optional per-query delay for benchmarks, and a
//! resolver that never answers.

use std::net::{Ipv4Addr, SocketAddr};
use std::str::FromStr;
use std::time::Duration;

use hickory_proto::op::{Header, HeaderCounts, Metadata, ResponseCode};
use hickory_proto::rr::rdata::{A, CAA, CNAME, TXT};
use hickory_proto::rr::{Name, RData, Record, RecordType};
use hickory_server::net::runtime::Time;
use hickory_server::server::{Request, RequestHandler, ResponseHandler, ResponseInfo, Server};
use hickory_server::zone_handler::MessageResponseBuilder;
use tokio::net::{TcpListener, UdpSocket};

use crate::scenario::{
    DnsState, Host, HostRecord, Layout, Shared, PAGES_PROJECT, VERCEL_APEX_IP, VERCEL_CNAME,
};
use crate::DOMAIN;

/// Whose view of the zone a server gives.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum View {
    Authoritative,
    /// A public resolver that is up to date.
    Public,
    /// A public resolver whose cache has not caught up (it lags in `propagating`).
    LaggingPublic,
}

pub const TTL: u32 = 300;
/// Where Clerk's shared hosts resolve to in the sandbox.
pub const CLERK_FAPI_IP: Ipv4Addr = Ipv4Addr::new(104, 18, 10, 1);
/// The previous host's address, left at the apex in `apex-conflict`.
pub const OLD_HOST_IP: Ipv4Addr = Ipv4Addr::new(192, 0, 2, 10);
/// A Cloudflare edge address, as a proxied record answers.
pub const CLOUDFLARE_EDGE_IP: Ipv4Addr = Ipv4Addr::new(104, 16, 132, 229);

fn name(s: &str) -> Name {
    Name::from_str(&format!("{}.", s.trim_end_matches('.'))).unwrap()
}

fn cname(host: &str, target: &str) -> Record {
    Record::from_rdata(name(host), TTL, RData::CNAME(CNAME(name(target))))
}

fn a(host: &str, ip: Ipv4Addr) -> Record {
    Record::from_rdata(name(host), TTL, RData::A(A(ip)))
}

fn caa_issue(host: &str, ca: &str) -> Record {
    // The issuer is a plain domain in CAA, not a fully qualified name.
    let issuer = Name::from_str(ca).unwrap();
    Record::from_rdata(
        name(host),
        TTL,
        RData::CAA(CAA::new_issue(false, Some(issuer), vec![])),
    )
}

/// The records Clerk asks for in `layout`, as they should be (behind a proxy, no `clerk`).
fn clerk_records(layout: Layout) -> Vec<(String, String)> {
    crate::clerk::cname_targets(layout.clerk_domain(), layout.proxy_url().is_some())
        .as_array()
        .unwrap()
        .iter()
        .filter(|t| t["required"] == true)
        .map(|t| {
            (
                t["host"].as_str().unwrap().to_string(),
                t["value"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

/// The DNS host's records as DNS serves them: proxied ones answer with Cloudflare's edge.
fn served(host: &[HostRecord]) -> Vec<Record> {
    host.iter()
        .filter_map(|r| match (r.kind.as_str(), r.proxied) {
            ("A" | "CNAME", true) => Some(a(&r.name, CLOUDFLARE_EDGE_IP)),
            ("A", false) => r.value.parse().ok().map(|ip| a(&r.name, ip)),
            ("CNAME", false) => Some(cname(&r.name, &r.value)),
            ("TXT", _) => Some(Record::from_rdata(
                name(&r.name),
                TTL,
                RData::TXT(TXT::new(vec![r.value.clone()])),
            )),
            _ => None,
        })
        .collect()
}

/// What a scenario's zones hold besides its DNS state.
#[derive(Debug, Clone, Copy)]
pub struct Shape {
    pub dmarc: bool,
    pub layout: Layout,
    /// Whose records the site's names hold.
    pub site: Site,
}

/// Where the site's own names point: to the host the app is on, or still to the one it left.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Site {
    pub host: Host,
    /// The records still point to Vercel, where the app was before (a domain the new host
    /// has not verified).
    pub left_behind: bool,
}

/// The apex address Netlify's and Render's documentation give, in the sandbox's documentation
/// range: their APIs do not say it, and Golive does not check it.
const DOCUMENTED_APEX_IP: Ipv4Addr = Ipv4Addr::new(198, 51, 100, 75);

/// The site's records, as its host wants them: Vercel's apex A and `www` (or the app
/// subdomain's CNAME); Netlify's and Render's `www` or subdomain CNAME to the site's own
/// address (the apex's record is their documentation's); a Pages project's CNAME, flattened
/// at the apex (answering with Cloudflare's address), and the project's address itself.
fn site_records(Site { host, left_behind }: Site, layout: Layout) -> Vec<Record> {
    let app = layout.app_domain();
    let apex = app == DOMAIN;
    let target = match host {
        _ if left_behind => VERCEL_CNAME.to_string(),
        Host::Netlify => format!("{}.netlify.app", crate::netlify::sites::SITE_NAME),
        Host::Render => format!("{}.onrender.com", crate::render::services::SERVICE_NAME),
        Host::CloudflarePages => format!("{PAGES_PROJECT}.pages.dev"),
        // Cloudflare makes a Worker's record; the zone keeps what it had.
        Host::Vercel | Host::CloudflareWorkers => VERCEL_CNAME.to_string(),
    };
    match host {
        Host::CloudflarePages if !left_behind => {
            let pages = a(&target, CLOUDFLARE_EDGE_IP);
            if apex {
                vec![a(DOMAIN, CLOUDFLARE_EDGE_IP), pages]
            } else {
                vec![cname(app, &target), pages]
            }
        }
        Host::Netlify | Host::Render if apex && !left_behind => vec![
            a(DOMAIN, DOCUMENTED_APEX_IP),
            cname(&format!("www.{DOMAIN}"), &target),
        ],
        _ if apex => vec![
            a(DOMAIN, VERCEL_APEX_IP.parse().unwrap()),
            cname(&format!("www.{DOMAIN}"), &target),
        ],
        _ => vec![cname(app, &target)],
    }
}

/// The zones (the domain's, and a satellite's) as `view` sees them in `state`, with the DNS
/// host's records.
pub fn zone(state: DnsState, view: View, host: &[HostRecord], shape: Shape) -> Vec<Record> {
    let mut z = scenario_zone(state, view, shape);
    z.extend(served(host));
    z
}

fn scenario_zone(
    state: DnsState,
    view: View,
    Shape {
        dmarc,
        layout,
        site,
    }: Shape,
) -> Vec<Record> {
    // Clerk's own hosts resolve everywhere.
    let mut z = vec![
        a("frontend-api.clerk.services", CLERK_FAPI_IP),
        a("accounts.clerk.services", Ipv4Addr::new(104, 18, 10, 2)),
    ];
    let lagging = view == View::LaggingPublic && state == DnsState::Propagating;
    if state == DnsState::Missing || lagging {
        return z;
    }
    for (host, target) in clerk_records(layout) {
        let is_clerk = host == format!("clerk.{DOMAIN}");
        let is_accounts = host == format!("accounts.{DOMAIN}");
        match state {
            DnsState::CloudflareProxied if is_clerk => z.push(a(&host, CLOUDFLARE_EDGE_IP)),
            DnsState::CloudflareFlattened if is_clerk => z.push(a(&host, CLERK_FAPI_IP)),
            DnsState::DoubledHost if is_clerk => {
                z.push(cname(&format!("{host}.{DOMAIN}"), &target))
            }
            DnsState::WrongTarget if is_clerk => z.push(cname(&host, "fronted-api.clerk.services")),
            DnsState::WrongTarget if is_accounts => {
                z.push(cname(&host, &format!("{target}.{DOMAIN}")))
            }
            _ => z.push(cname(&host, &target)),
        }
    }
    let ca = if state == DnsState::CaaBlocking {
        "digicert.com"
    } else {
        "letsencrypt.org"
    };
    z.push(caa_issue(DOMAIN, ca));
    if dmarc {
        z.push(Record::from_rdata(
            name(&format!("_dmarc.{DOMAIN}")),
            TTL,
            RData::TXT(TXT::new(vec![format!(
                "v=DMARC1; p=quarantine; rua=mailto:dmarc@{DOMAIN}"
            )])),
        ));
    }
    // The site's own records (on a subdomain, the apex is another site's business).
    z.extend(site_records(site, layout));
    if state == DnsState::ApexConflict {
        z.push(a(DOMAIN, OLD_HOST_IP));
    }
    if let Some(satellite) = layout.satellite() {
        z.extend(satellite_zone(satellite, layout.satellite_record()));
    }
    z
}

/// The satellite's zone: its site's A (Vercel's) and, unless missing, Clerk's `clerk` record.
fn satellite_zone(satellite: &str, record: bool) -> Vec<Record> {
    let mut z = vec![a(satellite, VERCEL_APEX_IP.parse().unwrap())];
    if record {
        z.extend(
            crate::clerk::satellite_cname_targets(satellite)
                .as_array()
                .unwrap()
                .iter()
                .map(|t| cname(t["host"].as_str().unwrap(), t["value"].as_str().unwrap())),
        );
    }
    z
}

/// The zones' apexes: each exists even with no record of the name asked for.
fn apexes(layout: Layout) -> Vec<Name> {
    std::iter::once(DOMAIN)
        .chain(layout.satellite())
        .map(name)
        .collect()
}

/// Answers from the world's current zone.
pub struct ZoneServer {
    world: Shared,
    view: View,
    delay: Duration,
    at: SocketAddr,
}

#[async_trait::async_trait]
impl RequestHandler for ZoneServer {
    async fn handle_request<R: ResponseHandler, T: Time>(
        &self,
        request: &Request,
        mut response_handle: R,
    ) -> ResponseInfo {
        if !self.delay.is_zero() {
            tokio::time::sleep(self.delay).await;
        }
        let mut metadata = Metadata::response_from_request(&request.metadata);
        metadata.authoritative = self.view == View::Authoritative;
        let answers: Vec<Record> = match request.request_info() {
            Ok(info) => {
                let (zone, layout) = {
                    let world = self.world.lock().unwrap();
                    let shape = Shape {
                        dmarc: world.scenario.dmarc,
                        layout: world.scenario.layout,
                        site: Site {
                            host: world.scenario.host,
                            left_behind: world.scenario.host != Host::Vercel
                                && world.scenario.hosting
                                    == crate::vercel::projects::Hosting::DomainUnverified,
                        },
                    };
                    let zone = zone(world.dns_state(), self.view, &world.host_records, shape);
                    (zone, shape.layout)
                };
                let qname = Name::from(info.query.name().clone());
                let qtype = info.query.query_type();
                self.world.lock().unwrap().probes.push(crate::Probe::Dns {
                    server: self.at,
                    name: qname.to_string(),
                    record_type: qtype.to_string(),
                });
                // A name exists if it, or a name below it, has records (an apex always does).
                let exists = apexes(layout).iter().any(|apex| qname.eq_case(apex))
                    || zone.iter().any(|r| qname.zone_of(&r.name));
                let hits: Vec<Record> = zone
                    .into_iter()
                    .filter(|r| r.name.eq_case(&qname))
                    .filter(|r| {
                        r.record_type() == qtype
                            || (r.record_type() == RecordType::CNAME && qtype == RecordType::A)
                    })
                    .collect();
                if !exists {
                    metadata.response_code = ResponseCode::NXDomain;
                }
                hits
            }
            Err(_) => {
                metadata.response_code = ResponseCode::FormErr;
                vec![]
            }
        };
        let response = MessageResponseBuilder::from_message_request(request).build(
            metadata,
            answers.iter(),
            std::iter::empty(),
            std::iter::empty(),
            std::iter::empty(),
        );
        match response_handle.send_response(response).await {
            Ok(info) => info,
            Err(_) => ResponseInfo::from(Header {
                metadata,
                counts: HeaderCounts::default(),
            }),
        }
    }
}

/// A UDP socket and a TCP listener on the same free loopback port. The kernel picks the UDP
/// port, whose TCP twin may be taken, so a few ports are tried.
async fn bind_pair() -> std::io::Result<(SocketAddr, UdpSocket, TcpListener)> {
    let mut last = None;
    for _ in 0..20 {
        let udp = UdpSocket::bind(("127.0.0.1", 0)).await?;
        let addr = udp.local_addr()?;
        match TcpListener::bind(addr).await {
            Ok(tcp) => return Ok((addr, udp, tcp)),
            Err(e) => last = Some(e),
        }
    }
    Err(last.expect("tried at least once"))
}

/// Serves `view` over UDP and TCP on one loopback port until dropped.
pub async fn serve(
    world: Shared,
    view: View,
    delay: Duration,
) -> std::io::Result<(SocketAddr, Server<ZoneServer>)> {
    let (addr, udp, tcp) = bind_pair().await?;
    let mut server = Server::new(ZoneServer {
        world,
        view,
        delay,
        at: addr,
    });
    server.register_socket(udp);
    server.register_listener(tcp, Duration::from_secs(5), 64 * 1024);
    Ok((addr, server))
}

/// A "resolver" that takes queries and never answers.
pub struct Silent {
    pub addr: SocketAddr,
    _udp: UdpSocket,
    _tcp: TcpListener,
}

impl Silent {
    pub async fn bind() -> std::io::Result<Silent> {
        let (addr, udp, tcp) = bind_pair().await?;
        Ok(Silent {
            addr,
            _udp: udp,
            _tcp: tcp,
        })
    }
}
