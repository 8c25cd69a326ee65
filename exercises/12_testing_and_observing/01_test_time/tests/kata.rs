//! Your check against debouncers: one right, twelve each broken in its own way. Each test
//! runs `check_debouncer` as a `#[tokio::test(start_paused = true)]` body would run it,
//! first on the correct debouncer (your check must pass it), then on one planted bug
//! (your check must return an `Err` or panic).
//!
//! Wrong answers these tests reject: each is a fixture in the solution's `wrong/`
//! folder, which `cargo xtask verify` runs against these tests, twice.
//! - `happy_path_only` (t02, t03, t04, t05, t06, t07, t08, t09, t10, t11, t12, t13): one value, awaited, its value checked: catches no bug
//! - `std_thread_sleep` (t01): `std::thread::sleep` for the quiet period: the paused clock stands still
//! - `advance_then_try_recv` (t01): steps with `advance`: the debouncer has not run when it returns
//! - `expects_quiet_after_the_first_value` (t01): reads the spec as a throttle and rejects the correct debouncer
//! - `short_silence_window` (t05): checks for silence for half a quiet period only
//! - `checks_the_task_ends_not_the_value` (t06, t07, t11): at close, asserts that the task returned, not what it sent
//! - `awaits_recv_without_timing` (t03, t07, t09, t10, t13): awaits each output and never measures when it came
//! - `never_joins_the_task` (t08, t12): never awaits the debouncer's `JoinHandle`: a panic in it goes unseen
//! - `value_awaited_not_sampled` (t09, t10, t11, t13): after a burst, awaits the output under a timeout: a late output passes
//! - `duplicate_burst_values` (t04, t10, t11): a burst of one value three times: the first and the latest look alike
//! - `close_only_with_value_waiting` (t08, t10, t11, t12): aborts the first debouncer instead of closing its input with nothing waiting
//! - `no_sample_just_before_deadline` (t13): samples only after each deadline, never 1 ms before it: a value that comes early passes
//! - mutant `replace * with / in check_debouncer`: the bound on the wait for the flush at close; any bound gives the same verdicts, since the flush must come at zero elapsed time
//!
//! Blind answers: 8 tried, 1 passed before this test file caught it (2026-12):
//! `value_awaited_not_sampled` (it timed only the flush at close, and every planted bug
//! that was late after a burst was late at close too; t09's is late after a burst only).
//! Two rejected ones named bugs the planted set lacked (a burst of equal values hides
//! one that skips a repeated value; a debouncer aborted, not closed, hides one that
//! resends at close): t10 to t12 plant those, and a 0 as the latest value (the spec
//! now says that every `u32` is a value and that a repeat is sent again). Not wrong, and no
//! planted bug depends on it: a debouncer 1 ms late, a check sampling on the deadline
//! itself (the blind `sampled_on_the_deadline` rejects the correct debouncer, t01: the
//! lesson says to sample 1 ms either side), and what happens on a full or closed output.
//! A second blind round (2026-12, after these tests): 6 tried, 1 passed:
//! `no_sample_just_before_deadline` (it sampled only after each deadline, and no planted
//! bug was early; t13 now, a debouncer that waits three quarters of the quiet period).

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::time::Duration;

use test_time::check_debouncer;
use tokio::sync::mpsc::{Receiver, Sender};
use tokio::time::{Instant, sleep, sleep_until};

/// What running a check gave.
#[derive(Debug)]
enum Verdict {
    Passed,
    Failed(String),
    Panicked(String),
    Hung,
}

/// Runs the learner's check on `debounce` in a fresh paused current-thread runtime, as a
/// `#[tokio::test(start_paused = true)]` body. A check still running after an hour of
/// virtual time is stopped and reported as hung.
fn run<D, Fut>(debounce: D) -> Verdict
where
    D: Fn(Duration, Receiver<u32>, Sender<u32>) -> Fut,
    Fut: Future<Output = ()> + Send + 'static,
{
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .start_paused(true)
        .build()
        .expect("a current-thread runtime");
    let outcome = catch_unwind(AssertUnwindSafe(|| {
        runtime.block_on(async {
            tokio::time::timeout(Duration::from_secs(3600), check_debouncer(debounce)).await
        })
    }));
    match outcome {
        Ok(Ok(Ok(()))) => Verdict::Passed,
        Ok(Ok(Err(error))) => Verdict::Failed(error),
        Ok(Err(_)) => Verdict::Hung,
        Err(payload) => Verdict::Panicked(
            payload
                .downcast_ref::<String>()
                .cloned()
                .or_else(|| payload.downcast_ref::<&str>().map(|s| s.to_string()))
                .unwrap_or_else(|| "a panic".to_string()),
        ),
    }
}

/// Your check must pass the correct debouncer: a test that fails correct code is broken.
fn accepts_the_correct_debouncer() {
    match run(correct) {
        Verdict::Passed => {}
        Verdict::Failed(error) | Verdict::Panicked(error) => panic!(
            "your check rejected a correct debouncer: {error}. A check that fails correct \
             code is a broken test. Is the clock where you think it is? `std::thread::sleep` \
             does not move it, and after `advance` the debouncer may not have run yet: \
             step with `tokio::time::sleep`"
        ),
        Verdict::Hung => panic!(
            "your check never finished on a correct debouncer (an hour of virtual time \
             passed): it awaits something that never comes, such as `recv()` on an output \
             whose debouncer is still running"
        ),
    }
}

/// Your check must reject `debounce`, whose bug is `bug`.
fn catches<D, Fut>(debounce: D, bug: &str)
where
    D: Fn(Duration, Receiver<u32>, Sender<u32>) -> Fut,
    Fut: Future<Output = ()> + Send + 'static,
{
    accepts_the_correct_debouncer();
    match run(debounce) {
        Verdict::Failed(_) | Verdict::Panicked(_) => {}
        Verdict::Passed => panic!("your check passed a debouncer that {bug}"),
        Verdict::Hung => panic!(
            "your check never finished on a debouncer that {bug} (an hour of virtual time \
             passed): a test that hangs is no verdict. Bound each wait (`timeout`, or \
             `advance` then `try_recv`)"
        ),
    }
}

/// The debouncer as specified.
async fn correct(quiet: Duration, mut input: Receiver<u32>, output: Sender<u32>) {
    let mut waiting = None;
    let deadline = sleep(quiet);
    tokio::pin!(deadline);
    loop {
        tokio::select! {
            biased;
            received = input.recv() => match received {
                Some(value) => {
                    waiting = Some(value);
                    deadline.as_mut().reset(Instant::now() + quiet);
                }
                None => {
                    if let Some(value) = waiting {
                        let _ = output.send(value).await;
                    }
                    return;
                }
            },
            () = &mut deadline, if waiting.is_some() => {
                if let Some(value) = waiting.take()
                    && output.send(value).await.is_err()
                {
                    return;
                }
            }
        }
    }
}

/// Starts the quiet period at the first value of a burst and never restarts it: a
/// throttle, not a debouncer.
async fn never_restarts(quiet: Duration, mut input: Receiver<u32>, output: Sender<u32>) {
    let mut waiting = None;
    let mut deadline = Instant::now();
    loop {
        tokio::select! {
            biased;
            received = input.recv() => match received {
                Some(value) => {
                    if waiting.is_none() {
                        deadline = Instant::now() + quiet;
                    }
                    waiting = Some(value);
                }
                None => {
                    if let Some(value) = waiting {
                        let _ = output.send(value).await;
                    }
                    return;
                }
            },
            () = sleep_until(deadline), if waiting.is_some() => {
                if let Some(value) = waiting.take() {
                    let _ = output.send(value).await;
                }
            }
        }
    }
}

/// Wakes up every quiet period and sends if nothing came since the last wake-up: the
/// value comes up to a whole quiet period late.
async fn polls_every_quiet_period(quiet: Duration, mut input: Receiver<u32>, output: Sender<u32>) {
    let mut waiting = None;
    loop {
        sleep(quiet).await;
        let mut fresh = false;
        loop {
            match input.try_recv() {
                Ok(value) => {
                    waiting = Some(value);
                    fresh = true;
                }
                Err(tokio::sync::mpsc::error::TryRecvError::Empty) => break,
                Err(tokio::sync::mpsc::error::TryRecvError::Disconnected) => {
                    if let Some(value) = waiting {
                        let _ = output.send(value).await;
                    }
                    return;
                }
            }
        }
        if !fresh && let Some(value) = waiting.take() {
            let _ = output.send(value).await;
        }
    }
}

/// Keeps the first value of a burst instead of the latest.
async fn keeps_the_first_value(quiet: Duration, mut input: Receiver<u32>, output: Sender<u32>) {
    let mut waiting = None;
    let deadline = sleep(quiet);
    tokio::pin!(deadline);
    loop {
        tokio::select! {
            biased;
            received = input.recv() => match received {
                Some(value) => {
                    waiting = waiting.or(Some(value));
                    deadline.as_mut().reset(Instant::now() + quiet);
                }
                None => {
                    if let Some(value) = waiting {
                        let _ = output.send(value).await;
                    }
                    return;
                }
            },
            () = &mut deadline, if waiting.is_some() => {
                if let Some(value) = waiting.take() {
                    let _ = output.send(value).await;
                }
            }
        }
    }
}

/// Marks the value sent but keeps its timer going: sends it again after every further
/// quiet period. (At close it sends only a value not sent yet: the repeats come from the
/// timer alone.)
async fn sends_it_again(quiet: Duration, mut input: Receiver<u32>, output: Sender<u32>) {
    let mut waiting = None;
    let mut fresh = false;
    let deadline = sleep(quiet);
    tokio::pin!(deadline);
    loop {
        tokio::select! {
            biased;
            received = input.recv() => match received {
                Some(value) => {
                    waiting = Some(value);
                    fresh = true;
                    deadline.as_mut().reset(Instant::now() + quiet);
                }
                None => {
                    if fresh && let Some(value) = waiting {
                        let _ = output.send(value).await;
                    }
                    return;
                }
            },
            () = &mut deadline, if waiting.is_some() => {
                if let Some(value) = waiting {
                    let _ = output.send(value).await;
                }
                fresh = false;
                deadline.as_mut().reset(Instant::now() + quiet);
            }
        }
    }
}

/// Returns as soon as the input closes: a value still waiting is lost.
async fn loses_the_last_value(quiet: Duration, mut input: Receiver<u32>, output: Sender<u32>) {
    let mut waiting = None;
    let deadline = sleep(quiet);
    tokio::pin!(deadline);
    loop {
        tokio::select! {
            biased;
            received = input.recv() => match received {
                Some(value) => {
                    waiting = Some(value);
                    deadline.as_mut().reset(Instant::now() + quiet);
                }
                None => return,
            },
            () = &mut deadline, if waiting.is_some() => {
                if let Some(value) = waiting.take() {
                    let _ = output.send(value).await;
                }
            }
        }
    }
}

/// Waits out the quiet period before sending the value left at close.
async fn flushes_late(quiet: Duration, mut input: Receiver<u32>, output: Sender<u32>) {
    let mut waiting = None;
    let deadline = sleep(quiet);
    tokio::pin!(deadline);
    loop {
        tokio::select! {
            biased;
            received = input.recv() => match received {
                Some(value) => {
                    waiting = Some(value);
                    deadline.as_mut().reset(Instant::now() + quiet);
                }
                None => {
                    if let Some(value) = waiting {
                        (&mut deadline).await;
                        let _ = output.send(value).await;
                    }
                    return;
                }
            },
            () = &mut deadline, if waiting.is_some() => {
                if let Some(value) = waiting.take() {
                    let _ = output.send(value).await;
                }
            }
        }
    }
}

/// Unwraps the waiting value when the input closes: panics if nothing is waiting. The
/// panic is the spawned task's: only its `JoinHandle` tells.
async fn unwraps_at_close(quiet: Duration, mut input: Receiver<u32>, output: Sender<u32>) {
    let mut waiting = None;
    let deadline = sleep(quiet);
    tokio::pin!(deadline);
    loop {
        tokio::select! {
            biased;
            received = input.recv() => match received {
                Some(value) => {
                    waiting = Some(value);
                    deadline.as_mut().reset(Instant::now() + quiet);
                }
                None => {
                    let value = waiting.expect("a value waiting at close");
                    let _ = output.send(value).await;
                    return;
                }
            },
            () = &mut deadline, if waiting.is_some() => {
                if let Some(value) = waiting.take() {
                    let _ = output.send(value).await;
                }
            }
        }
    }
}

/// Adds a quiet period to the deadline for each further value of a burst, instead of
/// restarting it from now: on time for a lone value and at close, late after a burst.
async fn pushes_the_deadline_back(quiet: Duration, mut input: Receiver<u32>, output: Sender<u32>) {
    let mut waiting = None;
    let deadline = sleep(quiet);
    tokio::pin!(deadline);
    loop {
        tokio::select! {
            biased;
            received = input.recv() => match received {
                Some(value) => {
                    let from = if waiting.is_some() {
                        deadline.deadline()
                    } else {
                        Instant::now()
                    };
                    waiting = Some(value);
                    deadline.as_mut().reset(from + quiet);
                }
                None => {
                    if let Some(value) = waiting {
                        let _ = output.send(value).await;
                    }
                    return;
                }
            },
            () = &mut deadline, if waiting.is_some() => {
                if let Some(value) = waiting.take() {
                    let _ = output.send(value).await;
                }
            }
        }
    }
}

/// Never sends a value equal to the last one it sent: a repeat is taken for no news.
async fn skips_a_repeated_value(quiet: Duration, mut input: Receiver<u32>, output: Sender<u32>) {
    let mut waiting = None;
    let mut last_sent = None;
    let deadline = sleep(quiet);
    tokio::pin!(deadline);
    loop {
        tokio::select! {
            biased;
            received = input.recv() => match received {
                Some(value) => {
                    waiting = Some(value);
                    deadline.as_mut().reset(Instant::now() + quiet);
                }
                None => {
                    if let Some(value) = waiting
                        && last_sent != Some(value)
                    {
                        let _ = output.send(value).await;
                    }
                    return;
                }
            },
            () = &mut deadline, if waiting.is_some() => {
                if let Some(value) = waiting.take()
                    && last_sent != Some(value)
                {
                    last_sent = Some(value);
                    let _ = output.send(value).await;
                }
            }
        }
    }
}

/// Keeps the waiting value in a plain `u32`, with 0 for "nothing waiting": a 0 that is
/// the latest value is never sent.
async fn zero_means_nothing_waiting(
    quiet: Duration,
    mut input: Receiver<u32>,
    output: Sender<u32>,
) {
    let mut waiting = 0;
    let deadline = sleep(quiet);
    tokio::pin!(deadline);
    loop {
        tokio::select! {
            biased;
            received = input.recv() => match received {
                Some(value) => {
                    waiting = value;
                    deadline.as_mut().reset(Instant::now() + quiet);
                }
                None => {
                    if waiting != 0 {
                        let _ = output.send(waiting).await;
                    }
                    return;
                }
            },
            () = &mut deadline, if waiting != 0 => {
                let _ = output.send(waiting).await;
                waiting = 0;
            }
        }
    }
}

/// Remembers the latest value apart from whether it is still due, and sends the latest
/// value at close whether or not it was sent already.
async fn resends_at_close(quiet: Duration, mut input: Receiver<u32>, output: Sender<u32>) {
    let mut latest = None;
    let mut due = false;
    let deadline = sleep(quiet);
    tokio::pin!(deadline);
    loop {
        tokio::select! {
            biased;
            received = input.recv() => match received {
                Some(value) => {
                    latest = Some(value);
                    due = true;
                    deadline.as_mut().reset(Instant::now() + quiet);
                }
                None => {
                    if let Some(value) = latest {
                        let _ = output.send(value).await;
                    }
                    return;
                }
            },
            () = &mut deadline, if due => {
                due = false;
                if let Some(value) = latest {
                    let _ = output.send(value).await;
                }
            }
        }
    }
}

/// Waits three quarters of the quiet period, not all of it (a margin "for the send"): the
/// value comes out a quarter of a quiet period early, after a burst and alone alike.
async fn fires_early(quiet: Duration, mut input: Receiver<u32>, output: Sender<u32>) {
    let early = quiet * 3 / 4;
    let mut waiting = None;
    let deadline = sleep(early);
    tokio::pin!(deadline);
    loop {
        tokio::select! {
            biased;
            received = input.recv() => match received {
                Some(value) => {
                    waiting = Some(value);
                    deadline.as_mut().reset(Instant::now() + early);
                }
                None => {
                    if let Some(value) = waiting {
                        let _ = output.send(value).await;
                    }
                    return;
                }
            },
            () = &mut deadline, if waiting.is_some() => {
                if let Some(value) = waiting.take() {
                    let _ = output.send(value).await;
                }
            }
        }
    }
}

#[test]
fn t01_your_check_passes_a_correct_debouncer() {
    accepts_the_correct_debouncer();
}

#[test]
fn t02_catches_a_quiet_period_that_is_not_restarted() {
    catches(
        never_restarts,
        "starts the quiet period at the first value of a burst and never restarts it (values \
         60 ms apart with a 100 ms quiet period come out 100 ms after the first). Send \
         values spaced in virtual time, and check that nothing comes out while they keep coming",
    );
}

#[test]
fn t03_catches_a_debouncer_that_is_late() {
    catches(
        polls_every_quiet_period,
        "wakes up once every quiet period and sends only if nothing came since its last \
         wake-up: the value comes out up to a whole quiet period late. Awaiting `recv()` on \
         a paused clock waits as long as it takes: advance to just past the deadline and \
         `try_recv`, or measure the wait with `tokio::time::Instant`",
    );
}

#[test]
fn t04_catches_the_wrong_value() {
    catches(
        keeps_the_first_value,
        "sends the first value of a burst instead of the latest, on time. Check what comes \
         out, not only when",
    );
}

#[test]
fn t05_catches_a_value_sent_twice() {
    catches(
        sends_it_again,
        "never clears the value it sent, so it sends it again after every further quiet \
         period. Check that nothing more comes out, long enough after the output",
    );
}

#[test]
fn t06_catches_a_value_lost_at_close() {
    catches(
        loses_the_last_value,
        "returns as soon as its input closes: the value still waiting is never sent. Test \
         the end too: drop the input with a value waiting",
    );
}

#[test]
fn t07_catches_a_late_flush_at_close() {
    catches(
        flushes_late,
        "waits out the quiet period before sending the value left at close: the spec says \
         at once. `recv().await` gets it anyway on a paused clock; measure the virtual time \
         it took with `tokio::time::Instant`",
    );
}

#[test]
fn t08_catches_a_panic_in_the_spawned_debouncer() {
    catches(
        unwraps_at_close,
        "panics when its input closes with nothing waiting. The panic happens in the \
         spawned task, not in your check: only awaiting its `JoinHandle` shows it, as a \
         `JoinError`",
    );
}

#[test]
fn t09_catches_a_debouncer_late_after_a_burst_only() {
    catches(
        pushes_the_deadline_back,
        "adds a quiet period to its deadline for each further value of a burst instead of \
         restarting it from the latest value: values 60 ms apart with a 100 ms quiet period \
         come out 200 ms after the last one, while a lone value and the flush at close are \
         on time. Time the output of a burst, not only the flush at close",
    );
}

#[test]
fn t10_catches_a_repeated_value_skipped() {
    catches(
        skips_a_repeated_value,
        "never sends a value equal to the last one it sent: a second burst that ends with \
         the same value sends nothing. Send the same value again after it came out, and \
         check that it comes out again",
    );
}

#[test]
fn t11_catches_zero_taken_for_nothing_waiting() {
    catches(
        zero_means_nothing_waiting,
        "keeps the waiting value in a plain `u32` with 0 for \"nothing waiting\": a 0 that \
         is the latest value is never sent, neither after the quiet period nor at close. \
         Values at the edges are values too: let 0 be the latest value somewhere",
    );
}

#[test]
fn t12_catches_a_value_resent_at_close() {
    catches(
        resends_at_close,
        "sends the latest value again when its input closes, although it was sent already \
         and nothing is waiting. Close a debouncer with nothing waiting too, and check that \
         nothing comes out before its output closes",
    );
}

#[test]
fn t13_catches_a_debouncer_that_is_early() {
    catches(
        fires_early,
        "waits only three quarters of the quiet period: values 60 ms apart with a 100 ms \
         quiet period come out 75 ms after the last one, and a lone value 75 ms after it \
         came. A value can come early as well as late, and silence while the burst goes on \
         does not show it: check that nothing has come out 1 ms before the deadline, not \
         only that the value is there 1 ms after",
    );
}
