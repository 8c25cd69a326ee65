//! What `cargo xtask manifest` generates: the classroom workflows, then the manifest
//! (which protects the workflow, so it comes second).

use std::process::ExitCode;

use crate::grading::graded::graded_katas;
use crate::grading::workflow;
use xtask::course::Course;
use xtask::course::manifest::{FILE, Manifest, generate};
use xtask::util::error::Result;
use xtask::util::{files, ui};

/// Writes them all, and says what it wrote.
pub fn write(course: &Course) -> Result<ExitCode> {
    let katas = graded_katas(course)?;
    let workflow_path = course.root.join(workflow::COURSE_PATH);
    files::write(&workflow_path, &workflow::classroom(&katas))?;
    files::write(
        &course.root.join(workflow::REGRADE_PATH),
        &workflow::regrade(),
    )?;
    let manifest = generate(&course.root, katas);
    files::write(&Manifest::path(&course.root), &manifest.render())?;
    let tests: usize = manifest.katas.iter().map(|k| k.tests.len()).sum();
    let points: u32 = manifest.katas.iter().map(|k| k.points).sum();
    println!(
        "{} wrote {} ({} protected files, {} katas, {} graded tests, {points} points), {} and {}",
        ui::green("✓"),
        FILE,
        manifest.protected.len(),
        manifest.katas.len(),
        tests,
        workflow::COURSE_PATH,
        workflow::REGRADE_PATH
    );
    Ok(ExitCode::SUCCESS)
}
