//! `cargo xtask hint [KATA]`: reveals a kata's hints one at a time. The hints live in the
//! kata's `hints.md`, one `## Hint N` section each, apart from the lesson (`README.md`)
//! so that reading the lesson never shows them. When the learner's code fails exactly
//! as one of the kata's wrong-answer fixtures does (`mistakes-manifest.txt`), the mistake
//! is named first, in the fixture's own words.

use std::process::ExitCode;

use crate::course::Course;
use crate::course::Kata;
use crate::course::mistakes::Mistakes;
use crate::course::pick;
use crate::course::progress::Progress;
use crate::engine::cancel::Cancel;
use crate::engine::recognise::signature;
use crate::engine::run::{self, Target};
use crate::util::error::Result;
use crate::util::ui;
use crate::view::hint::reveal;

pub fn hint(course: &Course, query: Option<&str>) -> Result<ExitCode> {
    let mut progress = Progress::load(&course.root);
    let kata = pick(course, query, &progress)?;
    if let Some(sentence) = recognised(course, kata) {
        println!(
            "{} {sentence}\n",
            ui::bold("your code behaves like a classic mistake:")
        );
    }
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

/// The mistake the learner's code behaves like: its tests run (all of them), and their
/// verdict matched against the kata's fixtures' signatures. `None` when the kata has no
/// recorded mistakes, the run fails, the code is incomplete (a `todo!()` reached, or it
/// does not compile), or no single fixture matches.
fn recognised(course: &Course, kata: &Kata) -> Option<String> {
    let mistakes = Mistakes::load(&course.root);
    mistakes.kata(&kata.id())?;
    let target = Target {
        kata,
        solution: false,
        with_references: false,
    };
    let limit = run::time_limit(kata, None);
    let result = run::run_kata(
        &course.root,
        target,
        limit,
        false,
        &mut |_, _, _| {},
        Cancel::NEVER,
    )
    .ok()?;
    if result.cancelled {
        return None;
    }
    let verdict = signature(
        result
            .results
            .iter()
            .map(|step| (step.label.as_str(), &step.outcome)),
    )?;
    mistakes
        .recognise(&kata.id(), &verdict)
        .map(|mistake| mistake.sentence.clone())
}
