//! What each host's API says the app's domain needs in DNS, in one shape the DNS plan reads.
//! Only what an API answers goes in: Vercel recommends the records themselves; Netlify,
//! Render and Cloudflare Pages name the host a domain points to (the site's, service's or
//! project's own address) and Pages the TXT record it validates by. What an API does not
//! say (the apex's record at Netlify and Render) is said as such, never filled in from
//! documentation. A Worker's record is Cloudflare's to make.

use super::cloudflare_pages;
use super::host::Host;
use crate::error::{Error, Result};
use crate::vendors::vercel::projects::DomainConfig;

/// The host's records for the app's domain.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DomainRecords {
    /// The address an apex A record takes (Vercel's first recommendation)...
    pub apex_ip: Option<String>,
    /// ...and every address the host serves from: an older recommendation is not a stray.
    pub host_ips: Vec<String>,
    /// The host name the domain points to with a CNAME.
    pub cname: Option<String>,
    /// Whether `www` goes with an apex domain (the host adds it), pointed at `cname`.
    pub www: bool,
    /// Cloudflare serves the domain (Pages): the apex takes the CNAME flattened, and an
    /// answer with Cloudflare's addresses is the host's own, not a mistake.
    pub cloudflare: bool,
    /// The TXT records (name, value) the host waits for before it validates the domain.
    pub validation: Vec<(String, String)>,
    /// The host still finds the domain's DNS wrong.
    pub misconfigured: bool,
    /// What the API leaves unsaid, to say in the DNS step (the apex's record).
    pub unsaid: Option<String>,
}

impl DomainRecords {
    /// Vercel's recommendation for the project (`/v6/domains/{domain}/config`).
    pub fn from_vercel(config: &DomainConfig) -> DomainRecords {
        DomainRecords {
            apex_ip: config.apex_ip(),
            host_ips: config.all_ips(),
            cname: config.cname(),
            www: true,
            misconfigured: config.misconfigured,
            ..DomainRecords::default()
        }
    }
}

impl Host<'_> {
    /// The records `domain` needs at this host, as its API says them.
    pub async fn records(&self, domain: &str, apex: bool) -> Result<DomainRecords> {
        let words = self.words();
        // The apex's record is in neither Netlify's nor Render's API (their documentation
        // gives a load balancer's address): said, not filled in.
        let unsaid = || {
            apex.then(|| {
                format!(
                    "{name}'s API does not say the apex's record, so it is not checked here: at \
                     your DNS host, point {domain} where {name}'s domain settings say (an ALIAS, \
                     ANAME or flattened CNAME where your DNS host has one, else the A record shown \
                     there). host.domain proves it once {name} has verified the domain.",
                    name = words.name
                )
            })
        };
        match self {
            Host::Vercel { api, project, .. } => Ok(DomainRecords::from_vercel(
                &api.domain_config(domain, project).await?,
            )),
            Host::Netlify { api, site } => {
                let site = api.site(site).await?;
                let target = site.subdomain();
                Ok(DomainRecords {
                    unsaid: unsaid(),
                    cname: Some(target),
                    // Netlify adds `www` beside an apex domain it is given.
                    www: true,
                    ..DomainRecords::default()
                })
            }
            Host::Render { api, service } => {
                // Render adds `www` (a redirect) when it is given the apex: asked at the apex.
                let www = format!("www.{domain}");
                let (s, www_domain) = futures::join!(api.service(service), async {
                    match apex {
                        true => api.custom_domain(service, &www).await.map(|d| d.is_some()),
                        false => Ok(false),
                    }
                });
                let Some(target) = s?.host() else {
                    return Err(Error::invalid(
                        "render_no_address",
                        "Render's API gives the service no onrender.com address (is it a web \
                         service?), so there is no record to point the domain to.",
                    ));
                };
                Ok(DomainRecords {
                    unsaid: unsaid(),
                    cname: Some(target),
                    www: www_domain?,
                    ..DomainRecords::default()
                })
            }
            Host::CloudflarePages {
                api,
                account,
                project,
            } => {
                let (p, d) = futures::join!(
                    cloudflare_pages::project(api, account, project),
                    api.pages_domain(account, project, domain)
                );
                let d = d?;
                let validation = d
                    .as_ref()
                    .filter(|d| d.status != "active")
                    .and_then(cloudflare_pages::validation_txt)
                    .into_iter()
                    .collect();
                Ok(DomainRecords {
                    cname: Some(p?.subdomain).filter(|s| !s.is_empty()),
                    cloudflare: true,
                    validation,
                    misconfigured: d.is_none_or(|d| d.status != "active"),
                    ..DomainRecords::default()
                })
            }
            // Attaching the domain makes its record, in the account's own zone.
            Host::CloudflareWorkers { .. } => Ok(DomainRecords::default()),
        }
    }
}
