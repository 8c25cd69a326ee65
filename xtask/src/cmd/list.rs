//! `cargo xtask list`: every kata with its status. Katas whose sources are unchanged
//! since their last run are not run again; katas after the current one are not run at
//! all (they are pending whatever their tests say).

use std::process::ExitCode;
use std::time::Duration;

use crate::course::Course;
use crate::course::progress::{Progress, Status, source_hash};
use crate::engine::run::{self, Target};
use crate::util::ui;

#[derive(Clone, Copy, PartialEq)]
enum State {
    Done,
    Current,
    Pending,
}

pub fn list(course: &Course, timeout: Option<Duration>) -> Result<ExitCode, String> {
    let mut progress = Progress::load(&course.root);
    let mut states = Vec::new();
    let mut found_current = false;
    for kata in &course.katas {
        let hash = source_hash(&course.root, kata);
        let status = match progress.status(kata, hash) {
            Some(status) => Some(status),
            None if found_current => None,
            None => {
                eprintln!("{}", ui::dim(&format!("running {}…", kata.id())));
                let target = Target {
                    kata,
                    solution: false,
                    with_references: false,
                };
                let limit = run::time_limit(kata, timeout);
                let result = run::run_kata(&course.root, target, limit, true, &mut |_, _, _| {})?;
                let status = result.status();
                progress.record(kata, hash, status);
                Some(status)
            }
        };
        states.push(state(status, &mut found_current));
    }
    progress.save(&course.root);
    print(course, &states);
    if states.iter().any(|s| *s != State::Done) {
        println!("Carry on with `cargo xtask next`.");
    } else {
        println!("\n{}", crate::cmd::next::finished(course));
    }
    Ok(ExitCode::SUCCESS)
}

/// The list as the progress cache has it, running nothing (`watch` has just run the
/// katas up to the current one): done, then the first not known to pass, then pending.
pub fn print_cached(course: &Course) {
    let progress = Progress::load(&course.root);
    let mut found_current = false;
    let states: Vec<State> = course
        .katas
        .iter()
        .map(|kata| {
            let status = progress.status(kata, source_hash(&course.root, kata));
            state(status, &mut found_current)
        })
        .collect();
    print(course, &states);
}

/// Done if it passes; the first kata that does not is the current one, the rest wait.
fn state(status: Option<Status>, found_current: &mut bool) -> State {
    match status {
        Some(Status::Passed) => State::Done,
        _ if *found_current => State::Pending,
        _ => {
            *found_current = true;
            State::Current
        }
    }
}

fn print(course: &Course, states: &[State]) {
    let width = course
        .katas
        .iter()
        .map(|k| k.folder.len())
        .max()
        .unwrap_or(0);
    let mut module = "";
    for (kata, state) in course.katas.iter().zip(states) {
        if kata.module != module {
            module = &kata.module;
            println!("{}", ui::bold(module));
        }
        let (mark, word) = match state {
            State::Done => (ui::green("✓"), ui::green("done   ")),
            State::Current => (ui::yellow("▶"), ui::yellow("current")),
            State::Pending => (ui::dim("·"), ui::dim("pending")),
        };
        println!(
            "  {mark} {word}  {:width$}  {}",
            kata.folder,
            ui::dim(&kata.name)
        );
    }
    let done = states.iter().filter(|s| **s == State::Done).count();
    let total = course.katas.len();
    println!(
        "\n{} {done} of {total} katas done ({}%)",
        ui::progress_bar(done, total, 20),
        done * 100 / total
    );
}
