//! `cargo xtask next`: the learner's loop, once. Finds the first kata, in course order,
//! that does not pass, runs its tests one at a time and stops at the first failure.

use std::process::ExitCode;
use std::time::Duration;

use crate::cmd::session::{self, Round};
use crate::course::Course;
use crate::engine::cancel::Cancel;
use crate::util::error::Result;
use crate::view::{Stdout, learner::Mode};

pub fn next(course: &Course, kata: Option<&str>, timeout: Option<Duration>) -> Result<ExitCode> {
    session::start(course, kata)?;
    let round = session::round(
        &mut Stdout,
        course,
        timeout,
        Mode::Next,
        Cancel::NEVER,
        &|_| {},
    )?;
    Ok(match round {
        Round::Complete => ExitCode::SUCCESS,
        Round::Failing(_) | Round::Cancelled => ExitCode::FAILURE,
    })
}
