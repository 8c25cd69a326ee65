//! Running things: cargo builds, test processes and their groups, the plan of steps,
//! signals, watched files, kata folders cargo cannot load. Never prints.

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
