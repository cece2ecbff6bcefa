//! The DMARC check: Clerk sends verification and sign-in emails from the domain, and since
//! 2024 the large mailbox providers expect bulk senders to publish a DMARC policy; without
//! one those emails land in spam.

use hickory_resolver::proto::rr::RecordType;

use super::no_authoritative;
use crate::checks::{CheckContext, Outcome};
use crate::dns::plan::suggested_dmarc;
use crate::dns::query::ask;
use crate::layout::zone_of;

/// A DMARC record's tags, from one TXT value (its strings already joined).
fn tags(record: &str) -> Vec<(String, String)> {
    record
        .split(';')
        .filter_map(|t| {
            let (k, v) = t.split_once('=')?;
            Some((k.trim().to_ascii_lowercase(), v.trim().to_string()))
        })
        .collect()
}

pub(super) async fn dmarc(ctx: &CheckContext) -> Outcome {
    let survey = ctx.dns().await;
    let auth = match &survey.authoritative {
        Ok(a) => a,
        Err(e) => return no_authoritative(e),
    };
    // Clerk mails from its domain; the policy at the organisational domain covers it (and its
    // subdomains, as DMARC's discovery falls back to it).
    let domain = zone_of(&ctx.layout().await.clerk_domain);
    let name = format!("_dmarc.{domain}");
    let reply = ask(auth[0].addr, &name, RecordType::TXT).await;
    let records: Vec<String> = reply
        .texts()
        .into_iter()
        .filter(|t| t.to_ascii_lowercase().starts_with("v=dmarc1"))
        .collect();
    let ready = suggested_dmarc(domain);
    let expected = format!("TXT {name} \"v=DMARC1; …\"");
    match records.as_slice() {
        [] => Outcome::warn(
            format!(
                "{} has no DMARC record: Gmail, Yahoo and Outlook expect one from domains that \
                 send mail, so Clerk's verification emails from it may land in spam.",
                domain
            ),
            format!(
                "Add a TXT record at {name} (Host field: _dmarc) with the value \"{ready}\", \
                 replacing dmarc-reports@{} with a mailbox you read. p=none only monitors; \
                 tighten it once the reports look right.",
                domain
            ),
        )
        .evidence(expected, format!("no DMARC record at {name}")),
        [one] => {
            let tags = tags(one);
            let tag = |k: &str| tags.iter().find(|(t, _)| t == k).map(|(_, v)| v.as_str());
            let policy = tag("p").unwrap_or("none").to_ascii_lowercase();
            let detail = format!("{name}: {one}");
            if policy != "none" && tag("rua").is_none() {
                return Outcome::pass(detail).note(&format!(
                    "p={policy} and no rua= address: mail that fails DMARC is refused and no \
                     mailbox receives the reports that would say why"
                ));
            }
            Outcome::pass(detail)
        }
        many => Outcome::warn(
            format!(
                "{name} has {} DMARC records; mailbox providers ignore them all when there is \
                 more than one.",
                many.len()
            ),
            format!("Keep one TXT record at {name} and delete the others."),
        )
        .evidence(expected, many.join(" | ")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn records_read_as_dns_serves_them() {
        assert_eq!(
            crate::dns::query::text_of("\"v=DMARC1; p=reject; \" \"rua=mailto:a@b.test\""),
            "v=DMARC1; p=reject; rua=mailto:a@b.test"
        );
        let t = tags("v=DMARC1; p=quarantine ;rua=mailto:x@y.test");
        assert!(t.contains(&("p".into(), "quarantine".into())));
        assert!(t.contains(&("rua".into(), "mailto:x@y.test".into())));
    }
}
