//! Starts the sandbox on loopback and prints the variables that point Golive at it:
//!   golive-sandbox --scenario live --env-file /tmp/golive.env &
//!   . /tmp/golive.env && golive check --domain quillmate.test
//! `--with-keys` adds the scenario's keys (and the platform key). `--demo DIR` saves the demo
//! project, with those keys, in the settings directory DIR and the sandbox's own keychain
//! service, and adds both to the variables (what `scripts/start.sh --sandbox` opens). The
//! scenario can be switched while it runs: `curl -X POST $SANDBOX/__sandbox/scenario/live`.
//! It runs until interrupted.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use golive_core::config::Endpoints;
use golive_core::engine::Engine;
use golive_core::project::ProjectStore;
use golive_core::secrets::KeyringStore;
use golive_sandbox::demo::{self, SANDBOX_KEYCHAIN_SERVICE};
use golive_sandbox::{Sandbox, Scenario};

fn usage() -> ! {
    eprintln!(
        "usage: golive-sandbox [--scenario NAME] [--env-file PATH] [--with-keys] [--demo DIR]\n\
         scenarios: {}",
        Scenario::ALL.join(", ")
    );
    std::process::exit(2);
}

/// Seeds the demo project in `dir`; returns the variables that open it.
fn seed_demo(sandbox: &Sandbox, dir: &Path) -> golive_core::Result<Vec<(String, String)>> {
    let engine = Engine::new(
        ProjectStore::new(dir),
        Arc::new(KeyringStore::with_service(SANDBOX_KEYCHAIN_SERVICE)),
        Endpoints::from_vars(sandbox.env())?,
    )?;
    demo::seed(&engine, sandbox)?;
    Ok(vec![
        ("GOLIVE_CONFIG_DIR".into(), dir.display().to_string()),
        (
            "GOLIVE_KEYCHAIN_SERVICE".into(),
            SANDBOX_KEYCHAIN_SERVICE.into(),
        ),
    ])
}

#[tokio::main]
async fn main() {
    let mut scenario = "live".to_string();
    let mut env_file = None;
    let mut with_keys = false;
    let mut demo_dir: Option<PathBuf> = None;
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        match a.as_str() {
            "--scenario" => scenario = args.next().unwrap_or_else(|| usage()),
            "--env-file" => env_file = Some(args.next().unwrap_or_else(|| usage())),
            "--with-keys" => with_keys = true,
            "--demo" => demo_dir = Some(args.next().unwrap_or_else(|| usage()).into()),
            _ => usage(),
        }
    }
    let Some(scenario) = Scenario::named(&scenario) else {
        usage()
    };
    let sandbox = Sandbox::start(scenario).await.expect("start the sandbox");
    let mut vars = sandbox.env();
    if with_keys {
        vars.extend(sandbox.key_env());
        vars.extend(sandbox.platform_key_env());
    }
    if let Some(dir) = &demo_dir {
        match seed_demo(&sandbox, dir) {
            Ok(demo_vars) => vars.extend(demo_vars),
            Err(e) => {
                eprintln!("golive-sandbox: could not save the demo project: {e}");
                std::process::exit(1);
            }
        }
    }
    let text: String = vars
        .iter()
        // Single-quoted, so a directory with spaces survives `. FILE`.
        .map(|(k, v)| format!("export {k}='{}'\n", v.replace('\'', r"'\''")))
        .collect();
    match env_file {
        // Whole or not at all: scripts/start.sh reads it as soon as it exists.
        Some(path) => {
            let partial = format!("{path}.partial");
            std::fs::write(&partial, &text).expect("write the env file");
            std::fs::rename(&partial, &path).expect("write the env file");
        }
        None => print!("{text}"),
    }
    eprintln!(
        "golive-sandbox: scenario \"{}\" for {}: Clerk API on {}, Frontend API (HTTPS) on {}. \
         Ctrl-C to stop.",
        sandbox.scenario().name,
        golive_sandbox::DOMAIN,
        sandbox.clerk_api,
        sandbox.frontend
    );
    let _ = tokio::signal::ctrl_c().await;
}
