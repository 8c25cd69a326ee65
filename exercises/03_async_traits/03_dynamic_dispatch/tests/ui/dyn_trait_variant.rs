// `trait_variant::make` adds a `Send` bound to the futures; it does not box them. The
// generated `SendDatabase` still returns `impl Future`, so it is not dyn compatible
// either: `Box<dyn SendDatabase>` does not compile.

#[trait_variant::make(SendDatabase: Send)]
trait Database {
    async fn get(&self, id: &str) -> Option<String>;
}

struct Memory;

impl SendDatabase for Memory {
    async fn get(&self, _id: &str) -> Option<String> {
        None
    }
}

fn main() {
    let _backend: Box<dyn SendDatabase> = Box::new(Memory);
}
