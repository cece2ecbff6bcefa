//! The record plan: every record the launch needs, from the vendors' own answers — Clerk's
//! `cname_targets`, the host's recommended records — with Clerk's documented defaults only as
//! a labelled fallback when its API cannot be asked.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::layout::{zone_of, Layout, Satellite};
use crate::project::Hosting;
use crate::steps::hosting::records::DomainRecords;
use crate::vendors::clerk::platform::CnameTarget;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
pub enum RecordType {
    A,
    CNAME,
    TXT,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "kebab-case")]
pub enum RecordSource {
    /// Clerk's API listed it for this domain.
    ClerkApi,
    /// Clerk's documented default: its API could not be asked.
    ClerkDefault,
    /// Vercel's recommendation for this project (`/v6/domains/{domain}/config`).
    VercelApi,
    /// The site's Netlify address, from its API.
    NetlifyApi,
    /// The service's `onrender.com` address, from Render's API.
    RenderApi,
    /// The Pages project's address and validation record, from Cloudflare's API.
    CloudflareApi,
}

impl RecordSource {
    /// Where the host's records come from, by host; `None` for a Worker (Cloudflare makes its
    /// record).
    pub fn of_host(hosting: Hosting) -> Option<RecordSource> {
        match hosting {
            Hosting::Vercel => Some(RecordSource::VercelApi),
            Hosting::Netlify => Some(RecordSource::NetlifyApi),
            Hosting::Render => Some(RecordSource::RenderApi),
            Hosting::CloudflarePages => Some(RecordSource::CloudflareApi),
            Hosting::CloudflareWorkers => None,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct PlannedRecord {
    /// The check that proves it, e.g. `dns.clerk`.
    pub check_id: String,
    /// Fully qualified, without the trailing dot.
    pub name: String,
    pub record_type: RecordType,
    pub value: String,
    pub required: bool,
    pub source: RecordSource,
    /// What to type in a registrar's "Host" field (the name without the domain; `@` for the
    /// apex). Typing the full name is the classic doubled-host mistake.
    pub host_field: String,
    /// The same, as each common DNS host's form wants it.
    pub registrar_hosts: Vec<RegistrarHost>,
}

impl PlannedRecord {
    /// A host record Cloudflare serves (Pages): answers with Cloudflare's addresses — the
    /// record proxied, or flattened at the apex — are the host's own.
    pub fn served_by_cloudflare(&self) -> bool {
        self.source == RecordSource::CloudflareApi && self.record_type == RecordType::CNAME
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct RegistrarHost {
    pub registrar: String,
    pub host: String,
}

/// Namecheap, GoDaddy and Cloudflare take the label with `@` for the apex; Porkbun and
/// Route 53 take the label and leave the apex blank (Route 53 shows the zone after the box).
pub fn registrar_hosts(host_field: &str) -> Vec<RegistrarHost> {
    let apex = host_field == "@";
    [
        ("Namecheap", false),
        ("GoDaddy", false),
        ("Cloudflare", false),
        ("Porkbun", true),
        ("Route 53", true),
    ]
    .into_iter()
    .map(|(registrar, blank_apex)| RegistrarHost {
        registrar: registrar.into(),
        host: if apex && blank_apex {
            String::new()
        } else {
            host_field.into()
        },
    })
    .collect()
}

/// The DMARC policy to start with: monitor only, reports to a mailbox the user picks.
pub fn suggested_dmarc(domain: &str) -> String {
    format!("v=DMARC1; p=none; rua=mailto:dmarc-reports@{domain}")
}

/// A BIND zone fragment of the plan, one `$ORIGIN` per zone (a satellite's records are in
/// its own), to import at a DNS host or keep with the project. The DMARC policy comes
/// commented out: a domain may have one already, and two void both.
pub fn zone_fragment(app_domain: &str, plan: &[PlannedRecord]) -> String {
    let mut zones = vec![zone_of(app_domain)];
    for r in plan {
        if !zones.contains(&zone_of(&r.name)) {
            zones.push(zone_of(&r.name));
        }
    }
    let width = plan.iter().map(|r| r.name.len() + 1).max().unwrap_or(0);
    let mut z = String::new();
    for zone in zones {
        z += &format!("; DNS records for {zone}, from Golive\n$ORIGIN {zone}.\n$TTL 300\n");
        for r in plan.iter().filter(|r| zone_of(&r.name) == zone) {
            if r.record_type == RecordType::CNAME && r.name == zone {
                z +=
                    "; A CNAME at the apex: only a DNS host that flattens it takes it (Cloudflare \
                      DNS does, and Cloudflare Pages needs an apex domain's zone there)\n";
            }
            let value = match r.record_type {
                RecordType::CNAME => format!("{}.", r.value),
                RecordType::A => r.value.clone(),
                RecordType::TXT => format!("\"{}\"", r.value),
            };
            z += &format!(
                "{:width$} IN {:5} {value}\n",
                format!("{}.", r.name),
                format!("{:?}", r.record_type)
            );
        }
        z += &format!(
            "; If {zone} has no DMARC policy yet (Clerk sends mail from it), uncomment this one\n\
             ; with a report address you read:\n\
             ; _dmarc.{zone}. IN TXT \"{}\"\n",
            suggested_dmarc(zone)
        );
    }
    z
}

/// A record named `name`; its Host fields are relative to the zone it belongs to.
fn planned(
    check_id: String,
    name: String,
    record_type: RecordType,
    value: &str,
    required: bool,
    source: RecordSource,
) -> PlannedRecord {
    let host = host_field(&name, zone_of(&name));
    PlannedRecord {
        check_id,
        registrar_hosts: registrar_hosts(&host),
        host_field: host,
        name,
        record_type,
        value: match record_type {
            RecordType::TXT => value.to_string(),
            _ => value.trim_end_matches('.').to_ascii_lowercase(),
        },
        required,
        source,
    }
}

/// A Clerk record's check: named by its place under Clerk's domain (`dns.clerk`,
/// `dns.clk._domainkey`), whichever domain that is.
fn clerk_check_id(name: &str, clerk_domain: &str) -> String {
    format!("dns.{}", host_field(name, clerk_domain))
}

/// Clerk's records for its domain: from `cname_targets` when its API answered, else the
/// documented defaults (whose mail token Golive cannot know, so those three are left out).
/// With a proxy, the app serves the Frontend API itself: no `clerk` record, nothing instead.
pub fn clerk_records(layout: &Layout, targets: Option<&[CnameTarget]>) -> Vec<PlannedRecord> {
    let clerk_domain = &layout.clerk_domain;
    let records: Vec<PlannedRecord> = match targets {
        Some(t) => t
            .iter()
            .map(|t| {
                let name = t.host.to_ascii_lowercase();
                planned(
                    clerk_check_id(&name, clerk_domain),
                    name,
                    RecordType::CNAME,
                    &t.value,
                    t.required,
                    RecordSource::ClerkApi,
                )
            })
            .collect(),
        None => [
            ("clerk", "frontend-api.clerk.services"),
            ("accounts", "accounts.clerk.services"),
        ]
        .into_iter()
        .map(|(sub, value)| {
            planned(
                format!("dns.{sub}"),
                format!("{sub}.{clerk_domain}"),
                RecordType::CNAME,
                value,
                true,
                RecordSource::ClerkDefault,
            )
        })
        .collect(),
    };
    records
        .into_iter()
        .filter(|r| !(layout.proxied() && r.name == layout.frontend_api))
        .collect()
}

/// A satellite's one record: the `clerk` CNAME on its own domain, from Clerk's targets for
/// it when listed, else Clerk's documented target.
pub fn satellite_record(satellite: &Satellite, targets: Option<&[CnameTarget]>) -> PlannedRecord {
    let listed = targets.and_then(|t| {
        t.iter()
            .find(|t| t.host.eq_ignore_ascii_case(&satellite.frontend_api))
    });
    planned(
        format!("dns.satellite.{}", satellite.domain),
        satellite.frontend_api.clone(),
        RecordType::CNAME,
        listed.map_or("frontend-api.clerk.services", |t| t.value.as_str()),
        true,
        if listed.is_some() {
            RecordSource::ClerkApi
        } else {
            RecordSource::ClerkDefault
        },
    )
}

/// The host's records, as its API says them: for an app at the apex, its A record (or, where
/// Cloudflare serves it, its CNAME flattened) and `www`'s CNAME when the host adds `www`; for
/// an app on a subdomain, that subdomain's CNAME; and any TXT record the host validates the
/// domain by.
pub fn host_records(
    layout: &Layout,
    host: &DomainRecords,
    source: RecordSource,
) -> Vec<PlannedRecord> {
    let domain = &layout.app_domain;
    let record =
        |id: &str, name: String, t, value: &str| planned(id.into(), name, t, value, true, source);
    let mut plan = vec![];
    match (&host.cname, layout.app_at_apex()) {
        (Some(target), false) => {
            plan.push(record("dns.app", domain.clone(), RecordType::CNAME, target))
        }
        (_, false) => {}
        (cname, true) => {
            if let Some(ip) = &host.apex_ip {
                plan.push(record("dns.apex", domain.clone(), RecordType::A, ip));
            } else if let (Some(target), true) = (cname, host.cloudflare) {
                plan.push(record(
                    "dns.apex",
                    domain.clone(),
                    RecordType::CNAME,
                    target,
                ));
            }
            if let (Some(target), true) = (cname, host.www) {
                plan.push(record(
                    "dns.www",
                    format!("www.{domain}"),
                    RecordType::CNAME,
                    target,
                ));
            }
        }
    }
    for (name, value) in &host.validation {
        plan.push(record(
            "dns.validation",
            name.to_ascii_lowercase(),
            RecordType::TXT,
            value,
        ));
    }
    plan
}

/// Whether a vendor's records can be written anywhere — a zone file, the DNS host, a
/// registrar's Host field: names under `domain`, CNAME targets that are host names, A values
/// that are IPv4 addresses. Vendor answers are input: a newline in one must not add a zone
/// line. The error names the first bad record, quoted with its control characters escaped.
pub fn usable(domain: &str, records: &[PlannedRecord]) -> Result<(), String> {
    for r in records {
        let under = crate::layout::is_within(&r.name, domain);
        if !is_host_name(&r.name) || !under {
            return Err(format!("{:?} is not a name under {domain}", r.name));
        }
        let value_ok = match r.record_type {
            RecordType::A => r.value.parse::<std::net::Ipv4Addr>().is_ok(),
            RecordType::CNAME => is_host_name(&r.value),
            RecordType::TXT => is_plain_text(&r.value),
        };
        if !value_ok {
            let what = match r.record_type {
                RecordType::A => "an IPv4 address",
                RecordType::CNAME => "a host name",
                RecordType::TXT => "plain text of at most 255 characters",
            };
            return Err(format!("{:?} (for {}) is not {what}", r.value, r.name));
        }
    }
    Ok(())
}

/// Letters, digits, `-` and `_` (DKIM's `clk._domainkey`), in dot-separated labels of 1–63.
fn is_host_name(s: &str) -> bool {
    s.len() <= 253
        && s.split('.').all(|label| {
            (1..=63).contains(&label.len())
                && !label.starts_with('-')
                && !label.ends_with('-')
                && label
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
        })
}

/// Printable ASCII without quotes or backslashes, one TXT string long: nothing that could end
/// the zone file's quoted value or need escaping in a DNS host's form.
fn is_plain_text(s: &str) -> bool {
    !s.is_empty()
        && s.len() <= 255
        && s.bytes()
            .all(|b| (b' '..=b'~').contains(&b) && b != b'"' && b != b'\\')
}

/// `clk._domainkey.quillmate.site` under `quillmate.site` → `clk._domainkey`; the apex → `@`.
pub fn host_field(name: &str, domain: &str) -> String {
    let name = name.trim_end_matches('.');
    if name == domain {
        return "@".into();
    }
    name.strip_suffix(&format!(".{domain}"))
        .unwrap_or(name)
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::layout::{resolve, LayoutSettings};
    use crate::vendors::vercel::projects::DomainConfig;

    /// The layout of an app at `app_domain`, with Clerk at `clerk_domain`.
    fn layout(app_domain: &str, clerk_domain: &str) -> Layout {
        let settings = LayoutSettings {
            clerk_domain: Some(clerk_domain.into()),
            ..LayoutSettings::default()
        };
        resolve(app_domain, &settings, None, None)
    }

    fn apex() -> Layout {
        layout("quillmate.site", "quillmate.site")
    }

    #[test]
    fn records_come_from_clerks_targets() {
        let targets = vec![
            CnameTarget {
                host: "clerk.quillmate.site".into(),
                value: "frontend-api.clerk.services".into(),
                required: true,
            },
            CnameTarget {
                host: "clk._domainkey.quillmate.site".into(),
                value: "dkim1.abc.clerk.services.".into(),
                required: false,
            },
        ];
        let plan = clerk_records(&apex(), Some(&targets));
        assert_eq!(plan.len(), 2);
        assert_eq!(plan[1].check_id, "dns.clk._domainkey");
        assert_eq!(plan[1].host_field, "clk._domainkey");
        assert_eq!(plan[1].value, "dkim1.abc.clerk.services");
        assert!(!plan[1].required);
        assert_eq!(plan[0].source, RecordSource::ClerkApi);
    }

    #[test]
    fn the_hosts_records_come_from_vercel() {
        let config: DomainConfig = serde_json::from_value(serde_json::json!({
            "configuredBy": null, "acceptedChallenges": [], "misconfigured": true,
            "recommendedIPv4": [{"rank": 1, "value": ["216.198.79.1"]}],
            "recommendedCNAME": [{"rank": 1, "value": "abc.vercel-dns-017.com."}]
        }))
        .unwrap();
        let plan = host_records(
            &apex(),
            &DomainRecords::from_vercel(&config),
            RecordSource::VercelApi,
        );
        assert_eq!(plan[0].check_id, "dns.apex");
        assert_eq!(plan[0].record_type, RecordType::A);
        assert_eq!(plan[0].host_field, "@");
        assert_eq!(plan[0].value, "216.198.79.1");
        assert_eq!(plan[1].check_id, "dns.www");
        assert_eq!(plan[1].name, "www.quillmate.site");
        assert_eq!(plan[1].value, "abc.vercel-dns-017.com");
        assert!(zone_fragment("quillmate.site", &plan)
            .contains("quillmate.site.     IN A     216.198.79.1\n"));
    }

    /// A Pages project at the apex: its address as a flattened CNAME (the apex cannot hold a
    /// plain one), no `www` (Pages does not add it), and the TXT record Cloudflare validates by.
    #[test]
    fn the_hosts_records_come_from_its_api() {
        let pages = DomainRecords {
            cname: Some("quillmate.pages.dev".into()),
            cloudflare: true,
            validation: vec![(
                "_cf-custom-hostname.Quillmate.site".into(),
                "5a1b0c9D-validation".into(),
            )],
            ..DomainRecords::default()
        };
        let plan = host_records(&apex(), &pages, RecordSource::CloudflareApi);
        let ids: Vec<&str> = plan.iter().map(|r| r.check_id.as_str()).collect();
        assert_eq!(ids, ["dns.apex", "dns.validation"]);
        assert_eq!(plan[0].record_type, RecordType::CNAME);
        assert!(plan[0].served_by_cloudflare());
        assert_eq!(plan[1].record_type, RecordType::TXT);
        assert_eq!(plan[1].host_field, "_cf-custom-hostname");
        // A TXT value keeps its case; the zone file quotes it.
        assert_eq!(plan[1].value, "5a1b0c9D-validation");
        assert!(!plan[1].served_by_cloudflare());
        let z = zone_fragment("quillmate.site", &plan);
        assert!(
            z.contains("_cf-custom-hostname.quillmate.site. IN TXT   \"5a1b0c9D-validation\"\n"),
            "{z}"
        );
        assert!(
            z.contains("needs an apex domain's zone there)\nquillmate.site. "),
            "{z}"
        );
        assert_eq!(usable("quillmate.site", &plan), Ok(()));
        // Netlify names the site's address only: `www` and a subdomain take it; the apex's
        // record is not the API's to say, so the plan has none.
        let netlify = DomainRecords {
            cname: Some("quillmate.netlify.app".into()),
            www: true,
            ..DomainRecords::default()
        };
        let plan = host_records(&apex(), &netlify, RecordSource::NetlifyApi);
        let ids: Vec<&str> = plan.iter().map(|r| r.check_id.as_str()).collect();
        assert_eq!(ids, ["dns.www"]);
        let sub = host_records(
            &layout("app.quillmate.site", "quillmate.site"),
            &netlify,
            RecordSource::NetlifyApi,
        );
        assert_eq!(sub[0].check_id, "dns.app");
        assert_eq!(sub[0].host_field, "app");
        assert_eq!(sub[0].value, "quillmate.netlify.app");
    }

    /// A TXT value from a vendor cannot end the zone file's quotes or add a line.
    #[test]
    fn txt_values_are_plain_text() {
        for bad in ["a\" IN A 1.2.3.4", "two\nlines", "back\\slash", ""] {
            let pages = DomainRecords {
                validation: vec![("_cf-custom-hostname.quillmate.site".into(), bad.into())],
                ..DomainRecords::default()
            };
            let plan = host_records(&apex(), &pages, RecordSource::CloudflareApi);
            assert!(usable("quillmate.site", &plan).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn zone_fragments_are_fully_qualified() {
        let plan = clerk_records(&apex(), None);
        let z = zone_fragment("quillmate.site", &plan);
        assert!(z.starts_with("; DNS records for quillmate.site"));
        assert!(z.contains("$ORIGIN quillmate.site.\n$TTL 300\n"));
        assert!(
            z.contains("clerk.quillmate.site.    IN CNAME frontend-api.clerk.services.\n"),
            "{z}"
        );
        assert!(
            z.contains("accounts.quillmate.site. IN CNAME accounts.clerk.services.\n"),
            "{z}"
        );
        // The DMARC policy is offered, commented out, never imported by accident.
        assert!(z.contains(
            "\n; _dmarc.quillmate.site. IN TXT \"v=DMARC1; p=none; \
             rua=mailto:dmarc-reports@quillmate.site\"\n"
        ));
        assert!(!z.lines().any(|l| l.starts_with("_dmarc")));
    }

    #[test]
    fn registrars_get_the_host_their_way() {
        let hosts = registrar_hosts("@");
        assert_eq!(
            hosts
                .iter()
                .find(|h| h.registrar == "Namecheap")
                .unwrap()
                .host,
            "@"
        );
        assert_eq!(
            hosts
                .iter()
                .find(|h| h.registrar == "Porkbun")
                .unwrap()
                .host,
            ""
        );
        assert!(registrar_hosts("clk._domainkey")
            .iter()
            .all(|h| h.host == "clk._domainkey"));
    }

    #[test]
    fn only_host_names_under_the_domain_and_addresses_are_usable() {
        let d = "quillmate.site";
        let clerk = |host: &str, value: &str| {
            clerk_records(
                &apex(),
                Some(&[CnameTarget {
                    host: host.into(),
                    value: value.into(),
                    required: true,
                }]),
            )
        };
        assert_eq!(
            usable(
                d,
                &clerk("clk._domainkey.quillmate.site", "dkim1.x.clerk.services.")
            ),
            Ok(())
        );
        let bad = [
            clerk(
                "clerk.quillmate.site",
                "x.clerk.services.\nquillmate.site. IN A 6.6.6.6",
            ),
            clerk("clerk.quillmate.site\nevil", "x.clerk.services"),
            clerk("clerk.attacker.example", "x.clerk.services"),
            clerk("clerk.notquillmate.site", "x.clerk.services"),
            clerk("clerk.quillmate.site", "x clerk services"),
            clerk("clerk..quillmate.site", "x.clerk.services"),
        ];
        for plan in bad {
            let why = usable(d, &plan).unwrap_err();
            assert!(!why.contains('\n'), "{why}");
        }
        let config: DomainConfig = serde_json::from_value(serde_json::json!({
            "misconfigured": true,
            "recommendedIPv4": [{"rank": 1, "value": ["216.198.79.1\n@ IN A 6.6.6.6"]}],
        }))
        .unwrap();
        let records = DomainRecords::from_vercel(&config);
        let why = usable(d, &host_records(&apex(), &records, RecordSource::VercelApi)).unwrap_err();
        assert!(why.contains("is not an IPv4 address"), "{why}");
    }

    #[test]
    fn the_fallback_is_labelled() {
        let plan = clerk_records(&apex(), None);
        assert_eq!(
            plan.iter().map(|r| r.check_id.as_str()).collect::<Vec<_>>(),
            ["dns.clerk", "dns.accounts"]
        );
        assert!(plan.iter().all(|r| r.source == RecordSource::ClerkDefault));
        assert_eq!(host_field("quillmate.site", "quillmate.site"), "@");
    }
}
