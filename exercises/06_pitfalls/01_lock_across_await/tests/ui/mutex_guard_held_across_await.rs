// A `std::sync::MutexGuard` held across `.await` makes the future `!Send`, so
// `tokio::spawn` refuses it. (Where it does compile, on one thread, a second task that
// locks the same mutex blocks that thread: the task holding the guard never resumes.)
use std::sync::{Arc, Mutex};

async fn fetch() -> String {
    String::from("page")
}

#[tokio::main]
async fn main() {
    let log = Arc::new(Mutex::new(Vec::new()));
    let task = tokio::spawn(async move {
        let mut pages = log.lock().unwrap();
        let page = fetch().await;
        pages.push(page);
    });
    task.await.unwrap();
}
