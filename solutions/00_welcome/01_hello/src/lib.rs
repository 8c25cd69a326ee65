//! Your first kata: read README.md beside this folder, then make the tests pass.

/// Returns the greeting for `name`: `Hello, NAME!`.
pub async fn greet(name: &str) -> String {
    format!("Hello, {name}!")
}

/// Greets every name, in the order given, by awaiting `greet` for each.
pub async fn greet_all(names: &[&str]) -> Vec<String> {
    let mut greetings = Vec::with_capacity(names.len());
    for name in names {
        greetings.push(greet(name).await);
    }
    greetings
}
