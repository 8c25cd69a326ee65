//! The course's fault-injection kit: collaborators that fail, fall short or get in the
//! way on cue, so a kata's tests check a promise over the cases a learner's code will
//! meet, not one friendly example (KATA-GUIDE, section 3b).
//!
//! - [`futures`]: futures ready at their first poll, pending for N polls or panicking after them, each
//!   counting its polls; a poller that gives every poll a new waker (the future moved to
//!   another task); a runner that moves a future to a new task after each `Pending`;
//!   a harness that drops a future at each of its await points (modules 00–03).
//! - [`threads`]: whether a thread is asleep (parked, blocked on a lock), as an event a
//!   test can wait for instead of spinning on `yield_now` or sleeping in real time.
//! - [`io`]: readers, writers, fallible calls, full queues, held locks and shutdown
//!   signals sent before the start (modules 04–07).

pub mod futures;
pub mod io;
pub mod threads;
