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
/// Every `u32` is a value, 0 included, and a value equal to one sent before is sent again
/// by the same rules. The quiet period runs from when the debouncer receives a value;
/// "at once" is in no virtual time (yielding to other tasks first is allowed). What a
/// debouncer does when `output` is full or closed is not part of the spec: give the output
/// room, and keep its receiver until the end.
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
    // 180 ms: the last value came at 120 ms, the first quiet period ended long ago.
    expect_nothing(&mut output, "60 ms after the last value of a burst")?;
    sleep(ms(39)).await;
    // 219 ms: 1 ms before the quiet period after the last value ends.
    expect_nothing(&mut output, "99 ms after the last value")?;
    sleep(ms(2)).await;
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

    // The same value again, alone: it is sent again, one quiet period after it came.
    send(&input, 3).await?;
    sleep(ms(99)).await;
    expect_nothing(&mut output, "99 ms after a lone value")?;
    sleep(ms(2)).await;
    match output.try_recv() {
        Ok(3) => {}
        Ok(other) => return Err(format!("after a lone 3 the debouncer sent {other}")),
        Err(_) => {
            return Err(
                "3 came again, alone, after 3 was sent: nothing was sent 101 ms later (a value \
                 equal to the last one sent is still a new value)"
                    .to_string(),
            );
        }
    }

    // Closing the input with nothing waiting sends nothing.
    drop(input);
    finish(task).await?;
    expect_closed(&mut output, "the input closed with nothing waiting")?;

    // Closing the input sends the waiting value at once.
    let (input, mut output, task) = start(&debounce, quiet);
    // The waiting value is 0, a value like any other.
    send(&input, 7).await?;
    sleep(ms(10)).await;
    send(&input, 0).await?;
    sleep(ms(10)).await;
    drop(input);
    let closed = Instant::now();
    let flushed = timeout(quiet * 10, output.recv()).await;
    match flushed {
        Ok(Some(0)) if closed.elapsed().is_zero() => {}
        Ok(Some(0)) => {
            return Err(format!(
                "the waiting value came {:?} after the input closed: it must come at once",
                closed.elapsed()
            ));
        }
        Ok(Some(other)) => return Err(format!("the input closed with 0 waiting, got {other}")),
        Ok(None) => {
            return Err("the input closed with 0 waiting, and 0 was never sent".to_string());
        }
        Err(_) => return Err("the input closed with 0 waiting: nothing came".to_string()),
    }
    finish(task).await?;
    expect_closed(&mut output, "after the flush at close")
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

/// After the debouncer returned, its output holds nothing more and is closed.
fn expect_closed(output: &mut mpsc::Receiver<u32>, when: &str) -> Result<(), String> {
    match output.try_recv() {
        Err(TryRecvError::Disconnected) => Ok(()),
        Ok(value) => Err(format!("{when}, {value} was sent too")),
        Err(TryRecvError::Empty) => Err(format!(
            "{when}, the debouncer returned, yet its output is open"
        )),
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
