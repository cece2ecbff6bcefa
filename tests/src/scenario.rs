//! Named scenarios: the state of the outside world a test or demo runs against, and the
//! mutable `World` the fakes share (a production instance can be created, a scenario can
//! be switched mid-test).

use std::sync::{Arc, Mutex};

use base64::Engine;

use crate::vercel::projects::{Hosting, VercelProject};
use crate::DOMAIN;

/// The production secret key of quillmate.test's instance (valid once it exists).
pub const LIVE_SECRET_KEY: &str = "sk_live_sandboxQuillmate0123456789abcdef";
/// The production secret key of another app's instance (for otherapp.test).
pub const OTHER_SECRET_KEY: &str = "sk_live_sandboxOtherapp00123456789abcdef";
/// The development instance's secret key.
pub const DEV_SECRET_KEY: &str = "sk_test_sandboxQuillmateDev0123456789abcd";
/// The Clerk platform key the sandbox's Platform API accepts.
pub const PLATFORM_KEY: &str = "ak_sandboxPlatformKey0123456789abcdef";

/// The signing secrets of the app's production and development webhook endpoints.
pub const LIVE_WEBHOOK_SECRET: &str = "whsec_c2FuZGJveExpdmVXZWJob29rUXVpbGww";
pub const DEV_WEBHOOK_SECRET: &str = "whsec_c2FuZGJveERldldlYmhvb2tRdWlsbDAx";
/// The production webhook endpoint, on the live site.
pub const WEBHOOK_URL: &str = "https://quillmate.test/api/webhooks/clerk";
/// The login key in the webhook dashboard link the Backend API gives (single use in Svix:
/// a secret).
pub const SVIX_LOGIN_KEY: &str = "eyJzYW5kYm94Ijoid2ViaG9va3MifQsandboxSvixLogin01";

/// The Supabase personal access token and project the sandbox's Supabase knows.
pub const SUPABASE_TOKEN: &str = "sbp_sandbox0123456789abcdef0123456789abcdef";
pub const SUPABASE_REF: &str = "quillmatesandboxrefx";
/// The project's legacy anon key (JWT-shaped, HS256; not a secret: it ships in every
/// browser bundle). Its Data API (`/rest/v1/`) wants it in the `apikey` header.
pub const SUPABASE_ANON_KEY: &str = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.\
    eyJpc3MiOiJzdXBhYmFzZSIsInJlZiI6InF1aWxsbWF0ZXNhbmRib3hyZWZ4Iiwicm9sZSI6ImFub24iLCJpYXQiOjE3NjAwMDAwMDAsImV4cCI6MjA3NTU3NjAwMH0.\
    YgO1jflH0SqNRhNh0t51LvvoYJmxshFRrOV-QxaBpQ4";
/// The development instance's issuer, which Supabase trusts before the switch.
pub const DEV_ISSUER: &str = "https://quillmate-dev-13.clerk.accounts.dev";

/// The Vercel access token, team and project the sandbox's Vercel knows.
pub const VERCEL_TOKEN: &str = "vcp_sandboxVercelToken0123456789";
pub const VERCEL_TEAM_ID: &str = "team_sandboxQuillmate0123";
pub const VERCEL_PROJECT_ID: &str = "prj_sandboxQuillmate0123456";
/// What Vercel recommends for this project (the apex's A, `www`'s CNAME).
pub const VERCEL_APEX_IP: &str = "216.198.79.1";
pub const VERCEL_CNAME: &str = "d4e5f6a7b8c9d0e1.vercel-dns-017.com";
/// The Netlify personal access token, site and team the sandbox's Netlify knows.
pub const NETLIFY_TOKEN: &str = "nfp_sandboxNetlifyToken0123456789abcdefg";
pub const NETLIFY_SITE_ID: &str = "3f9b7c1e-6a2d-4e8f-9b0a-5c1d2e3f4a5b";
pub const NETLIFY_ACCOUNT: &str = "quillmate-team";
/// The Render API key, workspace, service and preview instance the sandbox's Render knows.
pub const RENDER_API_KEY: &str = "rnd_sandboxRenderKey0123456789abcd";
pub const RENDER_OWNER: &str = "tea-d0sandboxquillmate0";
pub const RENDER_SERVICE_ID: &str = "srv-d0sandboxquillmate0";
pub const RENDER_PREVIEW_ID: &str = "srv-d0sandboxquillpr0007";
/// The Cloudflare API token the sandbox's Cloudflare accepts.
pub const CLOUDFLARE_TOKEN: &str = "cfut_sandboxCloudflareToken0123456789ab";
/// The Cloudflare account that owns the sandbox's Pages project.
pub const CLOUDFLARE_ACCOUNT_ID: &str = "9a7806061c88ada191ed06f989cc3dac";
pub const PAGES_PROJECT: &str = "quillmate";
/// The sandbox's production Worker (its other environments would be other scripts).
pub const WORKER_SCRIPT: &str = "quillmate-web";

pub const APP_ID: &str = "app_2sandboxQuillmate";
pub const INSTANCE_ID: &str = "ins_2sandboxLIVEquillmate";
pub const OTHER_INSTANCE_ID: &str = "ins_2sandboxLIVEotherapp";
pub const DEV_INSTANCE_ID: &str = "ins_2sandboxDEVquillmate";
pub const OTHER_DOMAIN: &str = "otherapp.test";
pub const DEV_FRONTEND_API: &str = "quillmate-dev-13.clerk.accounts.dev";

/// The production Frontend API when Clerk's domain is the apex.
pub const LIVE_FRONTEND_API: &str = "clerk.quillmate.test";
/// The app's subdomain in the subdomain layouts.
pub const APP_SUBDOMAIN: &str = "app.quillmate.test";
/// The Frontend API when Clerk's domain is the app's subdomain (`subdomain-app-own-clerk`).
pub const OWN_CLERK_FRONTEND_API: &str = "clerk.app.quillmate.test";
/// Where the proxy layouts serve the Frontend API: the path on the app's own domain.
pub const PROXY_PATH: &str = "/__clerk";
pub const PROXY_URL: &str = "https://quillmate.test/__clerk";
/// The satellite domain, its Frontend API and its own Vercel project.
pub const SATELLITE_DOMAIN: &str = "quillmate-blog.test";
pub const SATELLITE_FRONTEND_API: &str = "clerk.quillmate-blog.test";
pub const SATELLITE_DOMAIN_ID: &str = "dmn_2sandboxQuillmateBlog";
pub const SATELLITE_PROJECT_ID: &str = "prj_sandboxQuillmateBlog01";
pub const SATELLITE_PROJECT_NAME: &str = "quillmate-blog";
/// Clerk's shared Frontend API host: what a proxy forwards to, naming the instance by its
/// `Clerk-Proxy-Url` and `Clerk-Secret-Key` headers.
pub const SHARED_FRONTEND_API: &str = "frontend-api.clerk.services";

/// Where the app, Clerk's domain and its Frontend API live (issue #16).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Layout {
    /// The app at the apex, which is Clerk's domain: `clerk.<apex>`.
    #[default]
    Apex,
    /// The app at `app.<apex>`; Clerk's domain stays the apex (sessions shared across its
    /// subdomains).
    SubdomainRootClerk,
    /// The app at `app.<apex>`, which is also Clerk's domain: `clerk.app.<apex>`.
    SubdomainOwnClerk,
    /// The app at the apex; the Frontend API proxied under `PROXY_URL`, no `clerk` record.
    Proxy,
    /// As `Proxy`, but the site answers 404 under the proxy path.
    ProxyBroken,
    /// The apex as primary, plus `SATELLITE_DOMAIN` with its own Vercel project.
    Satellite,
    /// As `Satellite`, without the satellite's `clerk` record or its `…_IS_SATELLITE` variable.
    SatelliteMissingRecord,
}

impl Layout {
    pub fn app_domain(self) -> &'static str {
        match self {
            Layout::SubdomainRootClerk | Layout::SubdomainOwnClerk => APP_SUBDOMAIN,
            _ => DOMAIN,
        }
    }

    /// Clerk's production domain: the root, or the app's subdomain.
    pub fn clerk_domain(self) -> &'static str {
        if self == Layout::SubdomainOwnClerk {
            APP_SUBDOMAIN
        } else {
            DOMAIN
        }
    }

    /// The production Frontend API host (what the publishable key encodes).
    pub fn frontend_api(self) -> &'static str {
        if self == Layout::SubdomainOwnClerk {
            OWN_CLERK_FRONTEND_API
        } else {
            LIVE_FRONTEND_API
        }
    }

    pub fn accounts_host(self) -> &'static str {
        if self == Layout::SubdomainOwnClerk {
            "accounts.app.quillmate.test"
        } else {
            "accounts.quillmate.test"
        }
    }

    pub fn proxy_url(self) -> Option<&'static str> {
        matches!(self, Layout::Proxy | Layout::ProxyBroken).then_some(PROXY_URL)
    }

    pub fn satellite(self) -> Option<&'static str> {
        matches!(self, Layout::Satellite | Layout::SatelliteMissingRecord)
            .then_some(SATELLITE_DOMAIN)
    }

    /// Whether the satellite's `clerk` record (and so its Frontend API) is in place.
    pub fn satellite_record(self) -> bool {
        self == Layout::Satellite
    }

    /// Whether the Frontend API answers a request for `host` as the production instance
    /// (whether a connection gets there at all is `World::fapi_at`'s).
    pub fn serves_frontend_api(self, host: &str) -> bool {
        host == self.frontend_api()
            || (self.satellite().is_some() && host == SATELLITE_FRONTEND_API)
    }

    /// Whether `host` has its record, so a connection for it reaches Clerk: behind a proxy
    /// `clerk.<domain>` has none, nor has the satellite's in `satellite-missing-record`.
    pub fn has_record(self, host: &str) -> bool {
        if host == SATELLITE_FRONTEND_API {
            self.satellite_record()
        } else {
            host == self.accounts_host()
                || (host == self.frontend_api() && self.proxy_url().is_none())
        }
    }
}

/// What `https://clerk.<domain>` does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fapi {
    /// DNS not in place: nothing serves the name.
    Down,
    /// DNS in place, certificate not issued: Clerk's shared certificate is presented.
    CertPending,
    /// Certificate issued, instance serving.
    Serving,
}

/// The state of the domain's DNS records (once the production instance exists).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DnsState {
    /// None of Clerk's records yet.
    Missing,
    AllGood,
    /// At the authoritative servers; one public resolver still caches the old answer.
    Propagating,
    /// `clerk` is an A record on Cloudflare's edge: proxied.
    CloudflareProxied,
    /// `clerk` answers with Clerk's own addresses but no CNAME: flattened.
    CloudflareFlattened,
    /// `clerk.<domain>.<domain>` was created instead of `clerk.<domain>`.
    DoubledHost,
    /// `clerk` has a typo in its target; `accounts` got the domain appended.
    WrongTarget,
    /// A CAA record allows only another certificate authority.
    CaaBlocking,
    /// The apex keeps the previous host's A record next to Vercel's.
    ApexConflict,
}

/// Who hosts the zone's records (and so can create them through an API).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DnsHost {
    /// A registrar without an API the sandbox fakes: records are typed by hand.
    Registrar,
    Cloudflare,
    Vercel,
}

/// Which host serves the app (and so whose live deployment the site fake serves).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Host {
    Vercel,
    Netlify,
    Render,
    CloudflarePages,
    CloudflareWorkers,
}

/// The app's Clerk webhook route in production (`POST /api/webhooks/clerk`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Webhooks {
    /// Verifies Svix signatures with the secret its build holds.
    Verifying,
    /// No handler at the route: it answers 404.
    Missing,
    /// Production's env (so its build) holds the development signing secret.
    DevSecret,
}

/// Which instance's keys the live site's server (Clerk's middleware) holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ServerKeys {
    /// The production instance's publishable and secret keys.
    Live,
    /// The development instance's: its handshake goes to the development Frontend API.
    Development,
    /// The live publishable key with another instance's secret key: the handshake's answer
    /// cannot be verified, so Clerk's middleware loops until its redirect counter stops it.
    OtherSecret,
}

impl ServerKeys {
    /// The publishable key's Frontend API host and the secret key, in `layout`.
    pub fn keys(self, layout: Layout) -> (&'static str, &'static str) {
        match self {
            ServerKeys::Live => (layout.frontend_api(), LIVE_SECRET_KEY),
            ServerKeys::Development => (DEV_FRONTEND_API, DEV_SECRET_KEY),
            ServerKeys::OtherSecret => (layout.frontend_api(), OTHER_SECRET_KEY),
        }
    }
}

/// What Clerk's Platform API reports for the domain.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DomainState {
    DnsPending,
    SslPending,
    Complete,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Scenario {
    pub name: &'static str,
    /// Whether quillmate.test's production instance exists at the start.
    pub production: bool,
    pub fapi: Fapi,
    pub domain_state: DomainState,
    /// The keys the user has at hand: a publishable key for this Frontend API host...
    pub user_pk_host: Option<&'static str>,
    /// ...and this secret key.
    pub user_sk: Option<&'static str>,
    /// Whether the plan allows creating the production instance (else 402).
    pub plan_allows_production: bool,
    /// Whether Supabase already trusts the production issuer (it always trusts development's).
    pub supabase_trusts_production: bool,
    pub dns: DnsState,
    pub dns_host: DnsHost,
    pub host: Host,
    /// How the host's project (or site) stands.
    pub hosting: Hosting,
    /// The keys the live site's server holds.
    pub server_keys: ServerKeys,
    /// Whether session tokens carry `role: "authenticated"` (Clerk's Supabase integration).
    pub role_claim: bool,
    /// Whether the instance refuses the rehearsal's user (a required phone number: 422).
    pub refuses_users: bool,
    /// Whether the Frontend API's bot protection stops sign-ins without a testing token.
    pub bot_protection: bool,
    /// What the app's webhook route does.
    pub webhooks: Webhooks,
    /// Whether the domain publishes a DMARC policy (`_dmarc` TXT) once its records are in.
    pub dmarc: bool,
    /// Where the app, Clerk's domain, its Frontend API and any satellite live.
    pub layout: Layout,
}

impl Scenario {
    pub const ALL: &'static [&'static str] = &[
        "fresh",
        "free-plan",
        "created",
        "cert-pending",
        "live",
        "mismatched-keys",
        "other-domain",
        "dev-issuer-only",
        "both-issuers",
        "all-good",
        "propagating",
        "cloudflare-proxied",
        "cloudflare-flattened",
        "doubled-host",
        "wrong-target",
        "caa-blocking",
        "apex-conflict",
        "cloudflare-dns",
        "vercel-dns",
        "fresh-project",
        "env-shared-targets",
        "env-production-only",
        "deploy-error",
        "stale-build",
        "sso-wrong-redirect",
        "server-dev-key",
        "server-other-instance",
        "no-role-claim",
        "supabase-rejects",
        "rehearsal-user-refused",
        "bot-protection",
        "webhook-missing",
        "webhook-dev-secret",
        "no-dmarc",
        "csp-blocks-clerk",
        "www-canonical",
        "subdomain-app-root-clerk",
        "subdomain-app-own-clerk",
        "proxy-mode",
        "proxy-broken",
        "satellite",
        "satellite-missing-record",
        "netlify-live",
        "netlify-fresh",
        "netlify-shared-key",
        "netlify-production-only",
        "netlify-build-error",
        "netlify-stale-build",
        "netlify-domain-unverified",
        "render-live",
        "render-fresh",
        "render-shared-key",
        "render-production-only",
        "render-build-error",
        "render-stale-build",
        "render-domain-unverified",
        "cloudflare-pages-live",
        "cloudflare-pages-fresh",
        "cloudflare-pages-shared-key",
        "cloudflare-pages-production-only",
        "cloudflare-pages-build-error",
        "cloudflare-pages-stale-build",
        "cloudflare-pages-domain-unverified",
        "cloudflare-workers-live",
        "cloudflare-workers-fresh",
        "cloudflare-workers-domain-unverified",
    ];

    pub fn named(name: &str) -> Option<Scenario> {
        let live = Scenario {
            name: "live",
            production: true,
            fapi: Fapi::Serving,
            domain_state: DomainState::Complete,
            user_pk_host: Some("clerk.quillmate.test"),
            user_sk: Some(LIVE_SECRET_KEY),
            plan_allows_production: true,
            supabase_trusts_production: true,
            dns: DnsState::AllGood,
            dns_host: DnsHost::Registrar,
            host: Host::Vercel,
            hosting: Hosting::Done,
            server_keys: ServerKeys::Live,
            role_claim: true,
            refuses_users: false,
            bot_protection: false,
            webhooks: Webhooks::Verifying,
            dmarc: true,
            layout: Layout::Apex,
        };
        let s = match name {
            // Only the development instance exists; the production one can be created.
            "fresh" => Scenario {
                name: "fresh",
                production: false,
                dns: DnsState::Missing,
                fapi: Fapi::Down,
                domain_state: DomainState::DnsPending,
                user_pk_host: None,
                user_sk: None,
                ..live
            },
            // As fresh, but the plan does not cover production (the API answers 402).
            "free-plan" => Scenario {
                name: "free-plan",
                plan_allows_production: false,
                ..Scenario::named("fresh")?
            },
            // The production instance exists; its DNS records are not in place yet.
            "created" => Scenario {
                name: "created",
                dns: DnsState::Missing,
                fapi: Fapi::Down,
                domain_state: DomainState::DnsPending,
                ..live
            },
            // DNS done; Clerk has not issued the certificates yet.
            "cert-pending" => Scenario {
                name: "cert-pending",
                fapi: Fapi::CertPending,
                domain_state: DomainState::SslPending,
                ..live
            },
            "live" => live,
            // Clerk is live, but Supabase still trusts only the development issuer.
            "dev-issuer-only" => Scenario {
                name: "dev-issuer-only",
                supabase_trusts_production: false,
                ..live
            },
            "both-issuers" => Scenario {
                name: "both-issuers",
                ..live
            },
            // DNS scenarios: Clerk is live, the records are in the state named.
            "all-good" => Scenario {
                name: "all-good",
                ..live
            },
            "propagating" => Scenario {
                name: "propagating",
                dns: DnsState::Propagating,
                ..live
            },
            "cloudflare-proxied" => Scenario {
                name: "cloudflare-proxied",
                dns: DnsState::CloudflareProxied,
                ..live
            },
            "cloudflare-flattened" => Scenario {
                name: "cloudflare-flattened",
                dns: DnsState::CloudflareFlattened,
                ..live
            },
            "doubled-host" => Scenario {
                name: "doubled-host",
                dns: DnsState::DoubledHost,
                ..live
            },
            "wrong-target" => Scenario {
                name: "wrong-target",
                dns: DnsState::WrongTarget,
                ..live
            },
            "caa-blocking" => Scenario {
                name: "caa-blocking",
                dns: DnsState::CaaBlocking,
                ..live
            },
            "apex-conflict" => Scenario {
                name: "apex-conflict",
                dns: DnsState::ApexConflict,
                ..live
            },
            // The production instance exists, Clerk's records do not; the zone is at
            // Cloudflare (with a stray `accounts` A record) or at Vercel DNS, so Golive can
            // create them.
            "cloudflare-dns" => Scenario {
                name: "cloudflare-dns",
                dns_host: DnsHost::Cloudflare,
                ..Scenario::named("created")?
            },
            "vercel-dns" => Scenario {
                name: "vercel-dns",
                dns_host: DnsHost::Vercel,
                ..Scenario::named("created")?
            },
            // Hosting scenarios: Clerk and DNS are live; the Vercel project is as named.
            "fresh-project" => Scenario {
                name: "fresh-project",
                hosting: Hosting::FreshProject,
                ..live
            },
            "env-shared-targets" => Scenario {
                name: "env-shared-targets",
                hosting: Hosting::SharedTargets,
                ..live
            },
            "env-production-only" => Scenario {
                name: "env-production-only",
                hosting: Hosting::ProductionOnly,
                ..live
            },
            "deploy-error" => Scenario {
                name: "deploy-error",
                hosting: Hosting::DeployError,
                ..live
            },
            "stale-build" => Scenario {
                name: "stale-build",
                hosting: Hosting::StaleBuild,
                ..live
            },
            // Netlify scenarios: Clerk and DNS are live; the app is on a Netlify site, as named
            // (the same states as the Vercel project's, plus a domain whose DNS does not
            // point to the site, so Netlify cannot issue its certificate).
            "netlify-live" => Scenario {
                name: "netlify-live",
                host: Host::Netlify,
                ..live
            },
            "netlify-fresh" => Scenario {
                name: "netlify-fresh",
                hosting: Hosting::FreshProject,
                ..Scenario::named("netlify-live")?
            },
            "netlify-shared-key" => Scenario {
                name: "netlify-shared-key",
                hosting: Hosting::SharedTargets,
                ..Scenario::named("netlify-live")?
            },
            "netlify-production-only" => Scenario {
                name: "netlify-production-only",
                hosting: Hosting::ProductionOnly,
                ..Scenario::named("netlify-live")?
            },
            "netlify-build-error" => Scenario {
                name: "netlify-build-error",
                hosting: Hosting::DeployError,
                ..Scenario::named("netlify-live")?
            },
            "netlify-stale-build" => Scenario {
                name: "netlify-stale-build",
                hosting: Hosting::StaleBuild,
                ..Scenario::named("netlify-live")?
            },
            "netlify-domain-unverified" => Scenario {
                name: "netlify-domain-unverified",
                hosting: Hosting::DomainUnverified,
                ..Scenario::named("netlify-live")?
            },
            // Render scenarios: Clerk and DNS are live; the app is a Render service, as named.
            // Render keeps one set of variables per service, so `render-shared-key` is a
            // service that makes previews (each copies its variables: the test keys are
            // shared with previews that way), and `render-production-only` is its plain
            // state before the migration.
            "render-live" => Scenario {
                name: "render-live",
                host: Host::Render,
                ..live
            },
            "render-fresh" => Scenario {
                name: "render-fresh",
                hosting: Hosting::FreshProject,
                ..Scenario::named("render-live")?
            },
            "render-shared-key" => Scenario {
                name: "render-shared-key",
                hosting: Hosting::SharedTargets,
                ..Scenario::named("render-live")?
            },
            "render-production-only" => Scenario {
                name: "render-production-only",
                hosting: Hosting::ProductionOnly,
                ..Scenario::named("render-live")?
            },
            "render-build-error" => Scenario {
                name: "render-build-error",
                hosting: Hosting::DeployError,
                ..Scenario::named("render-live")?
            },
            "render-stale-build" => Scenario {
                name: "render-stale-build",
                hosting: Hosting::StaleBuild,
                ..Scenario::named("render-live")?
            },
            "render-domain-unverified" => Scenario {
                name: "render-domain-unverified",
                hosting: Hosting::DomainUnverified,
                ..Scenario::named("render-live")?
            },
            // Cloudflare Pages scenarios: as Netlify's, on a Pages project (see
            // `cloudflare::pages` for what "shared" and "production-only" are there).
            "cloudflare-pages-live" => Scenario {
                name: "cloudflare-pages-live",
                host: Host::CloudflarePages,
                ..Scenario::named("live")?
            },
            "cloudflare-pages-fresh" => Scenario {
                name: "cloudflare-pages-fresh",
                hosting: Hosting::FreshProject,
                ..Scenario::named("cloudflare-pages-live")?
            },
            "cloudflare-pages-shared-key" => Scenario {
                name: "cloudflare-pages-shared-key",
                hosting: Hosting::SharedTargets,
                ..Scenario::named("cloudflare-pages-live")?
            },
            "cloudflare-pages-production-only" => Scenario {
                name: "cloudflare-pages-production-only",
                hosting: Hosting::ProductionOnly,
                ..Scenario::named("cloudflare-pages-live")?
            },
            "cloudflare-pages-build-error" => Scenario {
                name: "cloudflare-pages-build-error",
                hosting: Hosting::DeployError,
                ..Scenario::named("cloudflare-pages-live")?
            },
            "cloudflare-pages-stale-build" => Scenario {
                name: "cloudflare-pages-stale-build",
                hosting: Hosting::StaleBuild,
                ..Scenario::named("cloudflare-pages-live")?
            },
            "cloudflare-pages-domain-unverified" => Scenario {
                name: "cloudflare-pages-domain-unverified",
                hosting: Hosting::DomainUnverified,
                ..Scenario::named("cloudflare-pages-live")?
            },
            // Cloudflare Workers scenarios: the zone is at Cloudflare (a Worker's custom
            // domain must be in the account's zone); see `cloudflare::workers` for why the
            // other hosting states do not apply to a Worker.
            "cloudflare-workers-live" => Scenario {
                name: "cloudflare-workers-live",
                host: Host::CloudflareWorkers,
                dns_host: DnsHost::Cloudflare,
                ..Scenario::named("live")?
            },
            "cloudflare-workers-fresh" => Scenario {
                name: "cloudflare-workers-fresh",
                hosting: Hosting::FreshProject,
                ..Scenario::named("cloudflare-workers-live")?
            },
            // The domain's DNS is at a registrar: Cloudflare cannot attach it to the Worker.
            "cloudflare-workers-domain-unverified" => Scenario {
                name: "cloudflare-workers-domain-unverified",
                hosting: Hosting::DomainUnverified,
                dns_host: DnsHost::Registrar,
                ..Scenario::named("cloudflare-workers-live")?
            },
            "sso-wrong-redirect" => Scenario {
                name: "sso-wrong-redirect",
                ..live
            },
            // Launch proof scenarios: Clerk, DNS and hosting are live.
            // The site's server holds the development instance's keys.
            "server-dev-key" => Scenario {
                name: "server-dev-key",
                server_keys: ServerKeys::Development,
                ..live
            },
            // The site's server holds the live publishable key and another instance's secret
            // key: its handshake loops.
            "server-other-instance" => Scenario {
                name: "server-other-instance",
                server_keys: ServerKeys::OtherSecret,
                ..live
            },
            // Clerk's session tokens lack `role: "authenticated"` (no Supabase integration).
            "no-role-claim" => Scenario {
                name: "no-role-claim",
                role_claim: false,
                ..live
            },
            // Supabase does not trust the production issuer: its Data API refuses the token.
            "supabase-rejects" => Scenario {
                name: "supabase-rejects",
                supabase_trusts_production: false,
                ..live
            },
            // The instance's settings refuse the rehearsal's user (a phone number is required).
            "rehearsal-user-refused" => Scenario {
                name: "rehearsal-user-refused",
                refuses_users: true,
                ..live
            },
            // Bot protection answers sign-ins that bring no testing token.
            "bot-protection" => Scenario {
                name: "bot-protection",
                bot_protection: true,
                ..live
            },
            // The configured webhook endpoint has no handler: the app answers 404.
            "webhook-missing" => Scenario {
                name: "webhook-missing",
                webhooks: Webhooks::Missing,
                ..live
            },
            // Production's webhook secret is still the development endpoint's.
            "webhook-dev-secret" => Scenario {
                name: "webhook-dev-secret",
                webhooks: Webhooks::DevSecret,
                ..live
            },
            // Clerk is live; the domain publishes no DMARC policy.
            "no-dmarc" => Scenario {
                name: "no-dmarc",
                dmarc: false,
                ..live
            },
            // Clerk is live; the site's CSP still names only the development Frontend API.
            "csp-blocks-clerk" => Scenario {
                name: "csp-blocks-clerk",
                ..live
            },
            // The site's canonical address is `www.`: the apex answers with a redirect to it.
            "www-canonical" => Scenario {
                name: "www-canonical",
                ..live
            },
            // Layouts (issue #16), each otherwise `live`. The app at `app.<domain>`, Clerk's
            // domain the root.
            "subdomain-app-root-clerk" => Scenario {
                name: "subdomain-app-root-clerk",
                layout: Layout::SubdomainRootClerk,
                ..live
            },
            // The app at `app.<domain>`, which is Clerk's domain too: another publishable key.
            "subdomain-app-own-clerk" => Scenario {
                name: "subdomain-app-own-clerk",
                layout: Layout::SubdomainOwnClerk,
                user_pk_host: Some(OWN_CLERK_FRONTEND_API),
                ..live
            },
            // The Frontend API proxied under the site's `/__clerk`, which forwards it.
            "proxy-mode" => Scenario {
                name: "proxy-mode",
                layout: Layout::Proxy,
                ..live
            },
            // As proxy-mode, but the site answers 404 under `/__clerk`.
            "proxy-broken" => Scenario {
                name: "proxy-broken",
                layout: Layout::ProxyBroken,
                ..live
            },
            // A satellite domain with its own Vercel project, all in place.
            "satellite" => Scenario {
                name: "satellite",
                layout: Layout::Satellite,
                ..live
            },
            // The satellite's `clerk` record and its `…_IS_SATELLITE` variable are missing.
            "satellite-missing-record" => Scenario {
                name: "satellite-missing-record",
                layout: Layout::SatelliteMissingRecord,
                ..live
            },
            // The secret key at hand is another app's production key.
            "mismatched-keys" => Scenario {
                name: "mismatched-keys",
                user_sk: Some(OTHER_SECRET_KEY),
                ..live
            },
            // Both keys at hand are another app's.
            "other-domain" => Scenario {
                name: "other-domain",
                user_pk_host: Some("clerk.otherapp.test"),
                user_sk: Some(OTHER_SECRET_KEY),
                ..live
            },
            _ => return None,
        };
        Some(s)
    }

    /// The keys a user of this scenario would paste, as environment variables.
    pub fn key_env(&self) -> Vec<(String, String)> {
        let mut v = vec![];
        if let Some(host) = self.user_pk_host {
            v.push(("CLERK_PUBLISHABLE_KEY".to_string(), publishable_key(host)));
        }
        if let Some(sk) = self.user_sk {
            v.push(("CLERK_SECRET_KEY".to_string(), sk.to_string()));
        }
        v.push((
            "SUPABASE_ACCESS_TOKEN".to_string(),
            SUPABASE_TOKEN.to_string(),
        ));
        v.push(("SUPABASE_PROJECT_REF".to_string(), SUPABASE_REF.to_string()));
        v.push((
            "SUPABASE_ANON_KEY".to_string(),
            SUPABASE_ANON_KEY.to_string(),
        ));
        v.push(("VERCEL_TOKEN".to_string(), VERCEL_TOKEN.to_string()));
        v.push(("VERCEL_PROJECT".to_string(), VERCEL_PROJECT_ID.to_string()));
        if self.host == Host::Netlify {
            v.push(("HOSTING".to_string(), "netlify".to_string()));
            v.push(("NETLIFY_TOKEN".to_string(), NETLIFY_TOKEN.to_string()));
            v.push(("NETLIFY_SITE_ID".to_string(), NETLIFY_SITE_ID.to_string()));
        }
        if self.host == Host::Render {
            v.push(("HOSTING".to_string(), "render".to_string()));
            v.push(("RENDER_API_KEY".to_string(), RENDER_API_KEY.to_string()));
            v.push((
                "RENDER_SERVICE_ID".to_string(),
                RENDER_SERVICE_ID.to_string(),
            ));
        }
        let cloudflare = match self.host {
            Host::CloudflarePages => Some(("cloudflare-pages", PAGES_PROJECT)),
            Host::CloudflareWorkers => Some(("cloudflare-workers", WORKER_SCRIPT)),
            _ => None,
        };
        if let Some((hosting, name)) = cloudflare {
            for (k, val) in [
                ("HOSTING", hosting),
                ("CLOUDFLARE_ACCOUNT_ID", CLOUDFLARE_ACCOUNT_ID),
                ("CLOUDFLARE_PROJECT", name),
            ] {
                v.push((k.to_string(), val.to_string()));
            }
            if self.dns_host != DnsHost::Cloudflare {
                v.push((
                    "CLOUDFLARE_API_TOKEN".to_string(),
                    CLOUDFLARE_TOKEN.to_string(),
                ));
            }
        }
        // The production webhook endpoint (on the app's domain), once there is a production
        // instance to send.
        if self.production {
            let url = WEBHOOK_URL.replacen(DOMAIN, self.layout.app_domain(), 1);
            v.push(("CLERK_WEBHOOK_URL".to_string(), url));
            v.push((
                "CLERK_WEBHOOK_SIGNING_SECRET".to_string(),
                LIVE_WEBHOOK_SECRET.to_string(),
            ));
        }
        if self.dns_host == DnsHost::Cloudflare {
            v.push((
                "CLOUDFLARE_API_TOKEN".to_string(),
                CLOUDFLARE_TOKEN.to_string(),
            ));
        }
        v
    }
}

/// `pk_live_` + base64(`<frontend api host>$`), as Clerk builds it.
pub fn publishable_key(host: &str) -> String {
    let env = if host.ends_with(".clerk.accounts.dev") {
        "test"
    } else {
        "live"
    };
    let encoded = base64::engine::general_purpose::STANDARD_NO_PAD.encode(format!("{host}$"));
    format!("pk_{env}_{encoded}")
}

/// The state the fakes share.
#[derive(Debug)]
pub struct World {
    pub scenario: Scenario,
    pub production: bool,
    pub dns_check_running: bool,
    pub requests: Vec<crate::Recorded>,
    /// Supabase's third-party auth integrations.
    pub supabase: Vec<serde_json::Value>,
    /// The records at the zone's DNS host (Cloudflare or Vercel DNS), served by the DNS
    /// servers besides the scenario's own.
    pub host_records: Vec<HostRecord>,
    pub next_record: u32,
    pub vercel: VercelProject,
    /// The satellite's own Vercel project, in the satellite layouts.
    pub satellite_vercel: Option<VercelProject>,
    pub netlify: crate::netlify::NetlifySite,
    pub render: crate::render::RenderWorld,
    pub cloudflare_pages: crate::cloudflare::pages::PagesProject,
    pub cloudflare_worker: crate::cloudflare::workers::WorkerScript,
    /// The redirect URI each OAuth app registered, where it is not the production callback.
    pub oauth_redirects: std::collections::HashMap<&'static str, String>,
    /// What was set through the Platform API's config PATCH on the production instance.
    pub production_config: serde_json::Map<String, serde_json::Value>,
    /// Misbehaviour injected by tests (see `faults`).
    pub faults: Vec<crate::faults::Fault>,
    /// How many more writes of a sign-in rehearsal (users, tickets, sessions, sign-ins) land
    /// before the Backend and Frontend APIs stop answering, as if the run were killed there.
    pub rehearsal_write_budget: Option<usize>,
    /// DNS queries and HTTPS requests received (the API's requests are in `requests`).
    pub probes: Vec<crate::Probe>,
    /// Clerk's users, sign-in tokens, clients and sessions.
    pub accounts: crate::clerk::accounts::Accounts,
    /// The requests the Frontend API received (kept across scenario switches).
    pub frontend_requests: Vec<crate::Recorded>,
    /// Every secret the fakes handed out — tickets, session tokens, `__client` cookies,
    /// handshake payloads, testing tokens — for the canary sweeps (kept across switches).
    pub issued_secrets: Vec<String>,
}

/// A record at the DNS host's API.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HostRecord {
    pub id: String,
    /// Fully qualified, no trailing dot.
    pub name: String,
    pub kind: String,
    pub value: String,
    pub proxied: bool,
    /// When it was created (ms), one second after the record before it: Vercel DNS pages by
    /// creation time.
    pub created: u64,
}

impl HostRecord {
    fn new(n: u32, name: &str, kind: &str, value: &str, proxied: bool) -> HostRecord {
        HostRecord {
            id: format!("rec{n:04}"),
            name: name.into(),
            kind: kind.into(),
            value: value.into(),
            proxied,
            created: 1_700_000_000_000 + u64::from(n) * 1000,
        }
    }
}

/// The records a DNS host's zone starts with: the site's, mail, and (at Cloudflare) a stray
/// `accounts` record from an earlier experiment.
fn initial_host_records(s: &Scenario) -> Vec<HostRecord> {
    if s.dns_host == DnsHost::Registrar {
        return vec![];
    }
    let mut records = vec![
        HostRecord::new(1, DOMAIN, "A", VERCEL_APEX_IP, false),
        HostRecord::new(2, &format!("www.{DOMAIN}"), "CNAME", VERCEL_CNAME, false),
        HostRecord::new(3, DOMAIN, "MX", &format!("mail.{DOMAIN}"), false),
        HostRecord::new(
            4,
            DOMAIN,
            "TXT",
            "v=spf1 include:_spf.mail.test ~all",
            false,
        ),
    ];
    if s.dns_host == DnsHost::Cloudflare {
        records.push(HostRecord::new(
            5,
            &format!("accounts.{DOMAIN}"),
            "A",
            "192.0.2.44",
            true,
        ));
    }
    records
}

impl World {
    pub fn new(scenario: Scenario) -> World {
        World {
            production: scenario.production,
            dns_check_running: false,
            requests: vec![],
            supabase: crate::supabase::initial_integrations(&scenario),
            host_records: initial_host_records(&scenario),
            next_record: 100,
            vercel: VercelProject::new(scenario.hosting, scenario.webhooks, scenario.layout),
            satellite_vercel: scenario
                .layout
                .satellite()
                .map(|_| VercelProject::satellite(scenario.layout)),
            netlify: crate::netlify::NetlifySite::new(scenario.hosting, scenario.webhooks),
            render: crate::render::RenderWorld::new(scenario.hosting, scenario.webhooks),
            cloudflare_pages: crate::cloudflare::pages::PagesProject::new(
                scenario.hosting,
                scenario.webhooks,
            ),
            cloudflare_worker: crate::cloudflare::workers::WorkerScript::new(
                scenario.hosting,
                scenario.webhooks,
            ),
            production_config: Default::default(),
            faults: Vec::new(),
            rehearsal_write_budget: None,
            probes: Vec::new(),
            accounts: crate::clerk::accounts::Accounts::new(scenario.layout),
            frontend_requests: Vec::new(),
            issued_secrets: Vec::new(),
            oauth_redirects: if scenario.name == "sso-wrong-redirect" {
                // Google's client still has only the development instance's callback.
                [(
                    "google",
                    format!("https://{DEV_FRONTEND_API}/v1/oauth_callback"),
                )]
                .into()
            } else {
                Default::default()
            },
            scenario,
        }
    }

    /// Switches to another scenario; the request logs and the secrets handed out are kept.
    pub fn reset(&mut self, scenario: Scenario) {
        let requests = std::mem::take(&mut self.requests);
        let frontend_requests = std::mem::take(&mut self.frontend_requests);
        let issued_secrets = std::mem::take(&mut self.issued_secrets);
        *self = World {
            requests,
            frontend_requests,
            issued_secrets,
            ..World::new(scenario)
        };
    }

    /// Once the production instance exists the world is at least `created`; before it,
    /// nothing serves the domain.
    pub fn dns_state(&self) -> DnsState {
        if self.production {
            self.scenario.dns
        } else {
            DnsState::Missing
        }
    }

    pub fn add_host_record(
        &mut self,
        name: &str,
        kind: &str,
        value: &str,
        proxied: bool,
    ) -> HostRecord {
        self.next_record += 1;
        let r = HostRecord::new(self.next_record, name, kind, value, proxied);
        self.host_records.push(r.clone());
        r
    }

    /// The publishable key the live site serves: its host's newest live build's.
    pub fn live_publishable_key(&self) -> String {
        match self.scenario.host {
            Host::Vercel => self.vercel.live_publishable_key(),
            Host::Netlify => self.netlify.live_publishable_key(),
            Host::Render => self.render.live_publishable_key(),
            Host::CloudflarePages => self.cloudflare_pages.live_publishable_key(),
            Host::CloudflareWorkers => self.cloudflare_worker.live_publishable_key(),
        }
    }

    /// The signing secret the live site's webhook route verifies with.
    pub fn live_webhook_secret(&self) -> String {
        match self.scenario.host {
            Host::Vercel => self.vercel.live_webhook_secret(),
            Host::Netlify => self.netlify.live_webhook_secret(),
            Host::Render => self.render.live_webhook_secret(),
            Host::CloudflarePages => self.cloudflare_pages.live_webhook_secret(),
            Host::CloudflareWorkers => self.cloudflare_worker.live_webhook_secret(),
        }
    }

    pub fn fapi(&self) -> Fapi {
        if self.production {
            self.scenario.fapi
        } else {
            Fapi::Down
        }
    }

    /// What a TLS connection for `host` (its SNI) finds: the production instance's hosts as
    /// `fapi` has them, Clerk's shared host with its own certificate (a proxy's upstream),
    /// nothing for a host the layout has no record for. Without SNI: as `fapi`.
    pub fn fapi_at(&self, host: Option<&str>) -> Fapi {
        let layout = self.scenario.layout;
        match host {
            None => self.fapi(),
            Some(SHARED_FRONTEND_API) if self.production => Fapi::CertPending,
            Some(h) if layout.has_record(h) => self.fapi(),
            Some(_) => Fapi::Down,
        }
    }

    /// The Vercel projects the sandbox keeps: the app's, and the satellite's.
    pub fn projects(&self) -> impl Iterator<Item = &VercelProject> {
        std::iter::once(&self.vercel).chain(&self.satellite_vercel)
    }

    pub fn projects_mut(&mut self) -> impl Iterator<Item = &mut VercelProject> {
        std::iter::once(&mut self.vercel).chain(&mut self.satellite_vercel)
    }

    /// The Vercel project `id_or_name` names, if the token sees it.
    pub fn project(&self, id_or_name: &str) -> Option<&VercelProject> {
        self.projects()
            .find(|p| p.id == id_or_name || p.name == id_or_name)
    }

    pub fn project_mut(&mut self, id_or_name: &str) -> Option<&mut VercelProject> {
        self.projects_mut()
            .find(|p| p.id == id_or_name || p.name == id_or_name)
    }
}

pub type Shared = Arc<Mutex<World>>;

/// Where the sandbox's fake resolves an instance from a secret key.
pub struct KeyInstance {
    pub id: &'static str,
    pub environment_type: &'static str,
    pub domain: &'static str,
    pub frontend_api: String,
    pub proxy_url: Option<&'static str>,
    /// Its satellite domain, if it has one.
    pub satellite: Option<&'static str>,
}

impl World {
    pub fn instance_for(&self, secret_key: &str) -> Option<KeyInstance> {
        match secret_key {
            LIVE_SECRET_KEY if self.production => {
                let layout = self.scenario.layout;
                Some(KeyInstance {
                    id: INSTANCE_ID,
                    environment_type: "production",
                    domain: layout.clerk_domain(),
                    frontend_api: layout.frontend_api().to_string(),
                    proxy_url: layout.proxy_url(),
                    satellite: layout.satellite(),
                })
            }
            OTHER_SECRET_KEY => Some(KeyInstance {
                id: OTHER_INSTANCE_ID,
                environment_type: "production",
                domain: OTHER_DOMAIN,
                frontend_api: format!("clerk.{OTHER_DOMAIN}"),
                proxy_url: None,
                satellite: None,
            }),
            DEV_SECRET_KEY => Some(KeyInstance {
                id: DEV_INSTANCE_ID,
                environment_type: "development",
                domain: DEV_FRONTEND_API,
                frontend_api: DEV_FRONTEND_API.to_string(),
                proxy_url: None,
                satellite: None,
            }),
            _ => None,
        }
    }
}
