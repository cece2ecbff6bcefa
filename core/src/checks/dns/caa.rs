//! The CAA check: which certificate authorities may issue for Clerk's hosts.

use hickory_resolver::proto::rr::RecordType;

use super::no_authoritative;
use crate::checks::{CheckContext, Outcome};
use crate::dns::query::ask;

/// Certificate authorities Clerk uses.
const CLERK_CAS: &[&str] = &["letsencrypt.org", "pki.goog"];

/// CAA is inherited: the closest name (from the domain up, short of the TLD) with CAA
/// records decides who may issue certificates for `clerk.` and `accounts.`.
pub(super) async fn caa(ctx: &CheckContext) -> Outcome {
    let survey = ctx.dns().await;
    let auth = match &survey.authoritative {
        Ok(a) => a,
        Err(e) => return no_authoritative(e),
    };
    let labels: Vec<&str> = ctx.domain.split('.').collect();
    for start in 0..labels.len().saturating_sub(1) {
        let name = labels[start..].join(".");
        let reply = ask(auth[0].addr, &name, RecordType::CAA).await;
        let records = reply.values("CAA");
        if records.is_empty() {
            continue;
        }
        let issuers: Vec<String> = records
            .iter()
            .filter_map(|v| {
                let mut parts = v.splitn(3, ' ');
                let (_flags, tag, value) = (parts.next()?, parts.next()?, parts.next()?);
                (tag == "issue").then(|| {
                    let issuer = value.trim_matches('"').split(';').next().unwrap_or("");
                    issuer.trim().trim_end_matches('.').to_string()
                })
            })
            .collect();
        if issuers.is_empty() || issuers.iter().any(|i| CLERK_CAS.contains(&i.as_str())) {
            return Outcome::pass(format!(
                "CAA at {name} allows Clerk's certificate authorities ({})",
                records.join("; ")
            ));
        }
        return Outcome::fail(
            format!(
                "CAA at {name} allows only {}: Clerk's certificates (Let's Encrypt, Google Trust \
                 Services) cannot be issued, and the instance stays stuck in certificate issuance.",
                issuers.join(", ")
            ),
            format!(
                "Add two CAA records at {name}: 0 issue \"letsencrypt.org\" and 0 issue \"pki.goog\"."
            ),
        );
    }
    Outcome::pass(format!(
        "No CAA records for {}: any certificate authority may issue",
        ctx.domain
    ))
}
