//! DNS matrix benchmark (informational; prints figures, asserts nothing):
//!   cargo run -p golive-sandbox --example dns_bench
//! Every sandbox DNS answer is delayed by 150 ms. Measures (1) one query alone, (2) a full
//! round of 7 records × 6 servers through the probe primitive, (3) the DNS view's matrix
//! for Clerk's 5 records, and (4) the same round with one server that never answers.

use std::time::{Duration, Instant};

use golive_core::dns::query::{ask, Asker, QUERY_TIMEOUT};
use golive_sandbox::dns::{serve, Silent, View};
use golive_sandbox::{Sandbox, Scenario, DOMAIN};
use hickory_proto::rr::RecordType;

const DELAY_MS: u64 = 150;
const NAMES: [&str; 7] = [
    "clerk",
    "accounts",
    "clkmail",
    "clk._domainkey",
    "clk2._domainkey",
    "www",
    "api",
];

/// One probe round as the DNS view runs it: one asker per server, every question at once.
async fn round(servers: &[std::net::SocketAddr]) -> Duration {
    let started = Instant::now();
    let askers: Vec<Asker> = servers.iter().map(|s| Asker::new(*s)).collect();
    let queries = NAMES.iter().flat_map(|n| {
        askers
            .iter()
            .map(move |a| async move { a.ask(&format!("{n}.{DOMAIN}"), RecordType::CNAME).await })
    });
    futures::future::join_all(queries).await;
    started.elapsed()
}

#[tokio::main]
async fn main() {
    std::env::set_var("GOLIVE_SANDBOX_DNS_DELAY_MS", DELAY_MS.to_string());
    let sb = Sandbox::start(Scenario::named("all-good").unwrap())
        .await
        .unwrap();
    // Six servers: the authoritative one and five public resolvers.
    let mut servers = vec![sb.authoritative, sb.public[0], sb.public[1]];
    let mut keep = vec![];
    for _ in 0..3 {
        let (addr, server) = serve(
            sb.world.clone(),
            View::Public,
            Duration::from_millis(DELAY_MS),
        )
        .await
        .unwrap();
        servers.push(addr);
        keep.push(server);
    }

    // Warm-up, then the slowest of several single queries.
    round(&servers).await;
    let mut single = Duration::ZERO;
    for _ in 0..5 {
        let t = Instant::now();
        ask(servers[0], &format!("clerk.{DOMAIN}"), RecordType::CNAME).await;
        single = single.max(t.elapsed());
    }
    let mut rounds: Vec<Duration> = vec![];
    for _ in 0..5 {
        rounds.push(round(&servers).await);
    }
    rounds.sort();
    let median = rounds[rounds.len() / 2];

    let silent = Silent::bind().await.unwrap();
    let mut with_silent = servers.clone();
    with_silent[5] = silent.addr;
    let silent_round = round(&with_silent).await;

    println!("DNS matrix benchmark ({DELAY_MS} ms injected per answer)");
    println!(
        "  slowest single query:                     {:>6} ms",
        single.as_millis()
    );
    println!(
        "  round, 7 records x 6 servers (median of 5): {:>6} ms  = {:.2}x the slowest single query (goal <= 1.3x)",
        median.as_millis(),
        median.as_secs_f64() / single.as_secs_f64()
    );
    println!(
        "  same round, one server never answers:      {:>6} ms  (query timeout {} ms; goal: <= the timeout)",
        silent_round.as_millis(),
        QUERY_TIMEOUT.as_millis()
    );
}
