//! `cargo xtask reset KATA | --all`: restores the original stubs, after a backup.

use std::process::ExitCode;

use crate::course::Course;

pub fn reset(
    _course: &Course,
    _katas: &[String],
    _all: bool,
    _yes: bool,
) -> Result<ExitCode, String> {
    Err("`reset` is not built yet".into())
}
