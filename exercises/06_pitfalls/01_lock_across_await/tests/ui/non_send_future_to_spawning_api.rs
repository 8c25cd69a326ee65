// A spawning API states `Send + 'static` in its bounds, so a caller with a future that
// is not `Send` is told at its own call site, before anything runs.
use std::cell::RefCell;
use std::rc::Rc;

use tokio::task::JoinHandle;

fn spawn_job<F>(job: F) -> JoinHandle<F::Output>
where
    F: Future + Send + 'static,
    F::Output: Send + 'static,
{
    tokio::spawn(job)
}

async fn count_visits(visits: Rc<RefCell<u32>>) -> u32 {
    tokio::task::yield_now().await;
    *visits.borrow_mut() += 1;
    *visits.borrow()
}

#[tokio::main]
async fn main() {
    let visits = Rc::new(RefCell::new(0));
    let handle = spawn_job(count_visits(visits));
    println!("{}", handle.await.unwrap());
}
