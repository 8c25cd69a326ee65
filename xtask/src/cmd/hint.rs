//! `cargo xtask hint [KATA]`: reveals a kata's hints one at a time. The hints live in the
//! kata's `hints.md`, one `## Hint N` section each, apart from the lesson (`README.md`)
//! so that reading the lesson never shows them.

use std::process::ExitCode;

use crate::course::Course;
use crate::course::pick;
use crate::course::progress::Progress;
use crate::util::error::Result;
use crate::view::hint::reveal;

pub fn hint(course: &Course, query: Option<&str>) -> Result<ExitCode> {
    let mut progress = Progress::load(&course.root);
    let kata = pick(course, query, &progress)?;
    reveal(
        course,
        kata,
        &mut progress,
        &match query {
            Some(_) => format!(
                "Run `cargo xtask hint {}` again for the next one.",
                kata.name
            ),
            None => "Run `cargo xtask hint` again for the next one.".to_string(),
        },
    )?;
    Ok(ExitCode::SUCCESS)
}
