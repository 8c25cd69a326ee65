//! A classroom template: the chosen katas, the runner, the toolchain pin, a workspace
//! without the solutions, a settled lock file, a student README, the workflow and its
//! own manifest. What `export` writes, and what `regrade` grades in.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use crate::grading::workflow;
use xtask::course::manifest::{self, GradedKata, Manifest};
use xtask::course::mistakes::Mistakes;
use xtask::course::{Course, Kata};
use xtask::engine::compile::cargo;
use xtask::util::error::{Context, Error, Result};
use xtask::util::files;

/// Writes a template holding `katas` into `dir`, which must be new or empty. Also what
/// `regrade` uses for its pristine copies.
pub fn write_template(course: &Course, dir: &Path, katas: &[&Kata]) -> Result<()> {
    write_template_with(course, dir, katas, &[])
}

/// `write_template`, saying (in the student README and the manifest, which `grade`
/// reads) which katas also have hidden tests: (kata id, tests, points).
pub fn write_template_with(
    course: &Course,
    dir: &Path,
    katas: &[&Kata],
    hidden: &[(String, usize, u32)],
) -> Result<()> {
    let course_manifest = Manifest::load(&course.root)?;
    let graded: Vec<GradedKata> = katas
        .iter()
        .map(|kata| {
            course_manifest.kata(&kata.id()).cloned().ok_or_else(|| {
                format!(
                    "{} is not in the course's grading manifest: run `cargo xtask manifest`",
                    kata.id()
                )
            })
        })
        .collect::<Result<_, _>>()?;
    // The template's tests and points come from the course's manifest: it must describe
    // the course as it is.
    let stale: Vec<String> = course_manifest
        .tampered(&course.root)
        .into_iter()
        .filter(|t| {
            manifest::kata_of(&t.path).is_none_or(|id| katas.iter().any(|kata| kata.id() == id))
        })
        .map(|t| format!("{} ({})", t.path, t.how))
        .collect();
    if !stale.is_empty() {
        return Err(Error::new(format!(
            "the course's grading manifest is out of date ({}): run `cargo xtask manifest` first",
            stale.join(", ")
        )));
    }
    let dir = fresh_dir(course, dir)?;

    let root = &course.root;
    // The aliases: from the root, and (hidden, so not in the trees copied below) from a
    // kata's folder (through xtask/relay), the recorder's and the runner's.
    for file in [
        ".cargo/config.toml",
        "exercises/.cargo/config.toml",
        "timeline/.cargo/config.toml",
        "xtask/.cargo/config.toml",
        "rust-toolchain.toml",
        "Cargo.lock",
    ] {
        if root.join(file).exists() {
            copy(&root.join(file), &dir.join(file))?;
        }
    }
    copy_tree(&root.join("xtask"), &dir.join("xtask"))?;
    // The kata tests' recorder: a dev-dependency of the katas that draw timelines.
    copy_tree(&root.join("timeline"), &dir.join("timeline"))?;
    for kata in katas {
        let relative = format!("exercises/{}", kata.id());
        copy_tree(&root.join(&relative), &dir.join(&relative))?;
    }
    files::write(&dir.join("Cargo.toml"), &template_workspace(course)?)?;
    files::write(&dir.join(".gitignore"), GITIGNORE)?;
    files::write(&dir.join("README.md"), &student_readme(&graded, hidden))?;
    files::write(
        &dir.join(workflow::TEMPLATE_PATH),
        &workflow::classroom(&graded),
    )?;
    prune_lock_file(&dir)?;
    // The chosen katas' wrong answers' signatures, so that `hint` recognises a student's
    // classic mistake (the template has no solutions to run them from).
    let mut mistakes = Mistakes::load(&course.root);
    mistakes
        .katas
        .retain(|block| katas.iter().any(|kata| kata.id() == block.id));
    if !mistakes.katas.is_empty() {
        files::write(&Mistakes::path(&dir), &mistakes.render())?;
    }
    // Last: the manifest protects everything written above.
    let mut template_manifest = manifest::generate(&dir, graded);
    template_manifest.hidden = hidden.to_vec();
    files::write(&Manifest::path(&dir), &template_manifest.render())
}

/// `dir`, created, and refused if it already holds anything (nothing is overwritten)
/// or lies inside the course's exercises or solutions (the workspace would take it in).
fn fresh_dir(course: &Course, dir: &Path) -> Result<PathBuf> {
    let has_files = fs::read_dir(dir).is_ok_and(|mut entries| entries.next().is_some());
    if has_files {
        return Err(Error::new(format!(
            "{} is not empty: export writes a new template, and overwrites nothing. Choose a new folder.",
            dir.display()
        )));
    }
    fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
    let dir = dir
        .canonicalize()
        .with_context(|| format!("cannot resolve {}", dir.display()))?;
    let root = course.root.canonicalize().unwrap_or(course.root.clone());
    if dir.starts_with(root.join("exercises")) || dir.starts_with(root.join("solutions")) {
        let _ = fs::remove_dir(&dir);
        return Err(Error::new(format!(
            "{} is inside the course's exercises or solutions: choose a folder elsewhere",
            dir.display()
        )));
    }
    Ok(dir)
}

/// The course's workspace manifest without the solutions' member: the same
/// dependencies, features and profiles, so nothing drifts between course and template.
fn template_workspace(course: &Course) -> Result<String> {
    let path = course.root.join("Cargo.toml");
    let text =
        fs::read_to_string(&path).with_context(|| format!("cannot read {}", path.display()))?;
    let rewritten: Vec<String> = text
        .lines()
        .map(|line| {
            if line.trim_start().starts_with("members") {
                line.replace(", \"solutions/*/*\"", "")
                    .replace("\"solutions/*/*\", ", "")
            } else {
                line.to_string()
            }
        })
        .collect();
    let rewritten = rewritten.join("\n") + "\n";
    if rewritten.contains("solutions/") {
        return Err(Error::new(format!(
            "{} names the solutions in a way export cannot take out: keep them as \
             `\"solutions/*/*\"` in `members`",
            path.display()
        )));
    }
    Ok(rewritten)
}

const GITIGNORE: &str = "/target\n/xtask/target\n/.awaitlings/\n/results.json\n";

fn student_readme(katas: &[GradedKata], hidden: &[(String, usize, u32)]) -> String {
    let mut text = String::from(
        "# awaitlings: async Rust, by doing\n\n\
         Your assignment is a set of small exercises (katas). Each is a crate with a lesson\n\
         (its `README.md`), a `src/lib.rs` full of `todo!()` and tests that fail until you\n\
         fill it in. Start with:\n\n```\ncargo xtask next\n```\n\n\
         It runs the first kata that does not pass yet, one test at a time, and tells you\n\
         what to read and what to edit. `cargo xtask hint` reveals a hint, `cargo xtask list`\n\
         shows your progress, and `cargo xtask grade` shows your points as the autograder\n\
         will count them.\n\n\
         ## The rules\n\n\
         - Edit only the `src/` folders of the katas. Everything else (tests, `Cargo.toml`\n\
           files, the runner in `xtask/`, `.cargo/`, the workflow, `grading-manifest.txt`) is\n\
           protected: the autograder restores it before grading, and a kata whose protected\n\
           files you changed earns nothing.\n\
         - Your code may not use what could forge a test's verdict: files (`std::fs`,\n\
           `tokio::fs`), processes (`std::process::exit`, `Command`), the environment\n\
           (`std::env`), sockets, panic hooks, `include!` and kin, or `unsafe`. No kata needs\n\
           them. The compiler checks this while `cargo xtask next` builds your code, so you\n\
           hear it there first, as a compile error that says why; a name of your own such as\n\
           `process` or `env` is fine.\n\
         - Every push runs the autograder (the \"Autograding Tests\" workflow). Your points are\n\
           the tests you pass: each kata's points are shared equally by its tests.\n\n\
         ## The katas\n\n| kata | points |\n|---|---|\n",
    );
    for kata in katas {
        text += &format!("| `{}` | {} |\n", kata.id, kata.points);
    }
    if !hidden.is_empty() {
        text += "\n## Hidden tests\n\nYour instructor also grades these katas with tests you \
                 do not see. They run only when the instructor regrades the class after the \
                 deadline, never in this repository, and their points come on top:\n\n\
                 | kata | hidden tests | points |\n|---|---|---|\n";
        for (id, tests, points) in hidden {
            text += &format!("| `{id}` | {tests} | {points} |\n");
        }
    }
    text
}

/// Cargo.lock still lists the solutions' packages and the katas left out, and the
/// features only they enable; cargo settles it when it first reads the template's
/// workspace, so it is settled here first and a student's first build leaves the
/// protected lock file as it is. `cargo tree --offline` resolves without downloading a
/// package (`cargo metadata` would need every locked package, other platforms' too, on
/// disk: a new machine has not fetched those); online only if the index cache is short.
fn prune_lock_file(dir: &Path) -> Result<()> {
    let settle = |offline: bool| {
        let mut command = Command::new(cargo());
        command
            .current_dir(dir)
            .args(["tree", "--quiet", "--prefix", "none"])
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::piped());
        if offline {
            command.arg("--offline");
        }
        command.output()
    };
    let output = match settle(true) {
        Ok(output) if output.status.success() => return Ok(()),
        _ => settle(false).context("could not run cargo")?,
    };
    if output.status.success() {
        Ok(())
    } else {
        Err(Error::new(format!(
            "cargo could not settle the template's Cargo.lock:\n{}",
            String::from_utf8_lossy(&output.stderr).trim_end()
        )))
    }
}

fn copy(from: &Path, to: &Path) -> Result<()> {
    if let Some(parent) = to.parent() {
        fs::create_dir_all(parent)
            .with_context(|| format!("cannot create {}", parent.display()))?;
    }
    fs::copy(from, to)
        .map(|_| ())
        .with_context(|| format!("cannot copy {} to {}", from.display(), to.display()))
}

/// Copies a folder's files, leaving out build output and anything hidden.
pub fn copy_tree(from: &Path, to: &Path) -> Result<()> {
    for path in files::under(from, false) {
        copy(&path, &to.join(path.strip_prefix(from).unwrap_or(&path)))?;
    }
    Ok(())
}
