//! The runner's lowest layers, a crate of their own: `util` (no knowledge of the
//! course), `course` (the course model: katas, metadata, progress, lessons and hints,
//! locations, the grading manifest's format) and `flags` (the command line). They need
//! nothing of the system beyond std, so they compile while libc does, which the engine
//! above them needs. The runner's library (`xtask`) re-exports them under the same names.

pub mod course;
pub mod flags;
pub mod util;
