//! `cargo xtask next`: the learner's loop. Finds the first kata, in course order, that
//! does not pass, runs its tests one at a time and stops at the first failure.

use std::process::ExitCode;
use std::time::Duration;

use crate::course::Course;
use crate::engine::cancel::Cancel;
use crate::util::error::Result;
use crate::view::learner::{Mode, Round, round};

pub fn next(course: &Course, kata: Option<&str>, timeout: Option<Duration>) -> Result<ExitCode> {
    if let Some(query) = kata {
        crate::course::choose(course, query)?;
    }
    Ok(
        match round(course, timeout, Mode::Next, Cancel::NEVER, &|_| {})? {
            Round::Complete => ExitCode::SUCCESS,
            Round::Failing(_) | Round::Cancelled => ExitCode::FAILURE,
        },
    )
}
