//! Wrong: I cap names at 32 characters so a huge input cannot blow up the greeting.
//! Class: edge input (very long) truncated
//! Breaks: "`greet(name)` returns the text `Hello, NAME!`." (README.md)

const MAX_NAME: usize = 32;

/// Returns the greeting for `name`: `Hello, NAME!`.
pub async fn greet(name: &str) -> String {
    let name: String = name.chars().take(MAX_NAME).collect();
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
