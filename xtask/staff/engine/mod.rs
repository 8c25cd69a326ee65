//! What only the staff runs: wrong answers against a kata's tests. Never prints.

pub mod patch;
pub mod signatures;
pub mod wrong;
