//! Wrong: `greet_all` greets a name that appears twice only once.

/// Returns the greeting for `name`: `Hello, NAME!`.
pub async fn greet(name: &str) -> String {
    format!("Hello, {name}!")
}

/// Greets every name, in the order given, by awaiting `greet` for each.
pub async fn greet_all(names: &[&str]) -> Vec<String> {
    let mut greetings = Vec::new();
    for name in names {
        let greeting = greet(name).await;
        if !greetings.contains(&greeting) {
            greetings.push(greeting);
        }
    }
    greetings
}
