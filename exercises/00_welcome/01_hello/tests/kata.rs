//! Wrong answers these tests reject: each is a fixture in the solution's `wrong/`
//! folder, which `cargo xtask verify` runs against these tests, twice.
//! - `no_exclamation_mark` (t01, t02, t03, t04, t05): the greeting has no `!` at the end
//! - `hard_coded_name` (t02, t03, t04, t05): `greet` returns "Hello, Ferris!" whatever the name
//! - `capitalizes_the_name` (t03): the name is capitalized instead of used as given
//! - `sorts_the_names` (t04, t05): greetings in sorted order, not in the order given
//! - `reverses_the_order` (t04): each greeting is put first, so the list comes out reversed
//! - `skips_repeated_names` (t05): a name given twice is greeted once
//! - `hello_world_for_no_names` (t06): no names in, and a "Hello, world!" out
//! - `empty_name_is_world` (t07, t08): `greet("")` says "Hello, world!" instead of "Hello, !"
//! - `trimmed_name` (t07, t08): the name is trimmed, so spaces around it are lost
//! - `truncated_long_name` (t07, t08): names are cut at 32 characters
//! - `skip_blank_names` (t07, t08): `greet_all` leaves out empty and blank names
//!
//! Blind answers: 7 tried, 4 passed before this test file caught them (2026-12): the
//! four above, each an "improvement" on a name the earlier tests never gave (empty,
//! blank, padded, long). t07 gives those names by hand, t08 any names at all.
//!
//! Not told apart by any test, because it is not wrong: `greet_all` that formats each
//! greeting itself instead of awaiting `greet` gives the very same output.

use futures::executor::block_on;
use hello::{greet, greet_all};
use proptest::prelude::*;
use proptest::test_runner::{Config, RngSeed, TestCaseError, TestError, TestRunner};

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

/// Names the earlier tests never use: empty, blank, padded, long, not ASCII.
const ODD_NAMES: [&str; 7] = ["", " ", "  Ada ", "\tGrace\n", "Zoë 🦀", "名前", "\u{0}"];

#[tokio::test]
async fn t07_any_name_is_kept_exactly_even_empty_blank_or_long() {
    let long = "Wolfeschlegelsteinhausenbergerdorff ".repeat(30);
    for name in ODD_NAMES.into_iter().chain([long.as_str()]) {
        assert_eq!(
            greet(name).await,
            format!("Hello, {name}!"),
            "greet({name:?}) should put the name in exactly as given: not trimmed, not \
             shortened, not replaced when it is empty or blank"
        );
    }
    let greetings = greet_all(&ODD_NAMES).await;
    let expected: Vec<String> = ODD_NAMES
        .iter()
        .map(|name| format!("Hello, {name}!"))
        .collect();
    assert_eq!(
        greetings, expected,
        "greet_all({ODD_NAMES:?}) keeps every name, empty and blank ones too: one greeting \
         per name, in order"
    );
}

/// Runs `test` on `cases` generated inputs with a fixed seed and no persistence file;
/// a failure panics with the message of the smallest failing input proptest found.
fn check<S>(cases: u32, strategy: S, test: impl Fn(S::Value) -> Result<(), String>)
where
    S: Strategy,
    S::Value: std::fmt::Debug,
{
    let mut runner = TestRunner::new(Config {
        cases,
        rng_seed: RngSeed::Fixed(2026),
        failure_persistence: None,
        ..Config::default()
    });
    match runner.run(&strategy, |value| test(value).map_err(TestCaseError::fail)) {
        Ok(()) => {}
        Err(TestError::Fail(why, _)) => panic!("{why}"),
        Err(other) => panic!("{other}"),
    }
}

/// Any name: often short and odd (spaces, accents, emoji), sometimes long.
fn name() -> impl Strategy<Value = String> {
    let chars = prop_oneof![
        3 => prop::char::range('a', 'z'),
        2 => Just(' '),
        1 => Just('\t'),
        1 => Just('ë'),
        1 => Just('🦀'),
        1 => any::<char>(),
    ];
    prop_oneof![
        4 => prop::collection::vec(chars.clone(), 0..8),
        1 => prop::collection::vec(chars, 30..120),
    ]
    .prop_map(String::from_iter)
}

#[test]
fn t08_greet_all_keeps_every_name_as_given_for_any_names() {
    check(100, prop::collection::vec(name(), 0..6), |names| {
        let names: Vec<&str> = names.iter().map(String::as_str).collect();
        let greetings = block_on(greet_all(&names));
        let expected: Vec<String> = names.iter().map(|name| format!("Hello, {name}!")).collect();
        if greetings == expected {
            Ok(())
        } else {
            Err(format!(
                "greet_all({names:?}) gave {greetings:?}: it should give one greeting per \
                 name, in the order given, each exactly `Hello, NAME!` with the name as given \
                 (this is the smallest list of names that shows it)"
            ))
        }
    });
}
