//! The Vercel project's hosting state in the sandbox: its domain, its environment variables
//! and its deployments, whose state moves with time (QUEUED → BUILDING → READY or ERROR).
//! A deployment bakes in the production publishable key it was built with; the live-site
//! fake serves that one.

use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use crate::scenario::{publishable_key, DEV_FRONTEND_API, DEV_SECRET_KEY, LIVE_SECRET_KEY};
use crate::DOMAIN;

/// How the project stands when a scenario starts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Hosting {
    /// Domain on the project, live keys for production only, a build with them live.
    Done,
    /// Domain not on the project yet (and unverified once added); test keys shared by every
    /// target; the live build has pk_test.
    FreshProject,
    /// Domain in place; test keys shared by every target.
    SharedTargets,
    /// Domain in place; one variable per target, production's still the test keys.
    ProductionOnly,
    /// Everything set, but the next build fails.
    DeployError,
    /// The live keys were set after the live build: it still serves pk_test.
    StaleBuild,
}

/// What Golive writes as a comment on what it sets (see golive-core's `steps::hosting`).
pub fn marker() -> String {
    format!("Clerk production key for clerk.{DOMAIN}, set by Golive")
}

pub const PK_VAR: &str = "NEXT_PUBLIC_CLERK_PUBLISHABLE_KEY";
pub const SK_VAR: &str = "CLERK_SECRET_KEY";
/// How long a build takes in the sandbox.
pub const QUEUED_FOR: Duration = Duration::from_millis(300);
pub const BUILD_TAKES: Duration = Duration::from_millis(1200);

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Env {
    pub id: String,
    pub key: String,
    pub value: String,
    pub kind: String,
    pub target: Vec<String>,
    pub comment: Option<String>,
    pub updated_at: u64,
}

#[derive(Debug, Clone)]
pub struct Deployment {
    pub id: String,
    pub created_at: u64,
    pub started: Instant,
    pub fails: bool,
    /// The production publishable key the build baked in.
    pub publishable_key: String,
}

impl Deployment {
    pub fn state(&self) -> &'static str {
        let t = self.started.elapsed();
        if t < QUEUED_FOR {
            "QUEUED"
        } else if t < BUILD_TAKES {
            "BUILDING"
        } else if self.fails {
            "ERROR"
        } else {
            "READY"
        }
    }
}

#[derive(Debug, Clone)]
pub struct VercelProject {
    pub state: Hosting,
    pub domain_added: bool,
    pub domain_verified: bool,
    pub envs: Vec<Env>,
    pub deployments: Vec<Deployment>,
    /// Writes still allowed before the fake refuses (for interruption tests); `None`: all.
    pub write_budget: Option<u32>,
    pub next_id: u32,
}

pub fn now_ms() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_millis() as u64
}

const DAY_MS: u64 = 86_400_000;

fn env(id: u32, key: &str, value: &str, kind: &str, target: &[&str], live: bool, at: u64) -> Env {
    Env {
        id: format!("env_sandbox{id:04}"),
        key: key.into(),
        value: value.into(),
        kind: kind.into(),
        target: target.iter().map(|t| t.to_string()).collect(),
        comment: live.then(marker),
        updated_at: at,
    }
}

impl VercelProject {
    pub fn new(state: Hosting) -> VercelProject {
        let (test_pk, live_pk) = (
            publishable_key(DEV_FRONTEND_API),
            publishable_key(&format!("clerk.{DOMAIN}")),
        );
        let now = now_ms();
        let all = ["production", "preview", "development"];
        let others = ["preview", "development"];
        let prod = ["production"];
        let set_at = if state == Hosting::StaleBuild {
            now - 3_600_000
        } else {
            now - 2 * DAY_MS
        };
        let envs = match state {
            Hosting::FreshProject | Hosting::SharedTargets => vec![
                env(1, PK_VAR, &test_pk, "encrypted", &all, false, set_at),
                env(2, SK_VAR, DEV_SECRET_KEY, "sensitive", &all, false, set_at),
            ],
            Hosting::ProductionOnly => vec![
                env(1, PK_VAR, &test_pk, "encrypted", &prod, false, set_at),
                env(2, SK_VAR, DEV_SECRET_KEY, "sensitive", &prod, false, set_at),
                env(3, PK_VAR, &test_pk, "encrypted", &others, false, set_at),
                env(
                    4,
                    SK_VAR,
                    DEV_SECRET_KEY,
                    "sensitive",
                    &others,
                    false,
                    set_at,
                ),
            ],
            Hosting::Done | Hosting::DeployError | Hosting::StaleBuild => vec![
                env(1, PK_VAR, &live_pk, "encrypted", &prod, true, set_at),
                env(2, SK_VAR, LIVE_SECRET_KEY, "sensitive", &prod, true, set_at),
                env(3, PK_VAR, &test_pk, "encrypted", &others, false, set_at),
                env(
                    4,
                    SK_VAR,
                    DEV_SECRET_KEY,
                    "sensitive",
                    &others,
                    false,
                    set_at,
                ),
            ],
        };
        let built_live = matches!(state, Hosting::Done | Hosting::DeployError);
        let mut deployments = vec![Deployment {
            id: "dpl_sandboxFirst000000000001".into(),
            created_at: now - DAY_MS,
            started: Instant::now() - Duration::from_secs(86_400),
            fails: false,
            publishable_key: if built_live { live_pk.clone() } else { test_pk },
        }];
        if state == Hosting::DeployError {
            // The newest build failed; the one before still serves.
            deployments.push(Deployment {
                id: "dpl_sandboxFailed00000000002".into(),
                created_at: now - 3_600_000,
                started: Instant::now() - Duration::from_secs(3_600),
                fails: true,
                publishable_key: live_pk,
            });
        }
        VercelProject {
            state,
            domain_added: state != Hosting::FreshProject,
            domain_verified: state != Hosting::FreshProject,
            envs,
            deployments,
            write_budget: None,
            next_id: 100,
        }
    }

    /// Spends one write; `false` when the budget is exhausted (the write must not happen).
    pub fn spend_write(&mut self) -> bool {
        match &mut self.write_budget {
            Some(0) => false,
            Some(n) => {
                *n -= 1;
                true
            }
            None => true,
        }
    }

    pub fn production_publishable_key(&self) -> String {
        self.envs
            .iter()
            .find(|e| e.key == PK_VAR && e.target.iter().any(|t| t == "production"))
            .map(|e| e.value.clone())
            .unwrap_or_default()
    }

    pub fn redeploy(&mut self) -> Deployment {
        self.next_id += 1;
        let d = Deployment {
            id: format!("dpl_sandboxRedeploy{:010}", self.next_id),
            created_at: now_ms(),
            started: Instant::now(),
            fails: self.state == Hosting::DeployError,
            publishable_key: self.production_publishable_key(),
        };
        self.deployments.push(d.clone());
        d
    }

    /// What the live site serves: the newest READY deployment's key.
    pub fn live_publishable_key(&self) -> String {
        self.deployments
            .iter()
            .rev()
            .find(|d| d.state() == "READY")
            .map(|d| d.publishable_key.clone())
            .unwrap_or_default()
    }
}
