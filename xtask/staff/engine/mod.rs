//! What only the staff runs: wrong answers against a kata's tests. Never prints.

// The engine says what happened as data; the view says it to the learner.
#![deny(clippy::print_stdout, clippy::print_stderr)]

pub mod patch;
pub mod signatures;
pub mod wrong;
