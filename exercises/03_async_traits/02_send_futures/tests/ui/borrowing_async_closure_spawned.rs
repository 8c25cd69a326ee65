// An `async ||` closure that borrows (`id` here) inside a spawned task: the compiler
// cannot prove its futures `Send` for every lifetime of the borrow. `async move ||`,
// which owns what it uses, compiles.

async fn retry(attempts: u32, attempt: impl AsyncFn() -> Option<String>) -> Option<String> {
    for _ in 0..attempts {
        if let Some(value) = attempt().await {
            return Some(value);
        }
    }
    None
}

async fn fetch(id: u32) -> Option<String> {
    Some(format!("record {id}"))
}

fn main() {
    let id = 7;
    tokio::spawn(async move { retry(3, async || fetch(id).await).await });
}
