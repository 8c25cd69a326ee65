//! Wrong: an empty name would give an ugly "Hello, !", so I greet the world instead.
//! Class: edge input (empty string) special-cased
//! Breaks: "`greet(name)` returns the text `Hello, NAME!`." (README.md)

/// Returns the greeting for `name`: `Hello, NAME!`.
pub async fn greet(name: &str) -> String {
    if name.is_empty() {
        return "Hello, world!".to_string();
    }
    format!("Hello, {name}!")
}

/// Greets every name, in the order given, by awaiting `greet` for each.
pub async fn greet_all(names: &[&str]) -> Vec<String> {
    let mut greetings = Vec::new();
    for name in names {
        greetings.push(greet(name).await);
    }
    greetings
}
