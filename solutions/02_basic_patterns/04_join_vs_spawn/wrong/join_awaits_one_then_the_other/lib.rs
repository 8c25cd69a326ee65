//! Wrong: with_join awaits a, then b: one after the other, not side by side
//! Shows: with_join: b started only after with_join: a ended (sequential)

use tokio::task::JoinError;

/// Runs `a` and `b` concurrently on the current task and returns both outputs.
pub async fn with_join<A, B>(a: A, b: B) -> (A::Output, B::Output)
where
    A: Future,
    B: Future,
{
    let a = a.await;
    let b = b.await;
    (a, b)
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
    let (a, b) = (tokio::spawn(a), tokio::spawn(b));
    (a.await, b.await)
}
