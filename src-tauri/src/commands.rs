//! Thin adapters: each command forwards to `golive_core::engine::Engine`.
//! Errors cross IPC as `{code, message}` (see `golive_core::Error`'s `Serialize`).

use golive_core::checks::{CheckEvent, Report};
use golive_core::dns::auto::{AutoApplied, AutoPlan};
use golive_core::dns::matrix::{DnsEvent, WatchPace};
use golive_core::engine::Engine;
use golive_core::framework::{Framework, FrameworkInfo};
use golive_core::project::{Project, ProjectInput, VercelLink};
use golive_core::report::ReportFormat;
use golive_core::secrets::{SecretKind, SecretStatus};
use golive_core::steps::clerk::{checklist, ChecklistItem, ClerkApp, ProductionCreated};
use golive_core::steps::hosting::{DeployEvent, EnvPlan, FollowPace, HostingDomain};
use golive_core::steps::sso::{SsoForm, SsoOverview};
use golive_core::steps::supabase::SupabaseTrust;
use golive_core::vendors::clerk::platform::DomainStatus;
use golive_core::vendors::oauth::{ProbeResult, ProviderId};
use golive_core::vendors::vercel::deployments::Deployment;
use golive_core::vendors::vercel::projects::ProjectPage;
use golive_core::Error;
use tauri::ipc::Channel;
use tauri::{AppHandle, Runtime, State};

type Res<T> = Result<T, Error>;

#[tauri::command]
pub fn list_frameworks() -> Vec<FrameworkInfo> {
    Framework::ALL.iter().map(|f| f.info()).collect()
}

#[tauri::command]
pub async fn list_projects(engine: State<'_, Engine>) -> Res<Vec<Project>> {
    engine.list_projects()
}

#[tauri::command]
pub async fn create_project(engine: State<'_, Engine>, input: ProjectInput) -> Res<Project> {
    engine.create_project(input)
}

#[tauri::command]
pub async fn update_project(
    engine: State<'_, Engine>,
    project_id: String,
    input: ProjectInput,
) -> Res<Project> {
    engine.update_project(&project_id, input)
}

#[tauri::command]
pub async fn delete_project(engine: State<'_, Engine>, project_id: String) -> Res<()> {
    engine.delete_project(&project_id)
}

#[tauri::command]
pub async fn set_publishable_key(
    engine: State<'_, Engine>,
    project_id: String,
    value: String,
) -> Res<Project> {
    engine.set_publishable_key(&project_id, &value)
}

/// Takes a secret in; only its status ever comes back out.
#[tauri::command]
pub async fn set_secret(
    engine: State<'_, Engine>,
    project_id: String,
    kind: SecretKind,
    value: String,
) -> Res<SecretStatus> {
    engine.set_secret(&project_id, kind, &value)
}

#[tauri::command]
pub async fn forget_secret(
    engine: State<'_, Engine>,
    project_id: String,
    kind: SecretKind,
) -> Res<SecretStatus> {
    engine.forget_secret(&project_id, kind)
}

#[tauri::command]
pub async fn secret_status(
    engine: State<'_, Engine>,
    project_id: String,
    kind: SecretKind,
) -> Res<SecretStatus> {
    engine.secret_status(&project_id, kind)
}

#[tauri::command]
pub async fn clerk_applications(
    engine: State<'_, Engine>,
    project_id: String,
) -> Res<Vec<ClerkApp>> {
    engine.clerk_applications(&project_id).await
}

#[tauri::command]
pub async fn clerk_create_production(
    engine: State<'_, Engine>,
    project_id: String,
    app_id: String,
) -> Res<ProductionCreated> {
    engine.clerk_create_production(&project_id, &app_id).await
}

#[tauri::command]
pub async fn clerk_domain_status(
    engine: State<'_, Engine>,
    project_id: String,
    recheck: bool,
) -> Res<DomainStatus> {
    engine.clerk_domain_status(&project_id, recheck).await
}

#[tauri::command]
pub fn clerk_checklist() -> Vec<ChecklistItem> {
    checklist()
}

#[tauri::command]
pub async fn set_checklist_item(
    engine: State<'_, Engine>,
    project_id: String,
    item: String,
    done: bool,
) -> Res<Project> {
    engine.set_checklist_item(&project_id, &item, done)
}

#[tauri::command]
pub async fn set_supabase_project(
    engine: State<'_, Engine>,
    project_id: String,
    value: String,
) -> Res<Project> {
    engine.set_supabase_project(&project_id, &value)
}

#[tauri::command]
pub async fn supabase_trust(engine: State<'_, Engine>, project_id: String) -> Res<SupabaseTrust> {
    engine.supabase_trust(&project_id).await
}

#[tauri::command]
pub async fn supabase_add_issuer(
    engine: State<'_, Engine>,
    project_id: String,
) -> Res<SupabaseTrust> {
    engine.supabase_add_issuer(&project_id).await
}

/// Streams the DNS plan, then each record × server answer as it arrives.
#[tauri::command]
pub async fn dns_probe(
    engine: State<'_, Engine>,
    project_id: String,
    on_event: Channel<DnsEvent>,
) -> Res<()> {
    engine
        .dns_probe(&project_id, |event| {
            let _ = on_event.send(event);
        })
        .await
}

/// Re-checks DNS (the same events as `dns_probe`, round after round) until every record
/// has propagated — then a desktop notification says so — or `dns_watch_stop` is called.
#[tauri::command]
pub async fn dns_watch<R: Runtime>(
    app: AppHandle<R>,
    engine: State<'_, Engine>,
    project_id: String,
    on_event: Channel<DnsEvent>,
) -> Res<bool> {
    use tauri_plugin_notification::NotificationExt;
    let project = engine.project(&project_id)?;
    let propagated = engine
        .dns_watch(&project_id, WatchPace::default(), |event| {
            let _ = on_event.send(event);
        })
        .await?;
    if propagated {
        // Best effort: a desktop without a notification service still sees it in the window.
        let _ = app
            .notification()
            .builder()
            .title("DNS has propagated")
            .body(format!(
                "Every record for {} answers as planned everywhere.",
                project.domain
            ))
            .show();
    }
    Ok(propagated)
}

/// The dry run of automatic records: what would be created, what is right, what is in the way.
#[tauri::command]
pub async fn dns_auto_plan(engine: State<'_, Engine>, project_id: String) -> Res<AutoPlan> {
    engine.dns_auto_plan(&project_id).await
}

/// Creates the missing records; `confirmed` names the conflicting records to replace.
#[tauri::command]
pub async fn dns_auto_apply(
    engine: State<'_, Engine>,
    project_id: String,
    confirmed: Vec<String>,
) -> Res<AutoApplied> {
    engine.dns_auto_apply(&project_id, &confirmed).await
}

#[tauri::command]
pub async fn vercel_projects(
    engine: State<'_, Engine>,
    project_id: String,
    team_id: Option<String>,
    search: String,
    from: Option<String>,
) -> Res<ProjectPage> {
    engine
        .vercel_projects(&project_id, team_id.as_deref(), &search, from.as_deref())
        .await
}

#[tauri::command]
pub async fn set_vercel_project(
    engine: State<'_, Engine>,
    project_id: String,
    link: Option<VercelLink>,
) -> Res<Project> {
    engine.set_vercel_project(&project_id, link)
}

#[tauri::command]
pub async fn hosting_domain(engine: State<'_, Engine>, project_id: String) -> Res<HostingDomain> {
    engine.hosting_domain(&project_id).await
}

#[tauri::command]
pub async fn hosting_add_domain(
    engine: State<'_, Engine>,
    project_id: String,
) -> Res<HostingDomain> {
    engine.hosting_add_domain(&project_id).await
}

#[tauri::command]
pub async fn hosting_verify_domain(
    engine: State<'_, Engine>,
    project_id: String,
) -> Res<HostingDomain> {
    engine.hosting_verify_domain(&project_id).await
}

/// The dry run of the env migration; values never cross IPC, only keys, targets and actions.
#[tauri::command]
pub async fn hosting_env_plan(engine: State<'_, Engine>, project_id: String) -> Res<EnvPlan> {
    engine.hosting_env_plan(&project_id).await
}

#[tauri::command]
pub async fn hosting_env_apply(engine: State<'_, Engine>, project_id: String) -> Res<EnvPlan> {
    engine.hosting_env_apply(&project_id).await
}

/// Redeploys production and streams the deployment's state until it is live or failed.
#[tauri::command]
pub async fn hosting_redeploy(
    engine: State<'_, Engine>,
    project_id: String,
    on_event: Channel<DeployEvent>,
) -> Res<Deployment> {
    engine
        .hosting_redeploy(&project_id, FollowPace::default(), |event| {
            let _ = on_event.send(event);
        })
        .await
}

#[tauri::command]
pub async fn sso_overview(engine: State<'_, Engine>, project_id: String) -> Res<SsoOverview> {
    engine.sso_overview(&project_id).await
}

/// Takes a provider's credentials in; the secret goes to the keychain and never comes back.
#[tauri::command]
pub async fn sso_save(
    engine: State<'_, Engine>,
    project_id: String,
    form: SsoForm,
) -> Res<Project> {
    engine.sso_save(&project_id, form)
}

#[tauri::command]
pub async fn sso_import_google(
    engine: State<'_, Engine>,
    project_id: String,
    json: String,
) -> Res<Project> {
    engine.sso_import_google(&project_id, &json)
}

#[tauri::command]
pub async fn sso_probe(
    engine: State<'_, Engine>,
    project_id: String,
    provider: ProviderId,
) -> Res<ProbeResult> {
    engine.sso_probe(&project_id, provider).await
}

#[tauri::command]
pub async fn sso_push(
    engine: State<'_, Engine>,
    project_id: String,
    provider: ProviderId,
) -> Res<()> {
    engine.sso_push(&project_id, provider).await
}

#[tauri::command]
pub async fn set_dev_publishable_key(
    engine: State<'_, Engine>,
    project_id: String,
    value: String,
) -> Res<Project> {
    engine.set_dev_publishable_key(&project_id, &value)
}

#[tauri::command]
pub fn dns_watch_stop(engine: State<'_, Engine>, project_id: String) {
    engine.dns_watch_stop(&project_id);
}

/// Asks where to save the zone file (a native dialog, so the web view never names a path),
/// then writes it. `None` when the user cancelled.
#[tauri::command]
pub async fn export_zone<R: Runtime>(
    app: AppHandle<R>,
    engine: State<'_, Engine>,
    project_id: String,
) -> Res<Option<String>> {
    use tauri_plugin_dialog::DialogExt;
    let project = engine.project(&project_id)?;
    let (tx, rx) = tokio::sync::oneshot::channel();
    app.dialog()
        .file()
        .set_title("Save the DNS records")
        .set_file_name(format!("{}.zone", project.domain))
        .add_filter("Zone file", &["zone", "txt"])
        .save_file(move |path| {
            let _ = tx.send(path);
        });
    let Some(path) = rx.await.ok().flatten().and_then(|p| p.into_path().ok()) else {
        return Ok(None);
    };
    engine.export_zone(&project_id, &path).await?;
    Ok(Some(path.display().to_string()))
}

/// Stops the project's running checks (their call ends with `checks_cancelled`).
#[tauri::command]
pub fn cancel_checks(engine: State<'_, Engine>, project_id: String) {
    engine.cancel_checks(&project_id);
}

/// Asks where to save the report (native dialog), then writes it as Markdown or JSON.
/// `None` when the user cancelled.
#[tauri::command]
pub async fn export_report<R: Runtime>(
    app: AppHandle<R>,
    engine: State<'_, Engine>,
    project_id: String,
    report: Report,
    format: ReportFormat,
) -> Res<Option<String>> {
    use tauri_plugin_dialog::DialogExt;
    let project = engine.project(&project_id)?;
    let (tx, rx) = tokio::sync::oneshot::channel();
    let ext = format.extension();
    app.dialog()
        .file()
        .set_title("Save the report")
        .set_file_name(format!("golive-{}.{ext}", project.domain))
        .add_filter(if ext == "md" { "Markdown" } else { "JSON" }, &[ext])
        .save_file(move |path| {
            let _ = tx.send(path);
        });
    let Some(path) = rx.await.ok().flatten().and_then(|p| p.into_path().ok()) else {
        return Ok(None);
    };
    engine.export_report(&project_id, &report, format, &path)?;
    Ok(Some(path.display().to_string()))
}

/// Streams each check's result over `on_event` as it finishes; returns the full report.
/// `step` limits the run to one step's checks (e.g. `"clerk"`).
#[tauri::command]
pub async fn run_checks(
    engine: State<'_, Engine>,
    project_id: String,
    step: Option<String>,
    on_event: Channel<CheckEvent>,
) -> Res<Report> {
    engine
        .run_checks(&project_id, step.as_deref(), |event| {
            // A closed channel means the view went away; the run still completes.
            let _ = on_event.send(event);
        })
        .await
}
