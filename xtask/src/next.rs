//! `cargo xtask next`: the learner's loop. Finds the first kata, in course order, that
//! does not pass, runs its tests one at a time and stops at the first failure.

use std::process::ExitCode;
use std::time::Duration;

use crate::course::{Course, Kata};
use crate::harness::Outcome;
use crate::progress::{Progress, Status, source_hash};
use crate::run::{self, KataResult, Target};
use crate::{hint, ui};

pub fn next(course: &Course, timeout: Option<Duration>) -> Result<ExitCode, String> {
    let mut progress = Progress::load(&course.root);
    for kata in &course.katas {
        let hash = source_hash(&course.root, kata);
        if progress.status(kata, hash) == Some(Status::Passed) {
            continue;
        }
        header(course, kata, "");
        let target = Target {
            kata,
            solution: false,
            with_references: false,
        };
        let limit = run::time_limit(kata, timeout);
        let result = run::run_kata(
            &course.root,
            target,
            limit,
            true,
            &mut |index, total, step| {
                if step.outcome == Outcome::Passed {
                    println!("  {} {}", ui::green("✓"), step.label);
                } else {
                    // A target that does not compile has no tests to count yet.
                    let place = match step.outcome {
                        Outcome::DoesNotCompile(_) => String::new(),
                        _ => format!("  test {index} of {total}"),
                    };
                    println!(
                        "  {} {}{}",
                        ui::red("✗"),
                        ui::bold(&step.label),
                        ui::dim(&place)
                    );
                }
            },
        )?;
        let status = result.status();
        progress.record(kata, hash, status);
        progress.save(&course.root);
        if status == Status::Passed {
            println!(
                "\n{} {} passes: every test is green. On to the next kata.\n",
                ui::green("✓"),
                kata.id()
            );
            continue;
        }
        explain_failure(course, kata, &result);
        return Ok(ExitCode::FAILURE);
    }
    println!(
        "{} Every kata passes: you have finished awaitlings ({} katas). Well done!",
        ui::green("✓"),
        course.katas.len()
    );
    Ok(ExitCode::SUCCESS)
}

/// Where the learner is: the kata's place in the course and the lesson to read.
pub fn header(course: &Course, kata: &Kata, note: &str) {
    let place = format!(
        "kata {} of {} · {}",
        kata.number,
        course.katas.len(),
        kata.id()
    );
    println!("{}{note}", ui::bold(&place));
    println!("lesson: {}\n", course.relative(&kata.lesson()));
}

fn explain_failure(course: &Course, kata: &Kata, result: &KataResult) {
    let Some(failed) = result.results.last() else {
        return;
    };
    println!(
        "\n{}\n",
        ui::indent(&run::explain(&failed.outcome, &kata.name, course), "    ")
    );
    let remaining = result.total - result.results.len();
    if remaining > 0 {
        println!("{} after this one.", ui::plural(remaining, "more test"));
    }
    println!(
        "Edit {}, then run `cargo xtask next` again.",
        course.relative(&kata.exercise_dir.join("src/lib.rs"))
    );
    let hints = hint::count(kata);
    if hints > 0 {
        println!(
            "Stuck? `cargo xtask hint` reveals the next of {}.",
            ui::plural(hints, "hint")
        );
    }
}
