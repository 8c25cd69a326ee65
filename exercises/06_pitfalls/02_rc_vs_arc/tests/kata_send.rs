//! A test that moves the tracker into tasks that may run on other threads. This file
//! does not compile until `Tracker` is `Send` (and `Sync`, its clones share one count):
//! read the compiler's error, it names the field that is not.
//!
//! It rejects `Rc<Cell<usize>>` (the shipped field: not `Send`, this file does not
//! compile) and a count that clones do not share (t06). The wrong answers that compile
//! are listed in the header of tests/kata.rs.

use rc_vs_arc::Tracker;
use std::sync::Arc;

use tokio::sync::{Semaphore, watch};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn t06_clones_share_one_count_across_threads() {
    let tracker = Tracker::new();
    let (open, gate) = watch::channel(false);
    // One permit per job that has started: the count is checked once all 100 have, so
    // the verdict does not depend on how far the worker threads have got.
    let started = Arc::new(Semaphore::new(0));
    // Four tasks, on whichever worker threads, each spawn 25 jobs through their own
    // clone of the tracker. Every job says it started, then waits at the gate.
    let spawners: Vec<_> = (0..4)
        .map(|_| {
            let tracker = tracker.clone();
            let gate = gate.clone();
            let started = started.clone();
            tokio::spawn(async move {
                (0..25)
                    .map(|_| {
                        let mut gate = gate.clone();
                        let started = started.clone();
                        tracker.spawn(async move {
                            started.add_permits(1);
                            let _ = gate.wait_for(|open| *open).await;
                        })
                    })
                    .collect::<Vec<_>>()
            })
        })
        .collect();
    let mut jobs = Vec::new();
    for spawner in spawners {
        jobs.extend(spawner.await.expect("a spawning task failed"));
    }
    started
        .acquire_many(100)
        .await
        .expect("the semaphore is never closed")
        .forget();
    assert_eq!(
        tracker.running(),
        100,
        "100 jobs were spawned through 4 clones on other tasks and threads, all have \
         started and none can end yet: every clone must add to the one shared count"
    );
    open.send_replace(true);
    for job in jobs {
        job.await.expect("a job's task failed");
    }
    assert_eq!(tracker.running(), 0, "every job ended, none is running");
}
