//! Wrong answers these tests reject: each is a fixture in the solution's `wrong/`
//! folder, which `cargo xtask verify` runs against these tests, twice.
//! - `task_per_request` (t03, t10, t11): the actor spawns a task per request, its counts behind a mutex: requests run at once, not one at a time in order
//! - `actor_keeps_a_handle` (t04, t07, t08, t12): the actor keeps a clone of its own handle (to send itself requests later), so its queue never closes
//! - `shutdown_on_drop` (t04, t10): dropping a handle sends the actor a shutdown request: the first clone dropped stops it for every other
//! - `reply_unwrapped` (t05, t10): `reply.send(total).unwrap()`: a caller that gave up makes the actor panic, and every other caller loses it
//! - `skips_abandoned_requests` (t05, t10): the actor skips a request whose caller stopped waiting, but a request is carried out once sent
//! - `handle_unwraps` (t06, t09): the handle unwraps the send and the reply: a stopped actor makes its callers panic instead of answering `ActorGone`
//! - `add_overflows` (t07, t12): a plain `+=`: a total past u64::MAX panics the actor (debug) instead of saturating
//! - `get_inserts_zero_entry` (t08, t12): a get goes through `entry(key).or_insert(0)`: a key only read appears in the final counts
//! - `get_swallows_actor_gone` (t09): a get whose reply never comes answers `Ok(0)`: a stopped actor passes for an empty one
//! - `skips_request_of_gone_caller` (t10): the actor skips a request whose caller gave up while it waited in the queue
//! - `unbounded_queue` (t13): `mpsc::unbounded_channel`: a burst of callers never waits, and every caller that gives up has sent
//!
//! Blind answers: 8 tried, 4 passed before this test file caught them (2026-12): the
//! four above. Before, no total came near u64::MAX, no test looked at the final counts
//! after a get, a get was never in flight or queued when the actor stopped, and callers
//! gave up only while the actor worked on their request. The lesson now says a get
//! changes nothing and what "sent" means (in the queue). t09 stops the actor with an add
//! and a get in flight, queued and sent after; t10 gives a caller up at six instants,
//! queued and in flight; t11 sends a burst of 100 (more than the queue); t12 plays
//! generated requests against a map (proptest).
//! A second blind round (2026-12, after these tests): 6 tried, 1 passed:
//! `unbounded_queue` (nothing said the queue was bounded; the lesson does now, and t13
//! sends 5000 impatient callers).
//!
//! No verdict depends on scheduling luck: the callers in t03 and t10 send at different
//! instants of virtual time, t11's callers send in the order they were spawned (a
//! current-thread runtime polls new tasks in that order, and a full queue lets its
//! waiting senders in first come, first served), and every other test has one caller
//! at a time.
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

#[tokio::test(start_paused = true)]
async fn t07_totals_saturate_at_u64_max() {
    let (counters, actor) = spawn_counters(COST);
    let steps = [
        ("big", u64::MAX - 1, u64::MAX - 1),
        ("big", 5, u64::MAX),
        ("big", u64::MAX, u64::MAX),
        ("fresh", u64::MAX, u64::MAX),
        ("fresh", 0, u64::MAX),
    ];
    for (key, amount, total) in steps {
        let answer = timeout(FOREVER, counters.add(key, amount)).await;
        assert_eq!(
            answer,
            Ok(Ok(total)),
            "add({key:?}, {amount}) must answer Ok({total}): a total saturates at \
             u64::MAX (`saturating_add`). A plain `+=` overflows: it panics in a debug \
             build, taking the actor down for every caller, and wraps round in release"
        );
    }
    drop(counters);
    let counts = timeout(FOREVER, actor)
        .await
        .expect("the actor was still running an hour after its last handle was dropped")
        .expect("the actor does not panic");
    assert_eq!(
        counts,
        BTreeMap::from([
            ("big".to_string(), u64::MAX),
            ("fresh".to_string(), u64::MAX)
        ]),
        "and the final counts say so"
    );
}

#[tokio::test(start_paused = true)]
async fn t08_a_get_leaves_the_counts_as_they_were() {
    let (counters, actor) = spawn_counters(COST);
    assert_eq!(
        counters.get("ghost").await,
        Ok(0),
        "a key never added to reads 0"
    );
    assert_eq!(counters.add("zero", 0).await, Ok(0), "an add of 0 totals 0");
    assert_eq!(counters.add("a", 2).await, Ok(2), "then a is 2");
    assert_eq!(counters.get("a").await, Ok(2), "and reads 2");
    drop(counters);
    let counts = timeout(FOREVER, actor)
        .await
        .expect("the actor was still running an hour after its last handle was dropped")
        .expect("the actor does not panic");
    assert_eq!(
        counts,
        BTreeMap::from([("a".to_string(), 2), ("zero".to_string(), 0)]),
        "the final counts hold every key added to (an add of 0 too) and no key that was \
         only read: a get answers 0 for \"ghost\" without putting it in the map \
         (`counts.get(&key)`, not `entry(key).or_insert(0)`)"
    );
}

#[tokio::test(start_paused = true)]
async fn t09_every_request_to_a_stopped_actor_is_actor_gone() {
    for method in ["add", "get"] {
        let (counters, actor) = spawn_counters(COST);
        let call = |at: u64| {
            let counters = counters.clone();
            tokio::spawn(async move {
                sleep(ms(at)).await;
                match method {
                    "add" => counters.add("a", 1).await,
                    _ => counters.get("a").await,
                }
            })
        };
        // In flight from 0 ms, queued behind it from 1 ms; the actor is stopped at 5 ms.
        let (in_flight, queued) = (call(0), call(1));
        sleep(ms(5)).await;
        actor.abort();
        let _ = actor.await;
        let after = call(0);
        for (stage, caller) in [
            ("in flight when the actor stopped", in_flight),
            ("still in the queue when the actor stopped", queued),
            ("sent after the actor stopped", after),
        ] {
            match caller.await {
                Ok(answer) => assert_eq!(
                    answer,
                    Err(ActorGone),
                    "a {method} {stage}: no answer will come, so it is Err(ActorGone), \
                     not a value made up for it (the oneshot Receiver's error, or the \
                     mpsc send's, both mean the actor is gone)"
                ),
                Err(err) => panic!(
                    "a {method} {stage}: the caller panicked ({err}); the actor being gone \
                     is Err(ActorGone)"
                ),
            }
        }
    }
}

#[tokio::test(start_paused = true)]
async fn t10_a_caller_that_gives_up_at_any_moment_is_still_served() {
    // Caller 1 adds 1 at 0 ms (served 0-10 ms); caller 2 adds 5 at 1 ms (queued until
    // 10 ms, served 10-20 ms) and gives up at each of these instants; caller 3 adds 10
    // at 6 ms.
    for gives_up in [2, 5, 9, 11, 15, 19] {
        let (counters, _actor) = spawn_counters(COST);
        let start = Instant::now();
        let timeline = Timeline::new();
        timeline.expect(format!(
            "caller 2 cut off at {gives_up} ms; caller 3 answered at 30 ms with 16"
        ));
        let caller = |n: u64, at: u64, amount: u64, limit: Duration| {
            let counters = counters.clone();
            let timeline = timeline.clone();
            tokio::spawn(async move {
                sleep(ms(at)).await;
                let adding = timeline.run(format!("caller {n}: add"), counters.add("a", amount));
                let answer = timeout(limit, adding).await.ok();
                (answer, start.elapsed())
            })
        };
        let first = caller(1, 0, 1, FOREVER);
        let second = caller(2, 1, 5, ms(gives_up - 1));
        let third = caller(3, 6, 10, FOREVER);
        let _ = first.await;
        let _ = second.await;
        let (answer, at) = third.await.expect("caller 3 does not panic");
        assert_eq!(
            (answer, at),
            (Some(Ok(16)), ms(30)),
            "caller 2 sent its add of 5 at 1 ms and gave up at {gives_up} ms, {}: the \
             request was sent, so the actor carries it out all the same (and it costs \
             its 10 ms), and caller 3's add of 10 comes after it: 1 + 5 + 10 at 30 ms\n\n{}",
            if gives_up < 10 {
                "while its request still waited in the queue"
            } else {
                "while the actor worked on it"
            },
            timeline.render()
        );
    }
}

#[tokio::test(start_paused = true)]
async fn t11_a_burst_of_callers_is_served_in_order() {
    // 100 callers at once: more than a queue of any modest size holds, so most of
    // them wait for room to send.
    let (counters, _actor) = spawn_counters(COST);
    let start = Instant::now();
    let callers: Vec<_> = (0..100)
        .map(|_| {
            let counters = counters.clone();
            tokio::spawn(async move { (counters.add("hits", 1).await, start.elapsed()) })
        })
        .collect();
    for (n, caller) in callers.into_iter().enumerate() {
        let n = n as u64;
        assert_eq!(
            caller.await.expect("a caller panicked"),
            (Ok(n + 1), ms(10 * (n + 1))),
            "100 callers sent an add at once: each is served in turn, in the order they \
             sent, 10 ms apiece, so caller {n} gets total {} at {} ms. A full queue makes \
             a caller wait for room (`send(…).await`), it is no error",
            n + 1,
            10 * (n + 1)
        );
    }
}

#[test]
fn t12_any_requests_against_a_map() {
    use proptest::prelude::*;
    use proptest::test_runner::{Config, RngSeed, TestRunner};

    // Up to 12 requests, one after the other, on 3 keys: gets, and adds of small
    // amounts, amounts near u64::MAX, or any.
    let amount = prop_oneof![0u64..10, (u64::MAX - 10)..=u64::MAX, any::<u64>()];
    let request = (0usize..3, proptest::option::of(amount));
    TestRunner::new(Config {
        cases: 100,
        rng_seed: RngSeed::Fixed(0x0902),
        failure_persistence: None,
        ..Config::default()
    })
    .run(&proptest::collection::vec(request, 0..12), |requests| {
        const KEYS: [&str; 3] = ["a", "b", "c"];
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_time()
            .start_paused(true)
            .build()
            .unwrap();
        let mut model: BTreeMap<String, u64> = BTreeMap::new();
        let want: Vec<u64> = requests
            .iter()
            .map(|&(key, amount)| match amount {
                Some(amount) => {
                    let total = model.entry(KEYS[key].to_string()).or_insert(0);
                    *total = total.saturating_add(amount);
                    *total
                }
                None => model.get(KEYS[key]).copied().unwrap_or(0),
            })
            .collect();
        let (got, counts, took) = runtime.block_on(async {
            let (counters, actor) = spawn_counters(COST);
            let start = Instant::now();
            let mut got = Vec::new();
            for &(key, amount) in &requests {
                let asked = async {
                    match amount {
                        Some(amount) => counters.add(KEYS[key], amount).await,
                        None => counters.get(KEYS[key]).await,
                    }
                };
                got.push(timeout(FOREVER, asked).await.ok().and_then(Result::ok));
            }
            let took = start.elapsed();
            drop(counters);
            (
                got,
                timeout(FOREVER, actor).await.ok().and_then(Result::ok),
                took,
            )
        });
        let case = requests
            .iter()
            .map(|&(key, amount)| match amount {
                Some(amount) => format!("add({:?}, {amount})", KEYS[key]),
                None => format!("get({:?})", KEYS[key]),
            })
            .collect::<Vec<_>>()
            .join(", ");
        let want: Vec<Option<u64>> = want.into_iter().map(Some).collect();
        let want_took = COST * requests.len() as u32;
        prop_assert!(
            (&got, &counts, took) == (&want, &Some(model.clone()), want_took),
            "{}: each add answers the key's new total (saturating at u64::MAX), each get \
             the key's total (0 if never added to), every request costs 10 ms, and when \
             the handle is dropped the actor returns the totals of the keys added to. \
             Answers, final counts, time taken:\n the actor gave: {:?}\nthe lesson asks: \
             {:?}",
            case,
            (&got, &counts, took),
            (&want, &Some(model), want_took)
        );
        Ok(())
    })
    .unwrap_or_else(|failure| panic!("the smallest case that breaks the promise: {failure}"));
}

#[tokio::test(start_paused = true)]
async fn t13_the_queue_is_bounded_and_an_impatient_burst_mostly_stays_out() {
    const CALLERS: u64 = 5000;
    let (counters, actor) = spawn_counters(COST);
    let mut callers = tokio::task::JoinSet::new();
    for _ in 0..CALLERS {
        let counters = counters.clone();
        // Each caller gives up 1 ms after it starts: by then the actor has served
        // nothing, so only the callers that found room in its queue have sent.
        callers.spawn(async move { timeout(ms(1), counters.add("k", 1)).await.is_err() });
    }
    drop(counters);
    while let Some(gave_up) = callers.join_next().await {
        assert!(
            gave_up.expect("a caller panicked"),
            "each caller gives up after 1 ms, before the actor (10 ms a request) answers"
        );
    }
    let counts = timeout(FOREVER, actor)
        .await
        .expect("the actor never ended after its last handle was dropped")
        .expect("the actor panicked");
    let sent = counts.get("k").copied().unwrap_or(0);
    assert!(
        (1..=1025).contains(&sent),
        "{CALLERS} callers each gave up after 1 ms, and {sent} of their adds were carried \
         out: the queue must be bounded (at most 1024 requests, and one in the actor's \
         hands), so that a burst waits for room and a caller that gives up while it waits \
         has sent nothing; an unbounded queue takes them all"
    );
}
