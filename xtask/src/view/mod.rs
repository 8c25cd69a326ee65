//! What the learner sees: failures explained, the learner's loop, build progress.

pub mod building;
pub mod explain;
pub mod failure;
pub mod hint;
pub mod learner;
pub mod listing;
