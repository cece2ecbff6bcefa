//! DNS checks: each of Clerk's records asked of the zone's authoritative servers and of the
//! public resolvers, all at once, and what the answers mean — propagating, proxied at
//! Cloudflare, flattened, typed into the wrong field, pointing elsewhere — plus CAA and DMARC.

mod caa;
mod dmarc;

use futures::future::join_all;
use futures::FutureExt;
use hickory_resolver::proto::rr::RecordType;

use super::{CheckContext, CheckDef, Outcome, SatelliteCheckDef, Step};
use crate::dns::cloudflare_ips::{all_cloudflare, is_cloudflare};
use crate::dns::plan::{PlannedRecord, RecordType as PlannedType};
use crate::dns::query::{ask, Reply};
use crate::dns::resolvers::{authoritative, Server};
use crate::dns::survey::Survey;
use crate::layout::{zone_of, Satellite};

pub(super) fn checks() -> Vec<CheckDef> {
    vec![
        CheckDef {
            id: "dns.clerk",
            title: "DNS: clerk record (Frontend API)",
            step: Step::Dns,
            run: |ctx| record(ctx, "dns.clerk").boxed(),
        },
        CheckDef {
            id: "dns.accounts",
            title: "DNS: accounts record (Account Portal)",
            step: Step::Dns,
            run: |ctx| record(ctx, "dns.accounts").boxed(),
        },
        CheckDef {
            id: "dns.clkmail",
            title: "DNS: clkmail record (email sending)",
            step: Step::Dns,
            run: |ctx| record(ctx, "dns.clkmail").boxed(),
        },
        CheckDef {
            id: "dns.clk._domainkey",
            title: "DNS: clk._domainkey record (DKIM)",
            step: Step::Dns,
            run: |ctx| record(ctx, "dns.clk._domainkey").boxed(),
        },
        CheckDef {
            id: "dns.clk2._domainkey",
            title: "DNS: clk2._domainkey record (DKIM)",
            step: Step::Dns,
            run: |ctx| record(ctx, "dns.clk2._domainkey").boxed(),
        },
        CheckDef {
            id: "dns.apex",
            title: "DNS: the domain points to the host",
            step: Step::Dns,
            run: |ctx| apex(ctx).boxed(),
        },
        CheckDef {
            id: "dns.app",
            title: "DNS: the app's subdomain points to the host",
            step: Step::Dns,
            run: |ctx| record(ctx, "dns.app").boxed(),
        },
        CheckDef {
            id: "dns.www",
            title: "DNS: www record (the host)",
            step: Step::Dns,
            run: |ctx| record(ctx, "dns.www").boxed(),
        },
        CheckDef {
            id: "dns.validation",
            title: "DNS: the record the host validates the domain by",
            step: Step::Dns,
            run: |ctx| record(ctx, "dns.validation").boxed(),
        },
        CheckDef {
            id: "dns.caa",
            title: "DNS: CAA records allow Clerk's certificate authorities",
            step: Step::Dns,
            run: |ctx| caa::caa(ctx).boxed(),
        },
        CheckDef {
            id: "dns.dmarc",
            title: "DNS: a DMARC policy, so Clerk's emails reach the inbox",
            step: Step::Dns,
            run: |ctx| dmarc::dmarc(ctx).boxed(),
        },
    ]
}

pub(super) fn satellite_checks() -> Vec<SatelliteCheckDef> {
    vec![SatelliteCheckDef {
        prefix: "dns.satellite",
        title: "DNS: the satellite's clerk record",
        step: Step::Dns,
        after: None,
        run: |ctx, s| satellite(ctx, s).boxed(),
    }]
}

/// A satellite's record, asked of its own zone's nameservers.
async fn satellite(ctx: &CheckContext, s: &Satellite) -> Outcome {
    let survey = ctx.dns().await;
    let id = format!("dns.satellite.{}", s.domain);
    let Some(planned) = survey.plan.iter().find(|r| r.check_id == id) else {
        return Outcome::fail(
            format!(
                "Clerk's Frontend API host for {} ({}) cannot be a DNS record.",
                s.domain, s.frontend_api
            ),
            "Check the satellite domain in the Clerk dashboard → Domains → Satellites.",
        );
    };
    match authoritative(&ctx.endpoints, &s.domain).await {
        Ok(auth) => diagnose(ctx, planned, &auth, &survey.public).await,
        Err(e) => no_authoritative(&e),
    }
}

/// Asks every server the same question at once.
async fn ask_all(servers: &[Server], name: &str, t: RecordType) -> Vec<(Server, Reply)> {
    join_all(
        servers
            .iter()
            .map(|s| async move { (s.clone(), ask(s.addr, name, t).await) }),
    )
    .await
}

fn no_authoritative(e: &str) -> Outcome {
    Outcome::fail(
        format!("The domain's nameservers could not be found: {e}."),
        "Check that the domain is registered and its nameservers are set at the registrar.",
    )
}

async fn record(ctx: &CheckContext, check_id: &str) -> Outcome {
    let survey = ctx.dns().await;
    let Some(planned) = survey.plan.iter().find(|r| r.check_id == check_id) else {
        return Outcome::skip(skip_reason(ctx, survey, check_id));
    };
    let auth = match &survey.authoritative {
        Ok(a) => a,
        Err(e) => return no_authoritative(e),
    };
    let outcome = diagnose(ctx, planned, auth, &survey.public).await;
    // Clerk marks some records optional: missing them is worth a warning, not a failure.
    let outcome = if planned.required {
        outcome
    } else {
        outcome.soften()
    };
    match &survey.fallback_reason {
        Some(why) => outcome.note(why),
        None => outcome,
    }
}

/// Why a record is not in the plan: its vendor could not be asked, or does not want it.
fn skip_reason(ctx: &CheckContext, survey: &Survey, check_id: &str) -> String {
    let words = ctx.inputs.hosting.words();
    let name = words.name;
    match (check_id, &survey.host) {
        ("dns.apex" | "dns.www" | "dns.app" | "dns.validation", Err(why)) => return why.clone(),
        ("dns.apex", Ok(host)) if host.unsaid.is_some() => {
            return host.unsaid.clone().unwrap_or_default()
        }
        ("dns.validation", Ok(_)) => {
            return format!(
                "{name} names no validation record for the domain now (host.domain says where \
                 it stands)."
            )
        }
        ("dns.apex" | "dns.www" | "dns.app", Ok(_)) => {
            return format!(
                "{name} recommends no such record for this {}.",
                words.project
            )
        }
        _ => {}
    }
    survey
        .fallback_reason
        .clone()
        .unwrap_or_else(|| "Clerk does not ask for this record.".into())
}

async fn diagnose(
    ctx: &CheckContext,
    r: &PlannedRecord,
    auth: &[Server],
    public: &[Server],
) -> Outcome {
    if r.record_type == PlannedType::TXT {
        return txt(r, auth, public).await;
    }
    let want = &r.value;
    let (auth_replies, public_replies) = futures::join!(
        ask_all(auth, &r.name, RecordType::CNAME),
        ask_all(public, &r.name, RecordType::CNAME)
    );
    let expected = format!("CNAME {} → {want}", r.name);
    let Some(truth) = answered(&auth_replies) else {
        return silent(r, expected);
    };
    let add = format!("Add a CNAME record: Host {} → Value {want}.", r.host_field);
    match truth.values("CNAME").first() {
        Some(actual) if actual == want => propagation(r, &public_replies, |reply| {
            reply.values("CNAME").first() == Some(want)
        }),
        Some(actual) => {
            wrong_target(ctx, r, actual).evidence(expected, format!("CNAME {} → {actual}", r.name))
        }
        None => {
            // No CNAME at the source: an A record in its place, a doubled name, or nothing.
            let a = ask(auth[0].addr, &r.name, RecordType::A).await.values("A");
            if r.served_by_cloudflare() && all_cloudflare(&a) {
                return cloudflare_served(ctx, r, &a, public).await;
            }
            if !a.is_empty() {
                let found = format!("A {} → {}", r.name, a.join(", "));
                return address_instead(r, &a, public)
                    .await
                    .evidence(expected, found);
            }
            // A DNS host appends its zone to what the Host field says.
            let zone = zone_of(&r.name);
            let doubled = format!("{}.{zone}", r.name);
            if !ask(auth[0].addr, &doubled, RecordType::CNAME)
                .await
                .values("CNAME")
                .is_empty()
            {
                return Outcome::fail(
                    format!(
                        "{doubled} exists but {} does not: the full name was typed in the Host field, \
                         and the DNS host added the domain again.",
                        r.name
                    ),
                    format!(
                        "Edit the record and type only {} in the Host field (your DNS host adds {} itself).",
                        r.host_field, zone
                    ),
                )
                .evidence(expected, format!("CNAME at {doubled}, none at {}", r.name));
            }
            Outcome::fail(
                format!(
                    "{} has no CNAME record at the domain's nameservers.",
                    r.name
                ),
                add,
            )
            .evidence(expected, format!("no record at {}", r.name))
        }
    }
}

/// The first answer from the nameservers, if any answered.
fn answered(replies: &[(Server, Reply)]) -> Option<&Reply> {
    replies
        .iter()
        .map(|(_, reply)| reply)
        .find(|reply| !matches!(reply, Reply::NoAnswer | Reply::Failed(_)))
}

fn silent(r: &PlannedRecord, expected: String) -> Outcome {
    Outcome::fail(
        format!("None of the domain's nameservers answered for {}.", r.name),
        "Check the nameservers at your registrar; run the checks again in a minute.",
    )
    .evidence(expected, "no answer from the nameservers")
}

/// A host record Cloudflare serves (a Pages project's), answering with Cloudflare's addresses
/// (proxied, or flattened at the apex). Those addresses do not say where Cloudflare sends the
/// visitors: a record proxied to the previous host answers the same. So it passes only once
/// Cloudflare has activated the domain on the project.
async fn cloudflare_served(
    ctx: &CheckContext,
    r: &PlannedRecord,
    addrs: &[String],
    public: &[Server],
) -> Outcome {
    let activated = matches!(&ctx.dns().await.host, Ok(host) if !host.misconfigured);
    if !activated {
        return Outcome::warn(
            format!(
                "{} answers with Cloudflare's addresses ({}), proxied or flattened, but \
                 Cloudflare has not activated the domain on the project yet: the record may \
                 still send visitors to another origin.",
                r.name,
                addrs.join(", ")
            ),
            format!(
                "Make {} a CNAME to {} (Host {}), then see host.domain.",
                r.name, r.value, r.host_field
            ),
        );
    }
    let public_a = ask_all(public, &r.name, RecordType::A).await;
    propagation(r, &public_a, |reply| all_cloudflare(&reply.values("A"))).note(&format!(
        "Cloudflare serves it, proxied or flattened, so it answers with Cloudflare's addresses, \
         {}, rather than the CNAME",
        addrs.join(", ")
    ))
}

/// A TXT record the host validates the domain by: other TXT records at the name may stay.
async fn txt(r: &PlannedRecord, auth: &[Server], public: &[Server]) -> Outcome {
    let (auth_replies, public_replies) = futures::join!(
        ask_all(auth, &r.name, RecordType::TXT),
        ask_all(public, &r.name, RecordType::TXT)
    );
    let expected = format!("TXT {} \"{}\"", r.name, r.value);
    let Some(truth) = answered(&auth_replies) else {
        return silent(r, expected);
    };
    let has = |reply: &Reply| reply.has_text(&r.value);
    if has(truth) {
        return propagation(r, &public_replies, has);
    }
    let add = format!(
        "Add a TXT record: Host {} → Value {}.",
        r.host_field, r.value
    );
    let found = truth.texts();
    if found.is_empty() {
        return Outcome::fail(
            format!("{} has no TXT record at the domain's nameservers.", r.name),
            add,
        )
        .evidence(expected, format!("no TXT record at {}", r.name));
    }
    Outcome::fail(
        format!(
            "{} has TXT records, but not the one the host waits for.",
            r.name
        ),
        format!("{add} The others can stay."),
    )
    .evidence(
        expected,
        format!("TXT {} \"{}\"", r.name, found.join("\", \"")),
    )
}

/// At the source; how far it has spread (`sees`: a resolver's answer is the right one).
fn propagation(
    r: &PlannedRecord,
    public: &[(Server, Reply)],
    sees: impl Fn(&Reply) -> bool,
) -> Outcome {
    let lagging: Vec<&(Server, Reply)> = public
        .iter()
        .filter(|(_, reply)| !sees(reply) && !matches!(reply, Reply::NoAnswer | Reply::Failed(_)))
        .collect();
    let silent: Vec<&str> = public
        .iter()
        .filter(|(_, reply)| matches!(reply, Reply::NoAnswer | Reply::Failed(_)))
        .map(|(s, _)| s.label.as_str())
        .collect();
    let seen = public.len() - lagging.len() - silent.len();
    let mut detail = format!(
        "{:?} {} → {}: at the nameservers, and at {seen} of {} public resolvers",
        r.record_type,
        r.name,
        r.value,
        public.len()
    );
    if !silent.is_empty() {
        detail += &format!(" ({} did not answer)", silent.join(", "));
    }
    if lagging.is_empty() {
        return Outcome::pass(detail);
    }
    // The old answers' TTLs are how long those caches may keep them.
    let wait = lagging
        .iter()
        .filter_map(|(_, reply)| reply.max_ttl())
        .max()
        .unwrap_or(300);
    let names: Vec<&str> = lagging.iter().map(|(s, _)| s.label.as_str()).collect();
    Outcome::warn(
        format!("{detail}. Still propagating to {}.", names.join(", ")),
        format!(
            "Nothing to change: the record is right at the source. Caches expire within about {}.",
            human_duration(wait)
        ),
    )
}

fn human_duration(secs: u32) -> String {
    match secs {
        0..=119 => format!("{secs} seconds"),
        120..=7199 => format!("{} minutes", secs.div_ceil(60)),
        _ => format!("{} hours", secs.div_ceil(3600)),
    }
}

fn wrong_target(ctx: &CheckContext, r: &PlannedRecord, actual: &str) -> Outcome {
    let want = &r.value;
    let fix = format!(
        "Edit the CNAME {} so its value is exactly {want}.",
        r.host_field
    );
    if actual == format!("{want}.{}", ctx.domain) {
        return Outcome::fail(
            format!(
                "{} points to {actual}: the DNS host appended your domain to the value.",
                r.name
            ),
            format!("Enter the value with a trailing dot ({want}.) so it is taken as a full name."),
        );
    }
    if edit_distance(actual, want) <= 3 {
        return Outcome::fail(
            format!(
                "{} points to {actual}, which looks like a typo of {want}.",
                r.name
            ),
            fix,
        );
    }
    Outcome::fail(format!("{} points to {actual}, not {want}.", r.name), fix)
}

/// An A record where the CNAME belongs: proxied at Cloudflare, flattened, or simply wrong.
async fn address_instead(r: &PlannedRecord, addrs: &[String], public: &[Server]) -> Outcome {
    let mut target = vec![];
    if let Some(resolver) = public.first() {
        target = ask(resolver.addr, &r.value, RecordType::A)
            .await
            .values("A");
    }
    let same = |a: &[String], b: &[String]| {
        let (mut a, mut b) = (a.to_vec(), b.to_vec());
        a.sort();
        b.sort();
        !a.is_empty() && a == b
    };
    if same(addrs, &target) {
        return Outcome::warn(
            format!(
                "{} answers with {}'s addresses but no CNAME: the DNS host flattens it. Browsers \
                 reach Clerk, but Clerk's own DNS check looks for the CNAME.",
                r.name, r.value
            ),
            "Turn off CNAME flattening for this record (Cloudflare: DNS → Settings → CNAME \
             flattening: only at the apex), so the CNAME is visible.",
        );
    }
    let cloudflare = addrs
        .iter()
        .filter_map(|a| a.parse().ok())
        .any(is_cloudflare);
    if cloudflare {
        return Outcome::fail(
            format!(
                "{} answers with Cloudflare's addresses ({}): the record is proxied (orange cloud), \
                 so Clerk cannot issue its certificate.",
                r.name,
                addrs.join(", ")
            ),
            format!(
                "In Cloudflare → DNS, set the {} record to \"DNS only\" (grey cloud).",
                r.host_field
            ),
        );
    }
    // Only a flattening DNS host can hold a CNAME at the apex.
    let flattened = if r.host_field == "@" {
        " Your DNS host must flatten it at the apex (Cloudflare DNS does, and Cloudflare Pages \
         needs the zone there for an apex domain)."
    } else {
        ""
    };
    Outcome::fail(
        format!(
            "{} has an A record ({}) where a CNAME belongs.",
            r.name,
            addrs.join(", ")
        ),
        format!(
            "Delete the A record for {} and add a CNAME: Host {} → Value {}.{flattened}",
            r.host_field, r.host_field, r.value
        ),
    )
}

/// The apex can't be a CNAME: it needs the host's A record (Vercel's), and no other A or
/// AAAA record beside it (visitors would land on either at random, and the host's
/// certificate fails). Where Cloudflare serves the host (Pages), the apex's CNAME is
/// flattened, and asked like any CNAME.
async fn apex(ctx: &CheckContext) -> Outcome {
    let survey = ctx.dns().await;
    let (Some(r), Ok(host)) = (
        survey.plan.iter().find(|r| r.check_id == "dns.apex"),
        &survey.host,
    ) else {
        return Outcome::skip(skip_reason(ctx, survey, "dns.apex"));
    };
    if r.record_type != PlannedType::A {
        return record(ctx, "dns.apex").await;
    }
    let name = ctx.inputs.hosting.words().name;
    let auth = match &survey.authoritative {
        Ok(a) => a,
        Err(e) => return no_authoritative(e),
    };
    let (a, aaaa, public) = futures::join!(
        ask(auth[0].addr, &r.name, RecordType::A),
        ask(auth[0].addr, &r.name, RecordType::AAAA),
        ask_all(&survey.public, &r.name, RecordType::A)
    );
    let (a, aaaa) = (a.values("A"), aaaa.values("AAAA"));
    let host_ips = &host.host_ips;
    let add = format!("Add an A record: Host @ → Value {}.", r.value);
    let expected = format!("A {} → {}", r.name, r.value);
    let addresses: Vec<String> = a
        .iter()
        .map(|ip| format!("A {ip}"))
        .chain(aaaa.iter().map(|ip| format!("AAAA {ip}")))
        .collect();
    let found = if addresses.is_empty() {
        format!("no address at {}", r.name)
    } else {
        format!("{} → {}", r.name, addresses.join(", "))
    };
    if a.is_empty() {
        return Outcome::fail(
            format!("{} has no A record at its nameservers.", r.name),
            add,
        )
        .evidence(expected, found);
    }
    if a.iter().filter_map(|ip| ip.parse().ok()).any(is_cloudflare) {
        return Outcome::fail(
            format!(
                "{} answers with Cloudflare's addresses ({}): the record is proxied, and {name} \
                 cannot issue its certificate.",
                r.name,
                a.join(", ")
            ),
            "In Cloudflare → DNS, set the @ record to \"DNS only\" (grey cloud).",
        )
        .evidence(expected, found);
    }
    let strays: Vec<String> = a
        .iter()
        .filter(|ip| !host_ips.contains(ip))
        .map(|ip| format!("A {ip}"))
        .chain(aaaa.iter().map(|ip| format!("AAAA {ip}")))
        .collect();
    if strays.len() == a.len() + aaaa.len() {
        return Outcome::fail(
            format!(
                "{} points to {}, not to {name} ({}).",
                r.name,
                a.join(", "),
                r.value
            ),
            format!("Edit the A record at @ so its value is {}.", r.value),
        )
        .evidence(expected, found);
    }
    if !strays.is_empty() {
        return Outcome::fail(
            format!(
                "{} has {} next to {name}'s A {}: visitors reach either at random, and {name} \
                 cannot renew its certificate.",
                r.name,
                strays.join(", "),
                r.value
            ),
            format!(
                "Delete {} at @ (probably left from the previous host); keep A @ → {}.",
                strays.join(" and "),
                r.value
            ),
        )
        .evidence(expected, found);
    }
    let mut want = a.clone();
    want.sort();
    let outcome = propagation(r, &public, |reply| {
        let mut got = reply.values("A");
        got.sort();
        got == want
    });
    let outcome = if a.contains(&r.value) {
        outcome
    } else {
        outcome.note(&format!(
            "it uses {name}'s older address; {name} now recommends {}",
            r.value
        ))
    };
    if host.misconfigured {
        outcome.note(&format!(
            "{name} still reports the domain as misconfigured; it re-checks on its own"
        ))
    } else {
        outcome
    }
}

fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut cur = vec![i + 1];
        for (j, cb) in b.iter().enumerate() {
            cur.push(
                (prev[j] + usize::from(ca != *cb))
                    .min(prev[j + 1] + 1)
                    .min(cur[j] + 1),
            );
        }
        prev = cur;
    }
    prev[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn typos_are_near_and_other_names_far() {
        assert_eq!(
            edit_distance("frontend-api.clerk.services", "frontend-api.clerk.services"),
            0
        );
        assert_eq!(
            edit_distance("fronted-api.clerk.services", "frontend-api.clerk.services"),
            1
        );
        assert!(edit_distance("cname.vercel-dns.com", "frontend-api.clerk.services") > 3);
        assert_eq!(human_duration(90), "90 seconds");
        assert_eq!(human_duration(300), "5 minutes");
        assert_eq!(human_duration(86_400), "24 hours");
    }
}
