//! The course's fault-injection kit: collaborators that fail, fall short or get in the
//! way on cue, so a kata's tests can check its promises on the bad day too.
//!
//! - [`io`]: readers, writers, fallible calls, full queues, held locks and shutdown
//!   signals sent before the start (modules 04–07).

pub mod io;
