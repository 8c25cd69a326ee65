//! Wrong answers these tests reject:
//! - a greeting without the comma or the `!` (t01)
//! - a hard-coded "Hello, Ferris!" (t02 greets another name)
//! - `greet_all` that drops, reorders or duplicates names (t03)
//! - `greet_all` that invents a greeting for an empty list (t04)

use hello::{greet, greet_all};

#[tokio::test]
async fn t01_greet_says_hello_by_name() {
    let greeting = greet("Ferris").await;
    assert_eq!(
        greeting, "Hello, Ferris!",
        "greet(\"Ferris\").await should give exactly \"Hello, Ferris!\""
    );
}

#[tokio::test]
async fn t02_greet_uses_the_name_it_is_given() {
    assert_eq!(
        greet("Tokio").await,
        "Hello, Tokio!",
        "the greeting must be built from the name argument, not written out by hand"
    );
}

#[tokio::test]
async fn t03_greet_all_keeps_the_order_of_the_names() {
    let greetings = greet_all(&["Ada", "Grace", "Barbara"]).await;
    assert_eq!(
        greetings,
        ["Hello, Ada!", "Hello, Grace!", "Hello, Barbara!"],
        "one greeting per name, in the order the names were given"
    );
}

#[tokio::test]
async fn t04_greet_all_of_no_names_is_empty() {
    assert!(
        greet_all(&[]).await.is_empty(),
        "no names in, no greetings out"
    );
}
