//! `cargo xtask check [KATA]`: every test of one kata, each with its status.

use std::process::ExitCode;
use std::time::Duration;

use crate::course::pick;
use crate::course::progress::{Progress, source_hash};
use crate::course::{Course, Kata};
use crate::engine::cancel::Cancel;
use crate::engine::harness::Outcome;
use crate::engine::run::{self, Target};
use crate::util::error::Result;
use crate::util::ui;
use crate::view::{Stdout, learner::header};

pub fn check(
    course: &Course,
    query: Option<&str>,
    solution: bool,
    timeline: bool,
    timeout: Option<Duration>,
) -> Result<ExitCode> {
    let mut progress = Progress::load(&course.root);
    let kata = pick(course, query, &progress)?;
    // `check solutions/…/01_hello` means the solution.
    let solution = solution || query.is_some_and(|q| names_the_solution(course, kata, q));
    let hash = source_hash(&course.root, kata);
    let note = if solution {
        " (reference solution)"
    } else {
        ""
    };
    header(&mut Stdout, course, kata, note, &progress)?;
    let target = Target {
        kata,
        solution,
        with_references: false,
    };
    let package = target.package();
    let limit = run::time_limit(kata, timeout);
    // `--timeline`: each test appends the timelines it drew to this file (a failure
    // shows its own in its message); it is read, shown and emptied after each test.
    let drawn = timeline.then(|| {
        let file = std::env::temp_dir().join(format!("awaitlings-timeline-{}", std::process::id()));
        let _ = std::fs::remove_file(&file);
        crate::engine::harness::TIMELINE_FILE
            .get_or_init(|| file)
            .clone()
    });
    let result = run::run_kata(
        &course.root,
        target,
        limit,
        false,
        &mut |_, _, step| {
            let timelines = drawn.as_ref().map(|file| {
                let text = std::fs::read_to_string(file).unwrap_or_default();
                let _ = std::fs::remove_file(file);
                text
            });
            if step.outcome == Outcome::Passed {
                println!("  {} {}", ui::green("✓"), step.label);
                match timelines.as_deref().map(str::trim_end) {
                    Some("") => println!(
                        "{}\n",
                        ui::dim("      (no timeline: this test records none)")
                    ),
                    Some(text) => println!("{}\n", ui::indent(text, "      ")),
                    None => {}
                }
            } else {
                println!("  {} {}", ui::red("✗"), ui::bold(&step.label));
                // Everything, but no line a megabyte long (a test can print one).
                let see_all = format!("all of it: cargo test -p {package}");
                let text = crate::view::learner::cut(
                    &crate::view::failure::explain(&step.outcome, &package, course),
                    usize::MAX,
                    2000,
                    &see_all,
                );
                println!("{}\n", ui::indent(&text, "      "));
            }
        },
        Cancel::NEVER,
    )?;
    crate::view::failure::say_broken(course, &result.broken);
    if !result.references.is_empty() {
        println!(
            "  {} {}",
            ui::dim("·"),
            ui::dim(&format!(
                "and {}: the compiler errors this kata is about, kept as snapshots; \
                 nothing for you to do (`cargo xtask check {} --reference` shows them)",
                ui::plural(result.references.len(), "reference case"),
                kata.name
            ))
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

/// `check KATA --reference`: the compiler errors a kata's reference cases snapshot,
/// each with the code that causes it, so a lesson about a compile error never needs to
/// send anyone into `tests/`. Read from the snapshots: nothing is compiled.
pub fn references(course: &Course, query: Option<&str>) -> Result<ExitCode> {
    let progress = Progress::load(&course.root);
    let kata = pick(course, query, &progress)?;
    let cases = reference_cases(&kata.exercise_dir.join("tests/ui"));
    if cases.is_empty() {
        println!(
            "{} has no reference cases: its lesson is not about a compile error.",
            kata.id()
        );
        return Ok(ExitCode::SUCCESS);
    }
    println!(
        "{}\n",
        ui::bold(&format!(
            "{}: {} the compiler rejects, and what it says (rustc as pinned)",
            kata.id(),
            ui::plural(cases.len(), "program")
        ))
    );
    for (code, error) in &cases {
        println!("{}\n", ui::bold(&course.relative(&code.0)));
        println!("{}\n", ui::indent(&code.1, "    "));
        println!("{}\n", ui::indent(error, "    "));
    }
    Ok(ExitCode::SUCCESS)
}

type Source = (std::path::PathBuf, String);

/// Each `tests/ui/NAME.rs` with its `NAME.stderr`, in name order.
fn reference_cases(dir: &std::path::Path) -> Vec<(Source, String)> {
    let mut cases: Vec<(Source, String)> = crate::util::files::under(dir, false)
        .into_iter()
        .filter(|path| path.extension().is_some_and(|e| e == "rs"))
        .filter_map(|path| {
            let error = std::fs::read_to_string(path.with_extension("stderr")).ok()?;
            let code = std::fs::read_to_string(&path).ok()?;
            Some((
                (path, code.trim_end().to_string()),
                error.trim_end().to_string(),
            ))
        })
        .collect();
    cases.sort_by(|a, b| a.0.0.cmp(&b.0.0));
    cases
}

/// Whether `query` is a path into `kata`'s solution folder.
fn names_the_solution(course: &Course, kata: &Kata, query: &str) -> bool {
    let path = std::path::Path::new(query.trim_end_matches('/'));
    let absolute = std::env::current_dir()
        .map(|here| here.join(path))
        .ok()
        .and_then(|p| p.canonicalize().ok());
    let in_solution = |p: &std::path::Path| {
        kata.solution_dir
            .canonicalize()
            .is_ok_and(|dir| p.starts_with(dir))
    };
    absolute.as_deref().is_some_and(in_solution)
        || path.starts_with("solutions")
        || course.relative(path).starts_with("solutions/")
}
