//! A bad kata folder never blocks the runner. The workspace globs `exercises/*/*` and
//! `solutions/*/*`, so one kata folder whose `Cargo.toml` is missing or broken (or a
//! copy of a kata, a second package of its name) makes cargo refuse the whole
//! workspace, and every build with it. The runner (a workspace of its own, so it starts
//! anyway) finds those folders (reading the manifests itself first, then from what cargo
//! says), names them, and builds the other katas in a workspace of their own: a copy of
//! the course's root manifest whose members are the healthy katas' manifests, pointed at
//! their real sources, sharing the course's target dir (no dependency compiles twice).

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use crate::course::manifest::Manifest;
use crate::course::{Course, Kata};
use crate::engine::compile::{self, Build};
use crate::util::error::{Context, Error, Result};
use crate::util::files;

/// A kata folder cargo cannot load.
#[derive(Debug, Clone, PartialEq)]
pub struct Broken {
    /// `01_how_async_works/02_countdown`
    pub id: String,
    /// `exercises/01_how_async_works/02_countdown` (or under `solutions/`): which of the
    /// kata's two packages.
    pub folder: String,
    /// What is wrong, for the author.
    pub problem: String,
}

/// What the workspace glob means for a broken folder.
const GLOB: &str = "The workspace's `exercises/*/*` and `solutions/*/*` globs pick this folder \
                    up, so every cargo command in the course fails until it has a whole \
                    Cargo.toml or goes (`cargo xtask new` writes a kata elsewhere first and \
                    moves it in whole).";

/// Kata folders whose manifests are missing, lack a package name or repeat another's
/// (a copied kata), read without cargo. Of two folders with one package name, the one
/// the course ships (its grading manifest lists it) is the kata, wherever the copy sorts.
pub fn scan(root: &Path) -> Vec<Broken> {
    let shipped = Manifest::load(root).ok();
    let shipped = |id: &str| shipped.as_ref().is_some_and(|m| m.kata(id).is_some());
    let mut broken: Vec<Broken> = Vec::new();
    // Each package name's folders: (folder, kata id).
    let mut names: Vec<(String, Vec<(String, String)>)> = Vec::new();
    for side in ["exercises", "solutions"] {
        // Hidden folders too: cargo's glob matches them.
        for module in files::subfolders(&root.join(side), true) {
            for folder in files::subfolders(&root.join(side).join(&module), true) {
                let dir = root.join(side).join(&module).join(&folder);
                let relative = files::relative(&dir, root);
                let id = format!("{module}/{folder}");
                let problem = match fs::read_to_string(dir.join("Cargo.toml")) {
                    Err(_) if !dir.join("Cargo.toml").exists() => {
                        format!("{relative} has no Cargo.toml")
                    }
                    Err(error) => format!("{relative}/Cargo.toml cannot be read: {error}"),
                    Ok(text) => match package_name(&text) {
                        None => format!("{relative}/Cargo.toml has no `name` under [package]"),
                        Some(name) => {
                            match names.iter_mut().find(|(n, _)| *n == name) {
                                Some((_, folders)) => folders.push((relative, id)),
                                None => names.push((name, vec![(relative, id)])),
                            }
                            continue;
                        }
                    },
                };
                add(&mut broken, id, relative, problem);
            }
        }
    }
    for (name, folders) in names.iter().filter(|(_, folders)| folders.len() > 1) {
        let kept = folders.iter().position(|(_, id)| shipped(id)).unwrap_or(0);
        let (first, _) = &folders[kept];
        for (index, (folder, id)) in folders.iter().enumerate() {
            if index != kept {
                let side = folder.split('/').next().unwrap_or("exercises");
                let problem = format!(
                    "{folder}/Cargo.toml names its package `{name}`, as {first}/Cargo.toml \
                     does, and cargo refuses two packages of one name (a copy of a kata? move \
                     it out of {side}/)"
                );
                add(&mut broken, id.clone(), folder.clone(), problem);
            }
        }
    }
    broken
}

/// The broken kata folders behind a refused build: those the manifests show, and those
/// cargo names in `error`.
pub fn found(root: &Path, error: &str) -> Vec<Broken> {
    let mut broken = scan(root);
    for item in from_cargo(root, error) {
        // What the manifests showed says it plainly already.
        if !broken.iter().any(|b| b.folder == item.folder) {
            broken.push(item);
        }
    }
    broken
}

/// What is wrong with a broken kata folder, and how to repair it: a kata the course
/// ships (its grading manifest lists it) by a reset, or from git where a reset cannot
/// (a kata without its `Cargo.toml` is no kata to the runner; a solution is the
/// author's); anything else by moving it out.
pub fn repair(root: &Path, broken: &Broken) -> String {
    let shipped = Manifest::load(root).is_ok_and(|manifest| manifest.kata(&broken.id).is_some());
    let folder = &broken.folder;
    let how = if !shipped {
        "The course has no kata there: move the folder out of the course.".to_string()
    } else if folder.starts_with("solutions/") {
        format!("A course author's folder: `git checkout -- {folder}` restores it.")
    } else if !root.join(folder).join("Cargo.toml").exists() {
        format!("`git checkout -- {folder}/Cargo.toml` restores it.")
    } else {
        format!(
            "`cargo xtask reset {}` restores the kata's files as the course shipped them \
             (yours are backed up first).",
            broken.id
        )
    };
    format!("{}\n{how}", broken.problem)
}

/// The folders cargo names in "failed to load manifest for workspace member `PATH`",
/// with what it said.
pub fn from_cargo(root: &Path, error: &str) -> Vec<Broken> {
    const SIGN: &str = "failed to load manifest for workspace member `";
    let mut broken = Vec::new();
    for (at, _) in error.match_indices(SIGN) {
        let rest = &error[at + SIGN.len()..];
        let Some((path, _)) = rest.split_once('`') else {
            continue;
        };
        let Some(id) = kata_id(root, Path::new(path)) else {
            continue;
        };
        let mut said: Vec<&str> = rest
            .lines()
            .skip(1)
            .map(str::trim_end)
            .take_while(|line| !line.starts_with("error:"))
            .filter(|line| {
                !line.trim().is_empty() && !line.trim_start().starts_with("referenced via")
            })
            .collect();
        // Newer cargo says what is wrong first, as an error of its own, then this one.
        if said.is_empty() {
            let before = error[..at].trim_end_matches("error: ");
            if let Some(start) = before.rfind("error: ") {
                said = before[start..].lines().map(str::trim_end).collect();
            }
        }
        let folder = files::relative(Path::new(path), root);
        let problem = format!("cargo cannot load {folder}:\n{}", said.join("\n"));
        add(&mut broken, id, folder, problem);
    }
    broken
}

/// The problem said in full, with what the glob means.
pub fn describe(broken: &Broken) -> String {
    format!("{}\n{GLOB}", broken.problem)
}

fn add(broken: &mut Vec<Broken>, id: String, folder: String, problem: String) {
    match broken.iter_mut().find(|b| b.folder == folder) {
        Some(existing) if !existing.problem.contains(&problem) => {
            existing.problem = format!("{}\n{problem}", existing.problem);
        }
        Some(_) => {}
        None => broken.push(Broken {
            id,
            folder,
            problem,
        }),
    }
}

/// `M/K` for a folder `ROOT/exercises/M/K` or `ROOT/solutions/M/K` (or the real path of
/// one of the mirror's packages).
fn kata_id(root: &Path, path: &Path) -> Option<String> {
    let relative = files::relative(path, root);
    let mut parts = relative.split('/');
    let side = parts.next()?;
    let (module, folder) = (parts.next()?, parts.next()?);
    (matches!(side, "exercises" | "solutions") && parts.next().is_none())
        .then(|| format!("{module}/{folder}"))
}

/// The `name` under `[package]`, read as cargo would for a plain `name = "…"`.
fn package_name(manifest: &str) -> Option<String> {
    let mut section = "";
    for line in manifest.lines().map(str::trim) {
        if line.starts_with('[') {
            section = line;
        } else if section == "[package]"
            && let Some((key, value)) = line.split_once('=')
            && key.trim() == "name"
        {
            let value = value.split('#').next().unwrap_or("").trim();
            return Some(value.trim_matches('"').trim_matches('\'').to_string());
        }
    }
    None
}

/// The mirror workspace's folder, under the course's target dir.
fn mirror_dir(course: &Course) -> PathBuf {
    compile::target_dir(&course.root).join("awaitlings/healthy-katas")
}

/// Builds the tests of `katas` (stubs and solutions) outside the course's workspace,
/// leaving out the broken ones. First every kata of the course is loaded there (cargo
/// names one broken manifest per try, and loading is cheap), so that `broken` names
/// them all; a kata cargo refuses joins `broken` and the rest go on without it. The
/// build reads as if made in the course: its packages' folders are the katas' own, so
/// tests run where `cargo test` runs them.
pub fn build_apart(
    course: &Course,
    katas: &[&Kata],
    broken: &mut Vec<Broken>,
    colour: bool,
) -> Result<Build> {
    // One runner at a time writes the mirror (`watch` in one terminal, `check` in
    // another): it is rewritten for every build. The lock goes with `guard`.
    let lock_path = mirror_dir(course).with_extension("lock");
    if let Some(parent) = lock_path.parent() {
        fs::create_dir_all(parent)
            .with_context(|| format!("cannot create {}", parent.display()))?;
    }
    let guard = fs::File::create(&lock_path)
        .with_context(|| format!("cannot create {}", lock_path.display()))?;
    guard
        .lock()
        .with_context(|| format!("cannot lock {}", lock_path.display()))?;
    let every: Vec<&Kata> = course.katas.iter().collect();
    in_mirror(course, &every, broken, load)?;
    let target = compile::target_dir(&course.root);
    let (mut build, real) = in_mirror(course, katas, broken, |dir| {
        compile::build_workspace_tests(dir, &target, colour)
    })?;
    let back = |path: &mut PathBuf| {
        if let Some((_, source)) = real.iter().find(|(mirror, _)| mirror == path) {
            *path = source.clone();
        }
    };
    build
        .binaries
        .iter_mut()
        .for_each(|b| back(&mut b.package_dir));
    build
        .failures
        .iter_mut()
        .for_each(|f| back(&mut f.package_dir));
    Ok(build)
}

/// `cargo metadata` of the workspace at `dir`: does cargo load it?
fn load(dir: &Path) -> Result<()> {
    let output = Command::new(compile::cargo())
        .current_dir(dir)
        .args(["metadata", "--no-deps", "--format-version", "1"])
        .stdin(Stdio::null())
        .output()
        .map_err(|e| Error::with_source(format!("could not start cargo ({e})"), e))?;
    if output.status.success() {
        Ok(())
    } else {
        Err(Error::new(String::from_utf8_lossy(&output.stderr)))
    }
}

/// A mirror package's folder and the kata folder it stands for.
type Real = Vec<(PathBuf, PathBuf)>;

/// Writes the mirror of `katas` (the broken packages left out) and runs `cargo_step` in
/// it, again without each package that cargo refuses, until it does not refuse one.
fn in_mirror<T>(
    course: &Course,
    katas: &[&Kata],
    broken: &mut Vec<Broken>,
    cargo_step: impl Fn(&Path) -> Result<T>,
) -> Result<(T, Real)> {
    let dir = mirror_dir(course);
    let root_manifest = fs::read_to_string(course.root.join("Cargo.toml"))
        .context("cannot read the course's Cargo.toml")?;
    // Each round leaves out one more kata at least; a round with none left out is done.
    for _ in 0..=katas.len() {
        let _ = fs::remove_dir_all(&dir);
        let mut members = Vec::new();
        let mut real = Real::new();
        for kata in katas {
            for (package, source) in [
                (kata.name.clone(), &kata.exercise_dir),
                (kata.solution_package(), &kata.solution_dir),
            ] {
                // The broken one of its two packages only: a learner's exercise builds
                // while its solution's folder is broken, and the other way round.
                let folder = files::relative(source, &course.root);
                if broken.iter().any(|b| b.folder == folder) {
                    continue;
                }
                let Ok(text) = fs::read_to_string(source.join("Cargo.toml")) else {
                    continue;
                };
                let tests = (source == &kata.exercise_dir).then(|| kata.test_files());
                files::write(
                    &dir.join(&package).join("Cargo.toml"),
                    &mirror_manifest(&text, source, tests.as_deref()),
                )?;
                real.push((dir.join(&package), source.clone()));
                members.push(package);
            }
        }
        files::write(
            &dir.join("Cargo.toml"),
            &workspace_manifest(&root_manifest, &members, &course.root),
        )?;
        if let Ok(lock) = fs::read(course.root.join("Cargo.lock")) {
            fs::write(dir.join("Cargo.lock"), lock)
                .with_context(|| format!("cannot write {}", dir.display()))?;
        }
        let error = match cargo_step(&dir) {
            Ok(done) => return Ok((done, real)),
            Err(error) => error,
        };
        let said = error.to_string();
        // Said of a mirror package: the kata it stands for.
        let mut found = Vec::new();
        for (mirror, source) in &real {
            if !said.contains(&format!("workspace member `{}`", mirror.display())) {
                continue;
            }
            match (
                kata_id(&course.root, source),
                own_story(&course.root, source),
            ) {
                (Some(id), Some(said)) => {
                    let folder = files::relative(source, &course.root);
                    found.push(Broken {
                        id,
                        problem: format!("cargo cannot load {folder}:\n{said}"),
                        folder,
                    })
                }
                _ => {
                    let text =
                        said.replace(&mirror.display().to_string(), &source.display().to_string());
                    found.extend(from_cargo(&course.root, &text));
                }
            }
        }
        if found.is_empty() {
            return Err(error);
        }
        for item in found {
            add(broken, item.id, item.folder, item.problem);
        }
    }
    Err(Error::new("cargo refused every kata's manifest"))
}

/// What cargo says of the manifest in `source` read as itself (`--manifest-path`: it
/// is parsed before the workspace), with the real file's line numbers. None when
/// cargo stumbles on another member first.
fn own_story(root: &Path, source: &Path) -> Option<String> {
    let output = Command::new(compile::cargo())
        .current_dir(root)
        .args([
            "metadata",
            "--no-deps",
            "--format-version",
            "1",
            "--manifest-path",
        ])
        .arg(source.join("Cargo.toml"))
        .stdin(Stdio::null())
        .output()
        .ok()?;
    let stderr = String::from_utf8_lossy(&output.stderr);
    if output.status.success() || stderr.contains("failed to load manifest for workspace member") {
        return None;
    }
    Some(stderr.trim_end().to_string())
}

/// A kata's manifest as a member of the mirror: its library and test files at their
/// real paths (the test files listed when `tests` is given: cargo finds `tests/` only
/// beside the manifest).
fn mirror_manifest(text: &str, source: &Path, tests: Option<&[PathBuf]>) -> String {
    let absolute = |path: &Path| format!("{:?}", path.display().to_string());
    let mut out = String::new();
    let mut section = String::new();
    let mut has_lib = false;
    for line in text.lines() {
        let trimmed = line.trim();
        if trimmed.starts_with('[') {
            section = trimmed.to_string();
            out += line;
            out.push('\n');
            match section.as_str() {
                "[package]" if tests.is_some() => out += "autotests = false\n",
                "[lib]" => {
                    has_lib = true;
                    out += &format!("path = {}\n", absolute(&source.join("src/lib.rs")));
                }
                _ => {}
            }
            continue;
        }
        let key = trimmed.split('=').next().unwrap_or("").trim();
        match (section.as_str(), key) {
            ("[package]", "autotests") if tests.is_some() => {}
            ("[lib]", "path") => {}
            ("[[test]]", "path") => {
                let value = trimmed.split_once('=').map_or("", |(_, v)| v.trim());
                out += &format!(
                    "path = {}\n",
                    absolute(&source.join(value.trim_matches('"')))
                );
            }
            _ => {
                out += line;
                out.push('\n');
            }
        }
    }
    if !has_lib {
        out += &format!("\n[lib]\npath = {}\n", absolute(&source.join("src/lib.rs")));
    }
    for file in tests.unwrap_or_default() {
        let name = file.file_stem().unwrap_or_default().to_string_lossy();
        out += &format!("\n[[test]]\nname = {name:?}\npath = {}\n", absolute(file));
    }
    out
}

/// The course's root manifest with `members` in place of its own: the same workspace
/// dependencies, lints and profiles, so dependencies build exactly as for the course.
/// A path dependency (the tests' recorder, `timeline`) is made absolute: the generated
/// workspace lives elsewhere.
pub fn workspace_manifest(root_manifest: &str, members: &[String], root: &Path) -> String {
    let list: Vec<String> = members.iter().map(|m| format!("{m:?}")).collect();
    let mut out =
        String::from("# Generated by the runner: a workspace of some of the course's packages.\n");
    for line in root_manifest.lines() {
        if line.trim_start().starts_with("members") {
            out += &format!("members = [{}]\n", list.join(", "));
        } else if let Some((head, rest)) = line.split_once("path = \"")
            && let Some((path, tail)) = rest.split_once('"')
            && !path.starts_with('/')
        {
            let absolute = root.join(path).display().to_string();
            out += &format!("{head}path = {absolute:?}{tail}\n");
        } else {
            out += line;
            out.push('\n');
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_the_folders_cargo_cannot_load() {
        let root = std::env::temp_dir().join(format!("awaitlings-health-{}", std::process::id()));
        let _ = fs::remove_dir_all(&root);
        for (path, text) in [
            (
                "exercises/00_m/01_ok/Cargo.toml",
                "[package]\nname = \"ok\"\n",
            ),
            (
                "exercises/00_m/02_nameless/Cargo.toml",
                "[package]\nversion = \"1\"\n",
            ),
            ("exercises/00_m/03_half/src/lib.rs", ""),
            ("solutions/00_m/.scratch/x", ""),
        ] {
            files::write(&root.join(path), text).unwrap();
        }
        let found: Vec<(String, String)> =
            scan(&root).into_iter().map(|b| (b.id, b.problem)).collect();
        assert_eq!(
            found,
            [
                (
                    "00_m/02_nameless".to_string(),
                    "exercises/00_m/02_nameless/Cargo.toml has no `name` under [package]"
                        .to_string()
                ),
                (
                    "00_m/03_half".to_string(),
                    "exercises/00_m/03_half has no Cargo.toml".to_string()
                ),
                (
                    "00_m/.scratch".to_string(),
                    "solutions/00_m/.scratch has no Cargo.toml".to_string()
                ),
            ]
        );
        fs::remove_dir_all(&root).unwrap();

        let said = "error: invalid basic string, expected `\"`\n --> exercises/00_m/01_ok/Cargo.toml:2:10\n\
                    error: failed to load manifest for workspace member `/c/exercises/00_m/01_ok`\n\
                    referenced via `exercises/*/*` by workspace at `/c/Cargo.toml`\n\n\
                    Caused by:\n  failed to parse manifest at `/c/exercises/00_m/01_ok/Cargo.toml`\n";
        let broken = from_cargo(Path::new("/c"), said);
        assert_eq!(broken.len(), 1);
        assert_eq!(broken[0].id, "00_m/01_ok");
        assert!(
            broken[0]
                .problem
                .starts_with("cargo cannot load exercises/00_m/01_ok:\nCaused by:"),
            "{}",
            broken[0].problem
        );
        assert!(describe(&broken[0]).contains("`exercises/*/*`"));
    }

    #[test]
    fn a_mirrored_manifest_points_at_the_real_sources() {
        let text = "[package]\nname = \"ok\"\nversion = \"0.1.0\"\n\n[lib]\ntest = false\n\n\
                    [dependencies]\ntokio.workspace = true\n";
        let tests = [PathBuf::from("/c/exercises/00_m/01_ok/tests/kata.rs")];
        let mirrored = mirror_manifest(text, Path::new("/c/exercises/00_m/01_ok"), Some(&tests));
        assert_eq!(
            mirrored,
            "[package]\nautotests = false\nname = \"ok\"\nversion = \"0.1.0\"\n\n[lib]\n\
             path = \"/c/exercises/00_m/01_ok/src/lib.rs\"\ntest = false\n\n\
             [dependencies]\ntokio.workspace = true\n\n\
             [[test]]\nname = \"kata\"\npath = \"/c/exercises/00_m/01_ok/tests/kata.rs\"\n"
        );
        let solution = "[package]\nname = \"ok_solution\"\nautotests = false\n\n[lib]\nname = \"ok\"\n\n\
                        [[test]]\nname = \"kata\"\npath = \"../../../exercises/00_m/01_ok/tests/kata.rs\"\n";
        let mirrored = mirror_manifest(solution, Path::new("/c/solutions/00_m/01_ok"), None);
        assert!(
            mirrored.contains(
                "path = \"/c/solutions/00_m/01_ok/../../../exercises/00_m/01_ok/tests/kata.rs\""
            ),
            "{mirrored}"
        );
        assert!(mirrored.contains("autotests = false"), "{mirrored}");
    }
}
