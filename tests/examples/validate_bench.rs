//! Validate-everything benchmark (informational; prints figures, asserts nothing):
//!   cargo run -p golive-sandbox --example validate_bench
//! Every sandbox DNS answer and HTTP response is delayed by 150 ms, as distant vendors and
//! resolvers would be. Measures, in one run:
//! 1. the whole validation as Golive runs it (all checks at once; median of 3),
//! 2. the critical path: the slowest chain (a check, after its prerequisite), each check
//!    timed alone (the layout, which every run learns first, counted once per chain),
//! 3. the same checks one after another inside Golive (the sum of 2's single timings),
//! 4. a baseline: the very DNS queries and HTTP requests of one validation, replayed one by
//!    one with `dig` and `curl` from a generated shell script.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::time::{Duration, Instant};

use golive_core::checks::{self, CheckContext, CheckEvent};
use golive_core::config::Endpoints;
use golive_core::context::RunContext;
use golive_core::inputs::Inputs;
use golive_sandbox::scenario::DEV_FRONTEND_API;
use golive_sandbox::{Probe, Sandbox, Scenario, DOMAIN};

const DELAY_MS: u64 = 150;

fn context(sb: &Sandbox) -> CheckContext {
    let endpoints = Endpoints::from_vars(sb.env()).unwrap();
    let mut vars = sb.key_env();
    vars.extend(sb.platform_key_env());
    CheckContext::new(RunContext::new(DOMAIN.into(), Inputs::from_vars(vars), endpoints).unwrap())
}

/// One run (of everything, or of one check) on a fresh context, so nothing is cached.
async fn timed(sb: &Sandbox, only: Option<&str>) -> (Duration, checks::Report) {
    let ctx = context(sb);
    let started = Instant::now();
    let report = checks::run_all(&ctx, only, |_: CheckEvent| {}).await;
    (started.elapsed(), report)
}

fn ms(d: Duration) -> String {
    format!("{} ms", d.as_millis())
}

/// The shell script that asks the same questions one at a time.
fn baseline_script(sb: &Sandbox, api_from: usize, probes_from: usize) -> (String, usize) {
    let mut script = String::from("set -u\n");
    let mut count = 0;
    for r in &sb.requests()[api_from..] {
        let mut line = format!("curl -s -o /dev/null -X {}", r.method);
        if let Some(auth) = &r.authorization {
            write!(line, " -H 'Authorization: {auth}'").unwrap();
        }
        if let Some(body) = &r.body {
            write!(line, " -H 'Content-Type: application/json' --data '{body}'").unwrap();
        } else if r.method == "POST" {
            line.push_str(" --data ''");
        }
        let query = r
            .query
            .as_ref()
            .map(|q| format!("?{q}"))
            .unwrap_or_default();
        writeln!(line, " 'http://{}{}{query}'", sb.clerk_api, r.path).unwrap();
        script.push_str(&line);
        count += 1;
    }
    for p in &sb.probes()[probes_from..] {
        match p {
            Probe::Dns {
                server,
                name,
                record_type,
            } => writeln!(
                script,
                "dig @{} -p {} +tries=1 +time=5 {name} {record_type} > /dev/null",
                server.ip(),
                server.port()
            )
            .unwrap(),
            Probe::Https { host, path } => {
                let at = if host == DEV_FRONTEND_API {
                    sb.dev_frontend
                } else if host.starts_with("clerk.") || host.starts_with("accounts.") {
                    sb.frontend
                } else {
                    sb.site
                };
                writeln!(
                    script,
                    "curl -s -o /dev/null --cacert {} --connect-to {host}:443:{}:{} 'https://{host}{path}'",
                    sb.ca_path().display(),
                    at.ip(),
                    at.port()
                )
                .unwrap()
            }
        }
        count += 1;
    }
    (script, count)
}

#[tokio::main]
async fn main() {
    // Read by the sandbox at start (DNS) and per request (HTTP).
    std::env::set_var("GOLIVE_SANDBOX_DNS_DELAY_MS", DELAY_MS.to_string());
    std::env::set_var("GOLIVE_SANDBOX_HTTP_DELAY_MS", DELAY_MS.to_string());
    let sb = Sandbox::start(Scenario::named("all-good").unwrap())
        .await
        .unwrap();

    // 1. The whole validation, three times; the third run's requests feed the baseline.
    let mut walls = vec![];
    let (mut api_from, mut probes_from) = (0, 0);
    let mut last = None;
    for _ in 0..3 {
        api_from = sb.requests().len();
        probes_from = sb.probes().len();
        let (wall, report) = timed(&sb, None).await;
        walls.push(wall);
        last = Some(report);
    }
    walls.sort();
    let wall = walls[1];
    let report = last.unwrap();
    let (script, questions) = baseline_script(&sb, api_from, probes_from);

    // 2 and 3. Each check alone. Every run first learns the layout (Clerk's domains: a
    // proxy changes where the handshake goes), once, shared by all its checks: a chain
    // counts it once.
    let layout = {
        let ctx = context(&sb);
        let started = Instant::now();
        ctx.layout().await;
        started.elapsed()
    };
    let mut alone = BTreeMap::new();
    for c in &report.checks {
        alone.insert(c.id.clone(), timed(&sb, Some(&c.id)).await.0);
    }
    let chain = |id: &str| {
        alone[id]
            + checks::prerequisites(id)
                .iter()
                // Only the prerequisites this layout lists (the apex has no `dns.app`).
                .filter_map(|p| alone.get(*p).map(|d| d.saturating_sub(layout)))
                .max()
                .unwrap_or_default()
    };
    let (slowest, critical) = alone
        .keys()
        .map(|id| (id.clone(), chain(id)))
        .max_by_key(|(_, d)| *d)
        .unwrap();
    let sequential: Duration = alone.values().sum();

    // 4. The baseline, sequentially with dig and curl.
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../target/bench");
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("validate-baseline.sh");
    std::fs::write(&path, &script).unwrap();
    let started = Instant::now();
    let status = std::process::Command::new("bash")
        .arg(&path)
        .status()
        .expect("bash, dig and curl are installed");
    let baseline = started.elapsed();

    let s = &report.summary;
    println!(
        "Validate everything, {} checks ({} pass, {} warn, {} fail, {} skip), {DELAY_MS} ms per DNS answer and HTTP response:",
        report.checks.len(),
        s.pass,
        s.warn,
        s.fail,
        s.skip
    );
    println!(
        "  Golive, all checks at once (median of 3): {}  (runs: {})",
        ms(wall),
        walls.iter().map(|w| ms(*w)).collect::<Vec<_>>().join(", ")
    );
    println!(
        "  the layout, learnt first by every run (Clerk's domains): {}",
        ms(layout)
    );
    println!(
        "  critical path, {slowest} alone with its prerequisite: {}  → wall / critical path = {:.2}",
        ms(critical),
        wall.as_secs_f64() / critical.as_secs_f64()
    );
    println!(
        "  Golive, the same checks one after another: {}  ({:.1}× the concurrent run)",
        ms(sequential),
        sequential.as_secs_f64() / wall.as_secs_f64()
    );
    println!(
        "  baseline: the same {questions} questions one by one with dig and curl: {}  ({:.1}× Golive){}",
        ms(baseline),
        baseline.as_secs_f64() / wall.as_secs_f64(),
        if status.success() { "" } else { "  [the script failed]" }
    );
    let mut slow: Vec<_> = alone.iter().collect();
    slow.sort_by_key(|(_, d)| std::cmp::Reverse(**d));
    let top: Vec<String> = slow
        .iter()
        .take(5)
        .map(|(id, d)| format!("{id} {}", ms(**d)))
        .collect();
    println!("  slowest checks alone: {}", top.join(", "));
}
