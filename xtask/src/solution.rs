//! `cargo xtask solution [KATA]`: the reference solution as a diff against the learner's code.

use std::process::ExitCode;

use crate::course::Course;

pub fn solution(_course: &Course, _kata: Option<&str>, _force: bool) -> Result<ExitCode, String> {
    Err("`solution` is not built yet".into())
}
