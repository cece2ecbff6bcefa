//! Clerk checks: the live keys are live, well-formed, accepted, for this domain and for the
//! same instance; the Frontend API and Account Portal answer over valid TLS; and Clerk's own
//! view of the domain (with a platform key).

use futures::FutureExt;

use super::{CheckContext, CheckDef, Outcome, SatelliteCheckDef, Step};
use crate::error::Error;
use crate::https_probe::{CertInfo, ProbeError};
use crate::keys::{parse_publishable_key, secret_key_env, KeyEnv, PublishableKey};
use crate::layout::{is_within, Satellite};
use crate::vendors::clerk::backend::Backend;
use crate::vendors::clerk::frontend::{self, FrontendError};
use crate::vendors::clerk::platform::{DomainStatus, Platform};

pub(super) fn checks() -> Vec<CheckDef> {
    vec![
        CheckDef {
            id: "clerk.publishable_key",
            title: "Clerk publishable key is live and for this domain",
            step: Step::Clerk,
            run: |ctx| publishable_key(ctx).boxed(),
        },
        CheckDef {
            id: "clerk.secret_key",
            title: "Clerk secret key is live and accepted by Clerk",
            step: Step::Clerk,
            run: |ctx| secret_key(ctx).boxed(),
        },
        CheckDef {
            id: "clerk.key_pair",
            title: "Publishable and secret key belong to the same instance",
            step: Step::Clerk,
            run: |ctx| key_pair(ctx).boxed(),
        },
        CheckDef {
            id: "clerk.frontend_api",
            title: "Clerk Frontend API answers on your domain",
            step: Step::Clerk,
            run: |ctx| frontend_api(ctx).boxed(),
        },
        CheckDef {
            id: "clerk.proxy",
            title: "Clerk Frontend API answers through your proxy",
            step: Step::Clerk,
            run: |ctx| proxy(ctx).boxed(),
        },
        CheckDef {
            id: "clerk.accounts_portal",
            title: "Clerk Account Portal answers on your domain",
            step: Step::Clerk,
            run: |ctx| accounts_portal(ctx).boxed(),
        },
        CheckDef {
            id: "clerk.domain_status",
            title: "Clerk reports DNS, certificates and mail complete",
            step: Step::Clerk,
            run: |ctx| domain_status(ctx).boxed(),
        },
    ]
}

pub(super) fn satellite_checks() -> Vec<SatelliteCheckDef> {
    vec![SatelliteCheckDef {
        prefix: "clerk.satellite",
        title: "Clerk serves the satellite as this instance",
        step: Step::Clerk,
        after: Some("dns.satellite"),
        run: |ctx, s| satellite(ctx, s).boxed(),
    }]
}

const KEYS_FIX: &str = "In the Clerk dashboard switch to the Production instance, open API keys, \
                        and copy the pk_live_ and sk_live_ keys into Golive's Clerk step.";
const DNS_FIX: &str = "Add the records Clerk lists for your domain (Golive's DNS step, or the \
                       Clerk dashboard → Domains) and wait for them to propagate.";

fn live_publishable_key(ctx: &CheckContext) -> Result<Option<PublishableKey>, Outcome> {
    let Some(pk) = ctx.inputs.publishable_key.as_deref() else {
        return Ok(None);
    };
    let parsed = parse_publishable_key(pk).map_err(|e| Outcome::fail(e.to_string(), KEYS_FIX))?;
    if parsed.env == KeyEnv::Test {
        return Err(Outcome::fail(
            format!(
                "This is a development key (pk_test_, for {}). Production needs the pk_live_ key.",
                parsed.frontend_api
            ),
            KEYS_FIX,
        ));
    }
    Ok(Some(parsed))
}

async fn publishable_key(ctx: &CheckContext) -> Outcome {
    let parsed = match live_publishable_key(ctx) {
        Ok(Some(p)) => p,
        Ok(None) => return Outcome::skip(
            "No publishable key given: paste it on the Clerk step, or set CLERK_PUBLISHABLE_KEY.",
        ),
        Err(outcome) => return outcome,
    };
    let layout = ctx.layout().await;
    let expected = layout.frontend_api.clone();
    let proxied = parsed
        .frontend_api
        .strip_prefix(&ctx.domain)
        .is_some_and(|rest| rest.starts_with('/'));
    if parsed.frontend_api != expected && !proxied {
        return Outcome::fail(
            format!(
                "The key is for {}, not {expected}: it belongs to another Clerk instance or domain.",
                parsed.frontend_api
            ),
            format!(
                "Copy the pk_live_ key of the production instance whose domain is {}.",
                layout.clerk_domain
            ),
        )
        .evidence(
            format!("a key for {expected}"),
            format!("a key for {}", parsed.frontend_api),
        );
    }
    Outcome::pass(format!("pk_live_ key for {}", parsed.frontend_api))
}

async fn secret_key(ctx: &CheckContext) -> Outcome {
    let Some(sk) = ctx.inputs.secret_key.as_ref() else {
        return Outcome::skip(
            "No secret key given: paste it on the Clerk step, or set CLERK_SECRET_KEY.",
        );
    };
    match secret_key_env(sk.expose()) {
        Err(e) => return Outcome::fail(e.to_string(), KEYS_FIX),
        Ok(KeyEnv::Test) => {
            return Outcome::fail(
                "This is a development key (sk_test_). Production needs the sk_live_ key.",
                KEYS_FIX,
            )
        }
        Ok(KeyEnv::Live) => {}
    }
    let api = Backend::new(&ctx.http, &ctx.endpoints.clerk_api, sk);
    let instance = match api.instance().await {
        Ok(i) => i,
        Err(e) => return vendor_failure(&e),
    };
    if instance.environment_type != "production" {
        return Outcome::fail(
            format!(
                "Clerk says this key's instance ({}) is a {} instance.",
                instance.id, instance.environment_type
            ),
            KEYS_FIX,
        );
    }
    let domains = match ctx.clerk_domains().await {
        Some(Ok(d)) => d,
        Some(Err(e)) => return vendor_failure(e),
        None => return Outcome::skip("No secret key given."),
    };
    let domain = &ctx.layout().await.clerk_domain;
    if !domains.iter().any(|d| &d.name == domain) {
        let names: Vec<&str> = domains.iter().map(|d| d.name.as_str()).collect();
        return Outcome::fail(
            format!(
                "This key belongs to the production instance {} for {}, not {}.",
                instance.id,
                if names.is_empty() {
                    "no domain".into()
                } else {
                    names.join(", ")
                },
                domain
            ),
            format!(
                "Copy the sk_live_ key of the production instance whose domain is {}.",
                domain
            ),
        )
        .evidence(
            format!("a production instance for {}", domain),
            format!("instance {} for {}", instance.id, names.join(", ")),
        );
    }
    Outcome::pass(format!(
        "Accepted by Clerk: production instance {} for {}",
        instance.id, domain
    ))
}

/// Clerk's JWKS key ids are instance ids: the Frontend API (reached through the publishable
/// key's host) and the Backend API (through the secret key) must list the same ones.
async fn key_pair(ctx: &CheckContext) -> Outcome {
    let (pk, sk) =
        match (live_publishable_key(ctx), ctx.inputs.secret_key.as_ref()) {
            (Ok(Some(pk)), Some(sk)) if secret_key_env(sk.expose()).ok() == Some(KeyEnv::Live) => {
                (pk, sk)
            }
            _ => return Outcome::skip(
                "Needs a live publishable key and a live secret key (see the two checks above).",
            ),
        };
    let api = Backend::new(&ctx.http, &ctx.endpoints.clerk_api, sk);
    let backend_kids = match api.jwks().await {
        Ok(j) => j.kids(),
        Err(e) => {
            return Outcome::skip(format!(
                "The secret key could not be used ({e}); see clerk.secret_key."
            ))
        }
    };
    let instance = backend_kids.join(", ");
    // Only the domain under check is probed: another host could be anyone's.
    if pk.frontend_api == ctx.layout().await.frontend_api {
        if let Ok(jwks) = frontend::jwks(&ctx.prober, &pk.frontend_api).await {
            let frontend_kids = jwks.kids();
            return if frontend_kids == backend_kids {
                Outcome::pass(format!("Both keys belong to instance {instance}"))
            } else {
                mismatch(&frontend_kids.join(", "), &instance)
            };
        }
    }
    // The Frontend API is not serving yet: compare through the Backend API's domains.
    let domains = match ctx.clerk_domains().await {
        Some(Ok(d)) => d,
        Some(Err(e)) => return vendor_failure(e),
        None => return Outcome::skip("No secret key given."),
    };
    let same = domains.iter().any(|d| {
        d.frontend_api_url
            .trim_start_matches("https://")
            .trim_end_matches('/')
            == pk.frontend_api
    });
    if same {
        Outcome::pass(format!(
            "Both keys belong to instance {instance} (matched by domain; {} is not serving yet)",
            pk.frontend_api
        ))
    } else {
        mismatch(&format!("the one at {}", pk.frontend_api), &instance)
    }
}

fn mismatch(publishable: &str, secret: &str) -> Outcome {
    Outcome::fail(
        format!(
            "The keys are from different instances: the publishable key is {publishable}, the \
             secret key is {secret}. Apps with mismatched keys loop on sign-in."
        ),
        "Copy both keys from the same production instance (Clerk dashboard → API keys), \
         then clear the site's cookies.",
    )
    .evidence(
        format!("both keys of instance {secret}"),
        format!("publishable key: {publishable}; secret key: {secret}"),
    )
}

async fn frontend_api(ctx: &CheckContext) -> Outcome {
    let layout = ctx.layout().await;
    let host = layout.frontend_api.clone();
    let origin = format!("https://{}", ctx.domain);
    let (env, cert) = match frontend::environment(&ctx.prober, &host, &origin).await {
        Ok(ok) => ok,
        Err(FrontendError::Probe(p)) => return probe_outcome(&host, &p),
        Err(FrontendError::Status(403)) => {
            return Outcome::fail(
                format!(
                    "{host} answered 403: Clerk does not serve a production instance for {}.",
                    ctx.domain
                ),
                "Check the production instance's domain in the Clerk dashboard → Domains.",
            )
        }
        // Clerk's side, for now: nothing to change at the DNS host.
        Err(FrontendError::Status(s)) if s == 429 || s >= 500 => {
            return Outcome::warn(
                format!(
                    "{host} answered HTTP {s}: Clerk's Frontend API is {} right now.",
                    if s == 429 {
                        "rate limiting requests"
                    } else {
                        "having a server error"
                    }
                ),
                CLERK_LATER,
            )
        }
        Err(e) => {
            return Outcome::fail(
                format!("{host} did not answer as Clerk's Frontend API: {e}."),
                DNS_FIX,
            )
        }
    };
    let kind = &env.display_config.instance_environment_type;
    if kind != "production" {
        return Outcome::fail(
            format!("{host} serves a {kind} instance, not production."),
            "Point the clerk CNAME at the production instance's target (DNS step).",
        );
    }
    if let Some(wrong) = other_home(ctx, &env).await {
        return wrong;
    }
    cert_outcome(&host, "production instance", &cert)
}

/// The instance's home is on Clerk's domain (the app's, or a parent shared with it), or
/// this is another instance's Frontend API.
async fn other_home(ctx: &CheckContext, env: &frontend::Environment) -> Option<Outcome> {
    let clerk_domain = &ctx.layout().await.clerk_domain;
    let home = env
        .display_config
        .home_url
        .trim_start_matches("https://")
        .trim_end_matches('/');
    (!is_within(home, clerk_domain) && !is_within(&ctx.domain, home)).then(|| {
        Outcome::fail(
            format!(
                "This Frontend API is the instance's for {home}, not {}.",
                ctx.domain
            ),
            "Check the production instance's domain in the Clerk dashboard → Domains.",
        )
    })
}

/// Through the proxy, the Frontend API must answer as this production instance, over the
/// site's valid certificate; Clerk's own status for the proxy must agree.
async fn proxy(ctx: &CheckContext) -> Outcome {
    let layout = ctx.layout().await;
    let (base, url) = (layout.frontend_api_base(), layout.frontend_api_url());
    let origin = format!("https://{}", ctx.domain);
    let forward = format!(
        "Forward {url}/* to https://frontend-api.clerk.dev/* with the body and headers intact, \
         adding Clerk-Proxy-Url: {url}, Clerk-Secret-Key (the sk_live_ key) and          X-Forwarded-For (Clerk's guide: Proxying the Frontend API); or go back to the clerk          CNAME by clearing the proxy URL in Clerk → Domains."
    );
    let (env, cert) = match frontend::environment(&ctx.prober, &base, &origin).await {
        Ok(ok) => ok,
        Err(FrontendError::Status(s)) if s == 404 || s == 405 => {
            return Outcome::fail(
                format!(
                    "{url}/v1/environment answered HTTP {s}: the site does not forward the \
                     proxy path to Clerk's Frontend API."
                ),
                forward,
            )
            .evidence(
                format!("{url}/v1/environment answers as the production instance"),
                format!("HTTP {s} from the site"),
            )
        }
        Err(FrontendError::Probe(p)) => {
            return Outcome::fail(
                format!("{url} is not reachable over valid TLS: {p}."),
                "The proxy is served with the site's own certificate: check the site's domain \
                 on the Hosting step.",
            )
        }
        Err(e) => {
            return Outcome::fail(
                format!("{url} did not answer as Clerk's Frontend API: {e}."),
                forward,
            )
        }
    };
    let kind = &env.display_config.instance_environment_type;
    if kind != "production" {
        return Outcome::fail(
            format!("{url} forwards to a {kind} instance, not production."),
            "Proxying works for production instances only: forward to the production \
             instance with its sk_live_ key.",
        );
    }
    if let Some(wrong) = other_home(ctx, &env).await {
        return wrong;
    }
    let outcome = cert_outcome(&url, "production instance through the proxy", &cert);
    match proxy_status(ctx).await {
        Some(status) if status != "complete" => Outcome::warn(
            format!("{}; Clerk reports the proxy {status}", outcome.detail),
            "Clerk re-checks the proxy on its own; if it stays, open Clerk → Domains and save \
             the proxy URL again.",
        ),
        Some(_) => outcome.note("Clerk reports the proxy complete"),
        None => outcome,
    }
}

/// Clerk's status for the proxy (platform key only).
async fn proxy_status(ctx: &CheckContext) -> Option<String> {
    let status = ctx.clerk_status().await.as_ref().ok()?;
    status.proxy.as_ref().map(|p| p.status.clone())
}

/// A satellite: Clerk lists it among the instance's domains, and its Frontend API answers
/// as this production instance over valid TLS.
async fn satellite(ctx: &CheckContext, s: &Satellite) -> Outcome {
    let listed = match ctx.clerk_domains().await {
        Some(Ok(domains)) => domains.iter().any(|d| d.is_satellite && d.name == s.domain),
        Some(Err(e)) => return vendor_failure(e),
        None => return Outcome::skip("Needs the secret key, to read the instance's domains."),
    };
    if !listed {
        return Outcome::fail(
            format!(
                "Clerk does not list {} as a satellite of this instance.",
                s.domain
            ),
            "In the Clerk dashboard → Domains → Satellites, add the domain (a paid feature).",
        );
    }
    let host = &s.frontend_api;
    let origin = format!("https://{}", s.domain);
    match frontend::environment(&ctx.prober, host, &origin).await {
        Ok((env, cert)) if env.display_config.instance_environment_type == "production" => {
            cert_outcome(host, "satellite of the production instance", &cert)
        }
        Ok((env, _)) => Outcome::fail(
            format!(
                "{host} serves a {} instance, not production.",
                env.display_config.instance_environment_type
            ),
            "Point the satellite's clerk CNAME at the production instance's target (DNS step).",
        ),
        Err(FrontendError::Probe(p)) => probe_outcome(host, &p),
        Err(e) => Outcome::fail(
            format!("{host} did not answer as Clerk's Frontend API: {e}."),
            DNS_FIX,
        ),
    }
}

async fn accounts_portal(ctx: &CheckContext) -> Outcome {
    let host = ctx.layout().await.accounts_host();
    match ctx.prober.get(&host, "/", &[]).await {
        // The portal's root shows a page or redirects to sign-in.
        Ok(r) if r.status < 400 => cert_outcome(&host, &format!("HTTP {}", r.status), &r.cert),
        Ok(r) => Outcome::warn(
            format!(
                "{host} answered HTTP {}: Clerk's Account Portal is not showing its pages.",
                r.status
            ),
            CLERK_LATER,
        ),
        Err(p) => probe_outcome(&host, &p),
    }
}

const CLERK_LATER: &str =
    "Run the checks again in a few minutes; if it persists, check status.clerk.com.";

fn cert_outcome(host: &str, what: &str, cert: &CertInfo) -> Outcome {
    let detail = format!(
        "{host}: {what}; certificate by {}, valid until {}",
        cert.issuer, cert.not_after
    );
    if cert.days_left < 14 {
        return Outcome::warn(
            format!("{detail} ({} days left)", cert.days_left),
            "Clerk renews certificates automatically; if this does not change within days, check \
             CAA records and that the CNAMEs still point at Clerk.",
        );
    }
    Outcome::pass(detail)
}

/// TLS and network failures, in the terms of the launch: a certificate Clerk has not
/// issued yet is a wait (warn); a host that does not answer needs DNS work (fail).
fn probe_outcome(host: &str, p: &ProbeError) -> Outcome {
    match p {
        ProbeError::NameMismatch { .. } | ProbeError::UntrustedCertificate(_) => Outcome::warn(
            format!("Clerk has not issued the certificate for {host} yet: {p}."),
            "Certificates are issued once the DNS records are correct; this can take up to an \
             hour after they propagate. If it takes longer, check for CAA records that exclude \
             letsencrypt.org and pki.goog, and that the records are DNS-only at Cloudflare.",
        ),
        ProbeError::Resolve(_) | ProbeError::Connect(_) => {
            Outcome::fail(format!("{host} is not reachable: {p}."), DNS_FIX)
        }
        ProbeError::Expired => Outcome::fail(
            format!("The certificate for {host} has expired."),
            "Check that the CNAMEs still point at Clerk (DNS step) and that no CAA record blocks \
             renewal; then contact Clerk support.",
        ),
        ProbeError::Tls(_) | ProbeError::Http(_) => Outcome::fail(
            format!("{host} did not answer properly: {p}."),
            "Run the checks again in a minute; if it persists, check the DNS records.",
        ),
    }
}

/// Clerk's own status for its production domain (platform key only), or what
/// `clerk.domain_status` reports instead; asked once per run (`clerk.proxy` reads it too).
pub(super) async fn platform_status(ctx: &CheckContext) -> Result<DomainStatus, Outcome> {
    let Some(key) = ctx.inputs.platform_key.as_ref() else {
        return Err(Outcome::skip(
            "Needs a Clerk platform key (ak_…) to read Clerk's own status; the checks above \
             cover the same ground from the outside.",
        ));
    };
    let api = Platform::new(&ctx.http, &ctx.endpoints.clerk_api, key);
    let domain = &ctx.layout().await.clerk_domain;
    let app = match api.domain(domain).await {
        Ok(d) => match d.application {
            Some(a) => a.id,
            None => {
                return Err(Outcome::fail(
                    format!("Clerk did not say which application {} belongs to.", domain),
                    "Open the Clerk dashboard → Domains to see its status.",
                ))
            }
        },
        Err(e) if e.code() == "clerk_not_found" => {
            return Err(Outcome::fail(
                format!(
                    "Clerk has no production domain {} in this workspace.",
                    domain
                ),
                "Create the production instance for this domain (Golive's Clerk step).",
            ))
        }
        Err(e) => return Err(vendor_failure(&e)),
    };
    api.domain_status(&app, domain)
        .await
        .map_err(|e| vendor_failure(&e))
}

async fn domain_status(ctx: &CheckContext) -> Outcome {
    let status = match ctx.clerk_status().await {
        Ok(s) => s,
        Err(outcome) => return outcome.clone(),
    };
    let mail = status
        .mail
        .as_ref()
        .map(|m| m.status.as_str())
        .unwrap_or("n/a");
    let mut summary = format!(
        "DNS {}, certificates {}, mail {}",
        status.dns.status, status.ssl.status, mail
    );
    if let Some(proxy) = status.proxy.as_ref().filter(|p| p.required) {
        summary += &format!(", proxy {}", proxy.status);
    }
    if status.status == "complete" {
        return Outcome::pass(format!("Clerk reports {summary}"));
    }
    let hints: Vec<String> = status
        .dns
        .cnames
        .values()
        .filter(|c| c.required && !c.verified)
        .map(|c| {
            let why = c
                .failure_hints
                .iter()
                .map(|h| h.message.as_str())
                .collect::<Vec<_>>()
                .join("; ");
            if why.is_empty() {
                format!("{} → {} not verified", c.from, c.to)
            } else {
                format!("{} → {}: {why}", c.from, c.to)
            }
        })
        .chain(status.ssl.failure_hints.iter().map(|h| h.message.clone()))
        .collect();
    let detail = if hints.is_empty() {
        format!("Clerk reports {summary}")
    } else {
        format!("Clerk reports {summary}. {}", hints.join(". "))
    };
    if status.ssl.status == "failed" {
        return Outcome::fail(detail, DNS_FIX);
    }
    let proxy_only = status.dns.status == "complete"
        && status.ssl.status == "complete"
        && status
            .proxy
            .as_ref()
            .is_some_and(|p| p.status != "complete");
    if proxy_only {
        return Outcome::warn(
            detail,
            "See clerk.proxy: Clerk completes the domain once the proxy forwards to its \
             Frontend API.",
        );
    }
    Outcome::warn(detail, DNS_FIX)
}

/// A vendor error as a failed check; the fix depends on what went wrong.
fn vendor_failure(e: &Error) -> Outcome {
    let fix = match e.code() {
        "clerk_key_rejected" => KEYS_FIX,
        "clerk_platform_key_rejected" => {
            "Create a new platform key in the Clerk dashboard → \
                                          Platform API keys and paste it on the Clerk step."
        }
        "unreachable" => {
            "Check your internet connection (or GOLIVE_CLERK_API_URL), then run the \
                          checks again."
        }
        _ => "Run the checks again in a minute; if it persists, check status.clerk.com.",
    };
    Outcome::fail(e.to_string(), fix)
}
