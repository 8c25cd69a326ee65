// `tokio::spawn` also needs `'static`: the task may outlive the function that spawned
// it, so the future must own what it uses (`async move`), not borrow it.
#[tokio::main]
async fn main() {
    let names = vec![String::from("ferris")];
    let task = tokio::spawn(async {
        println!("{} names", names.len());
    });
    task.await.unwrap();
}
