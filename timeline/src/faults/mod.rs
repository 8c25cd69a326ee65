//! Fault injection for the kata tests: collaborators that misbehave on purpose, so a
//! test checks a promise over the cases a learner's code will meet, not one friendly
//! example (KATA-GUIDE, section 3b).
//!
//! - [`futures`]: futures ready at their first poll or pending for N polls, each
//!   counting its polls; a poller that gives every poll a new waker (the future moved to
//!   another task); a runner that moves a future to a new task after each `Pending`;
//!   a harness that drops a future at each of its await points.
//! - [`threads`]: whether a thread is asleep (parked, blocked on a lock), as an event a
//!   test can wait for instead of spinning on `yield_now` or sleeping in real time.

pub mod futures;
pub mod threads;
