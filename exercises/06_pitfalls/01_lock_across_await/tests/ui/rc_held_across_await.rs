// An `Rc` held across `.await` makes the whole future `!Send`: `Rc`'s reference count
// is not atomic, so two threads must never touch clones of it at once.
use std::rc::Rc;

async fn save(_line: &str) {}

#[tokio::main]
async fn main() {
    let task = tokio::spawn(async {
        let shared = Rc::new(String::from("hello"));
        save(&shared).await;
        println!("{shared}");
    });
    task.await.unwrap();
}
