//! What one run (a check run, a DNS matrix or watch, an automatic-records plan) works from:
//! the project's domain and inputs, the configured addresses and the shared clients. It sits
//! below `checks/` and `dns/`, which both read it; what only one of them caches lives there.

use tokio::sync::OnceCell;

use crate::config::Endpoints;
use crate::error::Result;
use crate::http::Http;
use crate::https_probe::Prober;
use crate::inputs::Inputs;
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
}

impl RunContext {
    pub fn new(domain: String, inputs: Inputs, endpoints: Endpoints) -> Result<Self> {
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
        }
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
