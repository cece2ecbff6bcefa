//! A build at a host in the sandbox, by time alone: queued, then building, then failed or
//! ready. Vercel, Netlify and Cloudflare Pages say each phase in their own words.

use std::time::{Duration, Instant};

/// How long a build waits in the queue, and how long until it is done.
const QUEUED_FOR: Duration = Duration::from_millis(300);
const BUILD_TAKES: Duration = Duration::from_millis(1200);

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Phase {
    Queued,
    Building,
    Failed,
    Ready,
}

/// Where a build `started` then stands now.
pub fn phase(started: Instant, fails: bool) -> Phase {
    let t = started.elapsed();
    if t < QUEUED_FOR {
        Phase::Queued
    } else if t < BUILD_TAKES {
        Phase::Building
    } else if fails {
        Phase::Failed
    } else {
        Phase::Ready
    }
}
