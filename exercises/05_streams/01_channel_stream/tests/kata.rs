//! Wrong answers these tests reject: each is a fixture in the solution's `wrong/`
//! folder, which `cargo xtask verify` runs against these tests, twice.
//! - `reads_everything_then_sends` (t01, t03, t04, t05, t07): the producer takes every reading first and sends them at the end
//! - `waits_for_a_finished_sensor` (t02, t04, t06): the producer keeps asking a finished sensor, its `Sender` never drops
//! - `fixed_large_buffer` (t03, t04, t05): a channel of 64 whatever `capacity` says, no backpressure
//! - `try_send_drops_readings` (t03, t04, t05, t07): `try_send`, a reading is dropped when the channel is full
//! - `ignores_the_send_error` (t05): `let _ = tx.send(..).await`, the producer works on for nobody
//! - `unwraps_the_send` (t05): `tx.send(..).await.unwrap()`, the producer panics when the stream is dropped
//! - `merged_in_one_task` (t06, t07): `merged` reads the sensors one after another in one task
//! - `merged_capacity_per_sensor` (t07): `merged` with a channel of `capacity * sensors.len()`
//!
//! Blind answers: 6 tried, 0 passed before this test file (2026-12). The lesson now says what the reviewer found unsaid: a capacity of 0 panics (as
//! `mpsc::channel` does), and the producer notices a dropped stream at its next send.
//!
//! (`unbounded_channel` is ruled out by the return type: it has its own stream type.)

use std::collections::HashSet;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use channel_stream::{Reading, Sensor, SensorStats, merged, readings};
use timeline::Timeline;
use tokio::time::{Instant, sleep};
use tokio_stream::StreamExt;

const PERIOD: Duration = Duration::from_millis(100);

/// A learner's hang becomes a verdict instead of a frozen test (virtual time: instant).
async fn within_an_hour<T>(fut: impl Future<Output = T>, what: &str) -> T {
    tokio::time::timeout(Duration::from_secs(3600), fut)
        .await
        .unwrap_or_else(|_| panic!("{what}"))
}

/// How long a `Watch` looks, and how often.
const WATCHED: Duration = Duration::from_secs(11);
const LOOK: Duration = Duration::from_millis(10);

/// Draws on a timeline each reading the watched sensors take, as an instant on
/// `sensor {id} read`. A sensor moves into the learner's task, so a spawned watcher
/// looks at its stats every 10ms of virtual time, at 5, 15, 25ms…: never at the same
/// moment as a reading (they end on whole 100ms), so what it sees does not depend on
/// which task runs first, and it only reads. It stops after 11s, so that a learner's
/// hang still reaches the hour's timeout at once. `render` looks once more first.
#[derive(Clone)]
struct Watch {
    timeline: Timeline,
    sensors: Arc<Mutex<Vec<Watched>>>,
}

/// A watched sensor's id, its stats and how many of its readings are drawn.
type Watched = (u32, Arc<SensorStats>, u32);

impl Watch {
    fn new(timeline: &Timeline) -> Watch {
        let watch = Watch {
            timeline: timeline.clone(),
            sensors: Arc::default(),
        };
        let watcher = watch.clone();
        tokio::spawn(async move {
            let start = Instant::now();
            sleep(LOOK / 2).await;
            while start.elapsed() < WATCHED {
                watcher.look();
                sleep(LOOK).await;
            }
        });
        watch
    }

    fn sensor(&self, id: u32, stats: Arc<SensorStats>) {
        self.sensors.lock().unwrap().push((id, stats, 0));
    }

    /// Draws the readings taken since the last look.
    fn look(&self) {
        for (id, stats, seen) in self.sensors.lock().unwrap().iter_mut() {
            let taken = stats.taken();
            for _ in *seen..taken {
                self.timeline.start(format!("sensor {id} read")).end();
            }
            *seen = taken.max(*seen);
        }
    }

    fn render(&self) -> String {
        self.look();
        self.timeline.render()
    }
}

#[tokio::test(start_paused = true)]
async fn t01_readings_arrive_in_order_as_they_are_taken() {
    let start = Instant::now();
    let timeline = Timeline::new();
    let watch = Watch::new(&timeline);
    timeline.expect("each next() waits 100 ms: readings at 100, 200 and 300 ms");
    let sensor = Sensor::new(1, 3, PERIOD);
    watch.sensor(1, sensor.stats());
    let mut stream = readings(sensor, 8);
    let mut seen = Vec::new();
    for i in 1..=3 {
        let reading = within_an_hour(
            timeline.run(format!("next() #{i}"), stream.next()),
            "a reading never arrived",
        )
        .await;
        seen.push((reading, start.elapsed()));
    }
    let expected: Vec<_> = (0..3)
        .map(|seq| (Some(Reading { sensor: 1, seq }), PERIOD * (seq + 1)))
        .collect();
    assert_eq!(
        seen,
        expected,
        "each reading takes 100ms: the stream must yield reading n at (n+1) * 100ms, as \
         soon as the producer task sends it, not all of them at the end\n\n{}",
        watch.render()
    );
}

#[tokio::test(start_paused = true)]
async fn t02_the_stream_ends_when_the_producer_is_done() {
    let start = Instant::now();
    let timeline = Timeline::new();
    let watch = Watch::new(&timeline);
    timeline.expect("collect() ends with the 3rd reading, at 300 ms");
    let sensor = Sensor::new(1, 3, PERIOD);
    watch.sensor(1, sensor.stats());
    let stream = readings(sensor, 8);
    let all: Vec<Reading> = within_an_hour(
        timeline.run("collect()", stream.collect()),
        "the stream never ended: a ReceiverStream yields None only once every Sender is \
         dropped. Let the producer task end (and its Sender with it) when the sensor \
         returns None",
    )
    .await;
    assert_eq!(all.len(), 3, "three readings, then the end");
    assert_eq!(
        start.elapsed(),
        PERIOD * 3,
        "the stream should end right after the last reading, when the producer drops its \
         Sender\n\n{}",
        watch.render()
    );
}

#[tokio::test(start_paused = true)]
async fn t03_a_bounded_channel_holds_back_a_fast_producer() {
    let sensor = Sensor::new(1, 10, PERIOD);
    let stats = sensor.stats();
    let timeline = Timeline::new();
    let watch = Watch::new(&timeline);
    timeline.expect("3 readings, at 100, 200 and 300 ms, then none: the producer waits in send");
    watch.sensor(1, stats.clone());
    let _stream = readings(sensor, 2);
    sleep(Duration::from_secs(5)).await; // nobody reads the stream meanwhile
    assert!(
        !stats.is_dropped(),
        "the stream is still alive and the sensor has readings left: the producer task must \
         still own the sensor, waiting in send().await\n\n{}",
        watch.render()
    );
    assert_eq!(
        stats.taken(),
        3,
        "nobody read the stream for 5s: with capacity 2, the producer fills the channel \
         (2 readings), takes a 3rd and then waits in send().await for room. It took {} \
         readings: is the channel bounded by `capacity`?\n\n{}",
        stats.taken(),
        watch.render()
    );
}

#[tokio::test(start_paused = true)]
async fn t04_each_reading_consumed_lets_the_producer_take_one_more() {
    let sensor = Sensor::new(1, 10, PERIOD);
    let stats = sensor.stats();
    let timeline = Timeline::new();
    let watch = Watch::new(&timeline);
    timeline.expect("3 readings by 300 ms, then one more only after the next() at 5000 ms");
    watch.sensor(1, stats.clone());
    let mut stream = readings(sensor, 2);
    sleep(Duration::from_secs(5)).await;
    timeline.start("next()").end();
    let first = stream.next().await;
    assert_eq!(
        first,
        Some(Reading { sensor: 1, seq: 0 }),
        "the oldest reading comes first"
    );
    sleep(Duration::from_secs(5)).await;
    assert_eq!(
        stats.taken(),
        4,
        "one reading consumed frees one slot: the waiting send completes and the producer \
         takes exactly one more reading before it waits again (it took {})\n\n{}",
        stats.taken(),
        watch.render()
    );
    let rest: Vec<u32> =
        within_an_hour(stream.map(|r| r.seq).collect(), "the stream never ended").await;
    assert_eq!(
        rest,
        (1..10).collect::<Vec<_>>(),
        "no reading may be lost while the channel is full\n\n{}",
        watch.render()
    );
}

#[tokio::test(start_paused = true)]
async fn t05_dropping_the_stream_stops_the_producer() {
    let sensor = Sensor::new(1, 10, PERIOD);
    let stats = sensor.stats();
    let timeline = Timeline::new();
    let watch = Watch::new(&timeline);
    timeline.expect("3 readings by 300 ms, and none after the stream is dropped at 5000 ms");
    watch.sensor(1, stats.clone());
    let stream = readings(sensor, 2);
    sleep(Duration::from_secs(5)).await;
    drop(stream);
    timeline.start("stream dropped").end();
    sleep(Duration::from_secs(5)).await;
    assert!(
        !stats.was_dropped_by_panic(),
        "the producer task panicked when the stream was dropped: send() returns Err once the \
         receiver is gone, and that is the signal to stop, not a bug to unwrap\n\n{}",
        watch.render()
    );
    assert_eq!(
        (stats.taken(), stats.is_dropped()),
        (3, true),
        "the consumer is gone: the producer must stop (and drop the sensor) instead of \
         taking readings nobody will see. Taken: {}\n\n{}",
        stats.taken(),
        watch.render()
    );

    // The probe itself: a sensor dropped by a panicking task says so.
    let sensor = Sensor::new(2, 1, PERIOD);
    let probe = sensor.stats();
    let crashed = tokio::spawn(async move {
        let _owned = sensor;
        panic!("a producer crashed (a panic the test caused on purpose)");
    })
    .await;
    assert!(
        crashed.is_err() && probe.was_dropped_by_panic(),
        "SensorStats must see a sensor dropped by a panic, or the check above proves nothing"
    );
}

#[tokio::test(start_paused = true)]
async fn t06_merged_reads_all_sensors_at_once_and_ends_after_the_last() {
    let start = Instant::now();
    let timeline = Timeline::new();
    let watch = Watch::new(&timeline);
    timeline.expect("sensors 1 and 2 side by side from 100 ms, collect() ends at 500 ms");
    let sensors = vec![
        Sensor::new(1, 2, PERIOD),
        Sensor::new(2, 5, PERIOD),
        Sensor::new(3, 0, PERIOD),
    ];
    for (id, sensor) in (1..).zip(&sensors) {
        watch.sensor(id, sensor.stats());
    }
    let all: Vec<Reading> = within_an_hour(
        timeline.run("collect()", merged(sensors, 4).collect()),
        "the merged stream never ended: every producer holds a clone of the Sender, and the \
         original one must not outlive them",
    )
    .await;
    let got: HashSet<Reading> = all.iter().copied().collect();
    let expected: HashSet<Reading> = (0..2)
        .map(|seq| Reading { sensor: 1, seq })
        .chain((0..5).map(|seq| Reading { sensor: 2, seq }))
        .collect();
    assert_eq!(
        (all.len(), got),
        (7, expected),
        "every reading of every sensor, once; sensor 3 has none, and its producer finishing \
         first must not end the stream"
    );
    assert_eq!(
        start.elapsed(),
        PERIOD * 5,
        "sensors of 2 and 5 readings took {:?}: with one producer task each, they run \
         concurrently and the stream ends with the slowest, at 500ms\n\n{}",
        start.elapsed(),
        watch.render()
    );
}

#[tokio::test(start_paused = true)]
async fn t07_merged_shares_one_bounded_channel() {
    let sensors: Vec<Sensor> = (1..=3).map(|id| Sensor::new(id, 10, PERIOD)).collect();
    let stats: Vec<_> = sensors.iter().map(Sensor::stats).collect();
    let timeline = Timeline::new();
    let watch = Watch::new(&timeline);
    timeline.expect("5 readings in all by 200 ms, then none: 2 in the channel, 1 per producer");
    for (id, stats) in (1..).zip(&stats) {
        watch.sensor(id, stats.clone());
    }
    let _stream = merged(sensors, 2);
    sleep(Duration::from_secs(5)).await; // nobody reads the stream meanwhile
    let taken: u32 = stats.iter().map(|s| s.taken()).sum();
    assert_eq!(
        taken,
        5,
        "nobody read the merged stream for 5s: its one channel of capacity 2 holds 2 \
         readings, and each of the 3 producers took one more and waits in send().await, 5 in \
         all. They took {taken}: is the capacity shared by all producers?\n\n{}",
        watch.render()
    );
}

#[test]
fn t08_any_capacity_any_pace_the_producer_stays_at_most_capacity_plus_one_ahead() {
    use proptest::prelude::*;
    use proptest::test_runner::{Config, RngSeed, TestRunner};

    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_time()
        .start_paused(true)
        .build()
        .unwrap();
    // A channel of 1 to 5, a sensor of 0 to 12 readings, a consumer that takes k of
    // them one at a time, slowly, then the rest.
    let cases = (1usize..6, 0u32..13)
        .prop_flat_map(|(capacity, count)| (Just(capacity), Just(count), 0..=count));
    TestRunner::new(Config {
        cases: 120,
        rng_seed: RngSeed::Fixed(0x0501),
        failure_persistence: None,
        ..Config::default()
    })
    .run(&cases, |(capacity, count, k)| {
        let (taken_after_k, rest) = runtime.block_on(async {
            let sensor = Sensor::new(1, count, PERIOD);
            let stats = sensor.stats();
            let mut stream = readings(sensor, capacity);
            let mut seqs = Vec::new();
            for _ in 0..k {
                sleep(Duration::from_secs(5)).await;
                if let Ok(Some(reading)) =
                    tokio::time::timeout(Duration::from_secs(3600), stream.next()).await
                {
                    seqs.push(reading.seq);
                }
            }
            sleep(Duration::from_secs(5)).await;
            let taken = stats.taken();
            let rest = tokio::time::timeout(
                Duration::from_secs(3600),
                stream.map(|r| r.seq).collect::<Vec<_>>(),
            )
            .await;
            seqs.extend(rest.unwrap_or_default());
            (taken, seqs)
        });
        let ahead = (k + capacity as u32 + 1).min(count);
        prop_assert_eq!(
            taken_after_k,
            ahead,
            "a sensor of {} readings, a channel of {}, {} readings consumed (slowly): the \
             producer fills the channel and takes one more that waits in its send, so it \
             has taken {} readings, never more (backpressure), never fewer",
            count,
            capacity,
            k,
            ahead
        );
        prop_assert_eq!(
            rest,
            (0..count).collect::<Vec<_>>(),
            "a sensor of {} readings, a channel of {}: every reading, in order, none lost, \
             then the end of the stream",
            count,
            capacity
        );
        Ok(())
    })
    .unwrap_or_else(|failure| panic!("the smallest case that breaks the promise: {failure}"));
}
