//! Wrong: `greet_all` of no names greets the world instead of returning nothing.

/// Returns the greeting for `name`: `Hello, NAME!`.
pub async fn greet(name: &str) -> String {
    format!("Hello, {name}!")
}

/// Greets every name, in the order given, by awaiting `greet` for each.
pub async fn greet_all(names: &[&str]) -> Vec<String> {
    if names.is_empty() {
        return vec![greet("world").await];
    }
    let mut greetings = Vec::new();
    for name in names {
        greetings.push(greet(name).await);
    }
    greetings
}
