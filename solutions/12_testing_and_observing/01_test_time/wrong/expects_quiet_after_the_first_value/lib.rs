//! Wrong: reads the spec as a throttle: expects the output a quiet period after the first value of the burst
//! Testing time: a check that holds any debouncer to its spec, on a paused clock.

use std::time::Duration;

use tokio::sync::mpsc::{self, error::TryRecvError};
use tokio::task::JoinHandle;
use tokio::time::{Instant, sleep, timeout};

/// The spec every debouncer under test is held to. `debounce(quiet, input, output)` is an
/// async function that runs until `input` closes:
///
/// - each value received on `input` starts the quiet period again, from zero;
/// - once `quiet` has passed with no new value, the *latest* value received is sent on
///   `output`, once: the values before it in that burst are dropped;
/// - when `input` closes, a value still waiting is sent at once (no waiting out the quiet
///   period), and then the debouncer returns;
/// - nothing else is ever sent.
///
/// `check_debouncer` is run as the body of a `#[tokio::test(start_paused = true)]` test:
/// a current-thread runtime whose clock stands still until `tokio::time::advance` moves it
/// or every task is waiting on a timer. It starts the debouncer with
/// `tokio::spawn(debounce(quiet, input, output))` (a channel of its own on each side, a
/// quiet period of its choice) and returns `Ok(())` if it behaves, or an `Err` saying
/// what it got wrong (a panic, such as a failed `assert!`, counts as an error too).
pub async fn check_debouncer<D, Fut>(debounce: D) -> Result<(), String>
where
    D: Fn(Duration, mpsc::Receiver<u32>, mpsc::Sender<u32>) -> Fut,
    Fut: Future<Output = ()> + Send + 'static,
{
    let quiet = ms(100);

    // The clock moves by `sleep`: on a paused clock the runtime first runs every task that
    // can run (the debouncer takes its value, or sends its output), and only then jumps to
    // the next timer. (`advance` jumps at once: a task it wakes may not have run yet when
    // it returns.)

    // A burst of values 60 ms apart: each one restarts the quiet period.
    let (input, mut output, task) = start(&debounce, quiet);
    for value in [1, 2, 3] {
        send(&input, value).await?;
        sleep(ms(60)).await;
    }
    // Checked at 180 ms, past 100 ms after the first value.
    // 180 ms: the last value came at 120 ms, the first quiet period ended long ago.
    // 221 ms: 1 ms after it ended. (Not at 220 ms exactly: at the very instant the
    // debouncer's timer fires, whether it has run yet is up to the scheduler.)
    match output.try_recv() {
        Ok(3) => {}
        Ok(other) => {
            return Err(format!(
                "after a burst of 1, 2, 3 the debouncer sent {other}: it must send the latest value"
            ));
        }
        Err(_) => {
            return Err(
                "nothing was sent 101 ms after the last value of a burst: the quiet period \
                 is 100 ms"
                    .to_string(),
            );
        }
    }
    sleep(quiet * 10).await;
    expect_nothing(
        &mut output,
        "ten quiet periods after the burst's one output",
    )?;
    drop(input);
    finish(task).await?;

    // Closing the input sends the waiting value at once.
    let (input, mut output, task) = start(&debounce, quiet);
    send(&input, 7).await?;
    sleep(ms(10)).await;
    drop(input);
    let closed = Instant::now();
    let flushed = timeout(quiet * 10, output.recv()).await;
    match flushed {
        Ok(Some(7)) if closed.elapsed().is_zero() => {}
        Ok(Some(7)) => {
            return Err(format!(
                "the waiting value came {:?} after the input closed: it must come at once",
                closed.elapsed()
            ));
        }
        Ok(Some(other)) => return Err(format!("the input closed with 7 waiting, got {other}")),
        Ok(None) => {
            return Err("the input closed with 7 waiting, and 7 was never sent".to_string());
        }
        Err(_) => return Err("the input closed with 7 waiting: nothing came".to_string()),
    }
    finish(task).await?;
    match output.try_recv() {
        Err(TryRecvError::Disconnected) => Ok(()),
        Ok(value) => Err(format!("after the flush at close, {value} was sent too")),
        Err(TryRecvError::Empty) => Err("the debouncer returned, yet its output is open".into()),
    }
}

fn ms(n: u64) -> Duration {
    Duration::from_millis(n)
}

type Started = (mpsc::Sender<u32>, mpsc::Receiver<u32>, JoinHandle<()>);

fn start<D, Fut>(debounce: &D, quiet: Duration) -> Started
where
    D: Fn(Duration, mpsc::Receiver<u32>, mpsc::Sender<u32>) -> Fut,
    Fut: Future<Output = ()> + Send + 'static,
{
    let (input, input_rx) = mpsc::channel(16);
    let (output_tx, output) = mpsc::channel(16);
    let task = tokio::spawn(debounce(quiet, input_rx, output_tx));
    (input, output, task)
}

async fn send(input: &mpsc::Sender<u32>, value: u32) -> Result<(), String> {
    input
        .send(value)
        .await
        .map_err(|_| format!("the debouncer stopped receiving before value {value}"))
}

fn expect_nothing(output: &mut mpsc::Receiver<u32>, when: &str) -> Result<(), String> {
    match output.try_recv() {
        Err(TryRecvError::Empty) => Ok(()),
        Ok(value) => Err(format!("{when}, the debouncer sent {value}: too early")),
        Err(TryRecvError::Disconnected) => Err(format!("{when}, the output was closed")),
    }
}

/// Waits for the debouncer to return once its input is closed; a panic in it is an error.
async fn finish(task: JoinHandle<()>) -> Result<(), String> {
    match timeout(ms(1000), task).await {
        Ok(Ok(())) => Ok(()),
        Ok(Err(error)) => Err(format!("the debouncer task failed: {error}")),
        Err(_) => Err("the debouncer did not return after its input closed".to_string()),
    }
}
