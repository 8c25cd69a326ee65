//! Wrong: closing the input only matters when a value is waiting; after a burst has been sent there is nothing left to flush, so the first debouncer can simply be stopped
//! Testing time: a check that holds any debouncer to its spec, on a paused clock.

use std::time::Duration;

use tokio::sync::mpsc;
use tokio::sync::mpsc::error::TryRecvError;
use tokio::task::JoinHandle;
use tokio::time::{Instant, sleep, timeout};

fn ms(n: u64) -> Duration {
    Duration::from_millis(n)
}

/// Nothing may have come out: `Empty`, not a value (and not a debouncer that is gone).
fn expect_nothing(output: &mut mpsc::Receiver<u32>, when: &str) -> Result<(), String> {
    match output.try_recv() {
        Err(TryRecvError::Empty) => Ok(()),
        Ok(value) => Err(format!("{value} came out {when}")),
        Err(TryRecvError::Disconnected) => Err(format!("the debouncer was gone {when}")),
    }
}

/// The debouncer must return once its input is closed, without panicking, and after that
/// nothing more may come out.
async fn expect_finished(
    task: JoinHandle<()>,
    output: &mut mpsc::Receiver<u32>,
    quiet: Duration,
) -> Result<(), String> {
    match timeout(quiet * 10, task).await {
        Err(_) => return Err("the debouncer did not return after its input closed".to_string()),
        Ok(Err(join_error)) => return Err(format!("the debouncer failed: {join_error}")),
        Ok(Ok(())) => {}
    }
    match output.recv().await {
        None => Ok(()),
        Some(extra) => Err(format!("{extra} came out after the input closed, unasked")),
    }
}

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

    // A burst, values 60 ms apart: only the last comes out, a quiet period after it.
    {
        let (input, input_rx) = mpsc::channel(16);
        let (output_tx, mut output) = mpsc::channel(16);
        let task = tokio::spawn(debounce(quiet, input_rx, output_tx));

        for value in [1, 2, 3] {
            input
                .send(value)
                .await
                .map_err(|_| "the debouncer is gone".to_string())?;
            sleep(ms(60)).await;
            expect_nothing(&mut output, "while the burst was still going on")?;
        }
        // 180 ms: the last value came at 120 ms.
        sleep(ms(39)).await; // 219 ms
        expect_nothing(
            &mut output,
            "before the quiet period after the last value was over",
        )?;
        sleep(ms(2)).await; // 221 ms
        match output.try_recv() {
            Ok(3) => {}
            Ok(other) => return Err(format!("{other} came out, not the latest value 3")),
            Err(_) => return Err("nothing came out once the quiet period was over".to_string()),
        }
        for _ in 0..10 {
            sleep(quiet).await;
            expect_nothing(&mut output, "again, after the burst was already sent")?;
        }

        // That burst is done: stop this debouncer, the close is checked below.
        task.abort();
        drop(input);
    }

    // The input closes with a value waiting: it comes out at once.
    {
        let (input, input_rx) = mpsc::channel(16);
        let (output_tx, mut output) = mpsc::channel(16);
        let task = tokio::spawn(debounce(quiet, input_rx, output_tx));

        for value in [7, 8] {
            input
                .send(value)
                .await
                .map_err(|_| "the debouncer is gone".to_string())?;
            sleep(ms(30)).await;
        }
        expect_nothing(&mut output, "before the quiet period was over")?;
        drop(input);
        let closed = Instant::now();
        match timeout(quiet * 10, output.recv()).await {
            Ok(Some(8)) => {}
            Ok(Some(other)) => {
                return Err(format!("{other} came out on close, not the latest value 8"));
            }
            Ok(None) => return Err("the value waiting when the input closed was lost".to_string()),
            Err(_) => {
                return Err("the value waiting when the input closed never came out".to_string());
            }
        }
        if !closed.elapsed().is_zero() {
            return Err(format!(
                "the value waiting on close came out {:?} after the close, not at once",
                closed.elapsed()
            ));
        }
        expect_finished(task, &mut output, quiet).await?;
    }

    Ok(())
}
