//! At most one run of a kind per project (a DNS watch, a check run): starting another stops
//! the one before, and the user can stop it.

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Mutex;

use tokio::sync::watch;

#[derive(Default)]
pub struct Runs {
    running: Mutex<HashMap<String, (u64, watch::Sender<bool>)>>,
    next: AtomicU64,
}

/// A started run. `stopped` fires when it is stopped or replaced; dropping the ticket
/// forgets the run (but not a newer one of the same project).
pub struct Ticket<'a> {
    runs: &'a Runs,
    project: String,
    number: u64,
    pub stopped: watch::Receiver<bool>,
}

impl Runs {
    pub fn start(&self, project: &str) -> Ticket<'_> {
        let (tx, rx) = watch::channel(false);
        let number = self.next.fetch_add(1, Ordering::Relaxed);
        if let Some((_, previous)) = self
            .running
            .lock()
            .unwrap()
            .insert(project.to_string(), (number, tx))
        {
            let _ = previous.send(true);
        }
        Ticket {
            runs: self,
            project: project.to_string(),
            number,
            stopped: rx,
        }
    }

    pub fn stop(&self, project: &str) {
        if let Some((_, tx)) = self.running.lock().unwrap().remove(project) {
            let _ = tx.send(true);
        }
    }
}

impl Drop for Ticket<'_> {
    fn drop(&mut self) {
        let mut running = self.runs.running.lock().unwrap();
        if running
            .get(&self.project)
            .is_some_and(|(n, _)| *n == self.number)
        {
            running.remove(&self.project);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_new_run_stops_the_old_and_outlives_it() {
        let runs = Runs::default();
        let first = runs.start("p");
        let second = runs.start("p");
        assert!(*first.stopped.borrow());
        drop(first);
        assert!(!*second.stopped.borrow());
        runs.stop("p");
        assert!(*second.stopped.borrow());
        let other = runs.start("q");
        runs.stop("p");
        assert!(!*other.stopped.borrow());
    }
}
