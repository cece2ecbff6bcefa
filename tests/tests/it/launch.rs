//! The launch proof over real sockets: `golive check` proves the server's keys from the live
//! site's handshake; `golive check --rehearse` signs a throwaway user in on production, opens
//! the protected page and calls Supabase with its session, then removes what it made. Each
//! check passes in `live` and fails in the scenario meant for it; an interrupted rehearsal
//! leaves a user the next one removes, and nothing else; no session material is ever output.

use crate::common::{check, golive, sandbox, stdout_json};
use golive_core::checks::{self, CheckContext, CheckEvent, Report};
use golive_core::config::Endpoints;
use golive_core::context::RunContext;
use golive_core::inputs::Inputs;
use golive_core::steps::launch::rehearsal::Stage;
use golive_sandbox::clerk::accounts::{EXISTING_USER_EMAIL, EXISTING_USER_ID};
use golive_sandbox::{Sandbox, DOMAIN};
use serde_json::Value;

fn inputs(sb: &Sandbox, extra: &[(&str, &str)]) -> Vec<(String, String)> {
    let mut v = sb.env();
    v.extend(sb.key_env());
    v.extend(extra.iter().map(|(k, v)| (k.to_string(), v.to_string())));
    v
}

/// `golive check [--rehearse] --json`: the report, after proving that nothing the sandbox
/// handed out (keys, tickets, session tokens, cookies) is in stdout or stderr.
fn run(sb: &Sandbox, rehearse: bool, extra: &[(&str, &str)]) -> Value {
    let mut args = vec!["check", "--domain", DOMAIN, "--json"];
    if rehearse {
        args.push("--rehearse");
    }
    let out = golive(&args, &inputs(sb, extra));
    let (stdout, stderr) = (
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr),
    );
    for canary in sb.canaries() {
        assert!(!stdout.contains(&canary), "{canary} in stdout");
        assert!(!stderr.contains(&canary), "{canary} in stderr");
    }
    stdout_json(&out)
}

fn status<'a>(r: &'a Value, id: &str) -> &'a str {
    check(r, id)["status"].as_str().unwrap()
}

fn text(r: &Value, id: &str) -> String {
    let c = check(r, id);
    format!("{} | {} | {}", c["detail"], c["fix"], c["evidence"])
}

fn rehearsal_users(sb: &Sandbox) -> Vec<String> {
    sb.users()
        .into_iter()
        .filter(|u| u.external_id.as_deref() == Some("golive-rehearsal"))
        .map(|u| u.id)
        .collect()
}

#[tokio::test(flavor = "multi_thread")]
async fn a_rehearsal_proves_sign_in_end_to_end_and_leaves_production_as_it_was() {
    let sb = sandbox("live").await;
    let before: Vec<String> = sb.users().into_iter().map(|u| u.id).collect();
    let r = run(&sb, true, &[]);
    for id in [
        "site.handshake",
        "launch.sign_in",
        "site.protected",
        "site.session",
        "supabase.session",
        "launch.cleanup",
    ] {
        assert_eq!(status(&r, id), "pass", "{id}: {}", text(&r, id));
    }
    let ids: Vec<&str> = r["checks"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["id"].as_str().unwrap())
        .collect();
    assert_eq!(
        ids.last(),
        Some(&"launch.cleanup"),
        "the clean-up reports last"
    );
    // The evidence shows the token's claims, never the token.
    let claims = check(&r, "launch.sign_in")["evidence"]["actual"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(
        claims.contains("iss https://clerk.quillmate.test"),
        "{claims}"
    );
    assert!(claims.contains("role authenticated"), "{claims}");
    assert!(text(&r, "site.protected").contains("accounts.quillmate.test/sign-in"));

    let after: Vec<String> = sb.users().into_iter().map(|u| u.id).collect();
    assert_eq!(
        after, before,
        "the throwaway user is gone, the others untouched"
    );
    assert!(
        sb.sessions().iter().all(|s| s.status != "active"),
        "{:?}",
        sb.sessions()
    );
    assert_eq!(sb.sessions().len(), 1, "one sign-in");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_plain_check_proves_the_servers_keys_and_never_creates_a_user() {
    let sb = sandbox("live").await;
    let r = run(&sb, false, &[]);
    assert_eq!(
        status(&r, "site.handshake"),
        "pass",
        "{}",
        text(&r, "site.handshake")
    );
    assert!(text(&r, "site.handshake").contains("clerk.quillmate.test/v1/client/handshake"));
    for id in ["launch.sign_in", "site.session", "launch.cleanup"] {
        assert!(
            r["checks"]
                .as_array()
                .unwrap()
                .iter()
                .all(|c| c["id"] != id),
            "{id} without --rehearse"
        );
    }
    assert!(sb.requests().iter().all(|q| q.path != "/v1/users"));
    assert!(sb.sessions().is_empty());
}

#[tokio::test(flavor = "multi_thread")]
async fn each_launch_failure_fails_its_check_with_the_cause() {
    // (scenario, check, status, words the detail or fix must have)
    let cases: &[(&str, &str, &str, &str)] = &[
        ("server-dev-key", "site.handshake", "fail", "development"),
        ("server-dev-key", "site.session", "fail", "development"),
        (
            "server-other-instance",
            "site.handshake",
            "fail",
            "another instance",
        ),
        (
            "server-other-instance",
            "site.session",
            "fail",
            "jwk-kid-mismatch",
        ),
        (
            "no-role-claim",
            "supabase.session",
            "fail",
            "role: authenticated",
        ),
        (
            "supabase-rejects",
            "supabase.session",
            "fail",
            "Third-party Auth",
        ),
        (
            "rehearsal-user-refused",
            "launch.sign_in",
            "fail",
            "existing user",
        ),
        (
            "rehearsal-user-refused",
            "site.session",
            "skip",
            "launch.sign_in failed",
        ),
        ("bot-protection", "launch.sign_in", "pass", "signed in"),
    ];
    for scenario in [
        "server-dev-key",
        "server-other-instance",
        "no-role-claim",
        "supabase-rejects",
        "rehearsal-user-refused",
        "bot-protection",
    ] {
        let sb = sandbox(scenario).await;
        let r = run(&sb, true, &[]);
        for (_, id, want, words) in cases.iter().filter(|c| c.0 == scenario) {
            assert_eq!(status(&r, id), *want, "{scenario} {id}: {}", text(&r, id));
            assert!(
                text(&r, id).contains(words),
                "{scenario} {id}: {}",
                text(&r, id)
            );
        }
        assert_eq!(
            status(&r, "launch.cleanup"),
            "pass",
            "{scenario}: {}",
            text(&r, "launch.cleanup")
        );
        assert!(rehearsal_users(&sb).is_empty(), "{scenario} left a user");
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn an_instance_that_refuses_throwaway_users_rehearses_as_an_existing_one_and_keeps_it() {
    let sb = sandbox("rehearsal-user-refused").await;
    let r = run(&sb, true, &[("REHEARSAL_USER", EXISTING_USER_EMAIL)]);
    assert_eq!(
        status(&r, "launch.sign_in"),
        "pass",
        "{}",
        text(&r, "launch.sign_in")
    );
    assert!(text(&r, "launch.sign_in").contains(EXISTING_USER_ID));
    assert_eq!(
        status(&r, "site.session"),
        "pass",
        "{}",
        text(&r, "site.session")
    );
    assert_eq!(status(&r, "launch.cleanup"), "pass");
    assert!(
        sb.users().iter().any(|u| u.id == EXISTING_USER_ID),
        "the person's user stays"
    );
    assert!(sb.sessions().iter().all(|s| s.status != "active"));
}

fn rehearsing(sb: &Sandbox) -> CheckContext {
    let vars = inputs(sb, &[]);
    let run = RunContext::new(
        DOMAIN.into(),
        Inputs::from_vars(vars.clone()),
        Endpoints::from_vars(vars).unwrap(),
    )
    .unwrap();
    CheckContext::rehearsing(run)
}

/// One rehearsal in-process, with the sandbox's inputs; `killed`: the process dies right
/// after it, so nothing runs on drop.
pub async fn rehearse(sb: &Sandbox, killed: bool) -> Report {
    let ctx = rehearsing(sb);
    let report = checks::run_all(&ctx, Some("launch"), |_: CheckEvent| {}).await;
    if killed {
        std::mem::forget(ctx);
    }
    report
}

/// Cancelled as soon as its user exists (the window closed, Stop pressed), a rehearsal
/// still removes the user, in the background.
#[tokio::test(flavor = "multi_thread")]
async fn a_cancelled_rehearsal_cleans_up_after_itself() {
    let sb = sandbox("live").await;
    let ctx = rehearsing(&sb);
    let (tx, rx) = tokio::sync::oneshot::channel();
    let tx = std::sync::Mutex::new(Some(tx));
    let run = checks::run_all(&ctx, Some("launch"), |e| {
        if let CheckEvent::Stage { stage } = e {
            if stage.stage == Stage::SignIn {
                tx.lock().unwrap().take().map(|t| t.send(()));
            }
        }
    });
    tokio::select! {
        _ = run => panic!("the run finished before it was cancelled"),
        _ = rx => {}
    }
    assert_eq!(
        rehearsal_users(&sb).len(),
        1,
        "the user exists when cancelled"
    );
    drop(ctx);
    for _ in 0..100 {
        if rehearsal_users(&sb).is_empty() {
            return;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    panic!("the cancelled rehearsal left {:?}", rehearsal_users(&sb));
}

/// Killed after its 1st, 2nd, … write (the APIs stop answering, so even its own clean-up
/// cannot land), a rehearsal leaves at most its own user; the next one removes exactly that
/// user first, the person's users stay, and no session stays active.
#[tokio::test(flavor = "multi_thread")]
async fn an_interrupted_rehearsal_is_cleaned_up_by_the_next_and_nothing_else_is_touched() {
    // Writes: create user, sign-in token, sign-in, session token, revoke, delete.
    for k in 0..6 {
        let sb = sandbox("live").await;
        sb.world.lock().unwrap().rehearsal_write_budget = Some(k);
        let first = rehearse(&sb, true).await;
        let left = rehearsal_users(&sb);
        assert!(left.len() <= 1, "after {k} writes: {left:?}");
        assert_eq!(left.len(), usize::from(k >= 1), "after {k} writes");
        assert!(first.failed(), "after {k} writes the run reports it");

        sb.world.lock().unwrap().rehearsal_write_budget = None;
        let second = rehearse(&sb, false).await;
        let c = second
            .checks
            .iter()
            .find(|c| c.id == "launch.sign_in")
            .unwrap();
        assert!(!second.failed(), "after {k} writes: {:?}", second.checks);
        if k >= 1 {
            assert!(c.detail.contains("removed 1 user"), "{}", c.detail);
        }
        assert!(rehearsal_users(&sb).is_empty(), "after {k} writes");
        let ids: Vec<String> = sb.users().into_iter().map(|u| u.id).collect();
        assert_eq!(ids, [EXISTING_USER_ID], "after {k} writes");
        assert!(
            sb.sessions().iter().all(|s| s.status != "active"),
            "after {k} writes"
        );
    }
}

/// A secret key set by hand as Sensitive cannot be read back from Vercel; the live site's
/// handshake proves it instead, and only when the server really holds this instance's key.
#[tokio::test(flavor = "multi_thread")]
async fn the_sites_handshake_proves_a_secret_key_vercel_will_not_show() {
    use golive_sandbox::vercel::env::SK_VAR;
    for (scenario, want) in [("live", "pass"), ("server-other-instance", "warn")] {
        let sb = sandbox(scenario).await;
        for e in sb.world.lock().unwrap().vercel.envs.iter_mut() {
            if e.key == SK_VAR {
                // Set in Vercel's dashboard, not by Golive: no marker, value hidden.
                e.comment = None;
            }
        }
        let r = run(&sb, false, &[]);
        assert_eq!(
            status(&r, "vercel.env"),
            want,
            "{scenario}: {}",
            text(&r, "vercel.env")
        );
        if want == "pass" {
            assert!(
                text(&r, "vercel.env").contains("proved"),
                "{}",
                text(&r, "vercel.env")
            );
        }
    }
}
