//! Tests of the shared `Outbox`, awaited on the test's own task (no `tokio::spawn`, so
//! they compile and run even while tests/kata_send.rs does not compile yet).
//!
//! Wrong answers these tests reject:
//! - `send` that locks once per part (`lock(); write header; unlock; lock(); write body`):
//!   two concurrent messages interleave (t02)
//! - `send` that keeps a `std::sync::MutexGuard` across `write_part(..).await`: the second
//!   sender blocks the only runtime thread, a deadlock (t02 detects it); it is also not
//!   `Send`, so tests/kata_send.rs does not compile
//! - `send` that writes only the header, or the body first (t01)
//! - `into_connection` that returns a fresh `Connection` instead of the shared one (t01)
//!
//! tests/kata_send.rs rejects a `fetch_and_log` whose future is not `Send`.

use std::panic;
use std::sync::mpsc::{self, RecvTimeoutError};
use std::time::Duration;

use lock_across_await::{Connection, Outbox};

#[tokio::test(start_paused = true)]
async fn t01_send_writes_header_then_body() {
    let outbox = Outbox::new(Connection::default());
    outbox.send("HELLO", "world").await;
    let conn = outbox.into_connection();
    assert_eq!(
        conn.transcript(),
        ["HELLO", "world"],
        "one send writes its header part, then its body part, on the shared connection \
         (and into_connection gives that same connection back)"
    );
}

/// Runs the future that `make` builds on a fresh current-thread runtime (paused clock)
/// on a thread of its own, and gives up after 5 s of real time: a deadlocked runtime
/// thread never comes back, so the test must not wait on it forever.
fn on_own_runtime<T, Fut>(make: impl FnOnce() -> Fut + Send + 'static) -> Option<T>
where
    Fut: Future<Output = T>,
    T: Send + 'static,
{
    let (done, result) = mpsc::channel();
    let thread = std::thread::spawn(move || {
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .start_paused(true)
            .build()
            .unwrap();
        let _ = done.send(rt.block_on(make()));
    });
    // Only a deadlock ever waits this long; a correct `send` answers in microseconds.
    match result.recv_timeout(Duration::from_secs(5)) {
        Ok(value) => Some(value),
        Err(RecvTimeoutError::Timeout) => None,
        // The future panicked (a `todo!()`, say): show that panic, not a deadlock.
        Err(RecvTimeoutError::Disconnected) => panic::resume_unwind(thread.join().unwrap_err()),
    }
}

#[test]
fn t02_concurrent_sends_do_not_interleave() {
    let transcript = on_own_runtime(|| async {
        let outbox = Outbox::new(Connection::default());
        // Two senders on one task, one thread: while the first awaits its write, the
        // second gets polled and asks for the lock.
        tokio::join!(outbox.send("H1", "b1"), outbox.send("H2", "b2"));
        outbox.into_connection().transcript().to_vec()
    });
    let Some(transcript) = transcript else {
        panic!(
            "two concurrent sends on a single-threaded runtime never finished: a deadlock. \
             The first send held a std::sync::MutexGuard across `.await`; the second send \
             then called lock() and blocked the only runtime thread, so the first could \
             never resume to unlock. A guard that must live across `.await` needs \
             tokio::sync::Mutex, whose lock() waits by yielding, not by blocking."
        );
    };
    let ok = transcript == ["H1", "b1", "H2", "b2"] || transcript == ["H2", "b2", "H1", "b1"];
    assert!(
        ok,
        "the connection saw {transcript:?}: the two messages interleaved. The lock was \
         released between the header and the body, so the other sender wrote in between; \
         hold one guard for the whole message, across both `.await`s"
    );
}
