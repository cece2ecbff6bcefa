//! `projects.json` shared by processes: the app, a second app, the CLI. Each test starts this
//! very test binary again as the other process (`child_process`, told its role by `ROLE`).

use std::io::{BufRead, BufReader, Write};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use golive_core::framework::Framework;
use golive_core::project::{Hosting, ProjectInput, ProjectStore};

const ROLE: &str = "GOLIVE_TEST_STORE_ROLE";
const DIR: &str = "GOLIVE_TEST_STORE_DIR";
const PROJECT: &str = "GOLIVE_TEST_STORE_PROJECT";

/// The other process of the tests below; does nothing when run as a test of its own.
#[test]
fn child_process() {
    let Ok(role) = std::env::var(ROLE) else {
        return;
    };
    let store = ProjectStore::new(Path::new(&std::env::var(DIR).unwrap()));
    let id = std::env::var(PROJECT).unwrap();
    match role.as_str() {
        "tick" => {
            println!("ready");
            let mut go = String::new();
            std::io::stdin().read_line(&mut go).unwrap();
            tick(&store, &id, "child");
        }
        "save-forever" => {
            let counter_at_start = counter(&store, &id);
            let mut n = counter_at_start;
            loop {
                n += 1;
                store
                    .update_with(&id, |p| p.clerk_checklist = vec![n.to_string()])
                    .unwrap();
                if n == 1 + counter_at_start {
                    println!("ready");
                }
            }
        }
        other => panic!("no role {other}"),
    }
}

fn child(role: &str, dir: &Path, project: &str) -> Child {
    Command::new(std::env::current_exe().unwrap())
        .args(["child_process", "--exact", "--nocapture", "--quiet"])
        .env(ROLE, role)
        .env(DIR, dir)
        .env(PROJECT, project)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap()
}

/// Waits for the child's first "ready" line (a stuck child fails the test, not hangs it);
/// the rest of its output is drained in the background.
fn wait_ready(child: &mut Child) {
    let out = BufReader::new(child.stdout.take().unwrap());
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        for line in out.lines().map_while(Result::ok) {
            if line == "ready" {
                let _ = tx.send(());
            }
        }
    });
    rx.recv_timeout(Duration::from_secs(30))
        .expect("the child process got ready");
}

fn project(store: &ProjectStore) -> String {
    store
        .create(ProjectInput {
            name: "Quillmate".into(),
            domain: "quillmate.test".into(),
            hosting: Hosting::Vercel,
            framework: Framework::Nextjs,
        })
        .unwrap()
        .id
}

/// 25 modifications from 5 threads, each adding its own checklist item.
fn tick(store: &ProjectStore, id: &str, who: &str) {
    std::thread::scope(|s| {
        for t in 0..5 {
            s.spawn(move || {
                for i in 0..5 {
                    store
                        .update_with(id, |p| p.clerk_checklist.push(format!("{who}-{t}-{i}")))
                        .unwrap();
                }
            });
        }
    });
}

fn counter(store: &ProjectStore, id: &str) -> u64 {
    store
        .get(id)
        .unwrap()
        .clerk_checklist
        .first()
        .map_or(0, |n| n.parse().unwrap())
}

fn names_in(dir: &Path) -> Vec<String> {
    let mut names: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    names.sort();
    names
}

#[test]
fn fifty_modifications_from_two_processes_lose_none() {
    let dir = tempfile::tempdir().unwrap();
    let store = ProjectStore::new(dir.path());
    let id = project(&store);
    let mut other = child("tick", dir.path(), &id);
    wait_ready(&mut other);
    writeln!(other.stdin.take().unwrap(), "go").unwrap();
    tick(&store, &id, "parent");
    assert!(other.wait().unwrap().success(), "the child process failed");

    let mut ticked = store.get(&id).unwrap().clerk_checklist;
    ticked.sort();
    ticked.dedup();
    assert_eq!(ticked.len(), 50, "only these were kept: {ticked:?}");
    assert_eq!(store.notice(), None);
}

/// A writer killed at moments spread over its saves (before, inside and after the lock,
/// mid-write, mid-rename): the file is always the old or the new settings, whole, and the
/// next save clears the temp files it left.
#[test]
fn a_writer_killed_at_any_moment_leaves_the_old_or_the_new_settings() {
    let dir = tempfile::tempdir().unwrap();
    let store = ProjectStore::new(dir.path());
    let id = project(&store);
    let mut last = 0;
    for round in 0..40u64 {
        let mut writer = child("save-forever", dir.path(), &id);
        wait_ready(&mut writer);
        std::thread::sleep(Duration::from_micros(round * 997 % 5000));
        writer.kill().unwrap();
        writer.wait().unwrap();

        let text = std::fs::read(store.path()).unwrap();
        let file: serde_json::Value =
            serde_json::from_slice(&text).expect("whole JSON after a kill");
        let n: u64 = file["projects"][0]["clerkChecklist"][0]
            .as_str()
            .unwrap()
            .parse()
            .unwrap();
        assert!(n >= last.max(1), "round {round}: {n} after {last}");
        last = n;
    }
    // The lock of a killed writer is free: a normal save goes through, and tidies up.
    store.update_with(&id, |_| {}).unwrap();
    assert_eq!(counter(&store, &id), last);
    assert_eq!(
        names_in(dir.path()),
        ["projects.json", "projects.json.lock"]
    );
    assert_eq!(store.notice(), None);
}
