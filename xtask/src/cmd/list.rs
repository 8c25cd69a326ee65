//! `cargo xtask list`: every kata with its status. Katas whose sources are unchanged
//! since their last run are not run again; katas after the current one are not run at
//! all (they are pending whatever their tests say).

use std::process::ExitCode;
use std::time::Duration;

use crate::course::Course;
use crate::course::progress::{Progress, source_hash};
use crate::engine::cancel::Cancel;
use crate::engine::health::Broken;
use crate::engine::run::{self, Target};
use crate::util::error::Result;
use crate::util::ui;
use crate::view::listing::{self, State};

pub fn list(course: &Course, timeout: Option<Duration>) -> Result<ExitCode> {
    let mut progress = Progress::load(&course.root);
    let mut statuses = std::collections::BTreeMap::new();
    let mut current = None;
    // Said once, after the list: each run would name them again.
    let mut broken: Vec<Broken> = Vec::new();
    // In the learner's order, running what the cache does not know, up to the current.
    for kata in crate::course::progress::in_order(course, &progress) {
        let hash = source_hash(&course.root, kata);
        let status = match progress.status(kata, hash) {
            Some(status) => Some(status),
            None if current.is_some() => None,
            None => {
                eprintln!("{}", ui::dim(&format!("running {}…", kata.id())));
                let target = Target {
                    kata,
                    solution: false,
                    with_references: false,
                };
                let limit = run::time_limit(kata, timeout);
                match run::run_kata(
                    &course.root,
                    target,
                    limit,
                    true,
                    &mut |_, _, _| {},
                    Cancel::NEVER,
                ) {
                    Ok(result) => {
                        let status = result.status();
                        for item in result.broken {
                            if !broken.iter().any(|b: &Broken| b.folder == item.folder) {
                                broken.push(item);
                            }
                        }
                        progress.record(kata, hash, status);
                        Some(status)
                    }
                    // Its folder is broken (or cargo cannot build it): not passing, and
                    // said, so that the list still shows every kata.
                    Err(error) => {
                        eprintln!("{} {error}", ui::yellow("warning:"));
                        None
                    }
                }
            }
        };
        if status != Some(crate::course::progress::Status::Passed) && current.is_none() {
            current = Some(kata.id());
        }
        statuses.insert(kata.id(), status);
    }
    let states: Vec<State> = course
        .katas
        .iter()
        .map(|kata| {
            let status = statuses.get(&kata.id()).copied().flatten();
            listing::state(status, current.as_ref() == Some(&kata.id()))
        })
        .collect();
    progress.save(&course.root);
    crate::view::failure::say_broken(course, &broken);
    listing::print(course, &states);
    if states.iter().any(|s| *s != State::Done) {
        println!("Carry on with `cargo xtask next`.");
    } else {
        println!("\n{}", crate::view::learner::finished(course));
    }
    Ok(ExitCode::SUCCESS)
}
