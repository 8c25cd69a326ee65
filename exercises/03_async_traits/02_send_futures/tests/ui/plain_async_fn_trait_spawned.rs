// A plain `async fn` in a trait says nothing about whether its future is `Send`, so
// generic code cannot hand it to `tokio::spawn`: each implementor might return a
// future that holds an `Rc` across an `.await`.

use std::sync::Arc;

use tokio::task::JoinHandle;

trait Store {
    async fn get(&self, id: u32) -> Option<String>;
}

fn spawn_get<S: Store + Send + Sync + 'static>(store: Arc<S>) -> JoinHandle<Option<String>> {
    tokio::spawn(async move { store.get(1).await })
}

fn main() {}
