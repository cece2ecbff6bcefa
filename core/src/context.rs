//! What one run (a check run, a DNS matrix or watch, an automatic-records plan) works from:
//! the project's domain and inputs, the configured addresses and the shared clients. It sits
//! below `checks/` and `dns/`, which both read it; what only one of them caches lives there.

use tokio::sync::OnceCell;

use crate::config::Endpoints;
use crate::error::Result;
use crate::http::Http;
use crate::https_probe::Prober;
use crate::inputs::Inputs;
use crate::keys::{parse_publishable_key, production_frontend_api, KeyEnv};
use crate::layout::{self, Layout};
use crate::vendors::clerk::backend::{Backend, Domain};
use crate::vendors::vercel::Vercel;

pub struct RunContext {
    pub domain: String,
    pub inputs: Inputs,
    pub endpoints: Endpoints,
    pub http: Http,
    pub prober: Prober,
    /// The Backend API's domains for the secret key, asked once per run.
    clerk_domains: OnceCell<Option<Result<Vec<Domain>>>>,
    layout: OnceCell<Layout>,
}

impl RunContext {
    /// Refuses a layout setting that cannot be right for the domain (from the CLI's
    /// environment; the app validates its settings when they are saved).
    pub fn new(domain: String, mut inputs: Inputs, endpoints: Endpoints) -> Result<Self> {
        inputs.layout = layout::validate(&domain, &inputs.layout)?;
        let (http, prober) = (Http::new(&endpoints)?, Prober::new(&endpoints)?);
        Ok(Self::with_clients(domain, inputs, endpoints, http, prober))
    }

    /// A run's context over clients that already exist (the app keeps one of each).
    pub fn with_clients(
        domain: String,
        inputs: Inputs,
        endpoints: Endpoints,
        http: Http,
        prober: Prober,
    ) -> Self {
        RunContext {
            domain,
            inputs,
            endpoints,
            http,
            prober,
            clerk_domains: OnceCell::new(),
            layout: OnceCell::new(),
        }
    }

    /// Where the app and Clerk live, as set or detected (resolved once per run).
    pub async fn layout(&self) -> &Layout {
        self.layout
            .get_or_init(|| async {
                let pk = self
                    .inputs
                    .publishable_key
                    .as_deref()
                    .and_then(|k| parse_publishable_key(k).ok())
                    .filter(|k| k.env == KeyEnv::Live);
                let answer = self.clerk_domains().await;
                let domains = match answer {
                    Some(Ok(d)) => Some(d.as_slice()),
                    _ => None,
                };
                let mut layout = layout::resolve(
                    &self.domain,
                    &self.inputs.layout,
                    pk.as_ref().map(|k| k.frontend_api.as_str()),
                    domains,
                );
                if let Some(Err(e)) = answer {
                    layout.detected.push(format!(
                        "Clerk's domains could not be read ({}), so a proxy or satellites set \
                         in Clerk are not known.",
                        self.inputs.redactor().text(&e.to_string())
                    ));
                }
                layout
            })
            .await
    }

    /// The secret key's instance's domains (several checks and the DNS plan need them; Clerk
    /// is asked once per run), or `None` without a secret key.
    pub async fn clerk_domains(&self) -> Option<&Result<Vec<Domain>>> {
        self.clerk_domains
            .get_or_init(|| async {
                let sk = self.inputs.secret_key.as_ref()?;
                Some(
                    Backend::new(&self.http, &self.endpoints.clerk_api, sk)
                        .domains()
                        .await,
                )
            })
            .await
            .as_ref()
    }

    /// Where a browser on the site reaches the production Frontend API: the proxy's host and
    /// path when there is one, else the live publishable key's host (`clerk.<Clerk's domain>`
    /// without one).
    pub async fn frontend_api_base(&self) -> String {
        let layout = self.layout().await;
        if layout.proxied() {
            return layout.frontend_api_base();
        }
        production_frontend_api(&layout.clerk_domain, self.inputs.publishable_key.as_deref())
    }

    /// Vercel's API with the given token and team, if a token was given.
    pub fn vercel(&self) -> Option<Vercel<'_>> {
        Some(Vercel::new(
            &self.http,
            &self.endpoints.vercel_api,
            self.inputs.vercel_token.as_ref()?,
            self.inputs.vercel_team_id.as_deref(),
        ))
    }
}
