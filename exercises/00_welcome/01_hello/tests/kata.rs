//! Wrong answers these tests reject: each is a fixture in the solution's `wrong/`
//! folder, which `cargo xtask verify` runs against these tests, twice.
//! - `no_exclamation_mark` (t01, t02, t03, t04, t05): the greeting has no `!` at the end
//! - `hard_coded_name` (t02, t03, t04, t05): `greet` returns "Hello, Ferris!" whatever the name
//! - `capitalizes_the_name` (t03): the name is capitalized instead of used as given
//! - `sorts_the_names` (t04, t05): greetings in sorted order, not in the order given
//! - `reverses_the_order` (t04): each greeting is put first, so the list comes out reversed
//! - `skips_repeated_names` (t05): a name given twice is greeted once
//! - `hello_world_for_no_names` (t06): no names in, and a "Hello, world!" out
//!
//! Not told apart by any test, because it is not wrong: `greet_all` that formats each
//! greeting itself instead of awaiting `greet` gives the very same output.

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
async fn t03_greet_keeps_the_name_exactly_as_given() {
    assert_eq!(
        greet("ferris the crab").await,
        "Hello, ferris the crab!",
        "greet puts the name into the greeting exactly as given: no capitals added, \
         no words dropped"
    );
}

#[tokio::test]
async fn t04_greet_all_keeps_the_order_of_the_names() {
    let greetings = greet_all(&["Grace", "Ada", "Barbara"]).await;
    assert_eq!(
        greetings,
        ["Hello, Grace!", "Hello, Ada!", "Hello, Barbara!"],
        "one greeting per name, in the order the names were given"
    );
}

#[tokio::test]
async fn t05_greet_all_greets_a_repeated_name_each_time() {
    let greetings = greet_all(&["Ada", "Grace", "Ada"]).await;
    assert_eq!(
        greetings,
        ["Hello, Ada!", "Hello, Grace!", "Hello, Ada!"],
        "a name that is given twice is greeted twice: one greeting per name in the list"
    );
}

#[tokio::test]
async fn t06_greet_all_of_no_names_is_empty() {
    let greetings = greet_all(&[]).await;
    assert!(
        greetings.is_empty(),
        "no names in, no greetings out, but greet_all(&[]) gave {greetings:?}"
    );
}
