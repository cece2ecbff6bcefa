//! The projects the token sees, and the sandbox's project: how it stands when a scenario
//! starts (its domain, environment variables and deployments) and what it is now.

use axum::extract::{Path, Query, State};
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use serde_json::{json, Value};

use super::deployments::Deployment;
use super::env::Env;
use super::{creator, guard, guard_project, now_ms, Q};
use crate::scenario::{
    publishable_key, Layout, Shared, Webhooks, SATELLITE_DOMAIN, SATELLITE_PROJECT_ID,
    SATELLITE_PROJECT_NAME, VERCEL_PROJECT_ID, VERCEL_TEAM_ID,
};

pub fn routes() -> Router<Shared> {
    Router::new()
        .route("/v10/projects", get(projects))
        .route("/v9/projects/{project}", get(project))
}

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
    /// As `Done`, but the domain's DNS does not point to the host: it stays unverified.
    DomainUnverified,
}

#[derive(Debug, Clone)]
pub struct VercelProject {
    pub id: &'static str,
    pub name: &'static str,
    /// The domain the project serves: the layout's app domain, or the satellite.
    pub domain: &'static str,
    pub state: Hosting,
    pub domain_added: bool,
    pub domain_verified: bool,
    pub envs: Vec<Env>,
    pub deployments: Vec<Deployment>,
    /// Writes still allowed before the fake refuses (for interruption tests); `None`: all.
    pub write_budget: Option<u32>,
    pub next_id: u32,
}

impl VercelProject {
    /// The app's project, as `state` has it in `layout`.
    pub fn new(state: Hosting, webhooks: Webhooks, layout: Layout) -> VercelProject {
        let now = now_ms();
        let live_pk = publishable_key(layout.frontend_api());
        VercelProject {
            id: VERCEL_PROJECT_ID,
            name: "quillmate",
            domain: layout.app_domain(),
            state,
            domain_added: state != Hosting::FreshProject,
            domain_verified: !matches!(state, Hosting::FreshProject | Hosting::DomainUnverified),
            envs: super::env::initial(state, webhooks, layout, now),
            deployments: super::deployments::initial(state, webhooks, &live_pk, now),
            write_budget: None,
            next_id: 100,
        }
    }

    /// The satellite's project, set up (its production env as `layout` has it) and live.
    pub fn satellite(layout: Layout) -> VercelProject {
        let now = now_ms();
        let live_pk = publishable_key(layout.frontend_api());
        let mut deployments =
            super::deployments::initial(Hosting::Done, Webhooks::Verifying, &live_pk, now);
        for d in &mut deployments {
            d.id = d.id.replace("sandbox", "sandboxBlog");
            d.webhook_secret.clear();
        }
        VercelProject {
            id: SATELLITE_PROJECT_ID,
            name: SATELLITE_PROJECT_NAME,
            domain: SATELLITE_DOMAIN,
            state: Hosting::Done,
            domain_added: true,
            domain_verified: true,
            envs: super::env::satellite(layout, now),
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
}

/// The projects the token sees, most recently updated first (the satellite's, when the
/// layout has one, between the app's and the docs').
fn all_projects(satellite: bool) -> Vec<Value> {
    let satellite = satellite.then_some((
        SATELLITE_PROJECT_ID,
        SATELLITE_PROJECT_NAME,
        "nextjs",
        1_763_500_000_000u64,
    ));
    [
        (
            VERCEL_PROJECT_ID,
            "quillmate",
            "nextjs",
            1_764_000_000_000u64,
        ),
        (
            "prj_sandboxQuillmateDocs0001",
            "quillmate-docs",
            "astro",
            1_763_000_000_000,
        ),
        (
            "prj_sandboxOtherapp000000001",
            "otherapp",
            "nextjs",
            1_762_000_000_000,
        ),
    ]
    .into_iter()
    .chain(satellite)
    .map(|(id, name, framework, updated)| {
        json!({
            "accountId": VERCEL_TEAM_ID, "id": id, "name": name, "framework": framework,
            "nodeVersion": "22.x", "directoryListing": false, "updatedAt": updated,
            "resourceConfig": {"functionDefaultRegions": ["iad1"]},
            "defaultResourceConfig": {"functionDefaultRegions": ["iad1"]}
        })
    })
    .collect()
}

async fn projects(State(w): State<Shared>, headers: HeaderMap, Query(q): Q) -> Response {
    if let Some(denied) = guard(&headers, &q) {
        return denied;
    }
    let satellite = w.lock().unwrap().satellite_vercel.is_some();
    let limit: usize = q.get("limit").and_then(|l| l.parse().ok()).unwrap_or(20);
    // The continuation token is the last project's `updatedAt`, base32 as Vercel's are not.
    let from: Option<u64> = q.get("from").and_then(|f| f.parse().ok());
    let search = q
        .get("search")
        .map(|s| s.to_lowercase())
        .unwrap_or_default();
    let mut all = all_projects(satellite);
    all.sort_by_key(|p| std::cmp::Reverse(p["updatedAt"].as_u64()));
    let matching: Vec<Value> = all
        .into_iter()
        .filter(|p| p["name"].as_str().unwrap().contains(&search))
        .filter(|p| from.is_none_or(|f| p["updatedAt"].as_u64().unwrap() < f))
        .collect();
    let page: Vec<Value> = matching.iter().take(limit).cloned().collect();
    let next = (matching.len() > page.len()).then(|| {
        page.last().unwrap()["updatedAt"]
            .as_u64()
            .unwrap()
            .to_string()
    });
    Json(json!({
        "projects": page,
        "pagination": {"count": page.len(), "next": next}
    }))
    .into_response()
}

async fn project(
    State(w): State<Shared>,
    headers: HeaderMap,
    Path(project): Path<String>,
    Query(q): Q,
) -> Response {
    let w = w.lock().unwrap();
    if let Some(denied) = guard_project(&w, &headers, &q, &project) {
        return denied;
    }
    let p = w.project(&project).unwrap();
    let latest = p.deployments.last().unwrap();
    let name = p.name;
    Json(json!({
        "accountId": VERCEL_TEAM_ID, "id": p.id, "name": name,
        "framework": "nextjs", "nodeVersion": "22.x", "directoryListing": false,
        "resourceConfig": {"functionDefaultRegions": ["iad1"]},
        "defaultResourceConfig": {"functionDefaultRegions": ["iad1"]},
        "targets": {"production": {
            "id": latest.id, "createdAt": latest.created_at, "createdIn": "iad1",
            "creator": creator(), "deploymentHostname": name, "name": name,
            "plan": "hobby", "private": true, "readyState": latest.state(), "type": "LAMBDAS",
            "url": format!("{name}-{}.vercel.app", &latest.id[4..14].to_lowercase()),
            "userId": "usr_sandbox"
        }}
    }))
    .into_response()
}
