//! Reference cases: fixed code (not yours) that shows the compile errors this kata is
//! about. Each file in tests/ui/ must fail to compile with exactly the error saved
//! beside it in a `.stderr` file. Read them: `dyn` does not work with `async fn`
//! traits, with or without `trait_variant`. The first run compiles Tokio once more
//! (about a minute).

#[rustversion::stable(1.95)]
#[test]
fn t08_reference_dyn_errors() {
    trybuild::TestCases::new().compile_fail("tests/ui/*.rs");
}

#[rustversion::not(stable(1.95))]
#[test]
fn t08_reference_dyn_errors() {
    eprintln!("skipped: the .stderr snapshots are for Rust 1.95.0");
}
