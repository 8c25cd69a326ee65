//! Wrong: blank entries in the list are just noise, so `greet_all` leaves them out.
//! Class: edge input (empty element) filtered
//! Breaks: "`greet_all` is a loop over the names, in order, keeping every one of them." (hints.md)

/// Returns the greeting for `name`: `Hello, NAME!`.
pub async fn greet(name: &str) -> String {
    format!("Hello, {name}!")
}

/// Greets every name, in the order given, by awaiting `greet` for each.
pub async fn greet_all(names: &[&str]) -> Vec<String> {
    let mut greetings = Vec::new();
    for name in names.iter().filter(|n| !n.trim().is_empty()) {
        greetings.push(greet(name).await);
    }
    greetings
}
