//! The course at a glance: every kata with its status, and the learner's progress.

use crate::course::Course;
use crate::course::progress::{Progress, Status, source_hash};
use crate::util::ui;

/// What the progress cache says of a kata, and whether the learner is on it.
#[derive(Clone, Copy, PartialEq, Debug)]
pub enum State {
    Done,
    /// Where the learner is (the kata chosen, else the first not known to pass);
    /// `known`: the cache has its failing result, else it was not run yet.
    Current {
        known: bool,
    },
    /// Its last run, with the sources it has now, failed.
    Failing,
    /// The cache knows nothing of it as it is now: never run, or changed since.
    NotRun,
}

impl State {
    /// Whether the cache has a result for the kata as it is now.
    pub fn known(self) -> bool {
        !matches!(self, State::NotRun | State::Current { known: false })
    }
}

/// The list in one line per module (`watch`'s `l`), so that it fits under the verdict
/// on a 40-line screen: a mark per kata, ✓ done, ▶ current, ✗ failing, · not run yet.
pub fn print_compact(course: &Course) {
    let states = cached_states(course, &Progress::load(&course.root));
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
            State::Current { .. } => ui::yellow("▶"),
            State::Failing => ui::red("✗"),
            State::NotRun => ui::dim("·"),
        };
    }
    flush(&mut line, module, done, total);
    println!(
        "  {}",
        ui::dim("✓ done · ▶ current · ✗ failing · · not run yet (`cargo xtask list`: names)")
    );
}

/// Each kata's state, from the cache alone: nothing is built or run.
pub fn cached_states(course: &Course, progress: &Progress) -> Vec<State> {
    let current = crate::course::progress::first_unfinished(course, progress);
    course
        .katas
        .iter()
        .map(|kata| {
            let status = progress.status(kata, source_hash(&course.root, kata));
            state(status, current.is_some_and(|c| c.id() == kata.id()))
        })
        .collect()
}

/// Done if it passes; the current kata (the one chosen, else the first not known to
/// pass) is current; the rest fail or were not run yet.
pub fn state(status: Option<Status>, current: bool) -> State {
    match status {
        Some(Status::Passed) => State::Done,
        status if current => State::Current {
            known: status.is_some(),
        },
        Some(Status::Failing) => State::Failing,
        None => State::NotRun,
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
            State::Done => (ui::green("✓"), ui::green("done       ")),
            State::Current { .. } => (ui::yellow("▶"), ui::yellow("current    ")),
            State::Failing => (ui::red("✗"), ui::red("failing    ")),
            State::NotRun => (ui::dim("·"), ui::dim("not run yet")),
        };
        let note = match state {
            State::Current { known: false } => ui::dim("not run yet"),
            _ => String::new(),
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
            "  {mark} {word}  {}{}  {}",
            kata.folder,
            " ".repeat(width.saturating_sub(kata.folder.len())),
            [package, note].join(" ").trim()
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
