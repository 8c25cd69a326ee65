//! Wrong: silence during the burst plus the value just after the deadline pins the timing down; checking 1 ms before as well is redundant (a value that comes early passes)

use std::time::Duration;

use tokio::sync::mpsc::{self, error::TryRecvError};
use tokio::time::{Instant, sleep, timeout};

fn ms(n: u64) -> Duration {
    Duration::from_millis(n)
}

fn gone<T>(_: mpsc::error::SendError<T>) -> String {
    "the debouncer is gone".to_string()
}

/// Nothing may have come out by now.
fn expect_nothing(output: &mut mpsc::Receiver<u32>, when: &str) -> Result<(), String> {
    match output.try_recv() {
        Err(TryRecvError::Empty) => Ok(()),
        Ok(value) => Err(format!("{value} came out {when}")),
        Err(TryRecvError::Disconnected) => Err(format!("the debouncer stopped {when}")),
    }
}

/// Exactly `want` must have come out by now.
fn expect_value(output: &mut mpsc::Receiver<u32>, want: u32, when: &str) -> Result<(), String> {
    match output.try_recv() {
        Ok(value) if value == want => Ok(()),
        Ok(value) => Err(format!("{value} came out {when}, not {want}")),
        Err(TryRecvError::Empty) => Err(format!("nothing came out {when}, {want} should have")),
        Err(TryRecvError::Disconnected) => Err(format!("the debouncer stopped {when}")),
    }
}

pub async fn check_debouncer<D, Fut>(debounce: D) -> Result<(), String>
where
    D: Fn(Duration, mpsc::Receiver<u32>, mpsc::Sender<u32>) -> Fut,
    Fut: Future<Output = ()> + Send + 'static,
{
    let quiet = ms(100);

    // A burst, then the same value alone, then a close with nothing waiting.
    let (input, input_rx) = mpsc::channel(16);
    let (output_tx, mut output) = mpsc::channel(16);
    let debouncer = tokio::spawn(debounce(quiet, input_rx, output_tx));

    for value in [1, 2, 3] {
        input.send(value).await.map_err(gone)?;
        sleep(ms(60)).await;
    }
    // 180 ms: the last value came at 120 ms.
    expect_nothing(&mut output, "while the burst was still going on")?;
    sleep(ms(41)).await; // 221 ms
    expect_value(&mut output, 3, "just after the quiet period")?;
    sleep(quiet * 10).await;
    expect_nothing(&mut output, "after the burst's value was sent")?;

    input.send(3).await.map_err(gone)?; // the same value again, alone
    sleep(ms(101)).await;
    expect_value(&mut output, 3, "one quiet period after a value equal to the last one sent")?;
    sleep(quiet * 10).await;
    expect_nothing(&mut output, "after the lone value was sent")?;

    drop(input);
    timeout(quiet * 10, debouncer)
        .await
        .map_err(|_| "the debouncer did not return once its input closed".to_string())?
        .map_err(|err| format!("the debouncer failed: {err}"))?;
    match output.try_recv() {
        Err(TryRecvError::Disconnected) => {}
        Ok(value) => return Err(format!("{value} came out when the input closed with nothing waiting")),
        Err(TryRecvError::Empty) => return Err("the debouncer returned but kept its output".to_string()),
    }

    // A value waiting when the input closes: out at once, even 0.
    let (input, input_rx) = mpsc::channel(16);
    let (output_tx, mut output) = mpsc::channel(16);
    let debouncer = tokio::spawn(debounce(quiet, input_rx, output_tx));

    input.send(0).await.map_err(gone)?;
    sleep(ms(50)).await;
    drop(input);
    let closed = Instant::now();
    let flushed = timeout(quiet * 10, output.recv())
        .await
        .map_err(|_| "the waiting value never came out after the input closed".to_string())?;
    match flushed {
        Some(0) => {}
        Some(value) => return Err(format!("{value} came out at close, not the waiting 0")),
        None => return Err("the waiting 0 was dropped when the input closed".to_string()),
    }
    if !closed.elapsed().is_zero() {
        return Err(format!(
            "the waiting value came out {:?} after the input closed, not at once",
            closed.elapsed()
        ));
    }
    timeout(quiet * 10, debouncer)
        .await
        .map_err(|_| "the debouncer did not return once its input closed".to_string())?
        .map_err(|err| format!("the debouncer failed: {err}"))?;
    match output.try_recv() {
        Err(TryRecvError::Disconnected) => Ok(()),
        Ok(value) => Err(format!("{value} came out after the flush at close")),
        Err(TryRecvError::Empty) => Err("the debouncer returned but kept its output".to_string()),
    }
}
