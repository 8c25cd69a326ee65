//! Wrong: `greet_all` puts each new greeting first, so the greetings come out reversed.

/// Returns the greeting for `name`: `Hello, NAME!`.
pub async fn greet(name: &str) -> String {
    format!("Hello, {name}!")
}

/// Greets every name, in the order given, by awaiting `greet` for each.
pub async fn greet_all(names: &[&str]) -> Vec<String> {
    let mut greetings = Vec::new();
    for name in names {
        greetings.insert(0, greet(name).await);
    }
    greetings
}
