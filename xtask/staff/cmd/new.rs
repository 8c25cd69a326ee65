//! `cargo xtask new MODULE/KATA [--renumber]`: writes a whole kata that already keeps
//! the contract (lesson, hints, a stub with one `todo!()`, one ordered teaching test
//! with its checked list of wrong answers, the solution crate on the same test file,
//! one example wrong answer as a patch against the solution, points), marks with `TODO(author)` what the author must
//! still write, puts it in course order, adds a new module's row to the course table
//! and regenerates the grading manifest. `verify KATA` then lists exactly the
//! `TODO(author)`s left.
//!
//! The kata is written in `.awaitlings/new/` first and renamed into place, exercise
//! first, then solution: the workspace globs `exercises/*/*` and `solutions/*/*`, and a
//! half-written folder there would break every cargo command.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode, Stdio};

use crate::engine::patch::{self, Sources};
use xtask::course::Course;
use xtask::util::error::{Context, Error, Result};
use xtask::{util::files, util::ui};

/// What generated text says where the author must still write. `verify` reports each.
pub use xtask::course::AUTHOR_MARKER as MARKER;

/// What a new kata is worth.
const POINTS: u32 = 10;

pub fn new(course: &Course, spec: &str, renumber: bool) -> Result<ExitCode> {
    let root = &course.root;
    let request = parse_spec(spec)?;
    check_name(root, course, &request.name)?;
    let modules = module_folders(root);
    let module = resolve_module(&modules, &request.module)?;
    let taken = kata_folders(root, &module.folder);
    let (number, shifts) = place(
        &module.folder,
        &taken,
        request.number,
        &request.name,
        renumber,
    )?;
    let folder = format!("{number:02}_{}", request.name);
    let kata = NewKata {
        module: module.folder.clone(),
        folder: folder.clone(),
        name: request.name.clone(),
        module_number: module.number,
        number,
    };
    let template = Template::from_course(course);

    // Everything checked: now write. The kata is whole in the staging folder first.
    let stage = root
        .join(".awaitlings/new")
        .join(format!("{}-{}", kata.name, std::process::id()));
    let _ = fs::remove_dir_all(&stage);
    for (relative, text) in kata.files(&template) {
        files::write(&stage.join(relative), &text)?;
    }
    let git = is_git_checkout(root);
    for shift in &shifts {
        move_kata(root, &module.folder, shift, module.number, git)?;
    }
    for side in ["exercises", "solutions"] {
        let to = root.join(side).join(&kata.module).join(&kata.folder);
        let parent = to.parent().expect("a kata folder has a module folder");
        fs::create_dir_all(parent)
            .with_context(|| format!("cannot create {}", parent.display()))?;
        fs::rename(stage.join(side), &to).map_err(|e| {
            let message = format!(
                "cannot move the new kata into {}: {e} (it is whole in {})",
                to.display(),
                stage.display()
            );
            Error::with_source(message, e)
        })?;
    }
    let _ = fs::remove_dir_all(&stage);
    let _ = fs::remove_dir(root.join(".awaitlings/new"));

    let id = format!("{}/{}", kata.module, kata.folder);
    println!(
        "{} wrote {id}: kata `{}`, {POINTS} points",
        ui::green("✓"),
        kata.name
    );
    println!("    exercises/{id}/  Cargo.toml, README.md, hints.md, src/lib.rs, tests/kata.rs");
    println!("    solutions/{id}/  Cargo.toml, src/lib.rs, wrong/example.patch");
    for shift in &shifts {
        println!(
            "    moved {}/{} to {}/{}{}",
            module.folder,
            shift.from,
            module.folder,
            shift.to,
            if git { " (git mv)" } else { "" }
        );
    }
    if !shifts.is_empty() {
        println!(
            "{}",
            ui::dim(
                "  (their titles and solution manifests follow; a lesson that names a moved \
                 kata by number does not: check them)"
            )
        );
    }
    let mut row_added = false;
    if module.is_new {
        match add_module_row(root, &module.folder)? {
            true => {
                row_added = true;
                println!(
                    "    README.md: a row for module {} in the course table",
                    module.folder
                );
            }
            false => println!(
                "{}",
                ui::dim("  (README.md has no course table: no row to add for the new module)")
            ),
        }
    }
    crate::grading::generated::write(&Course::load(root)?)?;
    println!(
        "\nNext, where `{MARKER}` marks it: the lesson (README.md, then hints.md), the wrong \
         answers from the lesson (at least 4 in solutions/{id}/wrong/, each written with \
         `cargo xtask new --fixture {name} NAME`), the tests they call for, then the \
         solution. `cargo xtask verify {name}` lists what is left; run it until it is green.",
        name = kata.name
    );
    println!(
        "{}",
        ui::dim(&format!(
            "To take it back: remove exercises/{id} and solutions/{id}{}, then run `cargo \
             xtask manifest`.",
            if row_added {
                format!(", and the row of {} in README.md", module.folder)
            } else {
                String::new()
            }
        ))
    );
    Ok(ExitCode::SUCCESS)
}

/// `MODULE/KATA` as given.
#[derive(Debug, PartialEq)]
struct Request {
    module: ModuleSpec,
    number: Option<u32>,
    name: String,
}

#[derive(Debug, PartialEq)]
enum ModuleSpec {
    /// `08`
    Number(u32),
    /// `08_cancellation`: an existing module, or a new one.
    Folder(u32, String),
    /// `cancellation`: an existing module by its name.
    Name(String),
}

const USAGE: &str = "`new` takes MODULE/KATA: `08/01_probe` or `08/probe` (a module by its \
                     number), `08_cancellation/probe` (by its folder; a new module by a new \
                     folder name)";

fn parse_spec(spec: &str) -> Result<Request> {
    let malformed = |why: &str| Error::new(format!("`{spec}`: {why}. {USAGE}"));
    let parts: Vec<&str> = spec.trim().trim_end_matches('/').split('/').collect();
    let [module, kata] = parts.as_slice() else {
        return Err(malformed("not MODULE/KATA"));
    };
    if module.is_empty() || kata.is_empty() {
        return Err(malformed("not MODULE/KATA"));
    }
    let module = match split_number(module) {
        (Some(n), None) => ModuleSpec::Number(n?),
        (Some(n), Some(name)) => {
            valid_name(name).map_err(|why| malformed(&format!("the module name {why}")))?;
            ModuleSpec::Folder(n?, name.to_string())
        }
        (None, Some(name)) => {
            valid_name(name).map_err(|why| malformed(&format!("the module name {why}")))?;
            ModuleSpec::Name(name.to_string())
        }
        (None, None) => return Err(malformed("no module")),
    };
    let (number, name) = match split_number(kata) {
        (_, None) => return Err(malformed("the kata has a number but no name")),
        (number, Some(name)) => (number.transpose()?, name),
    };
    if number == Some(0) {
        return Err(malformed("katas are numbered from 01"));
    }
    valid_name(name).map_err(|why| Error::new(format!("`{name}` is not a kata name: it {why}")))?;
    Ok(Request {
        module,
        number,
        name: name.to_string(),
    })
}

/// `08_name` → (08, name); `08` → (08, None); `name` → (None, name). A number is at most
/// two digits (folders sort by name: `100_x` would sort before `11_x`).
#[allow(clippy::type_complexity)]
fn split_number(text: &str) -> (Option<Result<u32>>, Option<&str>) {
    let digits = text.chars().take_while(char::is_ascii_digit).count();
    if digits == 0 {
        return (None, Some(text));
    }
    let number = match text[..digits].parse::<u32>() {
        Ok(n) if n <= 99 => Ok(n),
        _ => Err(Error::new(format!(
            "`{}` is not a number from 00 to 99: folders sort by name, so numbers have two \
             digits",
            &text[..digits]
        ))),
    };
    match &text[digits..] {
        "" => (Some(number), None),
        rest => match rest.strip_prefix('_') {
            Some(name) if !name.is_empty() => (Some(number), Some(name)),
            // `1probe`, `01_`: not NN_name; as a name it is refused (it starts with a digit).
            _ => (None, Some(text)),
        },
    }
}

/// Rust's rules for a crate name, as the course writes them: lowercase snake_case.
fn valid_name(name: &str) -> Result<()> {
    const KEYWORDS: &[&str] = &[
        "as", "async", "await", "break", "const", "continue", "crate", "dyn", "else", "enum",
        "extern", "false", "fn", "for", "gen", "if", "impl", "in", "let", "loop", "match", "mod",
        "move", "mut", "pub", "ref", "return", "self", "static", "struct", "super", "trait",
        "true", "type", "unsafe", "use", "where", "while", "abstract", "become", "box", "do",
        "final", "macro", "override", "priv", "try", "typeof", "unsized", "virtual", "yield",
    ];
    const RESERVED: &[&str] = &["std", "core", "alloc", "test", "proc_macro", "xtask"];
    let lower = name.to_lowercase().replace('-', "_");
    if name.contains('-') || name != lower {
        return Err(Error::new(format!(
            "must be lowercase snake_case, such as `{lower}` (a crate name, and the kata's name)"
        )));
    }
    if !name.starts_with(|c: char| c.is_ascii_lowercase()) {
        return Err(Error::new("must start with a letter"));
    }
    if let Some(c) = name
        .chars()
        .find(|c| !(c.is_ascii_lowercase() || c.is_ascii_digit() || *c == '_'))
    {
        return Err(Error::new(format!(
            "may hold only a-z, 0-9 and `_`, not `{c}` (it is a crate name)"
        )));
    }
    if name.ends_with('_') || name.contains("__") {
        return Err(Error::new("must not end in `_` or hold `__` (snake_case)"));
    }
    if KEYWORDS.contains(&name) {
        return Err(Error::new(
            "is a Rust keyword: cargo refuses it as a crate name",
        ));
    }
    if RESERVED.contains(&name) {
        return Err(Error::new("is taken by Rust's own crates or the runner"));
    }
    if name.ends_with("_solution") {
        return Err(Error::new(
            "ends in `_solution`, which names the reference solutions' packages",
        ));
    }
    Ok(())
}

/// A kata name must be new to the whole course: it is the package name.
fn check_name(root: &Path, course: &Course, name: &str) -> Result<()> {
    if let Some(kata) = course
        .katas
        .iter()
        .find(|k| k.name == name || k.solution_package() == name)
    {
        return Err(Error::new(format!(
            "the course has a kata named `{name}` already ({}): kata names are package names, \
             unique in the course; choose another",
            kata.id()
        )));
    }
    // A folder without a manifest yet (a kata in the making) counts too.
    for side in ["exercises", "solutions"] {
        for module in module_folders_in(&root.join(side)) {
            for folder in dirs(&root.join(side).join(&module.folder)) {
                if split_number(&folder).1 == Some(name) {
                    return Err(Error::new(format!(
                        "{side}/{}/{folder} exists already: kata names are unique in the \
                         course; choose another",
                        module.folder
                    )));
                }
            }
        }
    }
    Ok(())
}

#[derive(Debug, Clone, PartialEq)]
struct Module {
    folder: String,
    number: u32,
    is_new: bool,
}

fn module_folders(root: &Path) -> Vec<Module> {
    module_folders_in(&root.join("exercises"))
}

fn module_folders_in(dir: &Path) -> Vec<Module> {
    dirs(dir)
        .into_iter()
        .filter_map(|folder| match split_number(&folder) {
            (Some(Ok(number)), Some(_)) => Some(Module {
                folder,
                number,
                is_new: false,
            }),
            _ => None,
        })
        .collect()
}

fn resolve_module(modules: &[Module], spec: &ModuleSpec) -> Result<Module> {
    let listed = || {
        let names: Vec<&str> = modules.iter().map(|m| m.folder.as_str()).collect();
        names.join(", ")
    };
    let next_free = modules.iter().map(|m| m.number + 1).max().unwrap_or(0);
    let one = |found: Vec<&Module>, what: String| match found.as_slice() {
        [module] => Ok((*module).clone()),
        [] => Err(Error::new(what)),
        several => {
            let names: Vec<&str> = several.iter().map(|m| m.folder.as_str()).collect();
            Err(Error::new(format!(
                "module {} is ambiguous: {}; name its folder in full",
                match spec {
                    ModuleSpec::Number(n) => format!("{n:02}"),
                    ModuleSpec::Name(name) | ModuleSpec::Folder(_, name) => format!("`{name}`"),
                },
                names.join(", ")
            )))
        }
    };
    match spec {
        ModuleSpec::Number(n) => one(
            modules.iter().filter(|m| m.number == *n).collect(),
            format!(
                "there is no module {n:02} (the course has {}); a new module needs a name: \
                 `{n:02}_topic/KATA`",
                listed()
            ),
        ),
        ModuleSpec::Name(name) => one(
            modules
                .iter()
                .filter(|m| split_number(&m.folder).1 == Some(name))
                .collect(),
            format!(
                "there is no module named `{name}` (the course has {}); a new module needs its \
                 number: `{next_free:02}_{name}/KATA`",
                listed()
            ),
        ),
        ModuleSpec::Folder(n, name) => {
            let folder = format!("{n:02}_{name}");
            if let Some(module) = modules.iter().find(|m| m.folder == folder) {
                return Ok(module.clone());
            }
            if let Some(other) = modules.iter().find(|m| m.number == *n) {
                return Err(Error::new(format!(
                    "module number {n:02} is taken by {}: put the kata there \
                     (`{}/KATA`), or give the new module a free number, such as \
                     `{next_free:02}_{name}`",
                    other.folder, other.folder
                )));
            }
            Ok(Module {
                folder,
                number: *n,
                is_new: true,
            })
        }
    }
}

/// A kata folder of the module: its number and folder name.
type Taken = Vec<(u32, String)>;

/// The module's kata folders, in exercises/ or solutions/, by number.
fn kata_folders(root: &Path, module: &str) -> Taken {
    let mut found: Taken = Vec::new();
    for side in ["exercises", "solutions"] {
        for folder in dirs(&root.join(side).join(module)) {
            if let (Some(Ok(number)), Some(_)) = split_number(&folder)
                && !found.iter().any(|(_, f)| *f == folder)
            {
                found.push((number, folder));
            }
        }
    }
    found.sort();
    found
}

/// A kata folder that `--renumber` moves one place on.
#[derive(Debug, PartialEq)]
struct Shift {
    from: String,
    to: String,
    old: u32,
    new: u32,
}

/// The new kata's number, and the folders to move first (last first).
fn place(
    module: &str,
    taken: &[(u32, String)],
    wanted: Option<u32>,
    name: &str,
    renumber: bool,
) -> Result<(u32, Vec<Shift>)> {
    let next_free = taken.iter().map(|(n, _)| n + 1).max().unwrap_or(1);
    let Some(number) = wanted else {
        if next_free > 99 {
            return Err(Error::new(format!(
                "module {module} is full: its katas go up to 99"
            )));
        }
        return Ok((next_free, Vec::new()));
    };
    let holders: Vec<&str> = taken
        .iter()
        .filter(|(n, _)| *n == number)
        .map(|(_, f)| f.as_str())
        .collect();
    if holders.is_empty() {
        return Ok((number, Vec::new()));
    }
    if !renumber {
        return Err(Error::new(format!(
            "{module}/{number:02} is taken by {}: the next free number is {next_free:02} \
             (`cargo xtask new {module}/{next_free:02}_{name}`), or add `--renumber` to put \
             it at {number:02} and move the module's katas from {number:02} on one place up",
            holders.join(", ")
        )));
    }
    let mut shifts: Vec<Shift> = taken
        .iter()
        .filter(|(n, _)| *n >= number)
        .map(|(n, folder)| {
            let rest = split_number(folder).1.unwrap_or_default();
            Shift {
                from: folder.clone(),
                to: format!("{:02}_{rest}", n + 1),
                old: *n,
                new: n + 1,
            }
        })
        .collect();
    if shifts.iter().any(|s| s.new > 99) {
        return Err(Error::new(format!(
            "module {module} is full: renumbering would take a kata past 99"
        )));
    }
    shifts.reverse();
    Ok((number, shifts))
}

/// Moves one kata (exercise and solution together) one number on, and makes what names
/// its folder or number follow: the solution's `[[test]]` paths, the lesson's and the
/// hints' titles.
fn move_kata(
    root: &Path,
    module: &str,
    shift: &Shift,
    module_number: u32,
    git: bool,
) -> Result<()> {
    for side in ["exercises", "solutions"] {
        let from = root.join(side).join(module).join(&shift.from);
        let to = root.join(side).join(module).join(&shift.to);
        if !from.exists() {
            continue;
        }
        if to.exists() {
            return Err(Error::new(format!(
                "cannot renumber: {} exists already",
                files::relative(&to, root)
            )));
        }
        let moved_by_git = git
            && Command::new("git")
                .arg("-C")
                .arg(root)
                .arg("mv")
                .arg(&from)
                .arg(&to)
                .stdin(Stdio::null())
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .status()
                .is_ok_and(|s| s.success());
        if !moved_by_git {
            fs::rename(&from, &to).with_context(|| {
                format!(
                    "cannot move {} to {}",
                    files::relative(&from, root),
                    files::relative(&to, root)
                )
            })?;
        }
    }
    let solution = root
        .join("solutions")
        .join(module)
        .join(&shift.to)
        .join("Cargo.toml");
    replace_in(
        &solution,
        &format!("exercises/{module}/{}/", shift.from),
        &format!("exercises/{module}/{}/", shift.to),
        false,
    )?;
    let exercise = root.join("exercises").join(module).join(&shift.to);
    let (old, new) = (
        format!("{module_number:02}.{:02}", shift.old),
        format!("{module_number:02}.{:02}", shift.new),
    );
    replace_in(&exercise.join("README.md"), &old, &new, true)?;
    replace_in(&exercise.join("hints.md"), &old, &new, true)?;
    Ok(())
}

/// Replaces `from` with `to` in the file (in its first line only, with `title`). A file
/// that is not there is left alone.
fn replace_in(path: &Path, from: &str, to: &str, title: bool) -> Result<()> {
    let Ok(text) = fs::read_to_string(path) else {
        return Ok(());
    };
    let changed = if title {
        match text.split_once('\n') {
            Some((first, rest)) => format!("{}\n{rest}", first.replacen(from, to, 1)),
            None => text.replacen(from, to, 1),
        }
    } else {
        text.replace(from, to)
    };
    if changed != text {
        files::write(path, &changed)?;
    }
    Ok(())
}

/// Whether `root` is the top of a git checkout (then renumbering moves with `git mv`).
fn is_git_checkout(root: &Path) -> bool {
    let Ok(output) = Command::new("git")
        .arg("-C")
        .arg(root)
        .args(["rev-parse", "--show-toplevel"])
        .stdin(Stdio::null())
        .stderr(Stdio::null())
        .output()
    else {
        return false;
    };
    let top = PathBuf::from(String::from_utf8_lossy(&output.stdout).trim());
    output.status.success()
        && matches!((top.canonicalize(), root.canonicalize()), (Ok(a), Ok(b)) if a == b)
}

/// Adds a row for a new module to the course table in README.md (the rows that start
/// with a module folder in backquotes), in course order. False when there is no table.
fn add_module_row(root: &Path, module: &str) -> Result<bool> {
    let path = root.join("README.md");
    let Ok(text) = fs::read_to_string(&path) else {
        return Ok(false);
    };
    let row_module = |line: &str| -> Option<String> {
        let cell = line.strip_prefix("| `")?;
        let (folder, _) = cell.split_once("` |")?;
        matches!(split_number(folder), (Some(Ok(_)), Some(_))).then(|| folder.to_string())
    };
    let lines: Vec<&str> = text.lines().collect();
    let rows: Vec<(usize, String)> = lines
        .iter()
        .enumerate()
        .filter_map(|(i, line)| row_module(line).map(|m| (i, m)))
        .collect();
    let Some((last, _)) = rows.last() else {
        return Ok(false);
    };
    if rows.iter().any(|(_, m)| m == module) {
        return Ok(true);
    }
    let at = rows
        .iter()
        .find(|(_, m)| m.as_str() > module)
        .map_or(last + 1, |(i, _)| *i);
    let mut out: Vec<String> = lines.iter().map(|l| l.to_string()).collect();
    out.insert(
        at,
        format!("| `{module}` | {MARKER}: what the module teaches, in one line |"),
    );
    let mut new_text = out.join("\n");
    if text.ends_with('\n') {
        new_text.push('\n');
    }
    files::write(&path, &new_text)?;
    Ok(true)
}

/// Folder names in `dir`, sorted. Hidden ones too: cargo's workspace glob matches them.
fn dirs(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = fs::read_dir(dir)
        .into_iter()
        .flatten()
        .filter_map(Result::ok)
        .filter(|entry| entry.file_type().is_ok_and(|t| t.is_dir()))
        .filter_map(|entry| entry.file_name().into_string().ok())
        .collect();
    names.sort();
    names
}

/// What the other katas share, copied into a new one: the `[package]` keys besides the
/// name, and the dependency list most katas have.
#[derive(Debug, Default, PartialEq)]
struct Template {
    package: Vec<String>,
    dependencies: Vec<String>,
    dev_dependencies: Vec<String>,
}

impl Template {
    fn from_course(course: &Course) -> Template {
        let mut seen: Vec<(Template, usize)> = Vec::new();
        for kata in &course.katas {
            let Ok(text) = fs::read_to_string(kata.exercise_dir.join("Cargo.toml")) else {
                continue;
            };
            let template = Template::parse(&text);
            match seen.iter_mut().find(|(t, _)| {
                t.dependencies == template.dependencies
                    && t.dev_dependencies == template.dev_dependencies
            }) {
                Some((_, count)) => *count += 1,
                None => seen.push((template, 1)),
            }
        }
        // The most common list; on a tie, the first kata's.
        let mut best: Option<(Template, usize)> = None;
        for (template, count) in seen {
            if best.as_ref().is_none_or(|(_, most)| count > *most) {
                best = Some((template, count));
            }
        }
        best.map(|(t, _)| t).unwrap_or_default()
    }

    fn parse(manifest: &str) -> Template {
        let mut template = Template::default();
        let mut section = String::new();
        for line in manifest.lines() {
            let trimmed = line.trim();
            if trimmed.starts_with('[') {
                section = trimmed.to_string();
                continue;
            }
            if trimmed.is_empty() || trimmed.starts_with('#') {
                continue;
            }
            let key = trimmed.split('=').next().unwrap_or("").trim();
            match section.as_str() {
                "[package]" if key != "name" && key != "autotests" => {
                    template.package.push(trimmed.to_string());
                }
                "[dependencies]" => template.dependencies.push(trimmed.to_string()),
                "[dev-dependencies]" => template.dev_dependencies.push(trimmed.to_string()),
                _ => {}
            }
        }
        template
    }

    /// Whether the katas' dependencies include tokio: then the example is async.
    fn has_tokio(&self) -> bool {
        self.dependencies
            .iter()
            .chain(&self.dev_dependencies)
            .any(|line| line.starts_with("tokio.") || line.starts_with("tokio ="))
    }

    fn dependency_sections(&self) -> String {
        let mut out = String::new();
        if !self.dependencies.is_empty() || !self.dev_dependencies.is_empty() {
            out += "\n# Every kata has this same dependency list: one feature set for the whole course.\n";
        }
        if !self.dependencies.is_empty() {
            out += "[dependencies]\n";
            for line in &self.dependencies {
                out += line;
                out.push('\n');
            }
        }
        if !self.dev_dependencies.is_empty() {
            if !self.dependencies.is_empty() {
                out.push('\n');
            }
            out += "[dev-dependencies]\n";
            for line in &self.dev_dependencies {
                out += line;
                out.push('\n');
            }
        }
        out
    }
}

struct NewKata {
    module: String,
    folder: String,
    name: String,
    module_number: u32,
    number: u32,
}

impl NewKata {
    /// `99.01`
    fn numbers(&self) -> String {
        format!("{:02}.{:02}", self.module_number, self.number)
    }

    fn title(&self) -> String {
        let words = self.name.replace('_', " ");
        let mut chars = words.chars();
        match chars.next() {
            Some(first) => first.to_uppercase().chain(chars).collect(),
            None => words,
        }
    }

    /// Every file of the kata, by path under the staging folder (`exercises/`,
    /// `solutions/`), with its text.
    fn files(&self, template: &Template) -> Vec<(String, String)> {
        let (name, numbers, title) = (&self.name, self.numbers(), self.title());
        let id = format!("{}/{}", self.module, self.folder);
        let package_keys: String = template
            .package
            .iter()
            .map(|line| format!("{line}\n"))
            .collect();
        let deps = template.dependency_sections();
        let exercise_manifest = format!(
            "[package]\nname = \"{name}\"\n{package_keys}\n\
             # Tests live in tests/ only: no empty unit-test or doctest binary to build on every edit.\n\
             [lib]\ntest = false\ndoctest = false\n{deps}\n\
             [package.metadata.awaitlings]\n\
             # Worth {POINTS} points in `cargo xtask grade`, shared equally by the kata's tests.\n\
             points = {POINTS}\n"
        );
        let solution_manifest = format!(
            "[package]\nname = \"{name}_solution\"\n{package_keys}autotests = false\n\n\
             # The solution builds under the exercise's crate name...\n\
             [lib]\nname = \"{name}\"\ntest = false\ndoctest = false\n\n\
             # ...so the learner's very test file checks it: tests are written once.\n\
             [[test]]\nname = \"kata\"\npath = \"../../../exercises/{id}/tests/kata.rs\"\n{deps}"
        );
        let lesson = format!(
            "# {numbers} — {title}\n\n\
             {MARKER}: the concept, in a few paragraphs: what the learner meets here, what it \
             means in async terms, and where the seed text is wrong or loose, if it is.\n\n\
             ## Your task\n\n\
             {MARKER}: the task: what to write in `src/lib.rs`, and what the tests check.\n"
        );
        let hints = format!(
            "# Hints: {numbers} — {title}\n\n\
             `cargo xtask hint` reveals these one at a time, the first naming the idea, the last\n\
             coming close to code. Try the lesson first.\n\n\
             ## Hint 1\n\n{MARKER}: the idea, named.\n\n\
             ## Hint 2\n\n{MARKER}: close to the code.\n"
        );
        let asynchronous = template.has_tokio();
        let (fn_async, call, test_attribute) = if asynchronous {
            (
                "async ",
                "answer().await",
                "#[tokio::test(start_paused = true)]\nasync fn",
            )
        } else {
            ("", "answer()", "#[test]\nfn")
        };
        let header = format!(
            "//! {MARKER}: what this kata builds, in one line. Read README.md beside this \
             folder, then make the tests pass.\n"
        );
        let stub = format!(
            "{header}\n/// {MARKER}: what the learner writes.\n\
             pub {fn_async}fn answer() -> u32 {{\n    todo!(\"return the answer\")\n}}\n"
        );
        let solution = format!(
            "{header}\n/// {MARKER}: what the learner writes, solved.\n\
             pub {fn_async}fn answer() -> u32 {{\n    42\n}}\n"
        );
        let test = format!(
            "//! Wrong answers these tests reject:\n\
             //! - `example` (t01): {MARKER}: the mistake, as a learner who read the lesson makes it\n\
             //!\n\
             //! {MARKER}: at least four wrong answers, each a patch in solutions/{id}/wrong/\n\
             //! written from the lesson, listed here with the tests that reject it; then those tests.\n\n\
             use {name}::answer;\n\n\
             /// {MARKER}: the one thing this test teaches.\n\
             {test_attribute} t01_answer_is_42() {{\n    \
             assert_eq!(\n        {call},\n        42,\n        \
             \"{MARKER}: what a wrong value means, in async terms\"\n    );\n}}\n"
        );
        // The example wrong answer, a patch against the solution as every fixture is
        // where a rewrite is not shorter: the mistake first, then the diff.
        let wrong = format!(
            "//! Wrong: {MARKER}: the mistake, in the learner's terms.\n\n{}",
            patch::split_header(&solution)
                .1
                .replace("    42\n", "    41\n")
        );
        let wrong = patch::create(
            &Sources::from([(patch::LIB.to_string(), solution.clone())]),
            &Sources::from([(patch::LIB.to_string(), wrong)]),
        );
        vec![
            ("exercises/Cargo.toml".into(), exercise_manifest),
            ("exercises/README.md".into(), lesson),
            ("exercises/hints.md".into(), hints),
            ("exercises/src/lib.rs".into(), stub),
            ("exercises/tests/kata.rs".into(), test),
            ("solutions/Cargo.toml".into(), solution_manifest),
            ("solutions/src/lib.rs".into(), solution),
            ("solutions/wrong/example.patch".into(), wrong),
        ]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_module_and_kata() {
        let ok = |spec: &str| parse_spec(spec).unwrap();
        assert_eq!(
            ok("08/01_probe"),
            Request {
                module: ModuleSpec::Number(8),
                number: Some(1),
                name: "probe".into()
            }
        );
        assert_eq!(
            ok("99_scratch/probe").module,
            ModuleSpec::Folder(99, "scratch".into())
        );
        assert_eq!(
            ok("cancellation/x2").module,
            ModuleSpec::Name("cancellation".into())
        );
        assert_eq!(ok("8/probe").number, None);
        for bad in [
            "probe",
            "08/",
            "/probe",
            "08/01",
            "08/01_",
            "a/b/c",
            "08/00_probe",
            "100_x/probe",
            "08/Probe",
            "08/my-probe",
            "08/1probe",
            "08/async",
            "08/probe_solution",
            "08/std",
            "08/pro__be",
            "08/probé",
        ] {
            assert!(parse_spec(bad).is_err(), "{bad}");
        }
        let error = parse_spec("08/My-Probe").unwrap_err().to_string();
        assert!(error.contains("`my_probe`"), "{error}");
    }

    fn modules(names: &[&str]) -> Vec<Module> {
        names
            .iter()
            .map(|n| Module {
                folder: n.to_string(),
                number: n[..2].parse().unwrap(),
                is_new: false,
            })
            .collect()
    }

    #[test]
    fn finds_the_module_or_makes_a_new_one() {
        let all = modules(&["00_welcome", "08_cancellation", "09_a", "09_b"]);
        let found = |spec| resolve_module(&all, &spec);
        assert_eq!(
            found(ModuleSpec::Number(8)).unwrap().folder,
            "08_cancellation"
        );
        assert_eq!(
            found(ModuleSpec::Name("cancellation".into()))
                .unwrap()
                .folder,
            "08_cancellation"
        );
        assert!(
            found(ModuleSpec::Number(9))
                .unwrap_err()
                .to_string()
                .contains("ambiguous: 09_a, 09_b")
        );
        assert!(
            found(ModuleSpec::Number(7))
                .unwrap_err()
                .to_string()
                .contains("07_topic")
        );
        let new = found(ModuleSpec::Folder(99, "scratch".into())).unwrap();
        assert_eq!((new.folder.as_str(), new.is_new), ("99_scratch", true));
        assert!(
            found(ModuleSpec::Folder(8, "other".into()))
                .unwrap_err()
                .to_string()
                .contains("taken by 08_cancellation")
        );
        assert!(
            found(ModuleSpec::Name("nope".into()))
                .unwrap_err()
                .to_string()
                .contains("10_nope")
        );
    }

    #[test]
    fn places_the_kata_and_renumbers_only_when_asked() {
        let taken: Taken = vec![(1, "01_a".into()), (2, "02_b".into()), (3, "03_c".into())];
        assert_eq!(place("m", &taken, None, "x", false).unwrap(), (4, vec![]));
        assert_eq!(place("m", &[], None, "x", false).unwrap(), (1, vec![]));
        assert_eq!(
            place("m", &taken, Some(7), "x", false).unwrap(),
            (7, vec![])
        );
        let refused = place("m", &taken, Some(2), "x", false)
            .unwrap_err()
            .to_string();
        assert!(refused.contains("taken by 02_b"), "{refused}");
        assert!(refused.contains("`cargo xtask new m/04_x`"), "{refused}");
        assert!(refused.contains("--renumber"), "{refused}");
        let (number, shifts) = place("m", &taken, Some(2), "x", true).unwrap();
        assert_eq!(number, 2);
        let moves: Vec<(&str, &str)> = shifts
            .iter()
            .map(|s| (s.from.as_str(), s.to.as_str()))
            .collect();
        assert_eq!(moves, [("03_c", "04_c"), ("02_b", "03_b")]);
    }

    #[test]
    fn copies_the_dependency_list_of_the_katas() {
        let manifest = "[package]\nname = \"hello\"\nversion = \"0.1.0\"\nedition.workspace = true\n\n\
                        [lib]\ntest = false\n\n# a comment\n[dependencies]\ntokio.workspace = true\n\n\
                        [dev-dependencies]\ntokio-test.workspace = true\n\n\
                        [package.metadata.awaitlings]\npoints = 5\n";
        let template = Template::parse(manifest);
        assert_eq!(
            template.package,
            ["version = \"0.1.0\"", "edition.workspace = true"]
        );
        assert_eq!(template.dependencies, ["tokio.workspace = true"]);
        assert_eq!(template.dev_dependencies, ["tokio-test.workspace = true"]);
        assert!(template.has_tokio());
    }

    #[test]
    fn a_new_module_gets_a_row_in_course_order() {
        let root = std::env::temp_dir().join(format!("awaitlings-new-{}", std::process::id()));
        let _ = fs::remove_dir_all(&root);
        fs::create_dir_all(&root).unwrap();
        let readme =
            "# c\n\n| module | what |\n|---|---|\n| `00_a` | a |\n| `07_b` | b |\n\nEnd.\n";
        fs::write(root.join("README.md"), readme).unwrap();
        assert!(add_module_row(&root, "03_new").unwrap());
        assert!(add_module_row(&root, "99_last").unwrap());
        assert_eq!(
            fs::read_to_string(root.join("README.md")).unwrap(),
            "# c\n\n| module | what |\n|---|---|\n| `00_a` | a |\n\
             | `03_new` | TODO(author): what the module teaches, in one line |\n| `07_b` | b |\n\
             | `99_last` | TODO(author): what the module teaches, in one line |\n\nEnd.\n"
        );
        fs::remove_dir_all(&root).unwrap();
    }
}
