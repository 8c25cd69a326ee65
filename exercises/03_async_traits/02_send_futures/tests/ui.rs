//! Reference cases: fixed code (not yours) that shows the compile errors this kata is
//! about. Each file in tests/ui/ must fail to compile with exactly the error saved
//! beside it in a `.stderr` file. Read them: they are the errors your own code meets.
//! The first run compiles Tokio once more (about a minute).

#[rustversion::stable(1.95)]
#[test]
fn t12_reference_send_errors() {
    trybuild::TestCases::new().compile_fail("tests/ui/*.rs");
}

#[rustversion::not(stable(1.95))]
#[test]
fn t12_reference_send_errors() {
    eprintln!("skipped: the .stderr snapshots are for Rust 1.95.0");
}
