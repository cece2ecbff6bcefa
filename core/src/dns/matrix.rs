//! The propagation matrix: every planned record asked of every server (authoritative and
//! public) at once, each answer streamed as it arrives, for the DNS view's live table.

use futures::stream::{FuturesUnordered, StreamExt};
use hickory_resolver::proto::rr::RecordType;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::plan::PlannedRecord;
use super::probe::{Asker, Reply};
use crate::checks::CheckContext;

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
    },
    Cell(DnsCell),
}

fn cell(r: &PlannedRecord, server: &str, reply: Reply) -> DnsCell {
    let cnames = reply.values("CNAME");
    let addrs = reply.values("A");
    let (state, actual) = match &reply {
        Reply::Records(_) if cnames.contains(&r.value) => (CellState::Match, cnames),
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
pub async fn run(ctx: &CheckContext, on_event: impl Fn(DnsEvent)) {
    let survey = ctx.dns().await;
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
    });
    let mut pending: FuturesUnordered<_> = survey
        .plan
        .iter()
        .flat_map(|r| servers.iter().map(move |s| (r, s)))
        .map(|(r, (label, asker, _))| async move {
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
    while let Some(c) = pending.next().await {
        on_event(DnsEvent::Cell(c));
    }
}
