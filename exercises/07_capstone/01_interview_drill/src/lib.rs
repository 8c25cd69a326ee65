//! The interview drill: four classic questions about async Rust, each answered in code.

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::sync::atomic::AtomicUsize;

use tokio::task::{JoinError, JoinHandle};

// ---------------------------------------------------------------------------------
// Q1. How does async/await in Rust differ from JavaScript?
// ---------------------------------------------------------------------------------

/// A lazy job: counts one run in `runs` and returns the new count, but only once its
/// future is polled. Calling `lazy_job` must do nothing.
pub async fn lazy_job(runs: Arc<AtomicUsize>) -> usize {
    todo!("count a run in {runs:?} and return the new count")
}

/// An eager job, like a JS promise: the same work, started on the runtime right away,
/// whether or not anyone ever awaits the handle. The count is the spawned task's work,
/// not the call's: on a current-thread runtime it runs at the caller's next `.await`.
pub fn eager_job(runs: Arc<AtomicUsize>) -> JoinHandle<usize> {
    todo!("start the job counting runs in {runs:?} now")
}

// ---------------------------------------------------------------------------------
// Q2. When would you use `tokio::spawn` vs `tokio::join!`?
// ---------------------------------------------------------------------------------

/// Runs both futures concurrently on the current task and returns both outputs.
pub async fn run_joined<A, B>(a: A, b: B) -> (A::Output, B::Output)
where
    A: Future,
    B: Future,
{
    let _ = (a, b);
    todo!("run a and b concurrently on this task")
}

/// Runs each future as its own task and waits for both results.
pub async fn run_spawned<A, B>(
    a: A,
    b: B,
) -> (Result<A::Output, JoinError>, Result<B::Output, JoinError>)
where
    A: Future + Send + 'static,
    A::Output: Send + 'static,
    B: Future + Send + 'static,
    B::Output: Send + 'static,
{
    let _ = (a, b);
    todo!("run a and b as two tasks")
}

// ---------------------------------------------------------------------------------
// Q3. What is `spawn_blocking` for?
// ---------------------------------------------------------------------------------

/// Runs the blocking closure `job` without blocking the async runtime, and returns
/// its result (or the `JoinError` if it panicked).
pub async fn run_blocking<F, T>(job: F) -> Result<T, JoinError>
where
    F: FnOnce() -> T + Send + 'static,
    T: Send + 'static,
{
    let _ = job;
    todo!("run the blocking job without blocking the runtime")
}

// ---------------------------------------------------------------------------------
// Q4. What changed with async traits?
// ---------------------------------------------------------------------------------

/// A native async trait. Implementors write `async fn greet`; the declaration spells
/// out `+ Send` so generic callers may spawn the future.
pub trait Greeter {
    fn greet(&self, name: &str) -> impl Future<Output = String> + Send;
}

/// Greets in English, at once.
pub struct English;

impl Greeter for English {
    async fn greet(&self, name: &str) -> String {
        format!("Hello, {name}!")
    }
}

/// Greets in French, after a short (virtual) think.
pub struct French;

impl Greeter for French {
    async fn greet(&self, name: &str) -> String {
        tokio::time::sleep(std::time::Duration::from_millis(10)).await;
        format!("Bonjour, {name} !")
    }
}

/// Static dispatch: greets every name with one greeter type, in order, one after the
/// other (each greeting is awaited before the next starts).
pub async fn greet_with<G: Greeter>(greeter: &G, names: &[&str]) -> Vec<String> {
    let _ = greeter;
    todo!("greet the {} names with the greeter", names.len())
}

/// The boxed future a `dyn DynGreeter` returns: one size, known at compile time.
pub type BoxGreeting<'a> = Pin<Box<dyn Future<Output = String> + Send + 'a>>;

/// The dyn-compatible twin of [`Greeter`]: the future is boxed, so the method has
/// one return type for every implementor and fits in a vtable.
pub trait DynGreeter: Send + Sync {
    fn greet_boxed<'a>(&'a self, name: &'a str) -> BoxGreeting<'a>;
}

/// Every `Greeter` is a `DynGreeter` for free.
impl<G: Greeter + Send + Sync> DynGreeter for G {
    fn greet_boxed<'a>(&'a self, name: &'a str) -> BoxGreeting<'a> {
        let _ = self;
        todo!("box the greeting future for {name}")
    }
}

/// Dynamic dispatch: greets `name` once with each greeter, whatever its type, in order,
/// one after the other.
pub async fn greet_each(greeters: &[Box<dyn DynGreeter>], name: &str) -> Vec<String> {
    todo!("greet {name} with each of the {} greeters", greeters.len())
}
