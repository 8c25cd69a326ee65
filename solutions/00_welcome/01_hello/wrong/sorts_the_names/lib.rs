//! Wrong: `greet_all` greets the names in sorted order, not in the order given.

/// Returns the greeting for `name`: `Hello, NAME!`.
pub async fn greet(name: &str) -> String {
    format!("Hello, {name}!")
}

/// Greets every name, in the order given, by awaiting `greet` for each.
pub async fn greet_all(names: &[&str]) -> Vec<String> {
    let mut sorted = names.to_vec();
    sorted.sort();
    let mut greetings = Vec::new();
    for name in sorted {
        greetings.push(greet(name).await);
    }
    greetings
}
