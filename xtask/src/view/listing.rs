//! The course at a glance: every kata with its status, and the learner's progress.

use crate::course::Course;
use crate::course::progress::{Progress, Status, source_hash};
use crate::util::ui;

#[derive(Clone, Copy, PartialEq)]
pub enum State {
    Done,
    Current,
    Pending,
}

/// The list in one line per module (`watch`'s `l`), so that it fits under the verdict
/// on a 40-line screen: a mark per kata, ✓ done, ▶ current, · pending.
pub fn print_compact(course: &Course) {
    let states = cached_states(course);
    let width = course
        .katas
        .iter()
        .map(|k| k.module.len())
        .max()
        .unwrap_or(0);
    let mut line = String::new();
    let mut module = "";
    let (mut done, mut total) = (0, 0);
    let flush = |line: &mut String, module: &str, done: usize, total: usize| {
        if !module.is_empty() {
            println!(
                "  {module:width$}  {line}  {}",
                ui::dim(&format!("{done}/{total}"))
            );
        }
        line.clear();
    };
    for (kata, state) in course.katas.iter().zip(&states) {
        if kata.module != module {
            flush(&mut line, module, done, total);
            module = &kata.module;
            (done, total) = (0, 0);
        }
        total += 1;
        line += &match state {
            State::Done => {
                done += 1;
                ui::green("✓")
            }
            State::Current => ui::yellow("▶"),
            State::Pending => ui::dim("·"),
        };
    }
    flush(&mut line, module, done, total);
}

/// Each kata's state, from the cache alone.
fn cached_states(course: &Course) -> Vec<State> {
    let progress = Progress::load(&course.root);
    let current = crate::course::progress::first_unfinished(course, &progress);
    course
        .katas
        .iter()
        .map(|kata| {
            let status = progress.status(kata, source_hash(&course.root, kata));
            state(status, current.is_some_and(|c| c.id() == kata.id()))
        })
        .collect()
}

/// Done if it passes; the current kata (the one chosen, else the first that does not
/// pass) is current; the rest wait.
pub fn state(status: Option<Status>, current: bool) -> State {
    match status {
        Some(Status::Passed) => State::Done,
        _ if current => State::Current,
        _ => State::Pending,
    }
}

pub fn print(course: &Course, states: &[State]) {
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
        // The folder says the name (`02_countdown`); the package only where it differs.
        let same = kata
            .folder
            .split_once('_')
            .is_some_and(|(_, name)| name == kata.name);
        let package = if same {
            String::new()
        } else {
            ui::dim(&kata.name)
        };
        let line = format!(
            "  {mark} {word}  {}{}  {package}",
            kata.folder,
            " ".repeat(width.saturating_sub(kata.folder.len()))
        );
        println!("{}", line.trim_end());
    }
    let done = states.iter().filter(|s| **s == State::Done).count();
    let total = course.katas.len();
    println!(
        "\n{} {done} of {total} katas done ({}%)",
        ui::progress_bar(done, total, 20),
        done * 100 / total
    );
}
