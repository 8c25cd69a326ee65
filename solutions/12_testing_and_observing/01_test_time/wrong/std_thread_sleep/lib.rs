//! Wrong: `std::thread::sleep` to let the quiet period pass: the paused clock does not move, and the debouncer never runs
//! Testing time: a check that holds any debouncer to its spec, on a paused clock.

use std::time::Duration;

use tokio::sync::mpsc;

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
    let quiet = Duration::from_millis(20);
    let (input, input_rx) = mpsc::channel(16);
    let (output_tx, mut output) = mpsc::channel(16);
    tokio::spawn(debounce(quiet, input_rx, output_tx));
    input.send(5).await.map_err(|_| "the debouncer is gone".to_string())?;
    std::thread::sleep(quiet + Duration::from_millis(10));
    match output.try_recv() {
        Ok(5) => Ok(()),
        other => Err(format!("the quiet period passed and the output is {other:?}")),
    }
}
