//! A tiny executor: read README.md beside this folder, then make the tests pass.

/// Runs `future` to completion on the current thread and returns its output.
///
/// Polls once, then again only after the future's waker has been called: a pending
/// future costs no CPU while it waits.
pub fn block_on<F: Future>(future: F) -> F::Output {
    drop(future);
    todo!("poll the future until Ready, sleeping between wakes")
}
