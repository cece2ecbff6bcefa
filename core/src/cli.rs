//! The `golive` command line: the engine's headless face, for CI.
//!
//! Contract: `golive check --domain D [--json] [--project NAME] [--wait | --rehearse]` prints a
//! table, or with `--json` exactly one JSON object (with `--wait`, of the last round). Exit 0 =
//! no check failed, 1 = a check failed, 2 = bad usage or configuration (message on stderr),
//! 130 = interrupted (a rehearsal cleans up first).
//!
//! `golive forget --all | --project NAME` removes Golive's keychain entries and prints what it
//! removed (kinds and project names, never a value); exit 0, or 2 with a message on stderr.

use std::io::Write;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

use crate::checks::{self, CheckContext, CheckStatus, Report};
use crate::config::{self, Endpoints, Override};
use crate::context::RunContext;
use crate::error::{Error, Result};
use crate::inputs::Inputs;
use crate::project::ProjectStore;
use crate::secrets::KeyringStore;

#[derive(Parser)]
#[command(
    name = "golive",
    version,
    about = "Take a Clerk app from development to production, and prove it works."
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Run every check and report. Exit 0: nothing failed; 1: a check failed; 2: bad usage.
    #[command(after_help = INPUTS_HELP)]
    Check {
        /// Production domain of the app, the apex or a subdomain, e.g. quillmate.site or
        /// app.quillmate.site (defaults to the project's).
        #[arg(long)]
        domain: Option<String>,
        /// Clerk's production domain when it is a parent of --domain (sessions shared across
        /// its subdomains); detected from the publishable key and Clerk when not given.
        #[arg(long, value_name = "DOMAIN")]
        clerk_domain: Option<String>,
        /// Print one JSON object instead of a table.
        #[arg(long)]
        json: bool,
        /// Use a project saved in the Golive app, with its keychain entries.
        #[arg(long)]
        project: Option<String>,
        /// Re-check until nothing fails or warns (DNS propagating, certificates being
        /// issued, a build running), or until --timeout.
        #[arg(long)]
        wait: bool,
        /// With --wait: give up after this many seconds.
        #[arg(long, default_value_t = 900, value_name = "SECS")]
        timeout: u64,
        /// With --wait: seconds before the first re-check (doubling, up to 60).
        #[arg(long, default_value_t = 15, value_name = "SECS")]
        interval: u64,
        /// Also rehearse a sign-in on production: creates a throwaway user (tagged
        /// golive-rehearsal), signs it in, opens SITE_PROTECTED_PATH with its session, calls
        /// Supabase with it (SUPABASE_ANON_KEY), then revokes the session and deletes the user.
        #[arg(long, conflicts_with = "wait")]
        rehearse: bool,
    },
    /// Remove Golive's keychain entries (the projects and their settings stay).
    Forget {
        /// Every entry of every project (and, where the keychain can list them, those of
        /// projects no longer saved).
        #[arg(long, conflicts_with = "project", required_unless_present = "project")]
        all: bool,
        /// Only the entries of the project saved under this name.
        #[arg(long)]
        project: Option<String>,
    },
}

/// What `golive check --help` says about the inputs it reads without `--project`.
const INPUTS_HELP: &str = "\
Inputs without --project (environment variables; a check whose input is missing is skipped):
  CLERK_PUBLISHABLE_KEY (or any *_CLERK_PUBLISHABLE_KEY), CLERK_SECRET_KEY, CLERK_PLATFORM_API_KEY
  VERCEL_TOKEN, VERCEL_PROJECT, VERCEL_TEAM_ID
  SUPABASE_ACCESS_TOKEN, SUPABASE_PROJECT_REF, CLOUDFLARE_API_TOKEN
  HOSTING=cloudflare-pages or cloudflare-workers, with CLOUDFLARE_ACCOUNT_ID and CLOUDFLARE_PROJECT
    (the Pages project's or the production Worker's name)
  SITE_PROTECTED_PATH (default /dashboard), SUPABASE_ANON_KEY, REHEARSAL_USER (id or email)
  OAUTH_<PROVIDER>_CLIENT_ID and OAUTH_<PROVIDER>_CLIENT_SECRET (Apple's: the .p8 file's path,
    with OAUTH_APPLE_TEAM_ID and OAUTH_APPLE_KEY_ID); OAUTH_MICROSOFT_SECRET_EXPIRES (YYYY-MM-DD)
  CLERK_WEBHOOK_URL             the production webhook endpoint (https:// on the domain or a
                                subdomain); without it and without a CLERK_WEBHOOK_SIGNING_SECRET
                                or WEBHOOK_SECRET variable on Vercel, the webhook checks skip
  CLERK_WEBHOOK_SIGNING_SECRET  the production endpoint's signing secret (whsec_...), compared
                                with what Vercel's production holds; never printed
  CLERK_PROXY_URL (or any *_CLERK_PROXY_URL)  the Frontend API proxy (https://<domain>/__clerk);
                                else Clerk's domain settings say whether there is one
  VERCEL_SATELLITE_PROJECTS     satellite=prj_... pairs, comma-separated: each satellite app's
                                Vercel project (satellites themselves are read from Clerk)
Vendor addresses: the GOLIVE_* variables (see the README).";

/// How `--wait` re-checks.
struct Wait {
    timeout: std::time::Duration,
    interval: std::time::Duration,
}

pub fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Check {
            domain,
            clerk_domain,
            json,
            project,
            wait,
            timeout,
            interval,
            rehearse,
        } => match run_check(
            domain,
            clerk_domain,
            project,
            json,
            wait.then_some(Wait {
                timeout: std::time::Duration::from_secs(timeout),
                interval: std::time::Duration::from_secs(interval.max(1)),
            }),
            rehearse,
        ) {
            Ok(Some(report)) => ExitCode::from(u8::from(report.failed())),
            Ok(None) => ExitCode::from(130),
            Err(e) => {
                eprintln!("golive: {e}");
                ExitCode::from(2)
            }
        },
        Command::Forget { project, .. } => match run_forget(project) {
            Ok(()) => ExitCode::SUCCESS,
            Err(e) => {
                eprintln!("golive: {e}");
                ExitCode::from(2)
            }
        },
    }
}

/// `forget --all` (no project) or `forget --project NAME`.
fn run_forget(project: Option<String>) -> Result<()> {
    let service = config::keychain_service();
    let store = ProjectStore::new(&config::config_dir()?);
    let keychain = KeyringStore::with_service(&service);
    let forgotten = match &project {
        Some(name) => crate::forget::forget_project(&store, &keychain, name),
        None => crate::forget::forget_all(&store, &keychain),
    };
    if let Some(notice) = store.notice() {
        eprintln!("golive: {}", notice.message);
    }
    let text = render_forgotten(&forgotten?, &service, project.is_none());
    // As for reports: a closed pipe is no failure of the removal.
    let _ = write!(std::io::stdout().lock(), "{text}");
    Ok(())
}

/// What `forget` removed, for people.
fn render_forgotten(f: &crate::forget::Forgotten, service: &str, all: bool) -> String {
    let mut s = match f.count() {
        0 => format!("No keychain entries to remove under the service \"{service}\".\n"),
        1 => format!("Removed 1 keychain entry under the service \"{service}\":\n"),
        n => format!("Removed {n} keychain entries under the service \"{service}\":\n"),
    };
    for e in &f.removed {
        let kinds: Vec<&str> = e.kinds.iter().map(|k| k.label()).collect();
        let project = match &e.project_name {
            Some(name) => name.clone(),
            None => format!("a project no longer saved ({})", e.project_id),
        };
        s += &format!("  {project}: {}\n", kinds.join(", "));
    }
    if all && !f.searched_unsaved {
        s +=
            "This keychain cannot list its entries, so only the saved projects' were looked for.\n";
    }
    s + "Your projects and their settings are kept.\n"
}

fn run_check(
    domain: Option<String>,
    clerk_domain: Option<String>,
    project: Option<String>,
    json: bool,
    wait: Option<Wait>,
    rehearse: bool,
) -> Result<Option<Report>> {
    let endpoints = Endpoints::from_env()?;
    // On stderr, so `--json` stdout stays one object; every run, so CI logs show it.
    for o in endpoints.overrides() {
        eprintln!("{}", override_warning(&o));
    }
    let (domain, inputs) = match project {
        Some(name) => {
            let store = ProjectStore::new(&config::config_dir()?);
            let found = store.find_by_name(&name);
            if let Some(notice) = store.notice() {
                eprintln!("golive: {}", notice.message);
            }
            let p = found?;
            let keychain = KeyringStore::with_service(config::keychain_service());
            let inputs = Inputs::from_project(&p, &keychain)?;
            (domain.unwrap_or(p.domain), inputs)
        }
        None => {
            let domain = domain.ok_or_else(|| {
                Error::Config(
                    "give the production domain with --domain, or a saved project with --project"
                        .into(),
                )
            })?;
            // A host Golive does not know is said, not checked as Vercel.
            if let Some(host) = std::env::var("HOSTING")
                .ok()
                .filter(|h| !h.trim().is_empty())
            {
                crate::project::Hosting::named(&host)?;
            }
            (domain, Inputs::from_vars(std::env::vars()))
        }
    };
    let inputs = inputs.with_clerk_domain(clerk_domain);
    // Whatever the vendors say back, none of the input secrets is printed.
    let redactor = inputs.redactor();
    let run = crate::domain::normalize(&domain)
        .and_then(|domain| RunContext::new(domain, inputs, endpoints))
        .map_err(|e| redactor.error(e))?;
    let runtime = tokio::runtime::Runtime::new()
        .map_err(|e| Error::Config(format!("could not start the async runtime: {e}")))?;
    if rehearse {
        // Inside the runtime: the rehearsal's clean-up may need it.
        let _guard = runtime.enter();
        let ctx = CheckContext::rehearsing(run);
        let Some(report) = runtime.block_on(rehearsal(&ctx)) else {
            return Ok(None);
        };
        print_report(&report, json, &redactor)?;
        return Ok(Some(report));
    }
    let ctx = CheckContext::new(run);
    let report = runtime.block_on(async {
        let started = tokio::time::Instant::now();
        let mut pause = wait.as_ref().map(|w| w.interval).unwrap_or_default();
        loop {
            let report = checks::run_all(&ctx, None, |_| {}).await;
            let Some(w) = &wait else { return report };
            let m = &report.summary;
            if m.fail == 0 && m.warn == 0 {
                return report;
            }
            if started.elapsed() + pause > w.timeout {
                eprintln!(
                    "golive: gave up after {} s: {} failed, {} warned",
                    started.elapsed().as_secs(),
                    m.fail,
                    m.warn
                );
                return report;
            }
            eprintln!(
                "golive: {} failed, {} warned; checking again in {} s",
                m.fail,
                m.warn,
                pause.as_secs()
            );
            tokio::time::sleep(pause).await;
            pause = (pause * 2).min(std::time::Duration::from_secs(60));
        }
    });
    print_report(&report, json, &redactor)?;
    Ok(Some(report))
}

/// A run with the rehearsal: its stages on stderr as they happen; Ctrl-C cleans up before
/// exiting (`None`).
async fn rehearsal(ctx: &CheckContext) -> Option<Report> {
    let run = checks::run_all(ctx, None, |e| {
        if let checks::CheckEvent::Stage { stage } = e {
            eprintln!(
                "golive: rehearsal: {:?} {:?} {}",
                stage.stage, stage.state, stage.detail
            );
        }
    });
    tokio::select! {
        report = run => Some(report),
        _ = tokio::signal::ctrl_c() => {
            if let Some(r) = &ctx.rehearsal {
                match r.clean_up().await {
                    Ok(done) => eprintln!("golive: interrupted; cleaned up: {done}"),
                    Err(f) => eprintln!("golive: interrupted; {} {}", f.detail, f.fix),
                }
            }
            None
        }
    }
}

fn print_report(report: &Report, json: bool, redactor: &crate::redact::Redactor) -> Result<()> {
    let text = if json {
        serde_json::to_string(report).map_err(|e| Error::Config(format!("report: {e}")))? + "\n"
    } else {
        render_table(report)
    };
    let mut out = std::io::stdout().lock();
    let written = write!(out, "{}", redactor.text(&text));
    // A closed pipe (e.g. `| head`) is not a failure of the checks.
    let _ = written;
    Ok(())
}

/// The line that says an address is not the real vendor's.
fn override_warning(o: &Override) -> String {
    format!(
        "golive: warning: not the real vendors: {}={} ({})",
        o.variable, o.address, o.what
    )
}

/// A plain table for people: one line a check, then the fixes of what didn't pass.
pub fn render_table(report: &Report) -> String {
    let mark = |s: CheckStatus| match s {
        CheckStatus::Pass => "PASS",
        CheckStatus::Warn => "WARN",
        CheckStatus::Fail => "FAIL",
        CheckStatus::Skip => "SKIP",
    };
    let report = &crate::report::printable_report(report);
    let width = report.checks.iter().map(|c| c.id.len()).max().unwrap_or(0);
    let mut s = format!(
        "Golive checks for {}\nLayout: {}\n\n",
        report.domain,
        crate::report::printable(&report.layout.describe())
    );
    for c in &report.checks {
        s += &format!("  {}  {:width$}  {}\n", mark(c.status), c.id, c.detail);
        if let Some(e) = &c.evidence {
            s += &format!("        {:width$}  expected: {}\n", "", e.expected);
            s += &format!("        {:width$}  found:    {}\n", "", e.actual);
        }
        if let Some(fix) = &c.fix {
            s += &format!("        {:width$}  fix: {fix}\n", "");
        }
    }
    let m = &report.summary;
    s += &format!(
        "\n{} passed, {} warned, {} failed, {} skipped\n",
        m.pass, m.warn, m.fail, m.skip
    );
    s
}
