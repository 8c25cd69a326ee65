//! Running things: cargo builds, test processes and their groups, the plan of steps,
//! signals, watched files, kata folders cargo cannot load. Never prints.

// The engine says what happened as data; the view says it to the learner.
#![deny(clippy::print_stdout, clippy::print_stderr)]

pub mod cancel;
pub mod compile;
pub mod file_events;
pub mod harness;
pub mod health;
pub mod last;
pub mod lints;
pub mod observe;
pub mod platform;
pub mod recognise;
pub mod run;
pub mod signals;
