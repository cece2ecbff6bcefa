//! Checks: each proves one fact about the launch (a key, a record, a deployment) and says
//! how to fix it when it fails. All run concurrently; each result is streamed as it lands.

mod clerk;
mod dns;
mod home_page;
mod hosting;
mod launch;
mod site_csp;
mod sso;
mod supabase;
mod webhook;

use futures::future::BoxFuture;
use futures::stream::{FuturesUnordered, StreamExt};
use serde::{Deserialize, Serialize};
use tokio::sync::OnceCell;
use ts_rs::TS;

use home_page::HomePage;

use crate::context::RunContext;
use crate::dns::survey::{self, Survey};
use crate::layout::{Layout, Satellite};
use crate::steps::launch::rehearsal::{Rehearsal, Session, StageEvent};
use crate::steps::launch::site::{self, ServerKey};
use crate::vendors::clerk::platform::DomainStatus;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "lowercase")]
pub enum CheckStatus {
    Pass,
    Warn,
    Fail,
    Skip,
}

/// One line of the report; its JSON is part of the CLI contract.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct CheckResult {
    pub id: String,
    pub status: CheckStatus,
    pub title: String,
    pub detail: String,
    pub fix: Option<String>,
    /// What the check expected and what it found, where a comparison is the point.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub evidence: Option<Evidence>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Evidence {
    pub expected: String,
    pub actual: String,
}

/// What a check function returns; the runner adds the id and title.
#[derive(Debug, Clone)]
pub struct Outcome {
    status: CheckStatus,
    detail: String,
    fix: Option<String>,
    evidence: Option<Evidence>,
}

impl Outcome {
    pub fn pass(detail: impl Into<String>) -> Self {
        Outcome {
            status: CheckStatus::Pass,
            detail: detail.into(),
            fix: None,
            evidence: None,
        }
    }
    pub fn skip(reason: impl Into<String>) -> Self {
        Outcome {
            status: CheckStatus::Skip,
            detail: reason.into(),
            fix: None,
            evidence: None,
        }
    }
    pub fn warn(detail: impl Into<String>, fix: impl Into<String>) -> Self {
        Outcome {
            status: CheckStatus::Warn,
            detail: detail.into(),
            fix: Some(fix.into()),
            evidence: None,
        }
    }
    /// Says what was expected and what was found.
    pub fn evidence(mut self, expected: impl Into<String>, actual: impl Into<String>) -> Self {
        self.evidence = Some(Evidence {
            expected: expected.into(),
            actual: actual.into(),
        });
        self
    }
    /// For optional things: a failure becomes a warning.
    pub fn soften(mut self) -> Self {
        if self.status == CheckStatus::Fail {
            self.status = CheckStatus::Warn;
        }
        self
    }
    /// Adds context to the detail.
    pub fn note(mut self, note: &str) -> Self {
        self.detail = format!("{} ({note})", self.detail);
        self
    }
    pub fn fail(detail: impl Into<String>, fix: impl Into<String>) -> Self {
        Outcome {
            status: CheckStatus::Fail,
            detail: detail.into(),
            fix: Some(fix.into()),
            evidence: None,
        }
    }
}

/// Everything a check may read: the run's context, plus what several checks share (found
/// once per run by whichever needs it first; the others wait for it): the DNS survey, the
/// live site's home page and its answer to a returning visitor, and the rehearsal when one
/// was asked for.
pub struct CheckContext {
    run: RunContext,
    dns: OnceCell<Survey>,
    server_key: OnceCell<ServerKey>,
    clerk_status: OnceCell<Result<DomainStatus, Outcome>>,
    home_page: OnceCell<Result<HomePage, String>>,
    pub rehearsal: Option<Rehearsal>,
    stages: std::sync::Mutex<Option<tokio::sync::mpsc::UnboundedReceiver<StageEvent>>>,
}

impl CheckContext {
    pub fn new(run: RunContext) -> Self {
        CheckContext {
            run,
            dns: OnceCell::new(),
            server_key: OnceCell::new(),
            clerk_status: OnceCell::new(),
            home_page: OnceCell::new(),
            rehearsal: None,
            stages: std::sync::Mutex::new(None),
        }
    }

    /// A run that also rehearses a sign-in on production (it creates and removes a user, so
    /// only on request); its stages are streamed with the checks' results.
    pub fn rehearsing(run: RunContext) -> Self {
        let (tx, rx) = tokio::sync::mpsc::unbounded_channel();
        let rehearsal = Rehearsal::new(&run, move |e| {
            let _ = tx.send(e);
        });
        CheckContext {
            rehearsal: Some(rehearsal),
            stages: std::sync::Mutex::new(Some(rx)),
            ..CheckContext::new(run)
        }
    }

    pub async fn dns(&self) -> &Survey {
        self.dns.get_or_init(|| survey::survey(&self.run)).await
    }

    /// The rehearsal's production session, for the checks that use it; without one, what
    /// such a check reports.
    pub async fn rehearsed_session(&self) -> Result<&Session, Outcome> {
        let Some(rehearsal) = self.rehearsal.as_ref() else {
            return Err(Outcome::skip("No rehearsal was asked for."));
        };
        rehearsal
            .session(&self.run)
            .await
            .as_ref()
            .map_err(|_| Outcome::skip("Skipped: launch.sign_in failed; fix that first."))
    }

    /// Clerk's own status for its domain, or what `clerk.domain_status` reports instead.
    pub async fn clerk_status(&self) -> &Result<DomainStatus, Outcome> {
        self.clerk_status
            .get_or_init(|| clerk::platform_status(self))
            .await
    }

    /// The live site's home page, or why it could not be read.
    pub async fn home_page(&self) -> &Result<HomePage, String> {
        self.home_page
            .get_or_init(|| home_page::fetch(&self.run))
            .await
    }

    pub async fn server_key(&self) -> &ServerKey {
        self.server_key
            .get_or_init(|| site::server_key(&self.run))
            .await
    }
}

/// Checks read the run's fields (`ctx.domain`, `ctx.inputs`, …) directly.
impl std::ops::Deref for CheckContext {
    type Target = RunContext;
    fn deref(&self) -> &RunContext {
        &self.run
    }
}

type CheckFn = for<'a> fn(&'a CheckContext) -> BoxFuture<'a, Outcome>;
type SatelliteCheckFn = for<'a> fn(&'a CheckContext, &'a Satellite) -> BoxFuture<'a, Outcome>;

/// A check each satellite domain gets, under the id `<prefix>.<domain>`.
pub struct SatelliteCheckDef {
    pub prefix: &'static str,
    pub title: &'static str,
    pub step: Step,
    /// The same satellite's check (by prefix) whose failure skips this one.
    after: Option<&'static str>,
    run: SatelliteCheckFn,
}

pub struct CheckDef {
    pub id: &'static str,
    pub title: &'static str,
    pub step: Step,
    run: CheckFn,
}

/// The app step whose checks a check is shown and run with.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "lowercase")]
pub enum Step {
    Clerk,
    Hosting,
    Dns,
    Sso,
    Supabase,
    /// The launch proof: the live site and the sign-in rehearsal.
    Launch,
}

impl Step {
    /// Its name in `run_checks`'s `only` and in the JSON (the serde name).
    pub fn as_str(self) -> &'static str {
        match self {
            Step::Clerk => "clerk",
            Step::Hosting => "hosting",
            Step::Dns => "dns",
            Step::Sso => "sso",
            Step::Supabase => "supabase",
            Step::Launch => "launch",
        }
    }
}

/// Checks that mean nothing when another failed: they are reported as skipped, with it as
/// the reason, rather than failing a second time for the same cause. (The key pair check
/// has none: which keys disagree is its whole point.)
const AFTER: &[(&str, &[&str])] = &[
    ("clerk.frontend_api", &["dns.clerk"]),
    ("clerk.accounts_portal", &["dns.accounts"]),
    // The app's record is `dns.apex` or `dns.app`, as the layout has it.
    ("site.publishable_key", &["dns.apex", "dns.app"]),
    ("site.csp", &["dns.apex", "dns.app"]),
    // Behind a proxy the handshake goes through it.
    ("site.handshake", &["dns.apex", "dns.app", "clerk.proxy"]),
    // A page that lets anyone in proves nothing by letting a session in.
    ("site.session", &["site.protected"]),
];

/// Checks that run after others have finished, whatever their result: the rehearsal's
/// clean-up waits until nothing needs its session any more.
const FOLLOWS: &[(&str, &[&str])] = &[(
    "launch.cleanup",
    &["launch.sign_in", "site.session", "supabase.session"],
)];

/// Whether a check belongs to a layout.
type Applies = fn(&Layout) -> bool;

/// Checks that belong to some layouts only; in the others they are not listed at all.
const APPLIES: &[(&str, Applies)] = &[
    ("dns.clerk", |l| !l.proxied()),
    ("clerk.frontend_api", |l| !l.proxied()),
    ("clerk.proxy", Layout::proxied),
    ("dns.apex", Layout::app_at_apex),
    ("dns.www", Layout::app_at_apex),
    ("dns.app", |l| !l.app_at_apex()),
];

fn applies(id: &str, layout: &Layout) -> bool {
    APPLIES
        .iter()
        .find(|(check, _)| *check == id)
        .is_none_or(|(_, applies)| applies(layout))
}

fn listed(table: &'static [(&str, &'static [&'static str])], id: &str) -> &'static [&'static str] {
    table
        .iter()
        .find(|(check, _)| *check == id)
        .map(|(_, deps)| *deps)
        .unwrap_or(&[])
}

pub fn prerequisites(id: &str) -> &'static [&'static str] {
    listed(AFTER, id)
}

/// Whether a check concerns the run's host: the `vercel.*` checks a Vercel project's only,
/// the host-neutral `host.*` ones any other host's, `dns.validation` a Pages project's (the
/// one host whose API names a record it validates the domain by); every other check any
/// project's.
pub fn hosted_here(id: &str, run: &RunContext) -> bool {
    use crate::project::Hosting;
    let vercel = run.inputs.hosting == Hosting::Vercel;
    if id == "dns.validation" {
        return run.inputs.hosting == Hosting::CloudflarePages;
    }
    match id.split('.').next() {
        Some("vercel") => vercel,
        Some("host") => !vercel,
        _ => true,
    }
}

/// Every check a plain run has, in report order (a rehearsal adds `rehearsal_checks`).
pub fn registry() -> Vec<CheckDef> {
    let mut all = clerk::checks();
    all.extend(dns::checks());
    all.extend(sso::checks());
    all.extend(hosting::checks());
    all.extend(webhook::checks());
    all.extend(supabase::checks());
    all.extend(launch::checks());
    all.extend(site_csp::checks());
    all
}

/// The checks only a rehearsal runs: they sign a user in on production.
pub fn rehearsal_checks() -> Vec<CheckDef> {
    let mut all = launch::rehearsal_checks();
    all.extend(supabase::rehearsal_checks());
    // The clean-up is reported last.
    all.sort_by_key(|d| d.id == "launch.cleanup");
    all
}

/// The checks each satellite domain gets, as `<prefix>.<domain>`.
fn satellite_checks() -> Vec<SatelliteCheckDef> {
    let mut all = dns::satellite_checks();
    all.extend(clerk::satellite_checks());
    all.extend(hosting::satellite_checks());
    all
}

/// The step of the check with this id, as its definition says; `None` for an unknown id.
pub fn step_of(id: &str) -> Option<Step> {
    registry()
        .into_iter()
        .chain(rehearsal_checks())
        .find(|d| d.id == id)
        .map(|d| d.step)
        .or_else(|| {
            satellite_checks()
                .into_iter()
                .find(|d| {
                    id.strip_prefix(d.prefix)
                        .is_some_and(|r| r.starts_with('.'))
                })
                .map(|d| d.step)
        })
}

/// One check of this run, ready to go: a registry check, or a satellite's.
struct Job<'a> {
    id: String,
    title: String,
    /// Checks it waits for and is skipped after, when they fail.
    after: Vec<String>,
    /// Checks it waits for, whatever their result.
    follows: &'static [&'static str],
    run: BoxFuture<'a, Outcome>,
}

/// This run's checks for its layout, in report order: the registry's that apply, then each
/// satellite's, then the rehearsal's.
fn jobs<'a>(ctx: &'a CheckContext, layout: &'a Layout, only: Option<&str>) -> Vec<Job<'a>> {
    let wanted = |id: &str, step: Step| only.is_none_or(|s| step.as_str() == s || id == s);
    let plain = |defs: Vec<CheckDef>| {
        defs.into_iter()
            .filter(|d| applies(d.id, layout) && hosted_here(d.id, ctx) && wanted(d.id, d.step))
            .map(|d| Job {
                id: d.id.into(),
                title: d.title.into(),
                after: prerequisites(d.id).iter().map(|s| s.to_string()).collect(),
                follows: listed(FOLLOWS, d.id),
                run: (d.run)(ctx),
            })
            .collect::<Vec<_>>()
    };
    let mut jobs = plain(registry());
    for satellite in &layout.satellites {
        for d in satellite_checks() {
            let id = format!("{}.{}", d.prefix, satellite.domain);
            if hosted_here(&id, ctx) && wanted(&id, d.step) {
                jobs.push(Job {
                    title: format!("{} ({})", d.title, satellite.domain),
                    after: d
                        .after
                        .map(|p| format!("{p}.{}", satellite.domain))
                        .into_iter()
                        .collect(),
                    follows: &[],
                    run: (d.run)(ctx, satellite),
                    id,
                });
            }
        }
    }
    if ctx.rehearsal.is_some() {
        jobs.extend(plain(rehearsal_checks()));
    }
    jobs
}

/// A check as announced before the run, so the UI can draw the whole list up front.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
pub struct PlannedCheck {
    pub id: String,
    pub title: String,
}

/// Streamed to the UI (over a Tauri channel) while a run is under way.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(tag = "event", content = "data", rename_all = "camelCase")]
pub enum CheckEvent {
    Planned {
        checks: Vec<PlannedCheck>,
    },
    Finished {
        result: CheckResult,
    },
    /// A stage of the sign-in rehearsal started, finished or failed.
    Stage {
        stage: StageEvent,
    },
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Summary {
    pub pass: u32,
    pub warn: u32,
    pub fail: u32,
    pub skip: u32,
}

/// The whole verdict: the CLI's `--json` object.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
pub struct Report {
    pub domain: String,
    /// Where the app and Clerk live, as the run found them: it decides which checks apply.
    pub layout: Layout,
    pub checks: Vec<CheckResult>,
    pub summary: Summary,
}

impl Report {
    pub fn failed(&self) -> bool {
        self.summary.fail > 0
    }
}

/// Runs every check (or those of a step, see `CheckDef::step`, or the one check of that id)
/// concurrently, calling `on_event` as each finishes. The report keeps registry order,
/// whatever order results arrive in.
pub async fn run_all(
    ctx: &CheckContext,
    only: Option<&str>,
    on_event: impl Fn(CheckEvent),
) -> Report {
    let layout = ctx.layout().await;
    let jobs = jobs(ctx, layout, only);
    on_event(CheckEvent::Planned {
        checks: jobs
            .iter()
            .map(|j| PlannedCheck {
                id: j.id.clone(),
                title: j.title.clone(),
            })
            .collect(),
    });
    // Each check publishes its status; a check with prerequisites waits for theirs.
    let statuses: Vec<tokio::sync::watch::Sender<Option<CheckStatus>>> = jobs
        .iter()
        .map(|_| tokio::sync::watch::channel(None).0)
        .collect();
    let planned: Vec<(String, String)> = jobs
        .iter()
        .map(|j| (j.id.clone(), j.title.clone()))
        .collect();
    let index = |id: &str| planned.iter().position(|(p, _)| p == id);
    let subscribe = |deps: &mut dyn Iterator<Item = String>| -> Vec<_> {
        deps.filter_map(|dep| index(&dep).map(|j| (dep, statuses[j].subscribe())))
            .collect::<Vec<_>>()
    };
    let mut pending: FuturesUnordered<_> = jobs
        .into_iter()
        .enumerate()
        .map(|(i, j)| {
            let waits = subscribe(&mut j.after.into_iter());
            let follows = subscribe(&mut j.follows.iter().map(|s| s.to_string()));
            let run = j.run;
            async move {
                for (_, mut rx) in follows {
                    let _ = rx.wait_for(Option::is_some).await;
                }
                for (dep, mut rx) in waits {
                    let failed = rx
                        .wait_for(Option::is_some)
                        .await
                        .map(|s| *s == Some(CheckStatus::Fail))
                        .unwrap_or(false);
                    if failed {
                        return (
                            i,
                            Outcome::skip(format!("Skipped: {dep} failed; fix that first.")),
                        );
                    }
                }
                (i, run.await)
            }
        })
        .collect();
    let mut results: Vec<Option<CheckResult>> = vec![None; planned.len()];
    // A check may quote a vendor, which may quote what it was sent.
    let redactor = || {
        let mut r = ctx.inputs.redactor();
        if let Some(token) = ctx.rehearsal.as_ref().and_then(Rehearsal::token) {
            r.add(token.expose());
        }
        r
    };
    let mut stages = ctx.stages.lock().unwrap().take();
    let stage_event = |e: StageEvent| CheckEvent::Stage {
        stage: StageEvent {
            detail: redactor().text(&e.detail),
            ..e
        },
    };
    loop {
        let next = tokio::select! {
            biased;
            Some(e) = next_stage(&mut stages) => {
                on_event(stage_event(e));
                continue;
            }
            next = pending.next() => next,
        };
        let Some((i, outcome)) = next else { break };
        let redactor = redactor();
        let result = CheckResult {
            id: planned[i].0.clone(),
            status: outcome.status,
            title: planned[i].1.clone(),
            detail: redactor.text(&outcome.detail),
            fix: outcome.fix.map(|f| redactor.text(&f)),
            evidence: outcome.evidence.map(|e| Evidence {
                expected: redactor.text(&e.expected),
                actual: redactor.text(&e.actual),
            }),
        };
        statuses[i].send_replace(Some(result.status));
        on_event(CheckEvent::Finished {
            result: result.clone(),
        });
        results[i] = Some(result);
    }
    while let Some(e) = stages.as_mut().and_then(|rx| rx.try_recv().ok()) {
        on_event(stage_event(e));
    }
    let checks: Vec<CheckResult> = results.into_iter().flatten().collect();
    let mut summary = Summary::default();
    for c in &checks {
        match c.status {
            CheckStatus::Pass => summary.pass += 1,
            CheckStatus::Warn => summary.warn += 1,
            CheckStatus::Fail => summary.fail += 1,
            CheckStatus::Skip => summary.skip += 1,
        }
    }
    Report {
        domain: ctx.domain.clone(),
        layout: layout.clone(),
        checks,
        summary,
    }
}

/// The rehearsal's next stage event; never, for a run without one.
async fn next_stage(
    rx: &mut Option<tokio::sync::mpsc::UnboundedReceiver<StageEvent>>,
) -> Option<StageEvent> {
    match rx {
        Some(rx) => rx.recv().await,
        None => std::future::pending().await,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn check_ids_are_unique_and_namespaced() {
        let mut defs = registry();
        defs.extend(rehearsal_checks());
        let mut ids: Vec<_> = defs.iter().map(|d| d.id).collect();
        ids.sort();
        ids.dedup();
        assert_eq!(ids.len(), defs.len());
        assert!(ids.iter().all(|id| id.contains('.')));
    }

    #[test]
    fn prerequisites_are_known_checks_without_cycles() {
        let ids: Vec<&str> = registry()
            .iter()
            .chain(&rehearsal_checks())
            .map(|d| d.id)
            .collect();
        for (check, deps) in AFTER {
            assert!(ids.contains(check), "{check}");
            for d in *deps {
                // A prerequisite waits for nothing, so no run can wait on itself.
                assert!(ids.contains(d) && prerequisites(d).is_empty(), "{d}");
            }
        }
        for (check, deps) in FOLLOWS {
            assert!(ids.contains(check), "{check}");
            for d in *deps {
                // What a check follows follows nothing itself.
                assert!(ids.contains(d) && listed(FOLLOWS, d).is_empty(), "{d}");
            }
        }
        // A plain run never creates a user.
        let plain: Vec<&str> = registry().iter().map(|d| d.id).collect();
        for d in rehearsal_checks() {
            assert!(!plain.contains(&d.id), "{}", d.id);
        }
    }

    #[test]
    fn checks_group_into_steps() {
        assert_eq!(step_of("dns.clk._domainkey"), Some(Step::Dns));
        assert_eq!(step_of("vercel.env"), Some(Step::Hosting));
        assert_eq!(step_of("site.publishable_key"), Some(Step::Hosting));
        assert_eq!(step_of("nope.nothing"), None);
        for step in [
            Step::Clerk,
            Step::Hosting,
            Step::Dns,
            Step::Sso,
            Step::Supabase,
            Step::Launch,
        ] {
            assert_eq!(serde_json::to_value(step).unwrap(), step.as_str());
        }
    }

    #[test]
    fn result_json_has_exactly_the_contract_fields() {
        let r = CheckResult {
            id: "clerk.secret_key".into(),
            status: CheckStatus::Skip,
            title: "t".into(),
            detail: "d".into(),
            fix: None,
            evidence: None,
        };
        let v = serde_json::to_value(&r).unwrap();
        let mut keys: Vec<_> = v.as_object().unwrap().keys().cloned().collect();
        keys.sort();
        assert_eq!(keys, ["detail", "fix", "id", "status", "title"]);
        assert_eq!(v["status"], "skip");
        assert!(v["fix"].is_null());
        // Evidence is there only when a check compared something.
        let compared = CheckResult {
            evidence: Some(Evidence {
                expected: "CNAME a → b".into(),
                actual: "no record at a".into(),
            }),
            ..r
        };
        let v = serde_json::to_value(&compared).unwrap();
        assert_eq!(v["evidence"]["expected"], "CNAME a → b");
        assert_eq!(v["evidence"]["actual"], "no record at a");
    }
}
