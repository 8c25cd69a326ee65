//! Your first kata: read README.md beside this folder, then make the tests pass.

/// Returns the greeting for `name`: `Hello, NAME!`.
pub async fn greet(name: &str) -> String {
    todo!("build the greeting for {name}")
}

/// Greets every name, in the order given, by awaiting `greet` for each.
pub async fn greet_all(names: &[&str]) -> Vec<String> {
    todo!("await greet() for each of the {} names", names.len())
}
