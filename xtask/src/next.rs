//! `cargo xtask next`: the learner's loop. Finds the first kata, in course order, that
//! does not pass, runs its tests one at a time and stops at the first failure.

use std::process::ExitCode;
use std::time::Duration;

use crate::course::{Course, Kata};
use crate::harness::Outcome;
use crate::progress::{Progress, Status, done_count, source_hash};
use crate::run::{self, KataResult, Target};
use crate::{hint, locate, ui};

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
    let total = course.katas.len();
    println!(
        "{} {total} of {total} katas done (100%)\n\n{}",
        ui::progress_bar(total, total, 20),
        finished(course)
    );
    Ok(ExitCode::SUCCESS)
}

/// Where the learner is: the kata's place in the course and the lesson to read.
pub fn header(course: &Course, kata: &Kata, note: &str) {
    let total = course.katas.len();
    let (progress, _) = Progress::read(&course.root);
    let done = done_count(course, &progress);
    println!(
        "{} {} {}{note}",
        ui::bold(&format!("kata {} of {total}", kata.number)),
        ui::progress_bar(done, total, 10),
        ui::bold(&format!("· {}", kata.id()))
    );
    println!("lesson: {}\n", course.relative(&kata.lesson()));
}

fn explain_failure(course: &Course, kata: &Kata, result: &KataResult) {
    let Some(failed) = result.results.last() else {
        return;
    };
    println!(
        "\n{}\n",
        ui::indent(&run::explain(&failed.outcome, &kata.name), "    ")
    );
    let remaining = result.total - result.results.len();
    if remaining > 0 {
        println!("{} after this one.", ui::plural(remaining, "more test"));
    }
    // The first `todo!()` left, as `path:line:col`, which terminals make clickable.
    let code = match locate::first_todo(&kata.exercise_dir) {
        Some(found) => found.relative_to(&course.root).to_string(),
        None => course.relative(&kata.exercise_dir.join("src/lib.rs")),
    };
    println!("Edit {code}, then run `cargo xtask next` again.");
    let hints = hint::count(kata);
    if hints > 0 {
        println!(
            "Stuck? `cargo xtask hint` reveals the next of {}.",
            ui::plural(hints, "hint")
        );
    }
}

/// The end of the course, for `next` and for `list` when everything is done: what the
/// learner has done and what they can do now.
pub fn finished(course: &Course) -> String {
    let mut text = format!(
        "{} Every kata passes: you have finished awaitlings, all {} katas. Well done!\n\nWhat now?\n",
        ui::green("✓"),
        course.katas.len()
    );
    let mut ideas: Vec<(String, String)> = Vec::new();
    if course.root.join("solutions").is_dir() {
        ideas.push((
            "cargo xtask solution KATA".into(),
            "compare your code with the reference solution, kata by kata".into(),
        ));
    }
    // The last module is where the course comes together (the capstone, in awaitlings).
    if let Some(last) = course.katas.last() {
        let what = if last.module.contains("capstone") {
            "the capstone's service: grow it your own way (a new command, a TTL); its tests \
             keep you honest"
        } else {
            "the last module: grow its code your own way; its tests keep you honest"
        };
        ideas.push((format!("exercises/{}/", last.module), what.into()));
    }
    ideas.push((
        "cargo xtask list".into(),
        "the whole course at a glance".into(),
    ));
    let width = ideas.iter().map(|(what, _)| what.len()).max().unwrap_or(0);
    for (what, why) in ideas {
        text += &format!("  {}  {}\n", ui::bold(&format!("{what:width$}")), why);
    }
    text.trim_end().to_string()
}
