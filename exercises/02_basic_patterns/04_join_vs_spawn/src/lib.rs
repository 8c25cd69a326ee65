//! `join!` vs `spawn`: the same two futures, run inside this task or as tasks of their own.

use tokio::task::JoinError;

/// Runs `a` and `b` concurrently on the current task and returns both outputs.
pub async fn with_join<A, B>(a: A, b: B) -> (A::Output, B::Output)
where
    A: Future,
    B: Future,
{
    let _ = (a, b);
    todo!("tokio::join! the two futures")
}

/// Runs `a` and `b` as two new tasks and waits for both. Each task's own result comes
/// back, so one task's panic does not hide the other's value.
pub async fn with_spawn<A, B>(
    a: A,
    b: B,
) -> (Result<A::Output, JoinError>, Result<B::Output, JoinError>)
where
    A: Future,
    B: Future,
{
    let _ = (a, b);
    todo!("tokio::spawn both, then await both handles (the compiler will ask for bounds)")
}
