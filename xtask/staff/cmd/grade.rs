//! `cargo xtask grade [KATA…]`: points per kata, for classroom assignments.
//!
//! The manifest says which tests earn a kata's points; each runs alone, and counts as
//! passed only when the test harness itself logged it so (`harness::run_graded_test`),
//! never from an exit code. A test that was renamed, removed or ignored is a test not
//! passed. A kata whose protected files (tests, manifest, …) differ from the manifest,
//! or every kata when the course's own files do, earns nothing, and every such file is
//! named. `regrade` runs the same grading in pristine copies of the course.

use std::fs;
use std::path::Path;
use std::process::ExitCode;
use std::time::Duration;

use base64::Engine;
use base64::engine::general_purpose::STANDARD as BASE64;

use crate::grading::grade::{KataGrade, Status, classroom_json, grade_katas, results_json, table};
use xtask::course::manifest::{GradedKata, Manifest, Tampered};
use xtask::course::{Course, Kata};
use xtask::flags::Format;
use xtask::util::error::{Context, Error, Result};
use xtask::{util::files, util::ui};

pub fn grade(
    course: &Course,
    queries: &[String],
    format: Format,
    output: Option<&Path>,
    tampered_list: Option<&Path>,
    timeout: Option<Duration>,
) -> Result<ExitCode> {
    let manifest = Manifest::load(&course.root)?;
    let katas = chosen(course, &manifest, queries)?;
    if format == Format::Classroom && katas.len() != 1 {
        return Err(
            "`--format classroom` grades one kata (one workflow step per kata, one row each \
             in the classroom's report): name it, e.g. `grade hello --format classroom`"
                .into(),
        );
    }
    let mut tampered = manifest.tampered(&course.root);
    if let Some(path) = tampered_list {
        tampered.extend(read_tampered_list(path)?);
        tampered.sort_by(|a, b| a.path.cmp(&b.path));
        tampered.dedup_by(|a, b| a.path == b.path);
    }
    eprintln!(
        "{}",
        ui::dim(&format!("grading {}…", ui::plural(katas.len(), "kata")))
    );
    let grades = grade_katas(course, &katas, &tampered, timeout)?;
    print!("{}", table(&grades, &tampered));
    // Hidden tests are not here to run, but the student should know they exist.
    for (id, tests, points) in &manifest.hidden {
        if katas.iter().any(|(kata, _)| &kata.id() == id) {
            println!(
                "{}",
                ui::dim(&format!(
                    "{id} also has {} worth {points} points, hidden: they run only when \
                     your instructor regrades",
                    ui::plural(*tests, "test")
                ))
            );
        }
    }
    match format {
        Format::Table => {}
        Format::Json => {
            let path = output.unwrap_or(Path::new("results.json"));
            files::write(path, &format!("{}\n", results_json(&grades)))?;
            println!("wrote {}", path.display());
        }
        Format::Classroom => report_to_classroom(&grades[0])?,
    }
    let full_marks = grades.iter().all(|g| g.status() == Status::Pass);
    Ok(if full_marks {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
}

/// The katas to grade, in course order: the named ones, or every one the manifest
/// grades. A kata the manifest does not know is an error, not a guess.
fn chosen<'a>(
    course: &'a Course,
    manifest: &'a Manifest,
    queries: &[String],
) -> Result<Vec<(&'a Kata, &'a GradedKata)>> {
    let graded = |kata: &'a Kata| {
        manifest.kata(&kata.id()).map(|g| (kata, g)).ok_or_else(|| {
            Error::new(format!(
                "{} is not in the grading manifest: a course author runs `cargo xtask manifest`",
                kata.id()
            ))
        })
    };
    if queries.is_empty() {
        return Ok(course
            .katas
            .iter()
            .filter_map(|kata| graded(kata).ok())
            .collect());
    }
    queries
        .iter()
        .map(|query| {
            let kata = course.find(query).map_err(Error::from)?;
            graded(kata)
        })
        .collect()
}

/// `--tampered FILE`: what the classroom workflow restored, a `PATH HOW` per line.
fn read_tampered_list(path: &Path) -> Result<Vec<Tampered>> {
    let text = fs::read_to_string(path)
        .with_context(|| format!("cannot read the tampered-files list {}", path.display()))?;
    Ok(text
        .lines()
        .filter(|line| !line.trim().is_empty())
        .map(|line| {
            let (path, how) = line.rsplit_once(' ').unwrap_or((line, "changed"));
            Tampered {
                path: path.to_string(),
                how: match how {
                    "added" => "added",
                    "deleted" => "deleted",
                    "roots" => "a second root commit in the history: the template is unknown",
                    _ => "changed",
                },
            }
        })
        .collect())
}

/// Appends `result=BASE64` to `$GITHUB_OUTPUT`, as the classroom grader actions do.
fn report_to_classroom(grade: &KataGrade) -> Result<()> {
    let line = format!("result={}\n", BASE64.encode(classroom_json(grade)));
    match std::env::var_os("GITHUB_OUTPUT") {
        Some(path) => {
            use std::io::Write;
            fs::OpenOptions::new()
                .create(true)
                .append(true)
                .open(&path)
                .and_then(|mut file| file.write_all(line.as_bytes()))
                .with_context(|| format!("cannot write to $GITHUB_OUTPUT ({path:?})"))
        }
        None => {
            println!("(not in GitHub Actions: $GITHUB_OUTPUT is unset; the step output is)");
            print!("{line}");
            Ok(())
        }
    }
}
