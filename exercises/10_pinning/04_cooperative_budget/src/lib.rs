//! The cooperative budget: a task whose futures are always ready never yields, and on a
//! current-thread runtime nothing else runs until it is done.

use std::num::NonZeroUsize;
use std::sync::Arc;
use std::sync::atomic::AtomicUsize;

/// A price lookup in an in-memory table: an `async fn` that is ready at once, every time.
/// It uses no tokio resource, so it never spends the task's cooperative budget.
pub async fn lookup(item: u32) -> u64 {
    u64::from(item) * 3 + 1
}

/// The sum of `lookup(item)` over `items`, counting each item done in `progress`.
/// Yields to the scheduler with `tokio::task::yield_now()` after every `every` items
/// (after items `every`, `2 * every`, ... of `items`, counted from 1, the last item too
/// when it is one of them), and at no other time. `progress` may be shared: it can hold
/// other work's count before the first item.
pub async fn total_yielding(
    items: Vec<u32>,
    every: NonZeroUsize,
    progress: Arc<AtomicUsize>,
) -> u64 {
    let _ = (items, progress);
    todo!("sum the lookups, and yield_now() after every {every} items")
}

/// The sum of `lookup(item)` over `items`, counting each item done in `progress`.
/// Spends one unit of the task's cooperative budget per item
/// (`tokio::task::coop::consume_budget()`), so it yields only when the budget is used up:
/// the task's budget, which whatever else the task did in the same poll has spent from.
pub async fn total_budgeted(items: Vec<u32>, progress: Arc<AtomicUsize>) -> u64 {
    let _ = (items, progress);
    todo!("sum the lookups, spending one unit of budget per item")
}
