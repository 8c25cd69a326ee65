//! The learner's loop, which `next` and `watch` share: find the kata where the learner
//! is, run it, remember the verdict, save progress. What the learner sees of it is the
//! view's (`view::learner`), written to the writer the command gives.

use std::io::Write;
use std::time::Duration;

use crate::course::progress::{Progress, Status, in_order, source_hash};
use crate::course::{Course, Kata};
use crate::engine::cancel::Cancel;
use crate::engine::last;
use crate::engine::run::{self, Target};
use crate::util::error::Result;
use crate::view::learner::{self, Mode};

/// How a round ended.
pub enum Round<'a> {
    /// This kata is where the learner is: its first failure is on screen.
    Failing(&'a Kata),
    /// Every kata passes; the closing message is on screen.
    Complete,
    /// `cancel` was set before a verdict; nothing was recorded.
    Cancelled,
}

/// `next KATA`, `watch KATA`: the learner chose where to start (kept in their progress).
pub fn start(course: &Course, kata: Option<&str>) -> Result<()> {
    match kata {
        Some(query) => crate::course::choose(course, query),
        None => Ok(()),
    }
}

/// One round of the learner's loop: each kata in course order that is not known to
/// pass is run, test by test, until one fails. Progress is loaded and saved as it goes,
/// so hints revealed meanwhile are kept.
///
/// Where the learner chose a kata (`next KATA`, `watch KATA`), they stay on the kata the
/// round stops at: the choice moves with them as each kata passes, so a later plain
/// `next` or `watch` goes on there, not at the first kata of the course that does not
/// pass. The choice ends when every kata passes. `on_screen` is told each kata whose
/// header is shown (watch's `h` is for that kata).
pub fn round<'a>(
    out: &mut impl Write,
    course: &'a Course,
    timeout: Option<Duration>,
    mode: Mode,
    cancel: Cancel,
    on_screen: &dyn Fn(&Kata),
) -> Result<Round<'a>> {
    let mut progress = Progress::load(&course.root);
    for kata in in_order(course, &progress) {
        let hash = source_hash(&course.root, kata);
        if progress.status(kata, hash) == Some(Status::Passed) {
            continue;
        }
        on_screen(kata);
        learner::header(out, course, kata, "", &progress)?;
        let target = Target {
            kata,
            solution: false,
            with_references: false,
        };
        let limit = run::time_limit(kata, timeout);
        let mut shown = Ok(());
        let result = last::run_kata(
            &course.root,
            target,
            limit,
            &mut |index, total, step| {
                if shown.is_ok() {
                    shown = learner::step(out, index, total, step);
                }
            },
            cancel,
        )?;
        shown?;
        if result.cancelled {
            return Ok(Round::Cancelled);
        }
        crate::view::failure::say_broken(course, &result.broken);
        let status = result.status();
        progress.record(kata, hash, status);
        progress.save(&course.root);
        if status == Status::Passed {
            learner::passed(out, kata)?;
            if let Some(module) = module_done(course, kata, &progress) {
                learner::module_done(out, &module)?;
            }
            continue;
        }
        learner::failure(out, course, kata, &result, mode)?;
        if progress.follow(course, kata) {
            progress.save(&course.root);
        }
        return Ok(Round::Failing(kata));
    }
    if progress.current(course).is_some() {
        // Everything passes: nothing left to choose.
        progress.set_current(None);
        progress.save(&course.root);
    }
    learner::complete(out, course)?;
    Ok(Round::Complete)
}

/// When `kata` completes its module (every kata of it passes): the module, how many
/// katas it has, and the next module.
fn module_done<'a>(
    course: &'a Course,
    kata: &'a Kata,
    progress: &Progress,
) -> Option<learner::ModuleDone<'a>> {
    let module: Vec<&Kata> = course
        .katas
        .iter()
        .filter(|k| k.module == kata.module)
        .collect();
    let all_pass = module
        .iter()
        .all(|k| progress.status(k, source_hash(&course.root, k)) == Some(Status::Passed));
    all_pass.then(|| learner::ModuleDone {
        module: &kata.module,
        katas: module.len(),
        next: course
            .katas
            .iter()
            .find(|k| k.module > kata.module)
            .map(|k| k.module.as_str()),
    })
}
