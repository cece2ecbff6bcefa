//! Golive's sandbox: local fakes of every outside service, on loopback, with named scenarios.
//! Tests start it in-process; `golive-sandbox` runs it for people and the e2e tests.

pub mod clerk;
pub mod scenario;

use std::net::SocketAddr;

use tokio::net::TcpListener;
use tokio::task::JoinHandle;

pub use scenario::Scenario;

/// The production domain every scenario is about (`.test` is reserved, so never real).
pub const DOMAIN: &str = "quillmate.test";

/// A running sandbox. Dropping it stops its servers.
pub struct Sandbox {
    pub scenario: Scenario,
    pub clerk_api: SocketAddr,
    tasks: Vec<JoinHandle<()>>,
}

impl Sandbox {
    pub async fn start(scenario: Scenario) -> std::io::Result<Sandbox> {
        let listener = TcpListener::bind(("127.0.0.1", 0)).await?;
        let clerk_api = listener.local_addr()?;
        let app = clerk::router(scenario.clone());
        let task = tokio::spawn(async move {
            let _ = axum::serve(listener, app).await;
        });
        Ok(Sandbox {
            scenario,
            clerk_api,
            tasks: vec![task],
        })
    }

    /// The `GOLIVE_*` variables that point the app or the CLI at this sandbox.
    /// Every outside address is covered, so nothing can reach a real vendor: services the
    /// sandbox does not fake yet point at a closed loopback port.
    pub fn env(&self) -> Vec<(String, String)> {
        let closed = "127.0.0.1:9";
        [
            ("GOLIVE_CLERK_API_URL", format!("http://{}", self.clerk_api)),
            ("GOLIVE_VERCEL_API_URL", format!("http://{closed}")),
            ("GOLIVE_RESOLVERS", closed.to_string()),
            ("GOLIVE_AUTHORITATIVE", closed.to_string()),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_string(), v))
        .collect()
    }

    /// The keys of the scenario's production instance, as a user would paste them.
    pub fn key_env(&self) -> Vec<(String, String)> {
        vec![
            (
                "CLERK_PUBLISHABLE_KEY".into(),
                self.scenario.publishable_key(),
            ),
            ("CLERK_SECRET_KEY".into(), scenario::LIVE_SECRET_KEY.into()),
        ]
    }
}

impl Drop for Sandbox {
    fn drop(&mut self) {
        for t in &self.tasks {
            t.abort();
        }
    }
}
