//! Wrong answers these tests reject: each is a fixture in the solution's `wrong/`
//! folder, which `cargo xtask verify` runs against these tests, twice.
//! - `recv_unwrapped` (t02, t17): `answer.await.unwrap()`: a service that drops its callback makes the caller panic instead of returning `NoAnswer`
//! - `send_unwrapped` (t03): `reply.send(value).unwrap()` in the callback: a late answer panics inside the service once the caller gave up
//! - `collector_try_recv` (t04, t05): the collector drains with `try_recv` and stops when the queue is empty for a moment
//! - `collector_keeps_a_sender` (t04, t05): the collector task holds a clone of the sender, so the queue never closes and it never ends
//! - `publish_unwrapped` (t07): `send(event).unwrap()`: publishing with no subscriber panics
//! - `lag_ends_follow` (t08): any `recv` error ends `follow`, `Lagged` included
//! - `retained_as_given` (t09): `retained` is the capacity as given, but tokio rounds it up to a power of two
//! - `waits_for_a_change_first` (t10, t11): `while changed().await.is_ok()`: the current config is never applied
//! - `borrow_not_marked_seen` (t12): `borrow()` instead of `borrow_and_update()`: a value sent before the start is applied twice
//! - `ignores_closed` (t13): `let _ = config.changed().await`: once the publisher is gone the loop applies the last value forever
//! - `push_notify_waiters` (t14, t15, t18): `push` calls `notify_waiters`, which stores no permit: a push while the flusher is not waiting is lost
//! - `takes_one_per_wakeup` (t15, t16, t18): the flusher takes one message per wake-up, but pushes during a send leave one permit, not one per push
//! - `sends_empty_batches` (t16, t18): the flusher sends whatever it took, an empty batch after a stale permit included
//! - `bus_keeps_initial_receiver` (t06, t07): the bus keeps the channel's first `Receiver` so that publishing never fails: every count is one too many
//!
//! Blind answers: 8 tried, 0 passed before this test file (2026-12); one rejected,
//! `bus_keeps_initial_receiver`, is kept above. t17 has the service answer inside
//! `start`, drop the callback there, or answer from another thread; t18 plays generated
//! pushes (bursts at one instant, gaps shorter and longer than a send) against the
//! lesson's batching rule. A flusher that makes its `Notified` before it takes the
//! batch, with `push` calling `notify_waiters`, loses nothing: the lesson says so, and
//! it passes every test (checked by hand).
//!
//! No verdict depends on scheduling luck: everything runs on one thread in virtual
//! time, the two sides of a `join!` or a `biased` `select!` are polled in a fixed
//! order, and events that must be ordered happen at different instants (t18 moves a
//! push off the instant a send ends). t17's thread answers with no timer running, so the
//! paused clock cannot jump past it.
//!
//! Mutants: cargo-mutants finds 10 viable, all killed. It does not mutate inside
//! `select!` or method arguments: the fixtures stand in for those (`notify_waiters`
//! for `notify_one`, what `borrow` marks seen, which `recv` error ends the loop).

use std::cell::{Cell, RefCell};
use std::panic::AssertUnwindSafe;
use std::time::Duration;

use choosing_a_channel::{
    Bus, Callback, Followed, NoAnswer, Outbox, call, follow, follow_config, spawn_collector,
};
use tokio::sync::watch;
use tokio::task::JoinHandle;
use tokio::time::{Instant, sleep, sleep_until, timeout};

fn ms(n: u64) -> Duration {
    Duration::from_millis(n)
}

/// Long enough in virtual time that only a future that never finishes reaches it.
const FOREVER: Duration = Duration::from_secs(3600);

// ---------------------------------------------------------------------------------------
// oneshot

/// A callback-style service that answers `answer` from its own task after `after`.
fn answers(answer: &'static str, after: Duration) -> impl FnOnce(Callback<String>) {
    move |callback| {
        tokio::spawn(async move {
            sleep(after).await;
            callback(answer.to_string());
        });
    }
}

#[tokio::test(start_paused = true)]
async fn t01_call_returns_the_one_answer() {
    let start = Instant::now();
    let answer = timeout(FOREVER, call(answers("pong", ms(50))))
        .await
        .expect("call never returned although the service answered after 50 ms");
    assert_eq!(
        answer,
        Ok("pong".to_string()),
        "the service called the callback with \"pong\": call must return it"
    );
    assert_eq!(
        start.elapsed(),
        ms(50),
        "the answer came after 50 ms of virtual time: call should return right then"
    );
}

#[tokio::test(start_paused = true)]
async fn t02_a_dropped_callback_is_no_answer_not_a_hang() {
    let start = Instant::now();
    let service = |callback: Callback<String>| {
        tokio::spawn(async move {
            sleep(ms(50)).await;
            drop(callback); // the service failed: it will never answer
        });
    };
    let caller = tokio::spawn(timeout(FOREVER, call(service)));
    match caller.await {
        Ok(Ok(answer)) => assert_eq!(
            answer,
            Err(NoAnswer),
            "the service dropped the callback without calling it: that is Err(NoAnswer)"
        ),
        Ok(Err(_)) => panic!(
            "call was still waiting an hour after the service dropped its callback: \
             when a oneshot Sender is dropped unused, the Receiver gets an error at once; \
             return Err(NoAnswer) then"
        ),
        Err(err) => panic!(
            "call panicked ({err}) when the service dropped its callback: a oneshot \
             Receiver's error means \"no answer will come\", an Err(NoAnswer), not a bug"
        ),
    }
    assert_eq!(
        start.elapsed(),
        ms(50),
        "NoAnswer as soon as the callback is dropped"
    );
}

#[tokio::test(start_paused = true)]
async fn t03_an_answer_after_the_caller_gave_up_is_not_a_panic() {
    let mut service_task: Option<JoinHandle<()>> = None;
    let gave_up = timeout(
        ms(10),
        call(|callback: Callback<String>| {
            service_task = Some(tokio::spawn(async move {
                sleep(ms(50)).await;
                callback("too late".to_string());
            }));
        }),
    )
    .await;
    assert!(
        gave_up.is_err(),
        "the caller gives up after 10 ms, before the answer"
    );
    let service_task = service_task.expect("call must call `start` when first polled");
    if let Err(err) = service_task.await {
        panic!(
            "the service's task panicked ({err}) when it answered a caller that had gone: \
             oneshot's send fails once the Receiver is dropped, and that is not the \
             service's problem: ignore the error (`let _ = reply.send(value)`)"
        );
    }
}

// ---------------------------------------------------------------------------------------
// mpsc

#[tokio::test(start_paused = true)]
async fn t04_the_queue_delivers_every_line_in_order() {
    let (lines, collector) = spawn_collector(2);
    let burst = lines.clone();
    let slow = lines;
    tokio::spawn(async move {
        // 20 lines at once into a queue of 2: send waits whenever the queue is full.
        for n in 0..20 {
            burst.send(format!("burst {n}")).await.unwrap();
        }
        sleep(ms(10)).await;
        burst.send("burst end".to_string()).await.unwrap();
    });
    tokio::spawn(async move {
        sleep(ms(5)).await;
        slow.send("slow 1".to_string()).await.unwrap();
        sleep(ms(10)).await;
        slow.send("slow 2".to_string()).await.unwrap();
    });
    let got = timeout(FOREVER, collector)
        .await
        .expect(
            "the collector was still running an hour after both producers had finished \
             and dropped their senders: recv() returns None once every Sender is gone; \
             does the collector hold a Sender itself?",
        )
        .expect("the collector task panicked");
    let mut want: Vec<String> = (0..20).map(|n| format!("burst {n}")).collect();
    want.extend(["slow 1", "burst end", "slow 2"].map(String::from));
    assert_eq!(
        got, want,
        "two producers sent 23 lines in all, at 0, 5, 10 and 15 ms: the collector must \
         return every one, in the order the queue received them"
    );
}

#[tokio::test(start_paused = true)]
async fn t05_the_collector_ends_when_the_last_sender_drops() {
    let (first, collector) = spawn_collector(4);
    let second = first.clone();
    first.send("from first".to_string()).await.unwrap();
    drop(first);
    sleep(ms(1000)).await;
    assert!(
        !collector.is_finished(),
        "the collector ended while a Sender was still alive: an empty queue is not a \
         closed one; wait with recv().await, which returns None only once every Sender \
         is dropped"
    );
    second.send("from second".to_string()).await.unwrap();
    drop(second);
    let got = timeout(FOREVER, collector)
        .await
        .expect(
            "the collector was still running an hour after the last Sender was dropped: \
             does it hold a Sender itself?",
        )
        .expect("the collector task panicked");
    assert_eq!(got, ["from first", "from second"], "both lines, in order");
}

// ---------------------------------------------------------------------------------------
// broadcast

#[tokio::test(start_paused = true)]
async fn t06_every_subscriber_sees_every_event() {
    let bus = Bus::new(8);
    let first = tokio::spawn(follow(bus.subscribe()));
    let second = tokio::spawn(follow(bus.subscribe()));
    for event in 1..=3 {
        assert_eq!(
            bus.publish(event),
            2,
            "publish returns how many subscribers the event reached: two"
        );
        sleep(ms(10)).await;
    }
    drop(bus);
    for (name, follower) in [("first", first), ("second", second)] {
        let followed = timeout(FOREVER, follower)
            .await
            .unwrap_or_else(|_| {
                panic!(
                    "follow ({name}) was still running an hour after the bus was dropped: \
                     recv() gives RecvError::Closed then, and follow should return"
                )
            })
            .expect("follow panicked");
        assert_eq!(
            followed,
            Followed {
                seen: vec![1, 2, 3],
                missed: 0
            },
            "the {name} subscriber must see every event: a broadcast channel gives each \
             subscriber its own copy"
        );
    }
}

#[tokio::test(start_paused = true)]
async fn t07_publishing_with_no_subscriber_is_not_an_error() {
    let bus = Bus::new(4);
    let reached = std::panic::catch_unwind(AssertUnwindSafe(|| {
        let before = bus.publish("nobody listens");
        drop(bus.subscribe());
        (before, bus.publish("the only subscriber left"))
    }));
    assert_eq!(
        reached.ok(),
        Some((0, 0)),
        "publish panicked or counted wrong with no subscriber: broadcast's send returns \
         Err when nobody subscribes, and for a bus that means \"reached 0\", not a bug"
    );
}

#[tokio::test(start_paused = true)]
async fn t08_a_lagging_subscriber_counts_what_it_missed_and_goes_on() {
    let bus = Bus::new(2);
    let slow = bus.subscribe();
    for event in 1..=5 {
        bus.publish(event);
    }
    drop(bus);
    let followed = timeout(FOREVER, follow(slow))
        .await
        .expect("follow never returned although the bus was dropped");
    assert_eq!(
        followed,
        Followed {
            seen: vec![4, 5],
            missed: 3
        },
        "5 events went into a bus that keeps 2 before the subscriber read any: its first \
         recv() is Err(RecvError::Lagged(3)), and the receiver is still usable: the next \
         recv() gives 4, the oldest event kept. Count the 3 and go on"
    );
}

#[tokio::test(start_paused = true)]
async fn t09_retained_is_the_capacity_rounded_up_to_a_power_of_two() {
    // Two buses of capacity 3: one subscriber falls retained() events behind, the
    // other one event more.
    let mut followers = Vec::new();
    for extra in [0, 1] {
        let bus = Bus::new(3);
        let subscriber = bus.subscribe();
        for event in 0..bus.retained() + extra {
            bus.publish(event);
        }
        drop(bus);
        followers.push(follow(subscriber).await);
    }
    let (exact, one_more) = (&followers[0], &followers[1]);
    assert_eq!(
        (exact.missed, one_more.missed),
        (0, 1),
        "retained() says how far a subscriber can fall behind without loss: falling \
         retained() events behind must lose nothing, one more must lose exactly one. \
         broadcast::channel(3) keeps 4: tokio rounds the capacity up to a power of two"
    );
    for (capacity, keeps) in [(1, 1), (2, 2), (3, 4), (5, 8), (8, 8), (100, 128)] {
        assert_eq!(
            Bus::<u8>::new(capacity).retained(),
            keeps,
            "broadcast::channel({capacity}) keeps {keeps} events: the capacity is rounded \
             up to a power of two"
        );
    }
}

// ---------------------------------------------------------------------------------------
// watch

/// An `apply` for `follow_config` that takes `cost` and logs what it applied, and when.
/// It panics on its 20th call: no test sends that many versions.
struct Applied {
    start: Instant,
    log: RefCell<Vec<(u32, Duration)>>,
    calls: Cell<u32>,
}

impl Applied {
    fn new() -> Self {
        Self {
            start: Instant::now(),
            log: RefCell::new(Vec::new()),
            calls: Cell::new(0),
        }
    }

    async fn apply(&self, version: u32, cost: Duration) {
        self.calls.set(self.calls.get() + 1);
        assert!(
            self.calls.get() < 20,
            "apply was called 20 times, and no test sends that many versions: follow_config \
             goes on after the publisher is gone. changed() returns Err then: return"
        );
        self.log.borrow_mut().push((version, self.start.elapsed()));
        sleep(cost).await;
    }

    fn log(&self) -> Vec<(u32, Duration)> {
        self.log.borrow().clone()
    }
}

#[tokio::test(start_paused = true)]
async fn t10_the_current_config_is_applied_at_once() {
    let (publisher, config) = watch::channel(0);
    let applied = Applied::new();
    tokio::join!(
        follow_config(config, async |version| applied.apply(version, ms(0)).await),
        async move {
            sleep(ms(50)).await;
            drop(publisher);
        }
    );
    assert_eq!(
        applied.log(),
        [(0, ms(0))],
        "the configuration a service starts with is the channel's current value: apply \
         it at once (borrow_and_update), before waiting for a change"
    );
}

#[tokio::test(start_paused = true)]
async fn t11_a_slow_reader_gets_the_newest_config_not_a_backlog() {
    let (publisher, config) = watch::channel(0);
    let applied = Applied::new();
    let start = Instant::now();
    tokio::join!(
        follow_config(config, async |version| applied
            .apply(version, ms(100))
            .await),
        async move {
            for version in 1..=5 {
                sleep(ms(10)).await;
                publisher.send(version).unwrap();
            }
            sleep(ms(200)).await;
            publisher.send(6).unwrap();
            sleep(ms(10)).await;
        }
    );
    assert_eq!(
        applied.log(),
        [(0, ms(0)), (5, ms(100)), (6, ms(250))],
        "applying takes 100 ms; versions 1 to 5 came while 0 was being applied, so the \
         next to apply is 5 alone (a watch channel keeps the latest value, not a queue), \
         then 6 when it comes at 250 ms"
    );
    assert_eq!(
        start.elapsed(),
        ms(350),
        "the publisher left at 260 ms, while 6 was being applied: follow_config returns \
         when that apply ends, at 350 ms"
    );
}

#[tokio::test(start_paused = true)]
async fn t12_a_config_sent_before_the_start_is_applied_once() {
    let (publisher, config) = watch::channel(0);
    publisher.send(1).unwrap();
    let applied = Applied::new();
    tokio::join!(
        follow_config(config, async |version| applied.apply(version, ms(0)).await),
        async move {
            sleep(ms(50)).await;
            drop(publisher);
        }
    );
    assert_eq!(
        applied.log(),
        [(1, ms(0))],
        "version 1 was sent before follow_config started: apply it once. Reading it \
         with borrow() does not mark it seen, so changed() returns at once for the same \
         version; borrow_and_update() marks it seen"
    );
}

#[tokio::test(start_paused = true)]
async fn t13_following_ends_when_the_publisher_is_gone() {
    let (publisher, config) = watch::channel(7);
    drop(publisher);
    let applied = Applied::new();
    let caller = async {
        follow_config(config, async |version| applied.apply(version, ms(0)).await).await;
    };
    timeout(FOREVER, caller).await.expect(
        "follow_config did not return within an hour of the publisher leaving: \
         changed() returns Err once the Sender is gone and the value seen",
    );
    assert_eq!(
        applied.log(),
        [(7, ms(0))],
        "the value is still there after the publisher left: apply it, then return"
    );
}

// ---------------------------------------------------------------------------------------
// Notify

/// How long one `send` of a batch takes.
const SEND: Duration = Duration::from_millis(100);

/// Runs the flusher of `outbox` beside `script` until the script ends; returns each
/// batch the flusher sent, with the virtual time it was sent at.
async fn flush_while(
    outbox: &Outbox,
    script: impl Future<Output = ()>,
) -> Vec<(Vec<String>, Duration)> {
    let start = Instant::now();
    let batches = RefCell::new(Vec::new());
    tokio::select! {
        biased;
        () = outbox.run_flusher(async |batch| {
            batches.borrow_mut().push((batch, start.elapsed()));
            sleep(SEND).await;
        }) => panic!("run_flusher returned: it should run until it is dropped"),
        () = script => {}
    }
    batches.into_inner()
}

fn batch(messages: &[&str]) -> Vec<String> {
    messages.iter().map(|m| m.to_string()).collect()
}

#[tokio::test(start_paused = true)]
async fn t14_a_message_pushed_before_the_flusher_runs_is_sent() {
    let outbox = Outbox::new();
    outbox.push("early");
    let batches = flush_while(&outbox, sleep(ms(1000))).await;
    assert_eq!(
        batches,
        [(batch(&["early"]), ms(0))],
        "\"early\" was pushed before the flusher waited: the wake-up must not be lost. \
         notify_one stores a permit when nobody waits, and the next notified().await \
         takes it at once; notify_waiters wakes only those already waiting"
    );
}

#[tokio::test(start_paused = true)]
async fn t15_messages_pushed_during_a_send_go_in_the_next_batch() {
    let outbox = Outbox::new();
    let script = async {
        outbox.push("a");
        sleep(ms(10)).await;
        outbox.push("b");
        sleep(ms(10)).await;
        outbox.push("c");
        sleep(ms(1000)).await;
    };
    let batches = flush_while(&outbox, script).await;
    assert_eq!(
        batches,
        [(batch(&["a"]), ms(0)), (batch(&["b", "c"]), ms(100))],
        "\"a\" went out at once; \"b\" and \"c\" came while that send took 100 ms, so \
         they go together in the next batch. Two pushes leave one permit, not two: \
         Notify carries no count and no data, so take everything pending per wake-up"
    );
}

#[tokio::test(start_paused = true)]
async fn t16_a_stale_wake_up_sends_no_empty_batch() {
    let outbox = Outbox::new();
    let script = async {
        outbox.push("a");
        outbox.push("b");
        sleep(ms(1000)).await;
    };
    let batches = flush_while(&outbox, script).await;
    assert_eq!(
        batches,
        [(batch(&["a", "b"]), ms(0))],
        "the first push woke the waiting flusher, the second stored a permit; the \
         flusher took both in one batch, so when it takes that permit nothing is left. \
         An empty batch is not worth a send"
    );
}

#[tokio::test(start_paused = true)]
async fn t17_a_service_may_answer_before_call_waits_or_from_another_thread() {
    let start = Instant::now();
    let at_once = timeout(
        FOREVER,
        call(|callback: Callback<String>| callback("at once".to_string())),
    )
    .await;
    assert_eq!(
        (at_once, start.elapsed()),
        (Ok(Ok("at once".to_string())), ms(0)),
        "the service called the callback inside `start`, before call awaited anything: \
         the answer is already in the oneshot, and call returns it at once"
    );
    let dropped = timeout(FOREVER, call(|callback: Callback<String>| drop(callback))).await;
    assert_eq!(
        (dropped, start.elapsed()),
        (Ok(Err(NoAnswer)), ms(0)),
        "the service dropped the callback inside `start`: Err(NoAnswer) at once"
    );
    // No timeout around this one: with the clock paused, a timer would be moved to its
    // deadline while the runtime waits for the thread (the runner's time limit ends a
    // hang).
    let threaded = call(|callback: Callback<String>| {
        std::thread::spawn(move || callback("from a thread".to_string()));
    })
    .await;
    assert_eq!(
        threaded,
        Ok("from a thread".to_string()),
        "the service answered from a thread of its own: a oneshot Sender can be used \
         from any thread, and its send wakes the waiting call"
    );
}

#[test]
fn t18_any_pushes_are_sent_in_whole_batches() {
    use proptest::prelude::*;
    use proptest::test_runner::{Config, RngSeed, TestRunner};

    // Up to 10 pushes, each at the same instant as the one before or 1 to 250 ms
    // after it; every send takes 100 ms. No push falls on the instant a send ends (the
    // test moves it 1 ms later: which comes first would be the two futures' order).
    let gaps = proptest::collection::vec(prop_oneof![1 => Just(0u64), 3 => 1u64..=250], 0..=10);
    TestRunner::new(Config {
        cases: 150,
        rng_seed: RngSeed::Fixed(0x0901),
        failure_persistence: None,
        ..Config::default()
    })
    .run(&gaps, |gaps| {
        let send = SEND.as_millis() as u64;
        let mut at: Vec<u64> = gaps
            .iter()
            .scan(0, |now, gap| {
                *now += gap;
                Some(*now)
            })
            .collect();
        // The lesson's rules, one instant at a time: a waiting flusher takes everything
        // pending as soon as something is pushed; a busy one, when its send ends.
        let model = |at: &[u64]| -> Result<Vec<(Vec<String>, Duration)>, usize> {
            let mut batches = Vec::new();
            let mut pending: Vec<String> = Vec::new();
            let mut busy_until: Option<u64> = None;
            let mut next = 0;
            loop {
                let push_at = at.get(next).copied();
                let now = match (push_at, busy_until) {
                    (Some(p), Some(b)) if p == b => return Err(next),
                    (Some(p), Some(b)) => p.min(b),
                    (Some(p), None) => p,
                    (None, Some(b)) => b,
                    (None, None) => return Ok(batches),
                };
                if busy_until == Some(now) {
                    busy_until = None;
                }
                while at.get(next) == Some(&now) {
                    pending.push(format!("m{next}"));
                    next += 1;
                }
                if busy_until.is_none() && !pending.is_empty() {
                    batches.push((std::mem::take(&mut pending), ms(now)));
                    busy_until = Some(now + send);
                }
            }
        };
        let want = loop {
            match model(&at) {
                Ok(want) => break want,
                Err(i) => at[i..].iter_mut().for_each(|t| *t += 1),
            }
        };
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_time()
            .start_paused(true)
            .build()
            .unwrap();
        let outbox = Outbox::new();
        let got = runtime.block_on(flush_while(&outbox, async {
            let start = Instant::now();
            let mut n = 0;
            while n < at.len() {
                // One wait per instant: the pushes of an instant come without a pause.
                sleep_until(start + ms(at[n])).await;
                let now = at[n];
                while at.get(n) == Some(&now) {
                    outbox.push(format!("m{n}"));
                    n += 1;
                }
            }
            sleep(SEND * 20).await;
        }));
        let case = at
            .iter()
            .enumerate()
            .map(|(n, at)| format!("m{n} at {at} ms"))
            .collect::<Vec<_>>()
            .join(", ");
        prop_assert!(
            got == want,
            "pushes [{}], each send taking 100 ms: when the flusher waits, a push wakes it \
             and it sends everything pending as one batch; what is pushed during a send \
             goes in one batch as soon as that send ends; never an empty batch, never a \
             message twice or lost. Batches and when each was sent:\n  the flusher sent: \
             {:?}\nthe lesson asks: {:?}",
            case,
            got,
            want
        );
        Ok(())
    })
    .unwrap_or_else(|failure| panic!("the smallest case that breaks the promise: {failure}"));
}
