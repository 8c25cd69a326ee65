//! `cargo xtask new --fixture KATA NAME`: a wrong answer, written as a learner would
//! write it, in a working copy of the solution's `src/`. The first run writes the copy
//! (`.awaitlings/fixtures/KATA/NAME/`: the fixture as it stands, or the solution under a
//! `//! Wrong:` line to fill in); the next stores the edited copy beside the solution, as
//! a patch against it (`wrong/NAME.patch`) or, where a rewrite is shorter, whole
//! (`wrong/NAME/`), and removes the copy. `--from DIR` stores DIR instead. Either holds
//! the code as the solution's `src/` would: a `#[path]` to a given module is the
//! solution's.

use std::fs;
use std::path::Path;
use std::process::ExitCode;

use crate::engine::patch::{self, LIB, Sources};
use crate::engine::wrong::{self, Form};
use xtask::course::{AUTHOR_MARKER, Course};
use xtask::util::error::{Context, Error, Result};
use xtask::util::{files, ui};

pub fn fixture(course: &Course, query: &str, name: &str, from: Option<&Path>) -> Result<ExitCode> {
    let kata = course.find(query).map_err(Error::from)?;
    let valid = !name.is_empty()
        && name
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_');
    if !valid {
        return Err(Error::new(format!(
            "`{name}`: a wrong answer's name is lowercase snake_case, as the test file's \
             header lists it"
        )));
    }
    let wrong_dir = kata.solution_dir.join(wrong::FOLDER);
    let patch_path = wrong_dir.join(format!("{name}.{}", wrong::PATCH));
    let folder_path = wrong_dir.join(name);
    let working = course
        .root
        .join(".awaitlings/fixtures")
        .join(&kata.name)
        .join(name);
    let solution = wrong::read_sources(&kata.solution_dir.join("src"));
    let existing = wrong::fixtures(kata).into_iter().find(|f| f.name == name);

    let source = from.unwrap_or(&working);
    if !source.is_dir() {
        if from.is_some() {
            return Err(Error::new(format!(
                "--from {}: no such folder",
                source.display()
            )));
        }
        // The first run: a copy to edit, the fixture as it stands or the solution under
        // a header to write (under the fixture's own, for a patch that no longer applies).
        let under_header = |header: &str| {
            let mut copy = solution.clone();
            let lib = solution
                .get(LIB)
                .map_or("", |text| patch::split_header(text).1);
            copy.insert(LIB.to_string(), format!("{header}{lib}"));
            copy
        };
        let blank = format!("//! Wrong: {AUTHOR_MARKER}: the mistake, in the learner's terms.\n\n");
        let mut unapplied = None;
        let copy = match &existing {
            Some(fixture) => match fixture.sources(kata) {
                Ok(sources) => sources,
                Err(error) => {
                    let text = fs::read_to_string(&fixture.path).unwrap_or_default();
                    let header = patch::split_header(&text).0.to_string();
                    unapplied = Some((error, text));
                    under_header(if header.is_empty() { &blank } else { &header })
                }
            },
            None => under_header(&blank),
        };
        for (relative, text) in &copy {
            files::write(&working.join(relative), text)?;
        }
        println!(
            "{} wrote a working copy of {} `{name}`: {}/",
            ui::green("✓"),
            if existing.is_some() {
                "wrong answer"
            } else {
                "new wrong answer"
            },
            course.relative(&working)
        );
        if let Some((error, text)) = unapplied {
            println!(
                "{} {} no longer applies ({error}): the copy is the solution under its \
                 header. Make the mistake again, as the patch made it:\n{}",
                ui::yellow("!"),
                course.relative(&patch_path),
                ui::indent(text.trim_end(), "    ")
            );
        }
        println!(
            "    Make the learner's mistake in it, say it on the first line (`//! Wrong: …`, \
             and `//! Shows: …` below for a timeline), then run `cargo xtask new --fixture \
             {} {name}` again to store it.",
            kata.name
        );
        return Ok(ExitCode::SUCCESS);
    }

    // Paths as the solution's src/ has them (a whole fixture's folder is one deeper).
    let same_folder = fs::canonicalize(source).ok() == fs::canonicalize(&folder_path).ok();
    let edited: Sources = wrong::read_sources(source)
        .into_iter()
        .map(|(path, text)| {
            let text = if same_folder {
                wrong::shallower(&text)
            } else {
                text
            };
            (path, text)
        })
        .collect();
    if !edited.contains_key(LIB) {
        return Err(Error::new(format!(
            "{} has no {LIB}: it stands for the solution's src/",
            source.display()
        )));
    }
    if !same_folder {
        unresolved_paths(course, &kata.solution_dir.join("src"), source, &edited)?;
    }
    if edited == solution {
        return Err(Error::new(format!(
            "{} is the solution as it is: make the mistake first",
            source.display()
        )));
    }
    let text = patch::create(&solution, &edited);
    // What verify will build from it: exactly the edited copy.
    if patch::apply(&solution, &text).as_ref() != Ok(&edited) {
        return Err(Error::new(format!(
            "the patch written from {} does not give it back when applied: keep it whole, \
             as {}/",
            source.display(),
            course.relative(&folder_path)
        )));
    }
    let patch_lines = text.lines().count();
    let whole_lines: usize = edited.values().map(|text| text.lines().count()).sum();
    let form = if patch_lines <= whole_lines {
        files::write(&patch_path, &text)?;
        if folder_path.is_dir() {
            remove_dir(&folder_path)?;
        }
        Form::Patch
    } else {
        if folder_path.is_dir() {
            remove_dir(&folder_path)?;
        }
        for (relative, text) in &edited {
            files::write(&folder_path.join(relative), &wrong::deeper(text))?;
        }
        if patch_path.is_file() {
            fs::remove_file(&patch_path)
                .with_context(|| format!("cannot remove {}", patch_path.display()))?;
        }
        Form::Folder
    };
    if from.is_none() {
        remove_dir(&working)?;
        // The kata's and the fixtures' folders too, once empty.
        for dir in working.ancestors().skip(1).take(2) {
            let _ = fs::remove_dir(dir);
        }
    }
    let stored = match form {
        Form::Patch => format!(
            "{}: a patch of {patch_lines} lines (whole, it would be {whole_lines})",
            course.relative(&patch_path)
        ),
        Form::Folder => format!(
            "{}/: whole, {whole_lines} lines (a patch would be {patch_lines})",
            course.relative(&folder_path)
        ),
    };
    println!("{} wrote {stored}", ui::green("✓"));
    if !wrong::declared(kata).contains_key(name) {
        println!(
            "    List it in the test file's header with the tests that reject it: \
             ``//! - `{name}` (t01): the mistake``; then `cargo xtask verify {}`.",
            kata.name
        );
    }
    Ok(ExitCode::SUCCESS)
}

/// Refuses a `--from` folder whose `#[path]`s do not name files from the solution's
/// `src/`, as a stored fixture's must: a folder copied from `wrong/NAME/` keeps paths
/// one `../` deeper, which would build against other files, or none.
fn unresolved_paths(course: &Course, src: &Path, source: &Path, edited: &Sources) -> Result<()> {
    for (file, text) in edited {
        let dir = src
            .join(file)
            .parent()
            .map(Path::to_path_buf)
            .unwrap_or_default();
        for (line, path) in wrong::relative_paths(text) {
            let named = dir.join(path);
            let in_folder = named
                .strip_prefix(src)
                .is_ok_and(|inside| edited.contains_key(&*inside.to_string_lossy()));
            if named.is_file() || in_folder {
                continue;
            }
            let one_less = path.strip_prefix("../").map(|rest| dir.join(rest));
            let advice = if one_less.is_some_and(|path| path.is_file()) {
                "it has one `../` too many, as a fixture's folder (`wrong/NAME/`) holds it: \
                 run --from on that folder in place, or take one `../` off"
            } else {
                "a `#[path]` in a fixture names a file as the solution's `src/` would"
            };
            return Err(Error::new(format!(
                "{}/{file}:{line}: `#[path = \"{path}\"]` names no file from {}/: {advice}",
                source.display(),
                course.relative(src)
            )));
        }
    }
    Ok(())
}

fn remove_dir(dir: &Path) -> Result<()> {
    fs::remove_dir_all(dir).with_context(|| format!("cannot remove {}", dir.display()))
}
