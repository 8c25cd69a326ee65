//! The signature of each wrong-answer fixture (`course::mistakes`): which tests reject it
//! and how, observed by running it twice. `cargo xtask manifest` records them for the
//! katas whose sources changed since; `verify` checks the record against what it sees.

use std::time::Duration;

use super::wrong;
use xtask::course::mistakes::{ANY_MESSAGE, KataMistakes, Mistake, Signature};
use xtask::course::{Course, Kata};
use xtask::engine::cancel::Cancel;
use xtask::engine::compile::Build;
use xtask::engine::harness::Outcome;
use xtask::engine::recognise::trait_of;
use xtask::engine::run::{self, Step};
use xtask::util::error::Result;
use xtask::util::files;
use xtask::util::sha1::git_blob_id;

/// A digest of everything a kata's fixtures' verdicts depend on that the course holds:
/// its test files and manifest, its solution and its wrong answers. A changed digest
/// means its signatures are run again.
pub fn digest(course: &Course, kata: &Kata) -> String {
    let mut paths = files::under(&kata.exercise_dir.join("tests"), false);
    paths.push(kata.exercise_dir.join("Cargo.toml"));
    paths.push(kata.solution_dir.join("Cargo.toml"));
    paths.extend(files::under(&kata.solution_dir.join("src"), false));
    paths.extend(files::under(&kata.solution_dir.join(wrong::FOLDER), false));
    paths.sort();
    let mut all = Vec::new();
    for path in paths {
        all.extend(course.relative(&path).into_bytes());
        all.push(0);
        all.extend(std::fs::read(&path).unwrap_or_default());
        all.push(0);
    }
    git_blob_id(&all)
}

/// A fixture's signature from its two runs: each failing test's trait, a message the
/// runs disagree on recorded as [`ANY_MESSAGE`].
pub fn from_runs(first: &[(String, Outcome)], second: &[(String, Outcome)]) -> Signature {
    let mut signature = Signature::new();
    for (test, outcome) in first {
        let Some(how) = trait_of(outcome) else {
            continue;
        };
        let again = second
            .iter()
            .find(|(other, _)| other == test)
            .and_then(|(_, outcome)| trait_of(outcome));
        let how = match again {
            Some(again) if again != how && how.starts_with("failed: ") => ANY_MESSAGE.to_string(),
            _ => how,
        };
        signature.insert(test.clone(), how);
    }
    signature
}

/// Runs a fixture's tests once: (test, outcome), in plan order; `None` when it cannot
/// be planned or does not compile.
pub fn run_once(
    build: &Build,
    course: &Course,
    kata: &Kata,
    fixture: &wrong::Fixture,
    limit: Duration,
) -> Option<Vec<(String, Outcome)>> {
    let dir = wrong::workspace_dir(course).join(fixture.package(kata));
    let plan = run::plan_in(build, kata, &dir, false).ok()?;
    if let Some(Step::DoesNotCompile { target: None, .. }) = plan.steps.first() {
        return None;
    }
    Some(
        plan.steps
            .iter()
            .map(|step| {
                (
                    step.label(),
                    run::execute(step, limit, Cancel::NEVER).outcome,
                )
            })
            .collect(),
    )
}

/// Builds and runs `katas`' fixtures twice each: their signatures, one block per kata
/// that has fixtures (a fixture that does not apply or compile is left out).
pub fn observe(
    course: &Course,
    katas: &[&Kata],
    timeout: Option<Duration>,
) -> Result<Vec<KataMistakes>> {
    let build = wrong::build(course, katas, false)?;
    let mut found = Vec::new();
    for kata in katas {
        let fixtures = wrong::fixtures(kata);
        if fixtures.is_empty() {
            continue;
        }
        let limit = run::time_limit(kata, timeout);
        let mut block = KataMistakes {
            id: kata.id(),
            digest: digest(course, kata),
            mistakes: Vec::new(),
        };
        for fixture in &fixtures {
            let Some(build) = build.as_ref() else { break };
            let Some(first) = run_once(build, course, kata, fixture, limit) else {
                continue;
            };
            let Some(second) = run_once(build, course, kata, fixture, limit) else {
                continue;
            };
            block
                .mistakes
                .push(mistake(fixture, from_runs(&first, &second)));
        }
        found.push(block);
    }
    Ok(found)
}

/// A fixture as the mistakes manifest records it.
pub fn mistake(fixture: &wrong::Fixture, signature: Signature) -> Mistake {
    Mistake {
        name: fixture.name.clone(),
        sentence: fixture
            .mistake
            .clone()
            .unwrap_or_else(|| fixture.name.replace('_', " ")),
        signature,
    }
}
