//! Thin adapters: each command forwards to `golive_core::engine::Engine`. Most are generated
//! from the table in command_table.rs; the few that need the app are written below.
//! Errors cross IPC as `{code, message}` (see `golive_core::Error`'s `Serialize`).
//! Commands reach the engine through `Ready`, which refuses every one of them with the
//! configuration error when the engine could not be built.

use golive_core::checks::{CheckEvent, Report};
use golive_core::config::Override;
use golive_core::dns::auto::{AutoApplied, AutoPlan};
use golive_core::dns::matrix::{DnsEvent, WatchPace};
use golive_core::engine::Engine;
use golive_core::forget::Forgotten;
use golive_core::framework::{Framework, FrameworkInfo};
use golive_core::layout::{Layout, LayoutSettings};
use golive_core::project::{
    CloudflareLink, NetlifyLink, Project, ProjectInput, RenderLink, VercelLink,
};
use golive_core::provider::ProviderId;
use golive_core::report::ReportFormat;
use golive_core::secrets::{SecretKind, SecretStatus};
use golive_core::steps::clerk::{checklist, ChecklistItem, ClerkApp, ProductionCreated};
use golive_core::steps::hosting::env_plan::EnvPlan;
use golive_core::steps::hosting::{DeployEvent, FollowPace, HostingDomain};
use golive_core::steps::launch::settings::LaunchSettings;
use golive_core::steps::sso::{SsoForm, SsoOverview};
use golive_core::steps::supabase::SupabaseTrust;
use golive_core::vendors::clerk::platform::DomainStatus;
use golive_core::vendors::netlify::sites::NetlifySitePage;
use golive_core::vendors::oauth::token_probe::ProbeResult;
use golive_core::vendors::render::services::RenderServicePage;
use golive_core::vendors::vercel::deployments::Deployment;
use golive_core::vendors::vercel::projects::ProjectPage;
use golive_core::{Error, ErrorPayload};
use tauri::ipc::{Channel, CommandArg, CommandItem, InvokeError, IpcResponse};
use tauri::{AppHandle, Runtime, State};

use crate::updater::{self, About, UpdateCheck, UpdateEvent, Updates};

type Res<T> = Result<T, Error>;

/// The app's engine, or why it could not be built (a bad `GOLIVE_*` variable): the window
/// opens either way, and shows that error instead of running anything.
pub struct Startup(Result<Engine, ErrorPayload>);

impl From<golive_core::Result<Engine>> for Startup {
    fn from(engine: golive_core::Result<Engine>) -> Self {
        Startup(engine.map_err(|e| e.payload()))
    }
}

/// The engine, as a command argument: a command cannot run without one, and answers with
/// the configuration error instead.
pub struct Ready<'r>(&'r Engine);

impl std::ops::Deref for Ready<'_> {
    type Target = Engine;

    fn deref(&self) -> &Engine {
        self.0
    }
}

impl<'r, 'de: 'r, R: Runtime> CommandArg<'de, R> for Ready<'r> {
    fn from_command(command: CommandItem<'de, R>) -> Result<Self, InvokeError> {
        match &State::<'r, Startup>::from_command(command)?.inner().0 {
            Ok(engine) => Ok(Ready(engine)),
            Err(error) => Err(InvokeError::from(error.clone())),
        }
    }
}

/// Declares each `engine` entry of the table as a `#[tauri::command]` (private, so Tauri's
/// hidden per-command macros stay in this module), and registers them with the `custom` ones.
macro_rules! adapters {
    (
        engine { $(
            $(#[$doc:meta])*
            $name:ident ($($arg:ident: $ty:ty),* $(,)?) -> $answer:ty => |$engine:ident| $body:expr;
        )* }
        custom { $(
            $(#[$custom_doc:meta])*
            $custom:ident ($($custom_arg:ident: $custom_ty:ty),* $(,)?) -> $custom_answer:ty;
        )* }
    ) => {
        $(
            $(#[$doc])*
            #[tauri::command]
            async fn $name($engine: Ready<'_>, $($arg: $ty),*) -> Res<$answer> {
                $body
            }
        )*

        /// The invoke handler for every command in the table.
        pub fn handler<R: Runtime>() -> impl Fn(tauri::ipc::Invoke<R>) -> bool + Send + Sync + 'static {
            tauri::generate_handler![$($name,)* $($custom,)*]
        }

        /// Every command's name, for the tests that hold registration and grants to the table.
        #[cfg(test)]
        pub const COMMANDS: &[&str] = &[$(stringify!($name),)* $(stringify!($custom),)*];
    };
}

with_commands!(adapters);

/// Sends each event down the channel. A closed channel means the view went away; the work
/// still completes.
fn forward<T: IpcResponse>(channel: &Channel<T>) -> impl Fn(T) + '_ {
    move |event| {
        let _ = channel.send(event);
    }
}

/// Re-checks DNS (the same events as `dns_matrix`, round after round) until every record
/// has propagated — then a desktop notification says so — or `dns_watch_stop` is called.
#[tauri::command]
async fn dns_watch<R: Runtime>(
    app: AppHandle<R>,
    engine: Ready<'_>,
    project_id: String,
    on_event: Channel<DnsEvent>,
) -> Res<bool> {
    use tauri_plugin_notification::NotificationExt;
    let project = engine.project(&project_id)?;
    let propagated = engine
        .dns_watch(&project_id, WatchPace::default(), forward(&on_event))
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

/// Asks where to save a file (a native dialog, so the web view never names a path); `None`
/// when the user cancelled.
async fn save_path<R: Runtime>(
    app: &AppHandle<R>,
    title: &str,
    file_name: String,
    filter: (&str, &[&str]),
) -> Option<std::path::PathBuf> {
    use tauri_plugin_dialog::DialogExt;
    let (tx, rx) = tokio::sync::oneshot::channel();
    app.dialog()
        .file()
        .set_title(title)
        .set_file_name(file_name)
        .add_filter(filter.0, filter.1)
        .save_file(move |path| {
            let _ = tx.send(path);
        });
    rx.await.ok().flatten().and_then(|p| p.into_path().ok())
}

/// Asks where to save the zone file, then writes it. `None` when the user cancelled.
#[tauri::command]
async fn export_zone<R: Runtime>(
    app: AppHandle<R>,
    engine: Ready<'_>,
    project_id: String,
) -> Res<Option<String>> {
    let project = engine.project(&project_id)?;
    let name = format!("{}.zone", project.domain);
    let Some(path) = save_path(
        &app,
        "Save the DNS records",
        name,
        ("Zone file", &["zone", "txt"]),
    )
    .await
    else {
        return Ok(None);
    };
    engine.export_zone(&project_id, &path).await?;
    Ok(Some(path.display().to_string()))
}

/// Asks where to save the project's last report, then writes it as Markdown or JSON. The
/// report is the engine's own (`Engine::last_report`), never one the web view hands in.
/// `None` when the user cancelled.
#[tauri::command]
async fn export_report<R: Runtime>(
    app: AppHandle<R>,
    engine: Ready<'_>,
    project_id: String,
    format: ReportFormat,
) -> Res<Option<String>> {
    let project = engine.project(&project_id)?;
    // Nothing to export: say so before asking where to save it.
    engine.last_report(&project_id)?;
    let ext = format.extension();
    let name = format!("golive-{}.{ext}", project.domain);
    let filter = (if ext == "md" { "Markdown" } else { "JSON" }, &[ext][..]);
    let Some(path) = save_path(&app, "Save the report", name, filter).await else {
        return Ok(None);
    };
    engine.export_report(&project_id, format, &path)?;
    Ok(Some(path.display().to_string()))
}

/// Opens the production instance's webhook dashboard in the browser, and answers only its
/// host: the link logs whoever opens it in, so it never reaches the web view.
#[tauri::command]
async fn open_webhook_dashboard<R: Runtime>(
    app: AppHandle<R>,
    engine: Ready<'_>,
    project_id: String,
) -> Res<String> {
    use tauri_plugin_opener::OpenerExt;
    let link = engine.webhook_dashboard(&project_id).await?;
    // The opener's error could quote the link: it is not passed on.
    app.opener()
        .open_url(link.url().expose(), None::<&str>)
        .map_err(|_| {
            Error::invalid(
                "browser_unavailable",
                "Golive could not open your browser. Open Webhooks in the Clerk dashboard \
                 (production instance) instead.",
            )
        })?;
    Ok(link.host)
}

/// Golive's version and where it looks for updates.
#[tauri::command]
async fn about<R: Runtime>(app: AppHandle<R>, engine: Ready<'_>) -> Res<About> {
    Ok(updater::about(&app, engine.endpoints()))
}

#[tauri::command]
async fn update_check<R: Runtime>(
    app: AppHandle<R>,
    engine: Ready<'_>,
    updates: State<'_, Updates>,
) -> Res<UpdateCheck> {
    updater::check(&app, engine.endpoints(), &updates).await
}

/// Downloads, verifies and installs the update `update_check` found, then restarts into it;
/// any failure leaves the running version as it was.
#[tauri::command]
async fn update_install<R: Runtime>(
    app: AppHandle<R>,
    _engine: Ready<'_>,
    updates: State<'_, Updates>,
    on_event: Channel<UpdateEvent>,
) -> Res<()> {
    let current = app.package_info().version.to_string();
    let (update, bytes) = updater::download(&updates, &current, forward(&on_event)).await?;
    updater::install(update, bytes, &current).await?;
    let _ = on_event.send(UpdateEvent::Installed);
    app.restart()
}

#[tauri::command]
async fn update_cancel(_engine: Ready<'_>, updates: State<'_, Updates>) -> Res<()> {
    updates.cancel();
    Ok(())
}
