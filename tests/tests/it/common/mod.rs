//! Helpers shared by the integration tests.

pub mod webdriver;

use std::path::PathBuf;
use std::process::{Command, Output};
use std::sync::OnceLock;

/// The sandbox in the named scenario.
pub async fn sandbox(name: &str) -> golive_sandbox::Sandbox {
    golive_sandbox::Sandbox::start(golive_sandbox::Scenario::named(name).unwrap())
        .await
        .unwrap()
}

/// A redeploy followed at a tenth of the real pace, given up after 30 s.
pub const FAST: golive_core::steps::hosting::FollowPace = golive_core::steps::hosting::FollowPace {
    scale: 0.1,
    limit: std::time::Duration::from_secs(30),
};

/// Adds the project's domain to its host (not there before): unverified, with the record to
/// add first; then verified. The record, for the caller to look at.
pub async fn add_then_verify(
    e: &golive_core::engine::Engine,
    id: &str,
) -> golive_core::vendors::vercel::domains::Verification {
    assert!(e.hosting_domain(id).await.unwrap().domain.is_none());
    let added = e.hosting_add_domain(id).await.unwrap().domain.unwrap();
    assert!(!added.verified);
    let record = added.verification[0].clone();
    let verified = e.hosting_verify_domain(id).await.unwrap().domain.unwrap();
    assert!(verified.verified);
    record
}

/// Redeploys production at `FAST`, with the states it was seen in, in order.
pub async fn redeploy_followed(
    e: &golive_core::engine::Engine,
    id: &str,
) -> (
    golive_core::vendors::vercel::deployments::Deployment,
    Vec<String>,
) {
    use golive_core::steps::hosting::DeployEvent;
    let seen = std::sync::Mutex::new(vec![]);
    let d = e
        .hosting_redeploy(id, FAST, |ev| {
            let (DeployEvent::Started { deployment } | DeployEvent::State { deployment }) = ev;
            seen.lock().unwrap().push(deployment.ready_state)
        })
        .await
        .unwrap();
    (d, seen.into_inner().unwrap())
}

/// The env plan's steps as (variable, action), in order.
pub fn actions(
    plan: &golive_core::steps::hosting::env_plan::EnvPlan,
) -> Vec<(&str, golive_core::steps::hosting::env_plan::EnvAction)> {
    plan.steps
        .iter()
        .map(|s| (s.key.as_str(), s.action))
        .collect()
}

/// Runs the project's checks and asserts each of `ids` passes (its detail said when not).
pub async fn assert_checks_pass(e: &golive_core::engine::Engine, id: &str, ids: &[&str]) {
    let r = e.run_checks(id, None, false, |_| {}).await.unwrap();
    for want in ids {
        let c = r.checks.iter().find(|c| c.id == *want).unwrap();
        assert_eq!(
            c.status,
            golive_core::checks::CheckStatus::Pass,
            "{want}: {}",
            c.detail
        );
    }
}

/// `golive check --json` against a running sandbox, with its scenario's keys and `extra`.
pub async fn cli_in(sb: &golive_sandbox::Sandbox, extra: &[(&str, &str)]) -> serde_json::Value {
    let mut vars = sb.env();
    vars.extend(sb.key_env());
    vars.extend(extra.iter().map(|(k, v)| (k.to_string(), v.to_string())));
    stdout_json(&golive(
        &["check", "--domain", golive_sandbox::DOMAIN, "--json"],
        &vars,
    ))
}

/// The same, in a fresh sandbox of `scenario`.
pub async fn cli_with(scenario: &str, extra: &[(&str, &str)]) -> serde_json::Value {
    cli_in(&sandbox(scenario).await, extra).await
}

/// The ids of a report's checks, in its order.
pub fn ids(report: &serde_json::Value) -> Vec<String> {
    report["checks"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["id"].as_str().unwrap().to_string())
        .collect()
}

/// The `golive` CLI, built from this workspace: the one `GOLIVE_CLI_BIN` names
/// (`scripts/test.sh` builds it with everything else, in one build), else built here. Cargo
/// builds another package's binaries for a test only under `--workspace` and stable Cargo
/// has no artifact dependencies, so the first caller builds it (a no-op when fresh) once per
/// run, into this test's target directory and profile.
pub fn golive_bin() -> PathBuf {
    static BIN: OnceLock<PathBuf> = OnceLock::new();
    BIN.get_or_init(|| {
        if let Some(bin) = std::env::var_os("GOLIVE_CLI_BIN") {
            return PathBuf::from(bin);
        }
        // target/<profile>/deps/<this test> → target/<profile>/golive
        let exe = std::env::current_exe().unwrap();
        let profile_dir = exe.parent().unwrap().parent().unwrap();
        let profile = match profile_dir.file_name().unwrap().to_str().unwrap() {
            "debug" => "dev",
            other => other,
        };
        let status = Command::new(env!("CARGO"))
            .args(["build", "--quiet", "-p", "golive-core", "--bin", "golive"])
            .args(["--profile", profile, "--target-dir"])
            .arg(profile_dir.parent().unwrap())
            .status()
            .expect("run cargo build");
        assert!(status.success(), "building the golive CLI failed");
        let bin = profile_dir.join("golive");
        assert!(bin.exists(), "no CLI at {}", bin.display());
        bin
    })
    .clone()
}

/// Runs the CLI with exactly these variables (plus PATH and a scratch HOME/config dir),
/// so nothing from the developer's shell — a real key, a real vendor URL — leaks in.
pub fn golive(args: &[&str], vars: &[(String, String)]) -> Output {
    golive_in(tempfile::tempdir().unwrap().path(), args, vars)
}

/// As `golive`, with `home` as its HOME (and its config, data and cache directories).
pub fn golive_in(home: &std::path::Path, args: &[&str], vars: &[(String, String)]) -> Output {
    Command::new(golive_bin())
        .args(args)
        .env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("HOME", home)
        .env("GOLIVE_CONFIG_DIR", home.join("config"))
        .env("XDG_CONFIG_HOME", home.join(".config"))
        .env("XDG_DATA_HOME", home.join(".local/share"))
        .env("XDG_CACHE_HOME", home.join(".cache"))
        .envs(vars.iter().map(|(k, v)| (k, v)))
        .output()
        .expect("run golive")
}

/// Every file under `dir` that contains `needle`.
pub fn files_containing(dir: &std::path::Path, needle: &[u8]) -> Vec<PathBuf> {
    let mut hits = vec![];
    let Ok(entries) = std::fs::read_dir(dir) else {
        return hits;
    };
    for e in entries.flatten() {
        let path = e.path();
        if path.is_dir() {
            hits.extend(files_containing(&path, needle));
        } else if let Ok(bytes) = std::fs::read(&path) {
            if bytes.windows(needle.len()).any(|w| w == needle) {
                hits.push(path);
            }
        }
    }
    hits
}

pub fn stdout_json(out: &Output) -> serde_json::Value {
    let text = String::from_utf8_lossy(&out.stdout);
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("not one JSON object ({e}):\n{text}"))
}

pub fn check<'a>(report: &'a serde_json::Value, id: &str) -> &'a serde_json::Value {
    report["checks"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["id"] == id)
        .unwrap_or_else(|| panic!("no check {id} in {report}"))
}

/// An engine pointed at the sandbox, with a fresh Quillmate project and secrets kept in memory.
pub struct TestProject {
    pub engine: std::sync::Arc<golive_core::engine::Engine>,
    pub secrets: std::sync::Arc<golive_core::secrets::MemoryStore>,
    pub project: golive_core::project::Project,
    _dir: tempfile::TempDir,
}

impl TestProject {
    /// With the sandbox instance's live keys saved, as after the Clerk step.
    pub fn with_live_keys(self) -> Self {
        use golive_sandbox::scenario::{publishable_key, LIVE_SECRET_KEY};
        let id = &self.project.id;
        self.engine
            .set_publishable_key(
                id,
                &publishable_key(&format!("clerk.{}", golive_sandbox::DOMAIN)),
            )
            .unwrap();
        self.engine
            .set_secret(
                id,
                golive_core::secrets::SecretKind::ClerkSecretKey,
                LIVE_SECRET_KEY,
            )
            .unwrap();
        self
    }

    /// With the sandbox's Vercel token and project linked, as after the Hosting step.
    pub fn with_vercel(self) -> Self {
        use golive_sandbox::scenario::{VERCEL_PROJECT_ID, VERCEL_TOKEN};
        let id = &self.project.id;
        self.engine
            .set_secret(
                id,
                golive_core::secrets::SecretKind::VercelToken,
                VERCEL_TOKEN,
            )
            .unwrap();
        self.engine
            .set_vercel_project(
                id,
                Some(golive_core::project::VercelLink {
                    id: VERCEL_PROJECT_ID.into(),
                    name: "quillmate".into(),
                    team_id: None,
                }),
            )
            .unwrap();
        self
    }

    /// With the production webhook endpoint and its signing secret saved, as after the
    /// Hosting step's Webhooks section.
    /// Hosted on Netlify: the sandbox's token saved and its site linked.
    pub fn with_netlify(mut self) -> Self {
        use golive_core::project::{Hosting, NetlifyLink, ProjectInput};
        use golive_sandbox::scenario::{NETLIFY_SITE_ID, NETLIFY_TOKEN};
        let id = self.project.id.clone();
        let p = &self.project;
        self.engine
            .update_project(
                &id,
                ProjectInput {
                    name: p.name.clone(),
                    domain: p.domain.clone(),
                    hosting: Hosting::Netlify,
                    framework: p.framework,
                },
            )
            .unwrap();
        self.engine
            .set_secret(
                &id,
                golive_core::secrets::SecretKind::NetlifyToken,
                NETLIFY_TOKEN,
            )
            .unwrap();
        self.project = self
            .engine
            .set_netlify_site(
                &id,
                Some(NetlifyLink {
                    id: NETLIFY_SITE_ID.into(),
                    name: "quillmate".into(),
                }),
            )
            .unwrap();
        self
    }

    /// Hosted on Render: the sandbox's API key saved and its service linked.
    pub fn with_render(mut self) -> Self {
        use golive_core::project::{Hosting, ProjectInput, RenderLink};
        use golive_sandbox::scenario::{RENDER_API_KEY, RENDER_SERVICE_ID};
        let id = self.project.id.clone();
        let p = &self.project;
        self.engine
            .update_project(
                &id,
                ProjectInput {
                    name: p.name.clone(),
                    domain: p.domain.clone(),
                    hosting: Hosting::Render,
                    framework: p.framework,
                },
            )
            .unwrap();
        self.engine
            .set_secret(
                &id,
                golive_core::secrets::SecretKind::RenderApiKey,
                RENDER_API_KEY,
            )
            .unwrap();
        self.project = self
            .engine
            .set_render_service(
                &id,
                Some(RenderLink {
                    id: RENDER_SERVICE_ID.into(),
                    name: "quillmate".into(),
                    dashboard_url: None,
                }),
            )
            .unwrap();
        self
    }

    /// Hosted on Cloudflare Pages: the sandbox's token saved and its project linked.
    pub async fn with_cloudflare_pages(self) -> Self {
        use golive_core::project::Hosting;
        use golive_sandbox::scenario::PAGES_PROJECT;
        self.with_cloudflare(Hosting::CloudflarePages, PAGES_PROJECT)
            .await
    }

    /// Hosted on Cloudflare Workers: the sandbox's token saved and its Worker linked.
    pub async fn with_cloudflare_workers(self) -> Self {
        use golive_core::project::Hosting;
        use golive_sandbox::scenario::WORKER_SCRIPT;
        self.with_cloudflare(Hosting::CloudflareWorkers, WORKER_SCRIPT)
            .await
    }

    async fn with_cloudflare(mut self, hosting: golive_core::project::Hosting, name: &str) -> Self {
        use golive_core::project::{CloudflareLink, ProjectInput};
        use golive_sandbox::scenario::{CLOUDFLARE_ACCOUNT_ID, CLOUDFLARE_TOKEN};
        let id = self.project.id.clone();
        let p = &self.project;
        self.engine
            .update_project(
                &id,
                ProjectInput {
                    name: p.name.clone(),
                    domain: p.domain.clone(),
                    hosting,
                    framework: p.framework,
                },
            )
            .unwrap();
        self.engine
            .set_secret(
                &id,
                golive_core::secrets::SecretKind::CloudflareToken,
                CLOUDFLARE_TOKEN,
            )
            .unwrap();
        self.project = self
            .engine
            .set_cloudflare_project(
                &id,
                Some(CloudflareLink {
                    account_id: CLOUDFLARE_ACCOUNT_ID.into(),
                    name: name.into(),
                    kind: None,
                }),
            )
            .await
            .unwrap();
        self
    }

    pub fn with_webhooks(self) -> Self {
        use golive_sandbox::scenario::{LIVE_WEBHOOK_SECRET, WEBHOOK_URL};
        let id = &self.project.id;
        self.engine.set_webhook_url(id, WEBHOOK_URL).unwrap();
        self.engine
            .set_secret(
                id,
                golive_core::secrets::SecretKind::ClerkWebhookSecret,
                LIVE_WEBHOOK_SECRET,
            )
            .unwrap();
        self
    }

    /// The directory the project settings are saved in.
    pub fn dir(&self) -> &std::path::Path {
        self._dir.path()
    }
}

pub fn project_for(sandbox: &golive_sandbox::Sandbox) -> TestProject {
    project_with(golive_core::config::Endpoints::from_vars(sandbox.env()).unwrap())
}

/// An engine with these endpoints and a fresh Quillmate project, secrets kept in memory.
pub fn project_with(endpoints: golive_core::config::Endpoints) -> TestProject {
    use golive_core::project::{Hosting, ProjectInput, ProjectStore};
    let dir = tempfile::tempdir().unwrap();
    let secrets = std::sync::Arc::new(golive_core::secrets::MemoryStore::default());
    let engine =
        golive_core::engine::Engine::new(ProjectStore::new(dir.path()), secrets.clone(), endpoints)
            .unwrap();
    let project = engine
        .create_project(ProjectInput {
            name: "Quillmate".into(),
            domain: golive_sandbox::DOMAIN.into(),
            hosting: Hosting::Vercel,
            framework: golive_core::framework::Framework::Nextjs,
        })
        .unwrap();
    TestProject {
        engine: std::sync::Arc::new(engine),
        secrets,
        project,
        _dir: dir,
    }
}

/// Each DNS diagnosis in its sandbox scenario: (scenario, check, status, in the detail, in
/// the fix). The CLI tests and the GUI e2e test go through the same list.
pub const DIAGNOSES: &[(&str, &str, &str, &str, &str)] = &[
    (
        "propagating",
        "dns.clerk",
        "warn",
        "Still propagating",
        "Caches expire within",
    ),
    (
        "cloudflare-proxied",
        "dns.clerk",
        "fail",
        "proxied",
        "DNS only",
    ),
    (
        "cloudflare-flattened",
        "dns.clerk",
        "warn",
        "flattens",
        "CNAME flattening",
    ),
    (
        "doubled-host",
        "dns.clerk",
        "fail",
        "clerk.quillmate.test.quillmate.test exists",
        "type only clerk in the Host field",
    ),
    (
        "wrong-target",
        "dns.clerk",
        "fail",
        "looks like a typo",
        "exactly frontend-api.clerk.services",
    ),
    (
        "wrong-target",
        "dns.accounts",
        "fail",
        "appended your domain",
        "trailing dot (accounts.clerk.services.)",
    ),
    (
        "caa-blocking",
        "dns.caa",
        "fail",
        "allows only digicert.com",
        "0 issue \"letsencrypt.org\"",
    ),
    (
        "apex-conflict",
        "dns.apex",
        "fail",
        "has A 192.0.2.10 next to Vercel's A 216.198.79.1",
        "Delete A 192.0.2.10 at @",
    ),
    (
        "created",
        "dns.clerk",
        "fail",
        "has no CNAME record",
        "Host clerk → Value frontend-api.clerk.services",
    ),
];

/// The SSO form for the sandbox's Google app, with `secret`.
pub fn google_form(secret: &str) -> golive_core::steps::sso::SsoForm {
    golive_core::steps::sso::SsoForm {
        provider: golive_core::provider::ProviderId::Google,
        client_id: golive_sandbox::oauth::client("google").client_id.into(),
        secret: golive_core::secrets::Secret::new(secret),
        apple_team_id: None,
        apple_key_id: None,
        secret_expires_on: None,
    }
}
