//! Which tests earn each kata's points, read from a build of the reference solutions:
//! what `cargo xtask manifest` writes into the grading manifest and `verify` checks.

use xtask::course::manifest::GradedKata;
use xtask::course::{Course, Kata};
use xtask::engine::cancel::Cancel;
use xtask::engine::compile::{Build, build_tests};
use xtask::engine::run::{self, Step, Target};
use xtask::util::error::{Error, Result};

/// Each kata's graded tests, read from a build of its reference solution: the
/// solution runs every test of the learner's test files (verify checks that), even
/// the ones that do not compile on the stub. Reference cases earn nothing.
pub fn graded_katas(course: &Course) -> Result<Vec<GradedKata>> {
    let packages: Vec<String> = course.katas.iter().map(Kata::solution_package).collect();
    let refs: Vec<&str> = packages.iter().map(String::as_str).collect();
    graded_from(
        course,
        &build_tests(&course.root, &refs, false, Cancel::NEVER)?,
    )
}

/// `graded_katas` from a build that holds every solution (verify has one already).
pub fn graded_from(course: &Course, build: &Build) -> Result<Vec<GradedKata>> {
    let mut katas = Vec::new();
    for kata in &course.katas {
        let target = Target {
            kata,
            solution: true,
            with_references: false,
        };
        let plan = run::plan(build, target)?;
        let mut tests = Vec::new();
        for step in &plan.steps {
            match step {
                Step::Test { binary, name } => tests.push((binary.target.clone(), name.clone())),
                Step::DoesNotCompile { errors, .. } => {
                    return Err(Error::new(format!(
                        "the solution of {} does not compile:\n{}",
                        kata.id(),
                        errors.join("\n")
                    )));
                }
            }
        }
        katas.push(GradedKata {
            id: kata.id(),
            points: kata.points,
            tests,
        });
    }
    Ok(katas)
}
