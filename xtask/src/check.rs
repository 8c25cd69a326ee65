//! `cargo xtask check [KATA]`: every test of one kata, each with its status.

use std::process::ExitCode;
use std::time::Duration;

use crate::course::{Course, Kata};
use crate::harness::Outcome;
use crate::next::header;
use crate::progress::{Progress, first_unfinished, source_hash};
use crate::run::{self, Target};
use crate::ui;

pub fn check(
    course: &Course,
    query: Option<&str>,
    solution: bool,
    timeout: Option<Duration>,
) -> Result<ExitCode, String> {
    let mut progress = Progress::load(&course.root);
    let kata = pick(course, query, &progress)?;
    let hash = source_hash(&course.root, kata);
    let note = if solution {
        " (reference solution)"
    } else {
        ""
    };
    header(course, kata, note, &progress);
    let target = Target {
        kata,
        solution,
        with_references: false,
    };
    let package = target.package();
    let limit = run::time_limit(kata, timeout);
    let result = run::run_kata(&course.root, target, limit, false, &mut |_, _, step| {
        if step.outcome == Outcome::Passed {
            println!("  {} {}", ui::green("✓"), step.label);
        } else {
            println!("  {} {}", ui::red("✗"), ui::bold(&step.label));
            println!(
                "{}\n",
                ui::indent(&run::explain(&step.outcome, &package, course), "      ")
            );
        }
    })?;
    for reference in &result.references {
        println!(
            "  {} {reference} {}",
            ui::dim("·"),
            ui::dim(
                "(reference: a compile-error snapshot of fixed code; `cargo xtask verify` runs it)"
            )
        );
    }
    println!(
        "\n{} of {} pass.",
        result.passed_count(),
        ui::plural(result.total, "test")
    );
    if !solution {
        let status = result.status();
        progress.record(kata, hash, status);
        progress.save(&course.root);
    }
    Ok(if result.passed() {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
}

/// The kata named, else the kata whose folder we are in, else where the learner is.
pub fn pick<'a>(
    course: &'a Course,
    query: Option<&str>,
    progress: &Progress,
) -> Result<&'a Kata, String> {
    if let Some(query) = query {
        return course.find(query).map_err(|unknown| unknown.to_string());
    }
    let here = std::env::current_dir().ok();
    if let Some(kata) = here.as_deref().and_then(|dir| course.containing(dir)) {
        return Ok(kata);
    }
    Ok(first_unfinished(course, progress)
        .unwrap_or_else(|| course.katas.last().expect("a course has katas")))
}
