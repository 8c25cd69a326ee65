//! A test that moves the tracker into tasks that may run on other threads. This file
//! does not compile until `Tracker` is `Send` (and `Sync`, its clones share one count):
//! read the compiler's error, it names the field that is not.
//!
//! It rejects `Rc<Cell<usize>>` (the shipped field: not `Send`, this file does not
//! compile) and a count that clones do not share (t06). The wrong answers that compile
//! are listed in the header of tests/kata.rs.

use rc_vs_arc::Tracker;
use tokio::sync::watch;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn t06_clones_share_one_count_across_threads() {
    let tracker = Tracker::new();
    let (open, gate) = watch::channel(false);
    // Four tasks, on whichever worker threads, each spawn 25 jobs through their own
    // clone of the tracker. Every job waits at the gate.
    let spawners: Vec<_> = (0..4)
        .map(|_| {
            let tracker = tracker.clone();
            let gate = gate.clone();
            tokio::spawn(async move {
                (0..25)
                    .map(|_| {
                        let mut gate = gate.clone();
                        tracker.spawn(async move {
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
    assert_eq!(
        tracker.running(),
        100,
        "100 jobs were spawned through 4 clones on other tasks and threads, and none can \
         end yet: every clone must add to the one shared count"
    );
    open.send_replace(true);
    for job in jobs {
        job.await.expect("a job's task failed");
    }
    assert_eq!(tracker.running(), 0, "every job ended, none is running");
}
