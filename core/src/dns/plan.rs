//! The record plan: every record the launch needs, from the vendors' own answers — Clerk's
//! `cname_targets`, the host's recommended records — with Clerk's documented defaults only as
//! a labelled fallback when its API cannot be asked.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::vendors::clerk::platform::CnameTarget;
use crate::vendors::vercel::projects::DomainConfig;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
pub enum RecordType {
    A,
    CNAME,
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

/// A BIND zone fragment of the plan, to import at a DNS host or keep with the project. The
/// DMARC policy comes commented out: a domain may have one already, and two void both.
pub fn zone_fragment(domain: &str, plan: &[PlannedRecord]) -> String {
    let mut z = format!("; DNS records for {domain}, from Golive\n$ORIGIN {domain}.\n$TTL 300\n");
    let width = plan.iter().map(|r| r.name.len() + 1).max().unwrap_or(0);
    for r in plan {
        let value = match r.record_type {
            RecordType::CNAME => format!("{}.", r.value),
            RecordType::A => r.value.clone(),
        };
        z += &format!(
            "{:width$} IN {:5} {value}\n",
            format!("{}.", r.name),
            format!("{:?}", r.record_type)
        );
    }
    z += &format!(
        "; If {domain} has no DMARC policy yet (Clerk sends mail from it), uncomment this one\n\
         ; with a report address you read:\n\
         ; _dmarc.{domain}. IN TXT \"{}\"\n",
        suggested_dmarc(domain)
    );
    z
}

fn planned(
    domain: &str,
    name: String,
    record_type: RecordType,
    value: &str,
    required: bool,
    source: RecordSource,
) -> PlannedRecord {
    let host = host_field(&name, domain);
    PlannedRecord {
        check_id: if host == "@" {
            "dns.apex".into()
        } else {
            format!("dns.{host}")
        },
        registrar_hosts: registrar_hosts(&host),
        host_field: host,
        name,
        record_type,
        value: value.trim_end_matches('.').to_ascii_lowercase(),
        required,
        source,
    }
}

/// Clerk's five records: from `cname_targets` when its API answered, else the documented
/// defaults (whose mail token Golive cannot know, so those three are left out).
pub fn clerk_records(domain: &str, targets: Option<&[CnameTarget]>) -> Vec<PlannedRecord> {
    match targets {
        Some(t) => t
            .iter()
            .map(|t| {
                planned(
                    domain,
                    t.host.to_ascii_lowercase(),
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
                domain,
                format!("{sub}.{domain}"),
                RecordType::CNAME,
                value,
                true,
                RecordSource::ClerkDefault,
            )
        })
        .collect(),
    }
}

/// The host's records, as Vercel recommends them for this project: the apex's A record and
/// `www`'s CNAME (rank 1 of each).
pub fn vercel_records(domain: &str, config: &DomainConfig) -> Vec<PlannedRecord> {
    let mut plan = vec![];
    if let Some(ip) = config.apex_ip() {
        plan.push(planned(
            domain,
            domain.to_string(),
            RecordType::A,
            &ip,
            true,
            RecordSource::VercelApi,
        ));
    }
    if let Some(target) = config.cname() {
        plan.push(planned(
            domain,
            format!("www.{domain}"),
            RecordType::CNAME,
            &target,
            true,
            RecordSource::VercelApi,
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
        let under = r.name == domain || r.name.ends_with(&format!(".{domain}"));
        if !is_host_name(&r.name) || !under {
            return Err(format!("{:?} is not a name under {domain}", r.name));
        }
        let value_ok = match r.record_type {
            RecordType::A => r.value.parse::<std::net::Ipv4Addr>().is_ok(),
            RecordType::CNAME => is_host_name(&r.value),
        };
        if !value_ok {
            let what = match r.record_type {
                RecordType::A => "an IPv4 address",
                RecordType::CNAME => "a host name",
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
        let plan = clerk_records("quillmate.site", Some(&targets));
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
        let plan = vercel_records("quillmate.site", &config);
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

    #[test]
    fn zone_fragments_are_fully_qualified() {
        let plan = clerk_records("quillmate.site", None);
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
                d,
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
        let why = usable(d, &vercel_records(d, &config)).unwrap_err();
        assert!(why.contains("is not an IPv4 address"), "{why}");
    }

    #[test]
    fn the_fallback_is_labelled() {
        let plan = clerk_records("quillmate.site", None);
        assert_eq!(
            plan.iter().map(|r| r.check_id.as_str()).collect::<Vec<_>>(),
            ["dns.clerk", "dns.accounts"]
        );
        assert!(plan.iter().all(|r| r.source == RecordSource::ClerkDefault));
        assert_eq!(host_field("quillmate.site", "quillmate.site"), "@");
    }
}
