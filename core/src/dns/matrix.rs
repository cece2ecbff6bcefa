//! The propagation matrix: every planned record asked of every server (authoritative and
//! public) at once, each answer streamed as it arrives, for the DNS view's live table.

use std::time::Duration;

use futures::stream::{FuturesUnordered, StreamExt};
use hickory_resolver::proto::rr::RecordType;
use serde::{Deserialize, Serialize};
use tokio::sync::OnceCell;
use ts_rs::TS;

use super::cloudflare_ips::all_cloudflare;
use super::plan::{PlannedRecord, RecordType as PlannedType};
use super::query::{Asker, Reply};
use super::survey::{self, Survey};
use crate::context::RunContext;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "kebab-case")]
pub enum CellState {
    Match,
    Mismatch,
    /// The name exists without this record.
    Missing,
    NxDomain,
    NoAnswer,
}

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
pub struct MatrixServer {
    pub label: String,
    pub authoritative: bool,
}

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct DnsCell {
    pub check_id: String,
    pub server: String,
    pub state: CellState,
    pub actual: Vec<String>,
    #[ts(optional)]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ttl: Option<u32>,
}

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(tag = "event", content = "data", rename_all = "camelCase")]
pub enum DnsEvent {
    #[serde(rename_all = "camelCase")]
    Planned {
        records: Vec<PlannedRecord>,
        servers: Vec<MatrixServer>,
        #[ts(optional)]
        #[serde(skip_serializing_if = "Option::is_none")]
        fallback_reason: Option<String>,
        #[ts(optional)]
        #[serde(skip_serializing_if = "Option::is_none")]
        nameservers_error: Option<String>,
        /// Why the host's records (apex, www) are not in the plan.
        #[ts(optional)]
        #[serde(skip_serializing_if = "Option::is_none")]
        host_reason: Option<String>,
    },
    Cell(DnsCell),
    /// Watch mode: round `number` is starting.
    Round {
        number: u32,
    },
    /// Watch mode: not everywhere yet; the next round starts in this many seconds.
    #[serde(rename_all = "camelCase")]
    Waiting {
        next_in_secs: u64,
    },
    /// Watch mode: every record answers as planned at every server that answers.
    Propagated,
}

fn cell(r: &PlannedRecord, server: &str, reply: Reply) -> DnsCell {
    let cnames = reply.values("CNAME");
    let addrs = reply.values("A");
    let is_a = r.record_type == PlannedType::A;
    // A Pages project's CNAME answers as Cloudflare's addresses when proxied or flattened.
    let cloudflare_served = r.served_by_cloudflare() && all_cloudflare(&addrs);
    let (state, actual) = match &reply {
        Reply::Records(_) if r.record_type == PlannedType::TXT => match reply.has_text(&r.value) {
            true => (CellState::Match, reply.texts()),
            false => (CellState::Mismatch, reply.texts()),
        },
        // An A record matches when the planned address is the only one.
        Reply::Records(_) if is_a && addrs == [r.value.clone()] => (CellState::Match, addrs),
        Reply::Records(_) if is_a => (CellState::Mismatch, addrs),
        Reply::Records(_) if cnames.contains(&r.value) => (CellState::Match, cnames),
        Reply::Records(_) if cloudflare_served => (CellState::Match, addrs),
        Reply::Records(_) if !cnames.is_empty() => (CellState::Mismatch, cnames),
        Reply::Records(_) => (CellState::Mismatch, addrs),
        Reply::NoData => (CellState::Missing, vec![]),
        Reply::NxDomain => (CellState::NxDomain, vec![]),
        Reply::NoAnswer | Reply::Failed(_) => (CellState::NoAnswer, vec![]),
    };
    DnsCell {
        check_id: r.check_id.clone(),
        server: server.to_string(),
        state,
        actual,
        ttl: reply.max_ttl(),
    }
}

/// Streams the plan, then one cell per record × server as each answer arrives.
pub async fn run(ctx: &RunContext, on_event: impl Fn(DnsEvent)) {
    round(ctx, &OnceCell::new(), &on_event).await;
}

/// One round: the plan, then every answer; returns the cells for watch mode to judge.
/// The survey is made by the first round and kept for the next ones.
async fn round(
    ctx: &RunContext,
    survey: &OnceCell<Survey>,
    on_event: &impl Fn(DnsEvent),
) -> Vec<DnsCell> {
    let survey = survey.get_or_init(|| survey::survey(ctx)).await;
    let auth = survey.authoritative.clone().unwrap_or_default();
    let servers: Vec<(String, Asker, bool)> = auth
        .iter()
        .map(|s| (s.label.clone(), Asker::new(s.addr), true))
        .chain(
            survey
                .public
                .iter()
                .map(|s| (s.label.clone(), Asker::new(s.addr), false)),
        )
        .collect();
    on_event(DnsEvent::Planned {
        records: survey.plan.clone(),
        servers: servers
            .iter()
            .map(|(label, _, authoritative)| MatrixServer {
                label: label.clone(),
                authoritative: *authoritative,
            })
            .collect(),
        fallback_reason: survey.fallback_reason.clone(),
        nameservers_error: survey.authoritative.as_ref().err().cloned(),
        host_reason: match &survey.host {
            Err(why) => Some(why.clone()),
            Ok(host) => host.unsaid.clone(),
        },
    });
    let mut pending: FuturesUnordered<_> = survey
        .plan
        .iter()
        .flat_map(|r| servers.iter().map(move |s| (r, s)))
        .map(|(r, (label, asker, _))| async move {
            match r.record_type {
                PlannedType::A => return cell(r, label, asker.ask(&r.name, RecordType::A).await),
                PlannedType::TXT => {
                    return cell(r, label, asker.ask(&r.name, RecordType::TXT).await)
                }
                PlannedType::CNAME => {}
            }
            let reply = asker.ask(&r.name, RecordType::CNAME).await;
            let reply = match reply {
                // No CNAME: say what is there instead (an A record, proxied or flattened).
                Reply::NoData => match asker.ask(&r.name, RecordType::A).await {
                    a @ Reply::Records(_) => a,
                    _ => Reply::NoData,
                },
                other => other,
            };
            cell(r, label, reply)
        })
        .collect();
    let mut cells = vec![];
    while let Some(c) = pending.next().await {
        on_event(DnsEvent::Cell(c.clone()));
        cells.push(c);
    }
    cells
}

/// How often watch mode asks again: it starts at `first` and doubles up to `max`, but never
/// waits longer than the longest TTL a lagging resolver still holds.
#[derive(Debug, Clone, Copy)]
pub struct WatchPace {
    pub first: Duration,
    pub max: Duration,
}

impl Default for WatchPace {
    fn default() -> Self {
        WatchPace {
            first: Duration::from_secs(15),
            max: Duration::from_secs(300),
        }
    }
}

impl WatchPace {
    fn delay(&self, round: u32, lagging_ttl: Option<u32>) -> Duration {
        let backoff = self
            .first
            .saturating_mul(2u32.saturating_pow(round.saturating_sub(1)));
        let ttl = lagging_ttl.map(|t| Duration::from_secs(u64::from(t)));
        backoff
            .min(self.max)
            .min(ttl.unwrap_or(self.max).max(self.first))
    }
}

/// Everywhere that answered says what was planned (and at least one server did).
fn propagated(cells: &[DnsCell]) -> bool {
    let answered: Vec<&DnsCell> = cells
        .iter()
        .filter(|c| c.state != CellState::NoAnswer)
        .collect();
    !answered.is_empty() && answered.iter().all(|c| c.state == CellState::Match)
}

/// Rounds until everything has propagated (`true`) or `stop` fires (`false`). Between
/// rounds the task sleeps: nothing runs while it waits.
pub async fn watch(
    ctx: &RunContext,
    pace: WatchPace,
    mut stop: tokio::sync::watch::Receiver<bool>,
    on_event: impl Fn(DnsEvent),
) -> bool {
    let survey = OnceCell::new();
    for number in 1.. {
        on_event(DnsEvent::Round { number });
        let cells = tokio::select! {
            cells = round(ctx, &survey, &on_event) => cells,
            _ = stop.changed() => return false,
        };
        if propagated(&cells) {
            on_event(DnsEvent::Propagated);
            return true;
        }
        let lagging_ttl = cells
            .iter()
            .filter(|c| c.state != CellState::Match)
            .filter_map(|c| c.ttl)
            .max();
        let wait = pace.delay(number, lagging_ttl);
        on_event(DnsEvent::Waiting {
            next_in_secs: wait.as_secs(),
        });
        tokio::select! {
            _ = tokio::time::sleep(wait) => {}
            _ = stop.changed() => return false,
        }
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_pace_backs_off_within_the_ttls() {
        let p = WatchPace::default();
        assert_eq!(p.delay(1, None), Duration::from_secs(15));
        assert_eq!(p.delay(2, None), Duration::from_secs(30));
        assert_eq!(p.delay(9, None), Duration::from_secs(300));
        // A lagging cache that expires in 60 s: no point waiting longer.
        assert_eq!(p.delay(4, Some(60)), Duration::from_secs(60));
        // ...nor shorter than the first wait.
        assert_eq!(p.delay(4, Some(5)), Duration::from_secs(15));
    }
}
