//! Wrong answers these tests reject: each is a fixture in the solution's `wrong/`
//! folder, which `cargo xtask verify` runs against these tests, twice.
//! - `unbounded_queue` (t01, t04, t05, t10, t11): an unbounded channel (and a counter for the depth): `submit` never waits and the queue grows with the burst
//! - `channel_one_bigger` (t01, t04, t05, t10): `mpsc::channel(capacity + 1)` "to count the job in progress": one job too many waits
//! - `depth_from_capacity` (t03, t10, t11): `depth` returns `capacity()`, which is the room left, not the jobs waiting
//! - `every_error_is_busy` (t06, t11): every `try_send` error is `Busy`: a stopped worker is reported as busy, so callers retry forever
//! - `permit_dropped_early` (t07): `let _ = try_acquire()?`: `let _` drops the permit at once, so nothing is limited
//! - `acquire_waits` (t07, t09): `acquire().await` instead of `try_acquire()`: over the limit it waits instead of refusing
//! - `releases_by_hand` (t08, t09): the permit is `forget()`ten and given back with `add_permits` after the work, which a cancelled caller never reaches
//! - `submit_polls_try_send` (t01, t10): `submit` retries `try_send` after a short sleep: it returns late, and a waiting producer can be overtaken
//! - `worker_takes_batches` (t01, t03, t05, t11): the worker takes every queued job at once (`recv_many`): they leave the queue before their turn
//!
//! Blind answers: 8 tried, 0 passed before this test file (2026-12); two rejected ones
//! are kept above. t09 runs the limiter at its edges (a limit of 0, work ready at its
//! first poll, work that panics); t10 has producers wait in `submit` in line; t11 stops
//! the worker with jobs queued. The lesson and the docs now say what `depth` counts
//! (not the callers still waiting in `submit`; 0 once the worker is gone), what a limit
//! of 0 does, and that a refused work is dropped, not polled.
//!
//! No verdict depends on scheduling luck: one producer at a time, or callers that start
//! at different instants of virtual time.
//!
//! Mutants: cargo-mutants finds 10 viable, all killed. The limits it cannot reach (the
//! channel's capacity, `try_acquire` against `acquire`, where the permit lives) are the
//! fixtures `channel_one_bigger`, `acquire_waits`, `permit_dropped_early` and
//! `releases_by_hand`.

use std::panic::AssertUnwindSafe;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use backpressure::{Limiter, Rejected, spawn_worker};
use futures::FutureExt;
use timeline::Timeline;
use tokio::time::{Instant, sleep, sleep_until, timeout};

/// What each job costs the worker, in virtual time.
const COST: Duration = Duration::from_millis(10);

/// Long enough in virtual time that only a future that never finishes reaches it.
const FOREVER: Duration = Duration::from_secs(3600);

fn ms(n: u64) -> Duration {
    Duration::from_millis(n)
}

fn ms_list(values: &[u64]) -> Vec<Duration> {
    values.iter().map(|&v| ms(v)).collect()
}

#[tokio::test(start_paused = true)]
async fn t01_submit_waits_while_the_queue_is_full() {
    let (queue, _worker) = spawn_worker(4, COST);
    let start = Instant::now();
    let timeline = Timeline::new();
    timeline.expect("submit(0) to submit(4) at 0 ms, then each submit waits 10 ms");
    let (mut returned, mut depths) = (Vec::new(), Vec::new());
    for job in 0..10 {
        timeout(
            FOREVER,
            timeline.run(format!("submit({job})"), queue.submit(job)),
        )
        .await
        .expect("submit never returned: is the worker taking jobs?")
        .expect("the worker is running: submit should succeed");
        returned.push(start.elapsed());
        depths.push(queue.depth());
    }
    assert_eq!(
        returned,
        ms_list(&[0, 0, 0, 0, 0, 10, 20, 30, 40, 50]),
        "a burst of 10 into a queue of 4, with a worker taking a job every 10 ms: jobs \
         0-3 fill the queue, job 4 gets the place job 0 left when the worker took it, and \
         from then on each submit waits for the worker to take the next job. That wait \
         is backpressure: a fast producer slows down to the worker's pace\n\n{}",
        timeline.render()
    );
    assert_eq!(
        depths,
        [1, 2, 3, 4, 4, 4, 4, 4, 4, 4],
        "the queue never holds more than its capacity of 4 waiting jobs\n\n{}",
        timeline.render()
    );
}

#[tokio::test(start_paused = true)]
async fn t02_every_job_is_done_once_in_order() {
    let (queue, worker) = spawn_worker(4, COST);
    let start = Instant::now();
    for job in 0..10 {
        queue.submit(job).await.unwrap();
    }
    drop(queue);
    let done = timeout(FOREVER, worker)
        .await
        .expect(
            "the worker was still running an hour after its queue was dropped: it should \
             end once every Queue is gone and the queue is drained",
        )
        .expect("the worker panicked");
    assert_eq!(
        done,
        (0..10).collect::<Vec<_>>(),
        "every job submitted is done, once, in order"
    );
    assert_eq!(
        start.elapsed(),
        ms(100),
        "ten jobs of 10 ms, one at a time: the worker ends at 100 ms"
    );
}

#[tokio::test(start_paused = true)]
async fn t03_depth_counts_waiting_jobs_not_the_one_in_progress() {
    let (queue, _worker) = spawn_worker(4, COST);
    let start = Instant::now();
    assert_eq!(queue.depth(), 0, "a new queue is empty");
    for job in 0..3 {
        queue.try_submit(job).unwrap();
    }
    let mut depths = vec![queue.depth()];
    for at in [1, 15, 25, 35] {
        sleep_until(start + ms(at)).await;
        depths.push(queue.depth());
    }
    assert_eq!(
        depths,
        [3, 2, 1, 0, 0],
        "three jobs queued before the worker ran: depth 3; the worker took job 0 at once \
         (depth 2), job 1 at 10 ms (1), job 2 at 20 ms (0). A job the worker has taken \
         no longer waits. The room left is capacity(); the depth is max_capacity() minus \
         that"
    );
}

#[tokio::test(start_paused = true)]
async fn t04_try_submit_refuses_at_capacity_without_waiting() {
    let (queue, worker) = spawn_worker(4, COST);
    let results: Vec<_> = (0..10).map(|job| queue.try_submit(job)).collect();
    let mut want = vec![Ok(()); 4];
    want.extend([Err(Rejected::Busy); 6]);
    assert_eq!(
        results, want,
        "a burst of 10 into a queue of 4: try_submit takes 4 and refuses the other 6 with \
         Busy at once, instead of making the caller wait. That is load shedding: the \
         caller learns now that the system is full"
    );
    assert_eq!(queue.depth(), 4, "the queue is full, not overfull");
    drop(queue);
    let done = timeout(FOREVER, worker).await.unwrap().unwrap();
    assert_eq!(
        done,
        [0, 1, 2, 3],
        "a refused job is not queued: only 0-3 are done"
    );
}

#[tokio::test(start_paused = true)]
async fn t05_a_place_freed_by_the_worker_takes_a_job_again() {
    let (queue, worker) = spawn_worker(4, COST);
    let first = (0..10).filter(|&job| queue.try_submit(job).is_ok()).count();
    sleep(ms(25)).await;
    let second = (10..20)
        .filter(|&job| queue.try_submit(job).is_ok())
        .count();
    assert_eq!(
        (first, second),
        (4, 3),
        "4 taken at 0 ms; by 25 ms the worker has done jobs 0 and 1 and is working on 2, \
         so only job 3 waits: 3 places are free, and 3 of the second burst are taken"
    );
    drop(queue);
    let done = timeout(FOREVER, worker).await.unwrap().unwrap();
    assert_eq!(
        done,
        [0, 1, 2, 3, 10, 11, 12],
        "every job taken is done, in order"
    );
}

#[tokio::test(start_paused = true)]
async fn t06_a_stopped_worker_is_closed_not_busy() {
    let (queue, worker) = spawn_worker(1, COST);
    worker.abort();
    let _ = worker.await;
    assert_eq!(
        queue.try_submit(1),
        Err(Rejected::Closed),
        "the worker is gone: try_send says Closed, not Full. Busy would tell the caller \
         to try again later, and no later try can succeed"
    );
    assert_eq!(
        timeout(FOREVER, queue.submit(2)).await,
        Ok(Err(Rejected::Closed)),
        "submit to a stopped worker: Closed, at once"
    );
}

/// Work for the limiter: counts itself in `gauge` while it runs (and the most ever
/// seen in `peak`), takes 100 ms (drawn on `timeline`), and returns `id`.
async fn work(id: u64, gauge: &AtomicUsize, peak: &AtomicUsize, timeline: &Timeline) -> u64 {
    let now = gauge.fetch_add(1, Ordering::SeqCst) + 1;
    peak.fetch_max(now, Ordering::SeqCst);
    timeline.run(format!("work({id})"), sleep(ms(100))).await;
    gauge.fetch_sub(1, Ordering::SeqCst);
    id
}

#[tokio::test(start_paused = true)]
async fn t07_try_run_refuses_beyond_the_limit() {
    let limiter = Arc::new(Limiter::new(2));
    let gauge = Arc::new(AtomicUsize::new(0));
    let peak = Arc::new(AtomicUsize::new(0));
    let start = Instant::now();
    let timeline = Timeline::new();
    timeline.limit(2);
    timeline.expect("work(0) and work(1) only; callers 2, 3 and 4 refused, no work");
    let callers: Vec<_> = (0..5)
        .map(|id| {
            let (limiter, gauge, peak) = (limiter.clone(), gauge.clone(), peak.clone());
            let timeline = timeline.clone();
            tokio::spawn(async move {
                sleep(ms(id)).await; // caller n comes at n ms
                let result = limiter.try_run(work(id, &gauge, &peak, &timeline)).await;
                (result, start.elapsed())
            })
        })
        .collect();
    sleep(ms(50)).await;
    let in_flight = limiter.in_flight();
    let mut results = Vec::new();
    for caller in callers {
        results.push(caller.await.expect("a caller panicked"));
    }
    assert_eq!(
        results,
        [
            (Ok(0), ms(100)),
            (Ok(1), ms(101)),
            (Err(Rejected::Busy), ms(2)),
            (Err(Rejected::Busy), ms(3)),
            (Err(Rejected::Busy), ms(4)),
        ],
        "a limit of 2: callers 0 and 1 run (100 ms each), callers 2, 3 and 4 come while \
         both places are taken and are refused at once with Busy. A permit bound to `_` \
         is dropped at once (no limit at all); acquire().await waits instead of refusing\n\n{}",
        timeline.render()
    );
    assert_eq!(
        peak.load(Ordering::SeqCst),
        2,
        "never more than 2 pieces of work at once\n\n{}",
        timeline.render()
    );
    assert_eq!(
        in_flight,
        2,
        "at 50 ms, in_flight() is the 2 running\n\n{}",
        timeline.render()
    );
}

#[tokio::test(start_paused = true)]
async fn t08_a_cancelled_try_run_gives_its_place_back() {
    let limiter = Limiter::new(1);
    let (gauge, peak) = (AtomicUsize::new(0), AtomicUsize::new(0));
    let timeline = Timeline::new();
    timeline.expect("work(1) cut off at 10 ms, then work(2) runs");
    let gave_up = timeout(ms(10), limiter.try_run(work(1, &gauge, &peak, &timeline))).await;
    assert!(
        gave_up.is_err(),
        "the caller gives up after 10 ms of 100\n\n{}",
        timeline.render()
    );
    assert_eq!(
        limiter.in_flight(),
        0,
        "the cancelled work was dropped, and its permit with it: the place is free again. \
         A permit given back by hand after the work never comes back when the work is \
         dropped halfway; a permit held in a variable is returned by its Drop\n\n{}",
        timeline.render()
    );
    assert_eq!(
        limiter.try_run(work(2, &gauge, &peak, &timeline)).await,
        Ok(2),
        "the place is free: the next try_run runs\n\n{}",
        timeline.render()
    );
}

/// Sets its flag when dropped: proves a future was dropped.
struct DropFlag(Arc<std::sync::atomic::AtomicBool>);

impl Drop for DropFlag {
    fn drop(&mut self) {
        self.0.store(true, Ordering::SeqCst);
    }
}

#[tokio::test(start_paused = true)]
async fn t09_the_limiter_at_its_edges() {
    // A limit of 0 refuses everything, without polling the work, which is dropped.
    let none = Limiter::new(0);
    let (polled, dropped) = (
        Arc::new(std::sync::atomic::AtomicBool::new(false)),
        Arc::new(std::sync::atomic::AtomicBool::new(false)),
    );
    let guard = DropFlag(Arc::clone(&dropped));
    let flag = Arc::clone(&polled);
    let refused = timeout(
        FOREVER,
        none.try_run(async move {
            let _guard = guard;
            flag.store(true, Ordering::SeqCst);
        }),
    )
    .await
    .unwrap_or_else(|_| {
        panic!(
            "try_run with a limit of 0 was still waiting an hour later: it must refuse \
             at once (`try_acquire`), not wait for a place (`acquire().await`)"
        )
    });
    assert_eq!(
        (
            refused,
            polled.load(Ordering::SeqCst),
            dropped.load(Ordering::SeqCst)
        ),
        (Err(Rejected::Busy), false, true),
        "a limit of 0 lets nothing run: try_run refuses with Busy at once, never polls \
         the work, and has dropped it by the time it returns"
    );

    // Work ready at its first poll runs and gives its place back at once.
    let one = Limiter::new(1);
    assert_eq!(one.try_run(async { 7 }).await, Ok(7), "ready work runs");
    assert_eq!(
        (one.in_flight(), one.try_run(async { 8 }).await),
        (0, Ok(8)),
        "work that was ready at its first poll is done: its place is free again"
    );

    // Work that panics gives its place back as the panic unwinds.
    let panicked = AssertUnwindSafe(one.try_run(async {
        std::panic::resume_unwind(Box::new("the work failed"));
    }))
    .catch_unwind()
    .await;
    assert!(panicked.is_err(), "the work's panic goes through try_run");
    assert_eq!(
        (one.in_flight(), one.try_run(async { 9 }).await),
        (0, Ok(9)),
        "the work panicked: its permit was dropped as the panic unwound, so the place is \
         free again. A place given back by hand after the work is never given back then"
    );
}

#[tokio::test(start_paused = true)]
async fn t10_waiting_submitters_get_in_first_come_first_served() {
    // A queue of 1 and five producers that come at 0 to 4 ms while the worker is busy:
    // from the second on, each waits in submit for room, and they get in in the order
    // they came.
    let (queue, worker) = spawn_worker(1, COST);
    queue.try_submit(100).unwrap();
    let start = Instant::now();
    let producers: Vec<_> = (0..5)
        .map(|n| {
            let queue = queue.clone();
            tokio::spawn(async move {
                sleep(ms(n)).await;
                queue.submit(n as u32).await.unwrap();
                start.elapsed()
            })
        })
        .collect();
    sleep(ms(5)).await;
    assert_eq!(
        queue.depth(),
        1,
        "at 5 ms the worker is on job 100, job 0 waits in the queue, and four producers \
         wait in submit for room: they are not in the queue yet, and depth does not \
         count them"
    );
    let mut returned = Vec::new();
    for producer in producers {
        returned.push(producer.await.expect("a producer panicked"));
    }
    drop(queue);
    let done = timeout(FOREVER, worker).await.unwrap().unwrap();
    assert_eq!(
        (done, returned),
        (vec![100, 0, 1, 2, 3, 4], ms_list(&[0, 10, 20, 30, 40])),
        "five producers came at 0, 1, 2, 3 and 4 ms to a queue of 1 while the worker \
         was on job 100: job 0 got the free place at once, and each of the others gets in \
         when the worker takes the job before it, every 10 ms, in the order they came (`send(…).await` waits in line; retrying `try_send` after a \
         sleep lets whoever retries first jump the line, and returns late)"
    );
}

#[tokio::test(start_paused = true)]
async fn t11_a_stopped_worker_throws_its_queue_away() {
    let (queue, worker) = spawn_worker(4, COST);
    for job in 0..3 {
        queue.try_submit(job).unwrap();
    }
    sleep(ms(5)).await; // working on job 0; jobs 1 and 2 wait
    assert_eq!(queue.depth(), 2, "two jobs wait");
    worker.abort();
    let _ = worker.await;
    assert_eq!(
        (queue.depth(), queue.try_submit(9)),
        (0, Err(Rejected::Closed)),
        "the worker is gone: the jobs it never took went with its queue, so none waits \
         any more (depth 0), and the queue is closed"
    );
}
