//! Wrong: with_spawn joins the futures on the caller task and wraps the outputs in Ok
//! Shows: a and b were cut off at 0 ms (cancelled)

use tokio::task::JoinError;

/// Runs `a` and `b` concurrently on the current task and returns both outputs.
pub async fn with_join<A, B>(a: A, b: B) -> (A::Output, B::Output)
where
    A: Future,
    B: Future,
{
    tokio::join!(a, b)
}

/// Runs `a` and `b` as two new tasks and waits for both. Each task's own result comes
/// back, so one task's panic does not hide the other's value.
pub async fn with_spawn<A, B>(
    a: A,
    b: B,
) -> (Result<A::Output, JoinError>, Result<B::Output, JoinError>)
where
    // A task may run on any worker thread and outlive this call: it must be `Send` and
    // own everything it uses (`'static`), and so must the value it hands back.
    A: Future + Send + 'static,
    A::Output: Send + 'static,
    B: Future + Send + 'static,
    B::Output: Send + 'static,
{
    // Both tasks start now; awaiting the handles one after the other does not make
    // the tasks sequential.
    let (a, b) = tokio::join!(a, b);
    (Ok(a), Ok(b))
}
