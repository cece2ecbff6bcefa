//! Sign-in rehearsal benchmark (informational; prints figures, asserts nothing):
//!   cargo run -p golive-sandbox --example rehearsal_bench
//! Every sandbox HTTP response is delayed by 150 ms, as distant vendors would be. Measures:
//! 1. the whole launch proof with the rehearsal, as Golive runs it (median of 3): create
//!    the user, sign in, the site and Supabase with the session, the clean-up, and the
//!    checks that need no user, all at once where they can be;
//! 2. its critical path: the slowest check alone (each on a fresh run, so each signs in
//!    again; a prerequisite runs while the sign-in does), plus the clean-up that must
//!    follow it;
//!
//! and their ratio (the goal: at most 1.3).

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use golive_core::checks::{self, CheckContext, CheckEvent, CheckStatus, Report};
use golive_core::config::Endpoints;
use golive_core::context::RunContext;
use golive_core::inputs::Inputs;
use golive_core::steps::launch::rehearsal::{Stage, StageState};
use golive_sandbox::{Sandbox, Scenario, DOMAIN};

const DELAY_MS: u64 = 150;

fn context(sb: &Sandbox) -> CheckContext {
    let mut vars = sb.env();
    vars.extend(sb.key_env());
    let endpoints = Endpoints::from_vars(vars.clone()).unwrap();
    CheckContext::rehearsing(
        RunContext::new(DOMAIN.into(), Inputs::from_vars(vars), endpoints).unwrap(),
    )
}

/// A run of `only` (a step or a check id): the time until `until` finished (the whole run
/// when `None`), the report, and how long the clean-up stage took.
async fn timed(sb: &Sandbox, only: &str, until: Option<&str>) -> (Duration, Report, Duration) {
    let ctx = context(sb);
    let started = Instant::now();
    let marks = Arc::new(Mutex::new((None, None, None)));
    let m = marks.clone();
    let report = checks::run_all(&ctx, Some(only), move |e| {
        let mut m = m.lock().unwrap();
        match e {
            CheckEvent::Finished { result } if Some(result.id.as_str()) == until => {
                m.0 = Some(started.elapsed())
            }
            CheckEvent::Stage { stage } if stage.stage == Stage::CleanUp => match stage.state {
                StageState::Running => m.1 = Some(started.elapsed()),
                _ => m.2 = Some(started.elapsed()),
            },
            _ => {}
        }
    })
    .await;
    let wall = started.elapsed();
    // A single check's run leaves its user to the clean-up on drop; let it land.
    drop(ctx);
    tokio::time::sleep(Duration::from_millis(4 * DELAY_MS)).await;
    let (at, cleanup_from, cleanup_to) = *marks.lock().unwrap();
    let cleanup = match (cleanup_from, cleanup_to) {
        (Some(a), Some(b)) => b - a,
        _ => Duration::ZERO,
    };
    (at.unwrap_or(wall), report, cleanup)
}

fn ms(d: Duration) -> String {
    format!("{} ms", d.as_millis())
}

#[tokio::main]
async fn main() {
    std::env::set_var("GOLIVE_SANDBOX_HTTP_DELAY_MS", DELAY_MS.to_string());
    let sb = Sandbox::start(Scenario::named("live").unwrap())
        .await
        .unwrap();

    let mut walls = vec![];
    let mut last = None;
    for _ in 0..3 {
        let (wall, report, cleanup) = timed(&sb, "launch", None).await;
        walls.push(wall);
        last = Some((report, cleanup));
    }
    walls.sort();
    let wall = walls[1];
    let (report, cleanup) = last.unwrap();
    let passed = report
        .checks
        .iter()
        .filter(|c| c.status == CheckStatus::Pass)
        .count();

    let mut alone = std::collections::BTreeMap::new();
    for c in report.checks.iter().filter(|c| c.id != "launch.cleanup") {
        alone.insert(c.id.clone(), timed(&sb, &c.id, Some(&c.id)).await.0);
    }
    let (slowest, longest) = alone
        .iter()
        .map(|(id, d)| (id.clone(), *d))
        .max_by_key(|(_, d)| *d)
        .unwrap();
    let critical = longest + cleanup;

    println!(
        "Sign-in rehearsal, {} checks ({passed} pass), {DELAY_MS} ms per HTTP response:",
        report.checks.len()
    );
    println!(
        "  Golive, the launch proof with the rehearsal (median of 3): {}  (runs: {})",
        ms(wall),
        walls.iter().map(|w| ms(*w)).collect::<Vec<_>>().join(", ")
    );
    println!(
        "  critical path: {slowest} alone ({}) + the clean-up ({}) = {}  → wall / critical path = {:.2}",
        ms(longest),
        ms(cleanup),
        ms(critical),
        wall.as_secs_f64() / critical.as_secs_f64()
    );
    let mut slow: Vec<_> = alone.iter().collect();
    slow.sort_by_key(|(_, d)| std::cmp::Reverse(**d));
    let top: Vec<String> = slow
        .iter()
        .map(|(id, d)| format!("{id} {}", ms(**d)))
        .collect();
    println!("  each check alone: {}", top.join(", "));
}
