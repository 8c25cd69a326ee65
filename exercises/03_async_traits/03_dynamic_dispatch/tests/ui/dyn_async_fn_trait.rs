// A trait with a native `async fn` is not dyn compatible: each implementor returns a
// future of a different type and size, and a vtable needs one signature for all.

trait Database {
    async fn get(&self, id: &str) -> Option<String>;
}

struct Memory;

impl Database for Memory {
    async fn get(&self, _id: &str) -> Option<String> {
        None
    }
}

fn main() {
    let _backend: Box<dyn Database> = Box::new(Memory);
}
