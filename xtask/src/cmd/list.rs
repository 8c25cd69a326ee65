//! `cargo xtask list`: every kata with its status. Katas whose sources are unchanged
//! since their last run are not run again; katas after the current one are not run at
//! all (they are pending whatever their tests say).

use std::process::ExitCode;
use std::time::Duration;

use crate::course::Course;
use crate::course::progress::{Progress, source_hash};
use crate::engine::run::{self, Target};
use crate::util::ui;
use crate::view::listing::{self, State};

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
        states.push(listing::state(status, &mut found_current));
    }
    progress.save(&course.root);
    listing::print(course, &states);
    if states.iter().any(|s| *s != State::Done) {
        println!("Carry on with `cargo xtask next`.");
    } else {
        println!("\n{}", crate::view::learner::finished(course));
    }
    Ok(ExitCode::SUCCESS)
}
