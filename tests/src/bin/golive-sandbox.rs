//! Starts the sandbox on loopback and prints the variables that point Golive at it:
//!   golive-sandbox --scenario live --env-file /tmp/golive.env &
//!   . /tmp/golive.env && golive check --domain quillmate.test
//! `--with-keys` adds the scenario's keys (and the platform key). The scenario can be
//! switched while it runs: `curl -X POST $SANDBOX/__sandbox/scenario/live`.
//! It runs until interrupted.

use golive_sandbox::{Sandbox, Scenario};

fn usage() -> ! {
    eprintln!(
        "usage: golive-sandbox [--scenario NAME] [--env-file PATH] [--with-keys]\nscenarios: {}",
        Scenario::ALL.join(", ")
    );
    std::process::exit(2);
}

#[tokio::main]
async fn main() {
    let mut scenario = "live".to_string();
    let mut env_file = None;
    let mut with_keys = false;
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        match a.as_str() {
            "--scenario" => scenario = args.next().unwrap_or_else(|| usage()),
            "--env-file" => env_file = Some(args.next().unwrap_or_else(|| usage())),
            "--with-keys" => with_keys = true,
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
    let text: String = vars
        .iter()
        .map(|(k, v)| format!("export {k}={v}\n"))
        .collect();
    match env_file {
        Some(path) => std::fs::write(&path, &text).expect("write the env file"),
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
