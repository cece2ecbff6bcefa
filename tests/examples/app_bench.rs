//! Desktop app benchmark (informational; prints figures, asserts nothing). Needs a display
//! (Xvfb), a D-Bus session and tauri-driver, as the e2e tests do; scripts/test.sh runs it.
//!   cargo run -p golive-sandbox --example app_bench
//! The app is the release build when there is one (scripts/package.sh makes
//! target/release/golive-desktop), else the debug build;
//! `GOLIVE_APP_BIN` overrides. Measures:
//! 1. cold start to the first interactive screen: from asking tauri-driver for a session (it
//!    starts WebKitWebDriver, which starts the app) until the welcome screen, whose content
//!    needs the first IPC answer, is on screen; 5 starts;
//! 2. idle memory 10 s after that screen: the app process and its WebKit processes (PSS,
//!    which shares libraries fairly, and RSS).

#[allow(dead_code)] // the e2e client; this uses part of it
#[path = "../tests/it/common/webdriver.rs"]
mod webdriver;

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use golive_sandbox::{Sandbox, Scenario};

const STARTS: usize = 5;

fn app_binary() -> PathBuf {
    if let Some(bin) = std::env::var_os("GOLIVE_APP_BIN") {
        return bin.into();
    }
    let target = Path::new(env!("CARGO_MANIFEST_DIR")).join("../target");
    let release = target.join("release/golive-desktop");
    if release.exists() {
        release
    } else {
        target.join("debug/golive-app")
    }
}

/// `(pid, parent pid, command name)` of every process.
fn processes() -> Vec<(u32, u32, String)> {
    let mut all = vec![];
    for entry in std::fs::read_dir("/proc").unwrap().flatten() {
        let Ok(pid) = entry.file_name().to_string_lossy().parse::<u32>() else {
            continue;
        };
        let Ok(stat) = std::fs::read_to_string(entry.path().join("stat")) else {
            continue;
        };
        // "pid (comm) state ppid …": comm may hold spaces, so split at the last ')'.
        let (Some(open), Some(close)) = (stat.find('('), stat.rfind(')')) else {
            continue;
        };
        let comm = stat[open + 1..close].to_string();
        let ppid = stat[close + 2..]
            .split(' ')
            .nth(1)
            .and_then(|p| p.parse().ok())
            .unwrap_or(0);
        all.push((pid, ppid, comm));
    }
    all
}

/// The kB of `field` (Pss, Rss) in the process's smaps_rollup.
fn kb(pid: u32, field: &str) -> u64 {
    std::fs::read_to_string(format!("/proc/{pid}/smaps_rollup"))
        .unwrap_or_default()
        .lines()
        .find(|l| l.starts_with(&format!("{field}:")))
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|v| v.parse().ok())
        .unwrap_or(0)
}

/// The app's process and everything it started (WebKit's web and network processes).
fn app_tree(app_name: &str) -> Vec<(u32, String)> {
    let all = processes();
    let Some(root) = all.iter().find(|(_, _, c)| c == app_name) else {
        return vec![];
    };
    let mut tree = vec![(root.0, root.2.clone())];
    let mut i = 0;
    while i < tree.len() {
        let parent = tree[i].0;
        tree.extend(
            all.iter()
                .filter(|(_, ppid, _)| *ppid == parent)
                .map(|(pid, _, c)| (*pid, c.clone())),
        );
        i += 1;
    }
    tree
}

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

#[tokio::main]
async fn main() {
    let bin = app_binary();
    assert!(bin.exists(), "no app at {}: build it first", bin.display());
    let sandbox = Sandbox::start(Scenario::named("fresh").unwrap())
        .await
        .unwrap();
    let scratch = tempfile::tempdir().unwrap();
    let port = webdriver::free_port();
    let mut driver = Command::new("tauri-driver")
        .args([
            "--port",
            &port.to_string(),
            "--native-port",
            &webdriver::free_port().to_string(),
        ])
        .envs(sandbox.env())
        .env("GOLIVE_CONFIG_DIR", scratch.path().join("config"))
        .env("XDG_DATA_HOME", scratch.path().join("data"))
        .env("XDG_CACHE_HOME", scratch.path().join("cache"))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("tauri-driver is installed");
    let url = format!("http://127.0.0.1:{port}");
    while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
        tokio::time::sleep(Duration::from_millis(50)).await;
    }

    let mut starts = vec![];
    let mut memory = None;
    for n in 0..STARTS {
        let started = Instant::now();
        let s = webdriver::Session::start(&url, &bin.to_string_lossy())
            .await
            .expect("a session of the app");
        s.wait_text("main", "Take your Clerk app live").await;
        starts.push(started.elapsed());
        if n == STARTS - 1 {
            tokio::time::sleep(Duration::from_secs(10)).await;
            let name: String = bin
                .file_name()
                .unwrap()
                .to_string_lossy()
                .chars()
                .take(15) // the kernel keeps 15 characters of a command's name
                .collect();
            let tree = app_tree(&name);
            let sum = |f: &str| tree.iter().map(|(p, _)| kb(*p, f)).sum::<u64>();
            let app_only = tree.first().map(|(p, _)| kb(*p, "Pss")).unwrap_or(0);
            memory = Some((tree.len(), app_only, sum("Pss"), sum("Rss")));
        }
        s.end().await;
        tokio::time::sleep(Duration::from_millis(500)).await;
    }
    let _ = driver.kill();
    let _ = driver.wait();

    println!("Desktop app ({}):", bin.display());
    println!(
        "  cold start to the first interactive screen: median {} ms, best {} ms  (starts: {})",
        median(starts.clone()).as_millis(),
        starts.iter().min().unwrap().as_millis(),
        starts
            .iter()
            .map(|d| format!("{} ms", d.as_millis()))
            .collect::<Vec<_>>()
            .join(", ")
    );
    if let Some((processes, app_pss, pss, rss)) = memory {
        println!(
            "  idle memory after 10 s: {:.1} MiB PSS in {processes} processes (the app itself {:.1} MiB; WebKit the rest), {:.1} MiB RSS",
            pss as f64 / 1024.0,
            app_pss as f64 / 1024.0,
            rss as f64 / 1024.0
        );
    }
}
