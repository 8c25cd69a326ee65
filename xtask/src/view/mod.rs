//! What the learner sees: failures explained, the learner's loop, build progress.

pub mod building;
pub mod explain;
