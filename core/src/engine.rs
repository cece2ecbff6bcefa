//! The engine's front door: every operation the desktop app offers, written once here so the
//! Tauri commands stay one-liners and the logic is tested without a window.

use std::sync::Arc;

use crate::checks::{self, CheckContext, CheckEvent, Report};
use crate::config::Endpoints;
use crate::dns;
use crate::dns::auto::{AutoApplied, AutoPlan};
use crate::dns::matrix::{DnsEvent, WatchPace};
use crate::error::{Error, Result};
use crate::http::Http;
use crate::inputs::Inputs;
use crate::keys;
use crate::probe::Prober;
use crate::project::VercelLink;
use crate::project::{Project, ProjectInput, ProjectStore};
use crate::report::ReportFormat;
use crate::runs::Runs;
use crate::secrets::{Secret, SecretKind, SecretStatus, SecretStore};
use crate::steps::clerk::{self as clerk_step, ClerkApp, ClerkStep, ProductionCreated};
use crate::steps::hosting::{DeployEvent, EnvPlan, FollowPace, HostingDomain, HostingStep};
use crate::steps::sso::{SsoForm, SsoOverview, SsoStep};
use crate::steps::supabase::{SupabaseStep, SupabaseTrust};
use crate::vendors::clerk::platform::DomainStatus;
use crate::vendors::oauth::{self, ProbeResult, ProviderId};
use crate::vendors::supabase::parse_project_ref;
use crate::vendors::vercel::deployments::Deployment;
use crate::vendors::vercel::projects::ProjectPage;
use crate::vendors::vercel::Vercel;

pub struct Engine {
    projects: ProjectStore,
    secrets: Arc<dyn SecretStore>,
    endpoints: Endpoints,
    http: Http,
    prober: Prober,
    /// Running DNS watches and check runs: at most one of each per project.
    watches: Runs,
    check_runs: Runs,
}

impl Engine {
    pub fn new(
        projects: ProjectStore,
        secrets: Arc<dyn SecretStore>,
        endpoints: Endpoints,
    ) -> Result<Self> {
        Ok(Engine {
            http: Http::new(&endpoints)?,
            prober: Prober::new(&endpoints)?,
            projects,
            secrets,
            endpoints,
            watches: Runs::default(),
            check_runs: Runs::default(),
        })
    }

    pub fn project(&self, id: &str) -> Result<Project> {
        self.projects.get(id)
    }

    pub fn list_projects(&self) -> Result<Vec<Project>> {
        self.projects.list()
    }

    pub fn create_project(&self, input: ProjectInput) -> Result<Project> {
        self.projects.create(input)
    }

    pub fn update_project(&self, id: &str, input: ProjectInput) -> Result<Project> {
        self.projects.update(id, input)
    }

    /// Forgets the project's keychain entries first, so a keychain failure leaves the
    /// project in place for another try rather than orphaning its secrets.
    pub fn delete_project(&self, id: &str) -> Result<()> {
        let project = self.projects.get(id)?;
        for kind in SecretKind::ALL {
            self.secrets.delete(&project.id, kind)?;
        }
        self.projects.delete(id).map(drop)
    }

    pub fn set_publishable_key(&self, id: &str, pasted: &str) -> Result<Project> {
        let key = keys::clean_paste(pasted, "pk_");
        let key = if key.is_empty() {
            None
        } else {
            keys::parse_publishable_key(&key)?;
            Some(key)
        };
        self.projects.update_with(id, |p| p.publishable_key = key)
    }

    /// Validates what was pasted, stores it in the keychain, and returns only its status.
    pub fn set_secret(&self, id: &str, kind: SecretKind, pasted: &str) -> Result<SecretStatus> {
        let project = self.projects.get(id)?;
        let value = match kind {
            SecretKind::ClerkSecretKey => {
                let key = keys::clean_paste(pasted, "sk_");
                keys::secret_key_env(&key)?;
                key
            }
            SecretKind::ClerkPlatformKey => {
                let key = keys::clean_paste(pasted, "ak_");
                if !key.starts_with("ak_") {
                    return Err(Error::invalid(
                        "platform_key_invalid",
                        "Clerk platform keys start with ak_. Create one in the Clerk dashboard → \
                         Platform API keys.",
                    ));
                }
                key
            }
            SecretKind::VercelToken | SecretKind::CloudflareToken => keys::clean_paste(pasted, ""),
            // OAuth secrets go through the SSO step, which checks them with their client ID.
            SecretKind::OauthGoogle
            | SecretKind::OauthGithub
            | SecretKind::OauthMicrosoft
            | SecretKind::OauthDiscord
            | SecretKind::OauthApple => {
                return Err(Error::invalid(
                    "use_sso_form",
                    "Save OAuth credentials with the SSO step's form.",
                ))
            }
            // Supabase personal access tokens start with sbp_.
            SecretKind::SupabaseToken => keys::clean_paste(pasted, "sbp_"),
        };
        if value.is_empty() {
            return Err(Error::invalid(
                "secret_empty",
                format!("Paste the {} first.", kind.label()),
            ));
        }
        let secret = Secret::new(value);
        self.secrets.set(&project.id, kind, &secret)?;
        Ok(SecretStatus::of(kind, Some(&secret)))
    }

    pub fn forget_secret(&self, id: &str, kind: SecretKind) -> Result<SecretStatus> {
        let project = self.projects.get(id)?;
        self.secrets.delete(&project.id, kind)?;
        Ok(SecretStatus::of(kind, None))
    }

    pub fn secret_status(&self, id: &str, kind: SecretKind) -> Result<SecretStatus> {
        let project = self.projects.get(id)?;
        self.secrets.status(&project.id, kind)
    }

    fn clerk_step(&self) -> ClerkStep<'_> {
        ClerkStep {
            http: &self.http,
            api: &self.endpoints.clerk_api,
            secrets: self.secrets.as_ref(),
        }
    }

    pub async fn clerk_applications(&self, id: &str) -> Result<Vec<ClerkApp>> {
        self.clerk_step()
            .applications(&self.projects.get(id)?)
            .await
    }

    /// Creates (or adopts) the production instance and keeps its keys: the secret in the
    /// keychain, the publishable key and application id in the project.
    pub async fn clerk_create_production(
        &self,
        id: &str,
        app_id: &str,
    ) -> Result<ProductionCreated> {
        let project = self.projects.get(id)?;
        let (instance, updated) = self
            .clerk_step()
            .create_production(&project, app_id)
            .await?;
        let saved = self.projects.update_with(id, |p| {
            p.publishable_key = updated.publishable_key;
            p.clerk_application_id = updated.clerk_application_id;
        })?;
        Ok(ProductionCreated {
            instance,
            project: saved,
        })
    }

    pub async fn clerk_domain_status(&self, id: &str, recheck: bool) -> Result<DomainStatus> {
        self.clerk_step()
            .domain_status(&self.projects.get(id)?, recheck)
            .await
    }

    fn supabase_step(&self) -> SupabaseStep<'_> {
        SupabaseStep {
            http: &self.http,
            api: &self.endpoints.supabase_api,
            secrets: self.secrets.as_ref(),
        }
    }

    /// Sets (or, given nothing, clears) the Supabase project from a pasted URL or ref.
    pub fn set_supabase_project(&self, id: &str, pasted: &str) -> Result<Project> {
        let project_ref = if pasted.trim().is_empty() {
            None
        } else {
            Some(parse_project_ref(pasted)?)
        };
        self.projects
            .update_with(id, |p| p.supabase_project_ref = project_ref)
    }

    pub async fn supabase_trust(&self, id: &str) -> Result<SupabaseTrust> {
        self.supabase_step().trust(&self.projects.get(id)?).await
    }

    pub async fn supabase_add_issuer(&self, id: &str) -> Result<SupabaseTrust> {
        self.supabase_step()
            .add_production_issuer(&self.projects.get(id)?)
            .await
    }

    pub fn set_checklist_item(&self, id: &str, item: &str, done: bool) -> Result<Project> {
        if !clerk_step::checklist().iter().any(|c| c.id == item) {
            return Err(Error::invalid(
                "checklist_unknown",
                format!("No checklist item {item}."),
            ));
        }
        self.projects.update_with(id, |p| {
            p.clerk_checklist.retain(|i| i != item);
            if done {
                p.clerk_checklist.push(item.to_string());
            }
        })
    }

    /// Runs every check, or only those of one step (see `checks::CheckDef::step`). Starting a run
    /// stops the project's run before it.
    pub async fn run_checks(
        &self,
        id: &str,
        step: Option<&str>,
        on_event: impl Fn(CheckEvent),
    ) -> Result<Report> {
        let ctx = self.context(id)?;
        let mut run = self.check_runs.start(id);
        tokio::select! {
            report = checks::run_all(&ctx, step, on_event) => Ok(report),
            _ = run.stopped.changed() => Err(Error::invalid(
                "checks_cancelled",
                "The checks were stopped before they finished.",
            )),
        }
    }

    /// Writes a report where the user chose, refusing if one of the project's secrets would
    /// be in it.
    pub fn export_report(
        &self,
        id: &str,
        report: &Report,
        format: ReportFormat,
        path: &std::path::Path,
    ) -> Result<()> {
        let project = self.projects.get(id)?;
        let mut secrets = vec![];
        for kind in SecretKind::ALL {
            secrets.extend(self.secrets.get(&project.id, kind)?);
        }
        let text = crate::report::render(report, format, &secrets)?;
        crate::project::write_atomically(path, text.as_bytes()).map_err(|e| Error::Storage {
            path: path.display().to_string(),
            reason: e.to_string(),
        })
    }

    /// Stops the project's check run; it ends with `checks_cancelled`.
    pub fn cancel_checks(&self, id: &str) {
        self.check_runs.stop(id);
    }

    /// What the checks of one project work from.
    fn context(&self, id: &str) -> Result<CheckContext> {
        let project = self.projects.get(id)?;
        let inputs = Inputs::from_project(&project, self.secrets.as_ref())?;
        Ok(CheckContext::with_clients(
            project.domain,
            inputs,
            self.endpoints.clone(),
            self.http.clone(),
            self.prober.clone(),
        ))
    }

    /// The DNS plan, then every record × server answer as it arrives.
    pub async fn dns_probe(&self, id: &str, on_event: impl Fn(DnsEvent)) -> Result<()> {
        let ctx = self.context(id)?;
        dns::matrix::run(&ctx, on_event).await;
        Ok(())
    }

    /// Re-checks DNS until every record has propagated (`true`) or the watch is stopped
    /// (`false`). Starting a watch stops the project's previous one.
    pub async fn dns_watch(
        &self,
        id: &str,
        pace: WatchPace,
        on_event: impl Fn(DnsEvent),
    ) -> Result<bool> {
        let ctx = self.context(id)?;
        let run = self.watches.start(id);
        Ok(dns::matrix::watch(&ctx, pace, run.stopped.clone(), on_event).await)
    }

    pub fn dns_watch_stop(&self, id: &str) {
        self.watches.stop(id);
    }

    /// The dry run of automatic records at the project's DNS host.
    pub async fn dns_auto_plan(&self, id: &str) -> Result<AutoPlan> {
        let ctx = self.context(id)?;
        let host = dns::auto::host_for(&ctx).await?;
        let (plan, _, vercel) = dns::survey::plan(&ctx).await;
        let mut dry_run = host.dry_run(&plan).await?;
        dry_run.notes.extend(vercel.err());
        Ok(dry_run)
    }

    /// Creates the missing records, and replaces only the conflicting records in `confirmed`.
    pub async fn dns_auto_apply(&self, id: &str, confirmed: &[String]) -> Result<AutoApplied> {
        let ctx = self.context(id)?;
        let host = dns::auto::host_for(&ctx).await?;
        let (plan, fallback, vercel) = dns::survey::plan(&ctx).await;
        if let Some(why) = fallback {
            // Clerk's defaults miss the mail records and may be stale: don't write them.
            return Err(Error::invalid("dns_plan_incomplete", why));
        }
        let mut applied = host.apply(&plan, confirmed).await?;
        applied.plan.notes.extend(vercel.err());
        Ok(applied)
    }

    /// Vercel projects the saved token sees, for the Hosting step's picker.
    pub async fn vercel_projects(
        &self,
        id: &str,
        team_id: Option<&str>,
        search: &str,
        from: Option<&str>,
    ) -> Result<ProjectPage> {
        let project = self.projects.get(id)?;
        let token = self
            .secrets
            .get(&project.id, SecretKind::VercelToken)?
            .ok_or_else(|| {
                Error::invalid(
                    "vercel_token_missing",
                    "Paste a Vercel access token first (vercel.com/account/tokens).",
                )
            })?;
        let team_id = team_id.map(str::trim).filter(|t| !t.is_empty());
        Vercel::new(&self.http, &self.endpoints.vercel_api, &token, team_id)
            .projects(search, from)
            .await
    }

    /// Links (or, given none, unlinks) the project's Vercel project.
    pub fn set_vercel_project(&self, id: &str, link: Option<VercelLink>) -> Result<Project> {
        self.projects.update_with(id, |p| p.vercel_project = link)
    }

    fn sso_step(&self) -> SsoStep<'_> {
        SsoStep {
            http: &self.http,
            api: &self.endpoints.clerk_api,
            prober: &self.prober,
            secrets: self.secrets.as_ref(),
            token_urls: &self.endpoints.oauth_token_urls,
        }
    }

    pub async fn sso_overview(&self, id: &str) -> Result<SsoOverview> {
        self.sso_step().overview(&self.projects.get(id)?).await
    }

    /// Checks a provider's form; the secret goes to the keychain, the rest to the project.
    pub fn sso_save(&self, id: &str, form: SsoForm) -> Result<Project> {
        let provider = form.provider;
        let client = self.sso_step().save(&self.projects.get(id)?, form)?;
        self.projects.update_with(id, |p| {
            p.oauth.insert(provider, client);
        })
    }

    /// Reads Google's downloaded client JSON into Google's form.
    pub fn sso_import_google(&self, id: &str, json: &str) -> Result<Project> {
        let (client_id, secret) = oauth::parse_google_json(json)?;
        self.sso_save(
            id,
            SsoForm {
                provider: ProviderId::Google,
                client_id,
                secret,
                apple_team_id: None,
                apple_key_id: None,
                secret_expires_on: None,
            },
        )
    }

    pub async fn sso_probe(&self, id: &str, provider: ProviderId) -> Result<ProbeResult> {
        self.sso_step()
            .probe(&self.projects.get(id)?, provider)
            .await
    }

    pub async fn sso_push(&self, id: &str, provider: ProviderId) -> Result<()> {
        self.sso_step()
            .push(&self.projects.get(id)?, provider)
            .await
    }

    /// Keeps (or, given nothing, clears) the development instance's publishable key.
    pub fn set_dev_publishable_key(&self, id: &str, pasted: &str) -> Result<Project> {
        let key = keys::clean_paste(pasted, "pk_");
        let key = if key.is_empty() {
            None
        } else if keys::parse_publishable_key(&key)?.env != keys::KeyEnv::Test {
            return Err(Error::invalid(
                "not_development_key",
                "This is a production key: paste the development instance's pk_test_… key.",
            ));
        } else {
            Some(key)
        };
        self.projects
            .update_with(id, |p| p.dev_publishable_key = key)
    }

    fn hosting_step(&self) -> HostingStep<'_> {
        HostingStep {
            http: &self.http,
            api: &self.endpoints.vercel_api,
            secrets: self.secrets.as_ref(),
        }
    }

    pub async fn hosting_domain(&self, id: &str) -> Result<HostingDomain> {
        self.hosting_step().domain(&self.projects.get(id)?).await
    }

    pub async fn hosting_add_domain(&self, id: &str) -> Result<HostingDomain> {
        self.hosting_step()
            .add_domain(&self.projects.get(id)?)
            .await
    }

    pub async fn hosting_verify_domain(&self, id: &str) -> Result<HostingDomain> {
        self.hosting_step()
            .verify_domain(&self.projects.get(id)?)
            .await
    }

    pub async fn hosting_env_plan(&self, id: &str) -> Result<EnvPlan> {
        self.hosting_step().env_plan(&self.projects.get(id)?).await
    }

    pub async fn hosting_env_apply(&self, id: &str) -> Result<EnvPlan> {
        self.hosting_step().env_apply(&self.projects.get(id)?).await
    }

    pub async fn hosting_redeploy(
        &self,
        id: &str,
        pace: FollowPace,
        on_event: impl Fn(DeployEvent),
    ) -> Result<Deployment> {
        self.hosting_step()
            .redeploy(&self.projects.get(id)?, pace, on_event)
            .await
    }

    /// Writes the plan as a BIND zone fragment where the user chose; returns its text.
    pub async fn export_zone(&self, id: &str, path: &std::path::Path) -> Result<String> {
        let ctx = self.context(id)?;
        // Only the vendors are asked: a zone file needs no nameserver discovery.
        let (plan, _, _) = dns::survey::plan(&ctx).await;
        let text = dns::plan::zone_fragment(&ctx.domain, &plan);
        crate::project::write_atomically(path, text.as_bytes()).map_err(|e| Error::Storage {
            path: path.display().to_string(),
            reason: e.to_string(),
        })?;
        Ok(text)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::framework::Framework;
    use crate::project::Hosting;
    use crate::secrets::MemoryStore;

    fn engine(dir: &std::path::Path) -> (Engine, Arc<MemoryStore>) {
        let secrets = Arc::new(MemoryStore::default());
        let e = Engine::new(
            ProjectStore::new(dir),
            secrets.clone(),
            Endpoints::default(),
        )
        .unwrap();
        (e, secrets)
    }

    fn project(e: &Engine) -> Project {
        e.create_project(ProjectInput {
            name: "Quillmate".into(),
            domain: "quillmate.test".into(),
            hosting: Hosting::Vercel,
            framework: Framework::Nextjs,
        })
        .unwrap()
    }

    #[test]
    fn a_pasted_secret_key_is_cleaned_stored_and_only_its_status_returned() {
        let dir = tempfile::tempdir().unwrap();
        let (e, secrets) = engine(dir.path());
        let p = project(&e);
        let sk = "sk_live_abcdefghijklmnopqrstuvwxyz9876";
        let status = e
            .set_secret(
                &p.id,
                SecretKind::ClerkSecretKey,
                &format!("CLERK_SECRET_KEY=\"{sk}\"\n"),
            )
            .unwrap();
        assert_eq!(status.last4.as_deref(), Some("9876"));
        assert!(!serde_json::to_string(&status).unwrap().contains(sk));
        assert_eq!(
            secrets
                .get(&p.id, SecretKind::ClerkSecretKey)
                .unwrap()
                .unwrap()
                .expose(),
            sk
        );
        // Nothing secret reaches the settings file.
        let file = std::fs::read_to_string(dir.path().join("projects.json")).unwrap();
        assert!(!file.contains(sk));
    }

    #[test]
    fn a_key_in_the_wrong_field_is_refused_and_nothing_is_stored() {
        let dir = tempfile::tempdir().unwrap();
        let (e, secrets) = engine(dir.path());
        let p = project(&e);
        let err = e
            .set_secret(
                &p.id,
                SecretKind::ClerkSecretKey,
                "pk_live_Y2xlcmsucXVpbGxtYXRlLnRlc3Qk",
            )
            .unwrap_err();
        assert_eq!(err.code(), "wrong_field");
        assert!(secrets
            .get(&p.id, SecretKind::ClerkSecretKey)
            .unwrap()
            .is_none());
        assert_eq!(
            e.set_publishable_key(&p.id, "sk_live_abcdefghijklmnopqrstuvwxyz")
                .unwrap_err()
                .code(),
            "wrong_field"
        );
    }

    #[test]
    fn deleting_a_project_forgets_its_secrets_only() {
        let dir = tempfile::tempdir().unwrap();
        let (e, secrets) = engine(dir.path());
        let a = project(&e);
        let b = e
            .create_project(ProjectInput {
                name: "Other".into(),
                domain: "other.test".into(),
                hosting: Hosting::Vercel,
                framework: Framework::Astro,
            })
            .unwrap();
        let sk = "sk_live_abcdefghijklmnopqrstuvwxyz";
        e.set_secret(&a.id, SecretKind::ClerkSecretKey, sk).unwrap();
        e.set_secret(&b.id, SecretKind::ClerkSecretKey, sk).unwrap();
        e.delete_project(&a.id).unwrap();
        assert!(secrets
            .get(&a.id, SecretKind::ClerkSecretKey)
            .unwrap()
            .is_none());
        assert!(secrets
            .get(&b.id, SecretKind::ClerkSecretKey)
            .unwrap()
            .is_some());
        assert_eq!(e.list_projects().unwrap(), vec![b]);
    }
}
