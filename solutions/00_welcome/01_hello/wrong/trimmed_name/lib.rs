//! Wrong: I tidy the name with `trim()` first, so stray spaces never end up in the greeting.
//! Class: input normalisation (whitespace)
//! Breaks: "`greet(name)` returns the text `Hello, NAME!`." (README.md)

/// Returns the greeting for `name`: `Hello, NAME!`.
pub async fn greet(name: &str) -> String {
    let name = name.trim();
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
