//! `cargo xtask list`: every kata with its status, as the progress cache knows it. It
//! never builds or runs anything, so it answers at once: a kata the cache knows nothing
//! of (never run, or changed since its last run) is "not run yet", and the list says
//! which command runs it.

use std::process::ExitCode;
use std::time::Duration;

use crate::course::Course;
use crate::course::progress::Progress;
use crate::util::error::Result;
use crate::view::listing::{self, State};

/// `_timeout` is accepted for the command line's sake (`list --timeout 1` worked when
/// `list` ran tests); nothing runs.
pub fn list(course: &Course, _timeout: Option<Duration>) -> Result<ExitCode> {
    let progress = Progress::load(&course.root);
    let states = listing::cached_states(course, &progress);
    // Written back as read: lines it could not read are gone, and said once.
    progress.save(&course.root);
    listing::print(course, &states);
    let not_run = states.iter().filter(|s| !s.known()).count();
    if states.iter().all(|s| *s == State::Done) {
        println!("\n{}", crate::view::learner::finished(course));
    } else {
        if not_run > 0 {
            println!(
                "{} not run yet (or changed since): `cargo xtask check KATA` runs one, \
                 `cargo xtask next` goes on from where you are.",
                crate::util::ui::plural(not_run, "kata")
            );
        }
        println!("Carry on with `cargo xtask next`.");
    }
    Ok(ExitCode::SUCCESS)
}
