//! `cargo xtask regrade STUDENT_DIR…`: the grade an instructor can trust. For each
//! student's repository, only the files a learner is meant to edit (each kata's `src/`)
//! are copied into a pristine copy of the course, and graded there: whatever else the
//! student changed cannot touch the tests, the manifest or the runner. Changed
//! protected files are still reported, beside honest points. Writes a gradebook CSV.
//!
//! Students are graded one after the other in one pristine workspace with its own
//! target dir, so dependencies are built once for the whole class. Never the course's
//! target dir: cargo names a workspace's crates by their path *within* the workspace,
//! so two workspaces with the same layout would take each other's builds for fresh.

use std::collections::BTreeSet;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::{Duration, Instant};

use crate::course::{Course, Kata};
use crate::export::write_template;
use crate::grade::{self, KataGrade};
use crate::manifest::{Manifest, Tampered};
use crate::{files, ui};

/// One student's result.
struct Student {
    name: String,
    grades: Vec<KataGrade>,
    tampered: Vec<Tampered>,
    /// Why the student could not be graded at all.
    error: Option<String>,
}

pub fn regrade(
    course: &Course,
    students: &[PathBuf],
    gradebook: Option<&Path>,
    timeout: Option<Duration>,
) -> Result<ExitCode, String> {
    let started = Instant::now();
    let names = student_names(students)?;
    let katas = assignment_katas(course, students);
    if katas.is_empty() {
        return Err(
            "none of these folders holds a kata of this course (exercises/NN_module/NN_kata/): \
             are they the students' repositories?"
                .into(),
        );
    }
    let work = course.root.join("target").join("regrade");
    let pristine = work.join("course");
    let target_dir = work.join("target");
    println!(
        "regrading {} on {} (pristine copies in {})",
        ui::plural(students.len(), "student"),
        ui::plural(katas.len(), "kata"),
        course.relative(&work)
    );
    let mut results = Vec::new();
    for (dir, name) in students.iter().zip(names) {
        let mut student = Student {
            name: name.clone(),
            grades: Vec::new(),
            tampered: Vec::new(),
            error: None,
        };
        match pristine_grade(course, dir, &katas, &pristine, &target_dir, timeout) {
            Ok((grades, tampered)) => (student.grades, student.tampered) = (grades, tampered),
            Err(error) => student.error = Some(error),
        }
        match &student.error {
            Some(error) => println!("{} {name}: {error}", ui::red("✗")),
            None => {
                let earned = grade::total_points(&student.grades);
                let max: u32 = student.grades.iter().map(|g| g.max_points).sum();
                let note = match student.tampered.len() {
                    0 => String::new(),
                    n => ui::red(&format!(
                        "  ({} changed: see the gradebook)",
                        ui::plural(n, "protected file")
                    )),
                };
                println!(
                    "{} {name}: {} / {max}{note}",
                    ui::green("✓"),
                    grade::points(earned)
                );
            }
        }
        results.push(student);
    }
    let path = gradebook.unwrap_or(Path::new("gradebook.csv"));
    files::write(path, &csv(&results))?;
    println!(
        "\nwrote {} in {:.1} s",
        path.display(),
        started.elapsed().as_secs_f64()
    );
    Ok(if results.iter().all(|s| s.error.is_none()) {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
}

/// Each student's name is their folder's; two folders with one name would share a row.
fn student_names(students: &[PathBuf]) -> Result<Vec<String>, String> {
    let mut seen = BTreeSet::new();
    students
        .iter()
        .map(|dir| {
            let name = dir
                .canonicalize()
                .ok()
                .and_then(|d| d.file_name().map(|n| n.to_string_lossy().into_owned()))
                .ok_or_else(|| format!("{} is not a folder", dir.display()))?;
            if !seen.insert(name.clone()) {
                return Err(format!(
                    "two students' folders are named `{name}`: rename one"
                ));
            }
            Ok(name)
        })
        .collect()
}

/// The assignment: every course kata that any student's repository holds, so each
/// student is graded on the same katas (one who deleted a kata gets its stub).
fn assignment_katas<'a>(course: &'a Course, students: &[PathBuf]) -> Vec<&'a Kata> {
    course
        .katas
        .iter()
        .filter(|kata| {
            students
                .iter()
                .any(|dir| dir.join("exercises").join(kata.id()).is_dir())
        })
        .collect()
}

fn pristine_grade(
    course: &Course,
    dir: &Path,
    katas: &[&Kata],
    pristine: &Path,
    target_dir: &Path,
    timeout: Option<Duration>,
) -> Result<(Vec<KataGrade>, Vec<Tampered>), String> {
    if !dir.join("exercises").is_dir() {
        return Err(format!(
            "{} has no exercises/ folder: is it a student's repository?",
            dir.display()
        ));
    }
    if pristine.exists() {
        fs::remove_dir_all(pristine)
            .map_err(|e| format!("cannot clear {}: {e}", pristine.display()))?;
    }
    // Fresh files, so cargo rebuilds every kata from this student's sources.
    write_template(course, pristine, katas)?;
    let config = pristine.join(".cargo/config.toml");
    let mut text = fs::read_to_string(&config).unwrap_or_default();
    text += &format!(
        "\n[build]\ntarget-dir = {:?}\n",
        target_dir.display().to_string()
    );
    files::write(&config, &text)?;

    let manifest = Manifest::load(pristine)?;
    // What the student changed that they should not have: reported, never used.
    let mut tampered = manifest.tampered(dir);
    for kata in katas {
        let src = Path::new("exercises").join(kata.id()).join("src");
        // A link anywhere on the way (`src/` pointing into a classmate's folder) is
        // never followed: that kata is graded as the stub, and the link reported.
        if let Some(link) = link_on_the_way(dir, &src) {
            tampered.push(Tampered {
                path: files::relative(&link, dir),
                how: "a symbolic link: not followed, the kata is graded as shipped",
            });
            continue;
        }
        if dir.join(&src).is_dir() {
            let _ = fs::remove_dir_all(pristine.join(&src));
            for skipped in copy_learner_files(&dir.join(&src), &pristine.join(&src))? {
                tampered.push(Tampered {
                    path: files::relative(&skipped, dir),
                    how: "not a regular file: not copied",
                });
            }
        }
    }
    tampered.sort_by(|a, b| a.path.cmp(&b.path));
    let copy = Course::load(pristine)?;
    let chosen: Vec<(&Kata, &crate::manifest::GradedKata)> = copy
        .katas
        .iter()
        .filter_map(|kata| manifest.kata(&kata.id()).map(|g| (kata, g)))
        .collect();
    let grades = grade::grade_katas(&copy, &chosen, &[], timeout)?;
    Ok((grades, tampered))
}

/// The first folder or file from `dir` down to `dir/relative` that is a symbolic link.
fn link_on_the_way(dir: &Path, relative: &Path) -> Option<PathBuf> {
    let mut path = dir.to_path_buf();
    for part in relative.components() {
        path.push(part);
        if fs::symlink_metadata(&path).is_ok_and(|m| m.file_type().is_symlink()) {
            return Some(path);
        }
    }
    None
}

/// Copies the regular files of a learner's `src/`; returns what it left out: symbolic
/// links (one could point at a test file, or outside the repository) and other
/// non-files.
fn copy_learner_files(from: &Path, to: &Path) -> Result<Vec<PathBuf>, String> {
    let mut skipped = Vec::new();
    for path in files::under(from, true) {
        if !fs::symlink_metadata(&path).is_ok_and(|meta| meta.is_file()) {
            skipped.push(path);
            continue;
        }
        let target = to.join(path.strip_prefix(from).unwrap_or(&path));
        if let Some(parent) = target.parent() {
            fs::create_dir_all(parent)
                .map_err(|e| format!("cannot create {}: {e}", parent.display()))?;
        }
        fs::copy(&path, &target).map_err(|e| format!("cannot copy {}: {e}", path.display()))?;
    }
    Ok(skipped)
}

/// `HEADER`'s columns: a row per student and kata, then the student's total.
fn csv(students: &[Student]) -> String {
    let mut text = String::from(HEADER);
    for student in students {
        if let Some(error) = &student.error {
            text += &row(&[&student.name, "error", "0", "0", "0", "0", error, ""]);
            continue;
        }
        let kata_files = |grade: &KataGrade| -> String {
            student
                .tampered
                .iter()
                .filter(|t| crate::manifest::kata_of(&t.path).is_none_or(|owner| owner == grade.id))
                .map(|t| format!("{} ({})", t.path, t.how))
                .collect::<Vec<_>>()
                .join("; ")
        };
        for grade in &student.grades {
            text += &row(&[
                &student.name,
                &grade.id,
                &grade::points(grade.points()),
                &grade.max_points.to_string(),
                &grade.passed().to_string(),
                &grade.tests.len().to_string(),
                &kata_files(grade),
                &flagged(&grade.flagged),
            ]);
        }
        let earned = grade::total_points(&student.grades);
        let all_files: Vec<String> = student
            .tampered
            .iter()
            .map(|t| format!("{} ({})", t.path, t.how))
            .collect();
        text += &row(&[
            &student.name,
            "total",
            &grade::points(earned),
            &student
                .grades
                .iter()
                .map(|g| g.max_points)
                .sum::<u32>()
                .to_string(),
            &student
                .grades
                .iter()
                .map(KataGrade::passed)
                .sum::<usize>()
                .to_string(),
            &student
                .grades
                .iter()
                .map(|g| g.tests.len())
                .sum::<usize>()
                .to_string(),
            &all_files.join("; "),
            &flagged(
                &student
                    .grades
                    .iter()
                    .flat_map(|g| g.flagged.clone())
                    .collect::<Vec<_>>(),
            ),
        ]);
    }
    text
}

/// The gradebook's columns. `flagged_code` names what grading refused in a kata's code.
pub const HEADER: &str =
    "student,kata,points,max_points,tests_passed,tests_total,tampered_files,flagged_code\n";

fn flagged(findings: &[crate::scan::Finding]) -> String {
    findings
        .iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join("; ")
}

fn row(fields: &[&str]) -> String {
    let quoted: Vec<String> = fields
        .iter()
        .map(|field| {
            if field.contains([',', '"', '\n', '\r']) {
                format!("\"{}\"", field.replace('"', "\"\""))
            } else {
                field.to_string()
            }
        })
        .collect();
    quoted.join(",") + "\n"
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quotes_csv_fields_that_need_it() {
        assert_eq!(
            row(&["a", "b,c", "say \"hi\""]),
            "a,\"b,c\",\"say \"\"hi\"\"\"\n"
        );
    }
}
