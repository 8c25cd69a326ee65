//! `cargo xtask reset KATA… | --all`: restores the original stubs, after a backup, and
//! the kata's other files (its `Cargo.toml`, which cargo may no longer read; its tests)
//! where the learner changed them.
//!
//! The originals come from the grading manifest (each file's git blob id) and
//! git's object store (`git cat-file blob ID`), so a reset works even after the learner
//! has committed their work. Nothing is touched until every original is in hand and the
//! learner's files are copied to `.awaitlings/backups/`.

use std::collections::BTreeMap;
use std::fs;
use std::io::{self, BufRead, IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode, Stdio};
use std::time::SystemTime;

use crate::course::manifest::Manifest;
use crate::course::progress::Progress;
use crate::course::{Course, Kata};
use crate::util::error::{Context, Error, Result};
use crate::util::sha1::git_blob_id;
use crate::{util::files, util::ui};

pub fn reset(course: &Course, queries: &[String], all: bool, yes: bool) -> Result<ExitCode> {
    let katas = select(course, queries, all)?;
    let manifest = Manifest::load(&course.root)?;
    let mut plans = Vec::new();
    for kata in katas {
        let stubs = manifest.stub_files(kata);
        if stubs.is_empty() {
            return Err(format!(
                "the grading manifest lists no files for {}, so there is nothing to restore it \
                 from; a course author regenerates it with `cargo xtask manifest`",
                kata.id()
            )
            .into());
        }
        let plan = plan(&course.root, kata, &stubs, &manifest.protected_files(kata))?;
        if plan.restore.is_empty() && plan.remove.is_empty() {
            println!(
                "{} is already as the course shipped it: nothing to do.",
                kata.id()
            );
        } else {
            plans.push(plan);
        }
    }
    if plans.is_empty() {
        return Ok(ExitCode::SUCCESS);
    }

    // Every original first: a missing git or object stops us before any change.
    let mut originals = BTreeMap::new();
    for plan in &plans {
        for (path, id) in &plan.restore {
            originals.insert(path.clone(), original(&course.root, path, id)?);
        }
    }

    if !yes {
        let summary = summary(&plans);
        if !io::stdin().is_terminal() {
            return Err(format!(
                "reset would replace your files ({}), and there is no terminal to ask you \
                 first. Run it again with `--yes` to reset without asking (your files are \
                 backed up first).",
                plans
                    .iter()
                    .map(|plan| plan.kata.id())
                    .collect::<Vec<_>>()
                    .join(", ")
            )
            .into());
        }
        print!(
            "This restores the code the course shipped:\n{summary}\nYour current files are backed \
             up first, to .awaitlings/backups/.\nReset? [y/N] "
        );
        let _ = io::stdout().flush();
        let mut answer = String::new();
        let _ = io::stdin().lock().read_line(&mut answer);
        if !matches!(answer.trim().to_lowercase().as_str(), "y" | "yes") {
            println!("Nothing changed.");
            return Ok(ExitCode::FAILURE);
        }
    }

    let label = if all {
        "all".to_string()
    } else {
        label(&plans)
    };
    let backup = backup(&course.root, &plans, &label, now())?;
    let shown = course.relative(&backup);
    println!("Your files are backed up in {shown}/");

    let mut progress = Progress::load(&course.root);
    for plan in &plans {
        apply(&course.root, plan, &originals).map_err(|error| {
            let message =
                format!("{error}\n(your files, as they were before the reset, are in {shown}/)");
            Error::new(message)
        })?;
        progress.forget(plan.kata);
        let removed = match plan.remove.len() {
            0 => String::new(),
            n => format!(", {} of yours removed", ui::plural(n, "file")),
        };
        println!(
            "{} {} is as the course shipped it: {} restored{removed}.",
            ui::green("✓"),
            plan.kata.id(),
            ui::plural(plan.restore.len(), "file")
        );
    }
    progress.save(&course.root);
    Ok(ExitCode::SUCCESS)
}

/// The katas named, in course order, each once; or all of them.
fn select<'a>(course: &'a Course, queries: &[String], all: bool) -> Result<Vec<&'a Kata>> {
    if all {
        return Ok(course.katas.iter().collect());
    }
    let mut katas: Vec<&Kata> = Vec::new();
    for query in queries {
        let kata = course.find(query).map_err(Error::from)?;
        if !katas.iter().any(|k| k.number == kata.number) {
            katas.push(kata);
        }
    }
    katas.sort_by_key(|kata| kata.number);
    Ok(katas)
}

/// What a reset of one kata changes. Paths are repo-relative, with `/`.
#[derive(Debug)]
struct Plan<'a> {
    kata: &'a Kata,
    /// Files changed or deleted since, the learner's stubs and the kata's others (its
    /// `Cargo.toml`, which cargo may no longer read; its tests): (path, git blob id of
    /// the original).
    restore: Vec<(String, String)>,
    /// Files the learner added under `src/`.
    remove: Vec<String>,
    /// Every file under the kata's `src/` now, and each other file to restore that is
    /// there: what the backup holds.
    current: Vec<String>,
}

fn plan<'a>(
    root: &Path,
    kata: &'a Kata,
    stubs: &[(String, String)],
    others: &[(String, String)],
) -> Result<Plan<'a>> {
    let mut current: Vec<String> = files::under(&kata.exercise_dir.join("src"), false)
        .iter()
        .map(|path| files::relative(path, root))
        .collect();
    // The learner's own files: under `src/`, where no stub is.
    let remove = current
        .iter()
        .filter(|path| !stubs.iter().any(|(stub, _)| stub == *path))
        .cloned()
        .collect();
    let mut restore = Vec::new();
    for (path, id) in stubs.iter().chain(others) {
        let now = fs::read(root.join(path))
            .ok()
            .map(|bytes| git_blob_id(&bytes));
        if now.as_deref() != Some(id.as_str()) {
            restore.push((path.clone(), id.clone()));
            if now.is_some() && !current.contains(path) {
                current.push(path.clone());
            }
        }
    }
    Ok(Plan {
        kata,
        restore,
        remove,
        current,
    })
}

/// The original bytes of a learner file, from git's object store. The object is in any
/// clone of the course, whatever the learner committed since.
fn original(root: &Path, path: &str, id: &str) -> Result<Vec<u8>> {
    let output = Command::new("git")
        .arg("-C")
        .arg(root)
        .args(["cat-file", "blob", id])
        .stdin(Stdio::null())
        .output();
    let output = match output {
        Ok(output) => output,
        Err(error) if error.kind() == io::ErrorKind::NotFound => {
            let message = format!(
                "git is not installed (or not on the PATH): reset reads the original of {path} \
                 from the course's git history. Install git, or copy the file from a fresh \
                 copy of the course. Nothing was changed."
            );
            return Err(Error::with_source(message, error));
        }
        Err(error) => {
            let message = format!("could not run git: {error}. Nothing was changed.");
            return Err(Error::with_source(message, error));
        }
    };
    let stderr = String::from_utf8_lossy(&output.stderr);
    if !output.status.success() {
        if stderr.contains("not a git repository") {
            return Err(Error::new(format!(
                "{} is not a git checkout: reset reads the original of {path} from the \
                 course's git history. Clone the course with git, or copy the file from a \
                 fresh copy of the course. Nothing was changed.",
                root.display()
            )));
        }
        if let Some(outer) = enclosing_repository(root) {
            return Err(Error::new(format!(
                "{} is not a git checkout of the course: it sits inside another git \
                 repository ({}), which does not have the original of {path}. Clone the \
                 course with git, or copy the file from a fresh copy of the course. Nothing \
                 was changed.",
                root.display(),
                outer.display()
            )));
        }
        return Err(Error::new(format!(
            "the original of {path} (git object {id}) is not in this clone's history ({}). \
             `git fetch` may bring it, or copy the file from a fresh clone of the course. \
             Nothing was changed.",
            stderr.trim()
        )));
    }
    if git_blob_id(&output.stdout) != id {
        return Err(Error::new(format!(
            "git gave back something else for the original of {path} (object {id}). Nothing \
             was changed."
        )));
    }
    Ok(output.stdout)
}

/// The top of the git repository `root` is in, when that is not `root` itself.
fn enclosing_repository(root: &Path) -> Option<PathBuf> {
    let output = Command::new("git")
        .arg("-C")
        .arg(root)
        .args(["rev-parse", "--show-toplevel"])
        .stdin(Stdio::null())
        .stderr(Stdio::null())
        .output()
        .ok()?;
    let top = PathBuf::from(String::from_utf8_lossy(&output.stdout).trim());
    let same = |a: &Path, b: &Path| match (a.canonicalize(), b.canonicalize()) {
        (Ok(a), Ok(b)) => a == b,
        _ => a == b,
    };
    (output.status.success() && !same(&top, root)).then_some(top)
}

/// What will change, one line per kata, for the confirmation question.
fn summary(plans: &[Plan]) -> String {
    let mut lines = Vec::new();
    for plan in plans {
        let inside = |path: &String| {
            let prefix = format!("exercises/{}/", plan.kata.id());
            path.strip_prefix(&prefix).unwrap_or(path).to_string()
        };
        let mut what = Vec::new();
        let restored: Vec<String> = plan.restore.iter().map(|(path, _)| inside(path)).collect();
        if !restored.is_empty() {
            what.push(format!("restores {}", restored.join(", ")));
        }
        let removed: Vec<String> = plan.remove.iter().map(inside).collect();
        if !removed.is_empty() {
            what.push(format!("removes {} (yours)", removed.join(", ")));
        }
        lines.push(format!("  {}: {}", plan.kata.id(), what.join("; ")));
    }
    lines.join("\n")
}

/// The backup folder's name after the stamp: one kata's name, a few, or a count.
fn label(plans: &[Plan]) -> String {
    let names: Vec<&str> = plans.iter().map(|plan| plan.kata.name.as_str()).collect();
    match names.as_slice() {
        [] => "none".to_string(),
        [first, rest @ ..] if rest.len() > 2 => format!("{first}+{}-more", rest.len()),
        names => names.join("+"),
    }
}

/// Copies every current file of the planned katas to a new folder
/// `.awaitlings/backups/<UTC stamp>-<label>/<repo path>`, and reads each copy back.
fn backup(root: &Path, plans: &[Plan], label: &str, now: u64) -> Result<PathBuf> {
    let backups = root.join(".awaitlings").join("backups");
    fs::create_dir_all(&backups).map_err(|e| {
        let message = format!(
            "cannot create {}: {e}. Nothing was changed.",
            backups.display()
        );
        Error::with_source(message, e)
    })?;
    // Never into an existing backup: two resets in one second get their own folders.
    let base = format!("{}-{label}", utc_stamp(now));
    let mut folder = backups.join(&base);
    let mut attempt = 1;
    loop {
        match fs::create_dir(&folder) {
            Ok(()) => break,
            Err(error) if error.kind() == io::ErrorKind::AlreadyExists && attempt < 100 => {
                attempt += 1;
                folder = backups.join(format!("{base}-{attempt}"));
            }
            Err(error) => {
                let message = format!(
                    "cannot create the backup folder {}: {error}. Nothing was changed.",
                    folder.display()
                );
                return Err(Error::with_source(message, error));
            }
        }
    }
    for plan in plans {
        for path in &plan.current {
            let copied = (|| -> io::Result<bool> {
                let to = folder.join(path);
                fs::create_dir_all(to.parent().expect("a file has a folder"))?;
                let bytes = fs::read(root.join(path))?;
                fs::write(&to, &bytes)?;
                Ok(fs::read(&to)? == bytes)
            })();
            match copied {
                Ok(true) => {}
                Ok(false) => {
                    return Err(format!(
                        "the backup copy of {path} does not read back the same. Nothing was changed."
                    ).into());
                }
                Err(error) => {
                    let message = format!("cannot back up {path}: {error}. Nothing was changed.");
                    return Err(Error::with_source(message, error));
                }
            }
        }
    }
    Ok(folder)
}

/// Writes the originals back and removes the learner's own files and the folders they
/// leave empty.
fn apply(root: &Path, plan: &Plan, originals: &BTreeMap<String, Vec<u8>>) -> Result<()> {
    for (path, _) in &plan.restore {
        let bytes = originals
            .get(path)
            .ok_or_else(|| Error::new(format!("no original for {path}")))?;
        let to = root.join(path);
        if let Some(parent) = to.parent() {
            fs::create_dir_all(parent)
                .with_context(|| format!("cannot create {}", parent.display()))?;
        }
        fs::write(&to, bytes).with_context(|| format!("cannot write {path}"))?;
    }
    for path in &plan.remove {
        fs::remove_file(root.join(path)).with_context(|| format!("cannot remove {path}"))?;
    }
    remove_empty_dirs(&plan.kata.exercise_dir.join("src"));
    Ok(())
}

/// Removes the empty folders under `dir` (not `dir` itself).
fn remove_empty_dirs(dir: &Path) {
    let Ok(entries) = fs::read_dir(dir) else {
        return;
    };
    for entry in entries.filter_map(Result::ok) {
        let path = entry.path();
        if entry.file_type().is_ok_and(|kind| kind.is_dir()) {
            remove_empty_dirs(&path);
            let _ = fs::remove_dir(&path); // fails, as it should, when not empty
        }
    }
}

fn now() -> u64 {
    SystemTime::now()
        .duration_since(SystemTime::UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0)
}

/// `2026-03-14T10-15-02Z`: UTC, sortable, and no `:` (not allowed in Windows names).
fn utc_stamp(unix_seconds: u64) -> String {
    let (year, month, day) = civil_from_days((unix_seconds / 86_400) as i64);
    let seconds = unix_seconds % 86_400;
    format!(
        "{year:04}-{month:02}-{day:02}T{:02}-{:02}-{:02}Z",
        seconds / 3600,
        seconds / 60 % 60,
        seconds % 60
    )
}

/// The proleptic Gregorian date of a day count since 1970-01-01 (Howard Hinnant's
/// `civil_from_days`): eras of 400 years, years starting in March so the leap day is
/// the last of the year.
fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let day_of_era = z.rem_euclid(146_097);
    let year_of_era =
        (day_of_era - day_of_era / 1460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
    let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    let month_index = (5 * day_of_year + 2) / 153; // 0 = March
    let day = (day_of_year - (153 * month_index + 2) / 5 + 1) as u32;
    let month = if month_index < 10 {
        month_index + 3
    } else {
        month_index - 9
    } as u32;
    let year = year_of_era + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utc_stamps_by_hand() {
        assert_eq!(utc_stamp(0), "1970-01-01T00-00-00Z");
        assert_eq!(utc_stamp(1_709_210_096), "2024-02-29T12-34-56Z");
        assert_eq!(utc_stamp(951_868_800), "2000-03-01T00-00-00Z");
        assert_eq!(utc_stamp(946_684_799), "1999-12-31T23-59-59Z");
        // 2100 is not a leap year: the day after 28 February is 1 March.
        assert_eq!(utc_stamp(4_107_542_400), "2100-03-01T00-00-00Z");
        assert_eq!(utc_stamp(4_107_542_400 - 86_400), "2100-02-28T00-00-00Z");
    }

    #[test]
    fn civil_dates_round_trip_day_by_day() {
        // Walk 1600..2400 day by day: each date follows the previous one.
        let mut previous = civil_from_days(-135_140); // 1600-01-01
        assert_eq!(previous, (1600, 1, 1));
        for days in -135_139..157_000 {
            let date = civil_from_days(days);
            let (y, m, d) = previous;
            let leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
            let month_length = match m {
                2 if leap => 29,
                2 => 28,
                4 | 6 | 9 | 11 => 30,
                _ => 31,
            };
            let expected = if d < month_length {
                (y, m, d + 1)
            } else if m < 12 {
                (y, m + 1, 1)
            } else {
                (y + 1, 1, 1)
            };
            assert_eq!(date, expected, "day {days}");
            previous = date;
        }
    }

    struct Scratch(PathBuf);

    impl Drop for Scratch {
        fn drop(&mut self) {
            let _ = fs::remove_dir_all(&self.0);
        }
    }

    fn scratch(name: &str) -> Scratch {
        let dir =
            std::env::temp_dir().join(format!("awaitlings-reset-{name}-{}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        fs::create_dir_all(&dir).unwrap();
        Scratch(dir)
    }

    fn kata(root: &Path) -> Kata {
        Kata {
            module: "00_m".into(),
            folder: "01_k".into(),
            name: "k".into(),
            number: 1,
            exercise_dir: root.join("exercises/00_m/01_k"),
            solution_dir: root.join("solutions/00_m/01_k"),
            timeout: None,
            points: 1,
            reference_tests: vec![],
            hang: None,
            allow: vec![],
        }
    }

    /// Every file under `dir`, by path relative to it, with its bytes.
    fn tree(dir: &Path) -> BTreeMap<String, Vec<u8>> {
        files::under(dir, false)
            .into_iter()
            .map(|path| (files::relative(&path, dir), fs::read(&path).unwrap()))
            .collect()
    }

    #[test]
    fn the_backup_holds_exactly_the_learners_files_and_src_is_the_stub_again() {
        let scratch = scratch("apply");
        let root = &scratch.0;
        let kata = kata(root);
        let src = kata.exercise_dir.join("src");
        let stub_lib = b"pub fn f() { todo!() }\n".to_vec();
        let stub_given = b"pub fn given() {}\n".to_vec();
        let stubs = vec![
            (
                "exercises/00_m/01_k/src/given.rs".to_string(),
                git_blob_id(&stub_given),
            ),
            (
                "exercises/00_m/01_k/src/lib.rs".to_string(),
                git_blob_id(&stub_lib),
            ),
        ];
        // The learner edited lib.rs, deleted given.rs, added notes in a folder of their own.
        fs::create_dir_all(src.join("mine")).unwrap();
        fs::write(src.join("lib.rs"), "pub fn f() { 42; }\n").unwrap();
        fs::write(src.join("mine/notes.rs"), "// my notes\n").unwrap();
        let before = tree(root);

        let plan = plan(root, &kata, &stubs, &[]).unwrap();
        assert_eq!(plan.remove, ["exercises/00_m/01_k/src/mine/notes.rs"]);
        assert_eq!(
            plan.restore, stubs,
            "both stub files differ from what is there"
        );
        let folder = backup(root, std::slice::from_ref(&plan), "k", 1_709_210_096).unwrap();
        assert!(
            folder.ends_with(".awaitlings/backups/2024-02-29T12-34-56Z-k"),
            "{folder:?}"
        );
        assert_eq!(
            tree(&folder),
            before,
            "the backup is the learner's tree, byte for byte"
        );

        let originals = BTreeMap::from([
            (stubs[0].0.clone(), stub_given.clone()),
            (stubs[1].0.clone(), stub_lib.clone()),
        ]);
        apply(root, &plan, &originals).unwrap();
        assert_eq!(
            tree(&src),
            BTreeMap::from([
                ("given.rs".to_string(), stub_given),
                ("lib.rs".to_string(), stub_lib)
            ])
        );
        assert!(!src.join("mine").exists(), "the emptied folder goes too");

        // Now the kata is as shipped: nothing to restore or remove.
        let again = super::plan(root, &kata, &stubs, &[]).unwrap();
        assert!(
            again.restore.is_empty() && again.remove.is_empty(),
            "{again:?}"
        );
        // A second backup in the same second gets its own folder.
        let second = backup(root, &[again], "k", 1_709_210_096).unwrap();
        assert!(second.ends_with("2024-02-29T12-34-56Z-k-2"), "{second:?}");
        assert_eq!(tree(&folder).len(), 2, "the first backup is untouched");
    }

    fn git(dir: &Path, args: &[&str]) -> String {
        let output = Command::new("git")
            .arg("-C")
            .arg(dir)
            .args(args)
            .output()
            .expect("git runs");
        assert!(output.status.success(), "git {args:?}: {output:?}");
        String::from_utf8(output.stdout).unwrap()
    }

    #[test]
    fn originals_come_from_git_or_a_clear_error() {
        let scratch = scratch("git");
        let root = &scratch.0;
        let not_a_checkout = original(root, "exercises/a/b/src/lib.rs", &git_blob_id(b"x"));
        let error = not_a_checkout.unwrap_err().to_string();
        assert!(error.contains("is not a git checkout"), "{error}");
        assert!(error.contains("Nothing was changed"), "{error}");

        git(root, &["init", "--quiet"]);
        fs::write(root.join("stub.rs"), "fn f() { todo!() }\n").unwrap();
        let id = git(root, &["hash-object", "-w", "stub.rs"])
            .trim()
            .to_string();
        assert_eq!(id, git_blob_id(b"fn f() { todo!() }\n"));
        fs::write(root.join("stub.rs"), "fn f() {}\n").unwrap();
        assert_eq!(
            original(root, "stub.rs", &id).unwrap(),
            b"fn f() { todo!() }\n"
        );
        let missing = original(root, "other.rs", &git_blob_id(b"never stored"))
            .unwrap_err()
            .to_string();
        assert!(
            missing.contains("is not in this clone's history"),
            "{missing}"
        );
        assert!(missing.contains("other.rs"), "{missing}");
        // A course copied into another repository: that one lacks the originals.
        let nested = root.join("course");
        fs::create_dir_all(&nested).unwrap();
        let error = original(&nested, "stub.rs", &git_blob_id(b"elsewhere"))
            .unwrap_err()
            .to_string();
        assert!(
            error.contains("it sits inside another git repository"),
            "{error}"
        );
    }

    #[test]
    fn backup_folders_are_named_after_what_is_reset() {
        let root = Path::new("/c");
        let katas: Vec<Kata> = ["a", "b", "c", "d"]
            .iter()
            .map(|name| Kata {
                name: name.to_string(),
                ..kata(root)
            })
            .collect();
        let plans: Vec<Plan> = katas
            .iter()
            .map(|kata| Plan {
                kata,
                restore: vec![],
                remove: vec![],
                current: vec![],
            })
            .collect();
        assert_eq!(label(&plans[..1]), "a");
        assert_eq!(label(&plans[..3]), "a+b+c");
        assert_eq!(label(&plans), "a+3-more");
    }
}
