//! `cargo xtask export --student DIR [--modules …]`: a template repository for a
//! classroom assignment. It holds the chosen modules (still in course order), the
//! runner, a grading manifest of its own and the classroom workflow; no solutions, no
//! progress. The course's own tree is only read.

use std::path::Path;
use std::process::ExitCode;

use crate::grading::template::write_template_with;
use xtask::course::{Course, Kata};
use xtask::util::error::{Error, Result};
use xtask::util::ui;

pub fn export(
    course: &Course,
    student: &Path,
    modules: &[String],
    hidden: Option<&Path>,
) -> Result<ExitCode> {
    let katas = chosen_modules(course, modules)?;
    let hidden = match hidden {
        Some(dir) => crate::grading::hidden::load(dir, course)?
            .into_iter()
            .filter(|h| katas.iter().any(|k| k.id() == h.kata))
            .map(|h| (h.kata.clone(), h.tests.len(), h.points))
            .collect(),
        None => Vec::new(),
    };
    write_template_with(course, student, &katas, &hidden)?;
    let names: Vec<&str> = {
        let mut names: Vec<&str> = katas.iter().map(|k| k.module.as_str()).collect();
        names.dedup();
        names
    };
    println!(
        "{} wrote a classroom template to {}: {} in {} ({})",
        ui::green("✓"),
        student.display(),
        ui::plural(katas.len(), "kata"),
        ui::plural(names.len(), "module"),
        names.join(", ")
    );
    println!(
        "\nNext: push it to GitHub as a template repository and make it the assignment's \
         starter code (instructors' guide: classroom/README.md in the course)."
    );
    Ok(ExitCode::SUCCESS)
}

/// The katas of the named modules (by number, `02`, or name, `02_basic_patterns` or
/// `basic_patterns`), in course order; every kata when none is named.
fn chosen_modules<'a>(course: &'a Course, modules: &[String]) -> Result<Vec<&'a Kata>> {
    if modules.is_empty() {
        return Ok(course.katas.iter().collect());
    }
    let mut all: Vec<&str> = course.katas.iter().map(|k| k.module.as_str()).collect();
    all.dedup();
    let mut wanted = Vec::new();
    for query in modules {
        let found = all.iter().find(|module| {
            let (number, name) = module.split_once('_').unwrap_or((module, ""));
            **module == query.as_str()
                || name == query
                || (number.parse::<u32>().ok()).is_some_and(|n| query.parse() == Ok(n))
        });
        match found {
            Some(module) => wanted.push(*module),
            None => {
                return Err(Error::new(format!(
                    "there is no module `{query}`; the course has: {}",
                    all.join(", ")
                )));
            }
        }
    }
    Ok(course
        .katas
        .iter()
        .filter(|kata| wanted.contains(&kata.module.as_str()))
        .collect())
}
