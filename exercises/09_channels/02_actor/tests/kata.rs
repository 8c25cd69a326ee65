//! Wrong answers these tests reject: each is a fixture in the solution's `wrong/`
//! folder, which `cargo xtask verify` runs against these tests, twice.
//! - `task_per_request` (t03): the actor spawns a task per request, its counts behind a mutex: requests run at once, not one at a time in order
//! - `actor_keeps_a_handle` (t04): the actor keeps a clone of its own handle (to send itself requests later), so its queue never closes
//! - `shutdown_on_drop` (t04): dropping a handle sends the actor a shutdown request: the first clone dropped stops it for every other
//! - `reply_unwrapped` (t05): `reply.send(total).unwrap()`: a caller that gave up makes the actor panic, and every other caller loses it
//! - `skips_abandoned_requests` (t05): the actor skips a request whose caller stopped waiting, but a request is carried out once sent
//! - `handle_unwraps` (t06): the handle unwraps the send and the reply: a stopped actor makes its callers panic instead of answering `ActorGone`
//!
//! No verdict depends on scheduling luck: the callers in t03 send at different instants
//! of virtual time, and every other test has one caller at a time.
//!
//! Mutants: cargo-mutants finds 11 viable, all killed.

use std::collections::BTreeMap;
use std::time::Duration;

use actor::{ActorGone, spawn_counters};
use timeline::Timeline;
use tokio::time::{Instant, sleep, timeout};

/// What every request costs the actor, in virtual time.
const COST: Duration = Duration::from_millis(10);

/// Long enough in virtual time that only a future that never finishes reaches it.
const FOREVER: Duration = Duration::from_secs(3600);

fn ms(n: u64) -> Duration {
    Duration::from_millis(n)
}

#[tokio::test(start_paused = true)]
async fn t01_add_returns_the_new_total_and_get_reads_it() {
    let (counters, _actor) = spawn_counters(COST);
    let start = Instant::now();
    assert_eq!(
        counters.add("apples", 2).await,
        Ok(2),
        "apples start at 0: 0 + 2"
    );
    assert_eq!(counters.add("apples", 3).await, Ok(5), "then 2 + 3");
    assert_eq!(counters.get("apples").await, Ok(5), "get reads the total");
    assert_eq!(
        counters.get("pears").await,
        Ok(0),
        "a key never added to counts 0"
    );
    assert_eq!(
        start.elapsed(),
        ms(40),
        "four requests, one after the other, each costing the actor 10 ms"
    );
}

#[tokio::test(start_paused = true)]
async fn t02_every_clone_talks_to_the_same_actor() {
    let (counters, _actor) = spawn_counters(COST);
    let other = counters.clone();
    other.add("shared", 7).await.unwrap();
    assert_eq!(
        counters.get("shared").await,
        Ok(7),
        "a clone of the handle is another Sender into the same actor's queue: what one \
         clone adds, another reads"
    );
}

#[tokio::test(start_paused = true)]
async fn t03_requests_are_served_one_at_a_time_in_order() {
    let (counters, _actor) = spawn_counters(COST);
    let start = Instant::now();
    let timeline = Timeline::new();
    timeline.expect("answers at 10, 20 and 30 ms: each caller waits for the one before it");
    let callers: Vec<_> = (0..3)
        .map(|n| {
            let counters = counters.clone();
            let timeline = timeline.clone();
            tokio::spawn(async move {
                sleep(ms(n)).await; // caller n sends at n ms
                let adding = counters.add("hits", 1);
                let total = timeline.run(format!("caller {n}: add"), adding).await;
                (total, start.elapsed())
            })
        })
        .collect();
    let mut answers = Vec::new();
    for caller in callers {
        answers.push(caller.await.expect("a caller panicked"));
    }
    assert_eq!(
        answers,
        [(Ok(1), ms(10)), (Ok(2), ms(20)), (Ok(3), ms(30))],
        "three callers sent at 0, 1 and 2 ms; the actor serves one request at a time, in \
         the order they came, 10 ms each: that is what keeps its state consistent without \
         a lock. Answers all at about 10 ms mean the requests ran at once\n\n{}",
        timeline.render()
    );
}

#[tokio::test(start_paused = true)]
async fn t04_the_actor_ends_when_the_last_handle_drops() {
    let (first, actor) = spawn_counters(COST);
    let second = first.clone();
    first.add("a", 1).await.unwrap();
    drop(first);
    sleep(ms(1000)).await;
    assert!(
        !actor.is_finished(),
        "the actor stopped when one handle was dropped, although a clone was still in \
         use: it must run while any handle lives"
    );
    assert_eq!(
        second.add("b", 2).await,
        Ok(2),
        "the remaining clone still gets answers"
    );
    drop(second);
    let counts = timeout(FOREVER, actor)
        .await
        .expect(
            "the actor was still running an hour after its last handle was dropped: its \
             recv() returns None only once every Sender is gone; does the actor hold one?",
        )
        .expect("the actor panicked");
    assert_eq!(
        counts,
        BTreeMap::from([("a".to_string(), 1), ("b".to_string(), 2)]),
        "when the last handle is dropped the actor ends and returns its final counts"
    );
}

#[tokio::test(start_paused = true)]
async fn t05_a_caller_that_gives_up_is_no_error_for_the_actor() {
    let (counters, _actor) = spawn_counters(COST);
    let gave_up = timeout(ms(5), counters.add("a", 5)).await;
    assert!(
        gave_up.is_err(),
        "the first caller gives up after 5 ms, before its answer"
    );
    assert_eq!(
        counters.add("a", 1).await,
        Ok(6),
        "the actor must go on serving after a caller gave up: the reply's send fails \
         then, and that is not the actor's error. And the first add was sent, so it is \
         carried out: 5 + 1"
    );
}

#[tokio::test(start_paused = true)]
async fn t06_a_stopped_actor_answers_actor_gone() {
    let (counters, actor) = spawn_counters(COST);
    let in_flight = {
        let counters = counters.clone();
        tokio::spawn(async move { counters.add("a", 1).await })
    };
    sleep(ms(5)).await; // the actor is working on that add
    actor.abort();
    let _ = actor.await;
    match in_flight.await {
        Ok(answer) => assert_eq!(
            answer,
            Err(ActorGone),
            "the actor was stopped while working on this add: it dropped the request, \
             reply Sender and all, so the answer is Err(ActorGone)"
        ),
        Err(err) => panic!(
            "a caller panicked ({err}) when the actor stopped mid-request: the oneshot \
             Receiver's error means the actor is gone, Err(ActorGone)"
        ),
    }
    let later = tokio::spawn(async move { counters.get("a").await });
    match later.await {
        Ok(answer) => assert_eq!(
            answer,
            Err(ActorGone),
            "a request to a stopped actor: the mpsc send fails, Err(ActorGone)"
        ),
        Err(err) => panic!(
            "a caller panicked ({err}) sending to a stopped actor: the mpsc send's error \
             means the actor is gone, Err(ActorGone)"
        ),
    }
}
