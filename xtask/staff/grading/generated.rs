//! What `cargo xtask manifest` generates: the classroom workflows, then the manifest
//! (which protects the workflow, so it comes second), then the mistakes manifest (the
//! wrong answers' signatures, run again only for katas whose sources changed).

use std::process::ExitCode;

use crate::engine::signatures;
use crate::grading::graded::graded_katas;
use crate::grading::workflow;
use xtask::course::Course;
use xtask::course::manifest::{FILE, Manifest, generate};
use xtask::course::mistakes::{self, Mistakes};
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
    write_mistakes(course);
    Ok(ExitCode::SUCCESS)
}

/// Writes the mistakes manifest: each kata's block kept when its digest still holds,
/// else its fixtures are run again. A failure to build them is said and leaves the old
/// blocks: the grading manifest above is written whatever happens here.
fn write_mistakes(course: &Course) {
    let old = Mistakes::load(&course.root);
    let stale: Vec<_> = course
        .katas
        .iter()
        .filter(|kata| {
            let has_fixtures = !crate::engine::wrong::fixtures(kata).is_empty();
            let current = old
                .kata(&kata.id())
                .is_some_and(|block| block.digest == signatures::digest(course, kata));
            has_fixtures && !current
        })
        .collect();
    let mut fresh = Vec::new();
    if !stale.is_empty() {
        println!(
            "running the wrong answers of {} (their sources changed)…",
            ui::plural(stale.len(), "kata")
        );
        match signatures::observe(course, &stale, None) {
            Ok(found) => fresh = found,
            Err(error) => println!(
                "{} {} not updated: {error}",
                ui::yellow("!"),
                mistakes::FILE
            ),
        }
    }
    let mut manifest = Mistakes::default();
    for kata in &course.katas {
        let id = kata.id();
        if crate::engine::wrong::fixtures(kata).is_empty() {
            continue;
        }
        // A block that could not be run again stays as it was: verify says it is stale.
        let block = fresh
            .iter()
            .find(|block| block.id == id)
            .or_else(|| old.kata(&id));
        manifest.katas.extend(block.cloned());
    }
    if let Err(error) = files::write(&Mistakes::path(&course.root), &manifest.render()) {
        println!("{} {error}", ui::yellow("!"));
        return;
    }
    let fixtures: usize = manifest.katas.iter().map(|k| k.mistakes.len()).sum();
    let unique: usize = manifest.katas.iter().map(|k| k.unique()).sum();
    println!(
        "{} wrote {} ({} wrong answers, {unique} with a signature of their own)",
        ui::green("✓"),
        mistakes::FILE,
        fixtures
    );
    // Per module: how much of it the runner can name (a kata id starts with its module).
    let mut modules = std::collections::BTreeMap::<&str, (usize, usize)>::new();
    for kata in &manifest.katas {
        let module = kata.id.split('/').next().unwrap_or_default();
        let entry = modules.entry(module).or_default();
        entry.0 += kata.unique();
        entry.1 += kata.mistakes.len();
    }
    let shares: Vec<String> = modules
        .iter()
        .map(|(module, (unique, all))| format!("{module} {unique}/{all}"))
        .collect();
    println!("  of their own, per module: {}", shares.join(", "));
    for kata in &manifest.katas {
        for (a, b) in kata.ambiguous() {
            println!(
                "{}",
                ui::dim(&format!(
                    "· {}: wrong answers `{a}` and `{b}` fail alike (same tests, same \
                     messages): the runner cannot tell them apart",
                    kata.id
                ))
            );
        }
    }
}
