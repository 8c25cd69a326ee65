//! What grading refuses (`course::refused`), enforced by the compiler while a kata's
//! library compiles: every build the runner starts names this binary as cargo's
//! `RUSTC_WORKSPACE_WRAPPER`, and cargo runs it in rustc's place for the course's own
//! crates. For a kata's library it runs clippy's driver (a rustc that also runs clippy's
//! lints) with the refusing lints forbidden; everything else (the tests, the course's
//! support crate, cargo's queries) goes to rustc unchanged. A refusal is then a compile
//! error like any other, with its line, in the learner's loop (`next`, `check`) as in
//! grading: the learner hears it first. Dependencies never pass through a workspace
//! wrapper.
//!
//! After the compiler, the wrapper reads the dep-info file rustc wrote: every file the
//! library was compiled from must be in the kata's `src/` (`#[path]`, `include!` and
//! kin, however a macro spells them).

use std::collections::BTreeMap;
use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};
use std::sync::OnceLock;

use crate::course::Course;
use crate::course::refused;
use crate::util::error::Result;
use crate::util::json::{Json, object};

/// Set on the builds: where the clippy configurations are (one folder per set of
/// allowed groups). Its presence is what makes this binary a wrapper.
const CONFIGS: &str = "AWAITLINGS_LINT_CONFIGS";
/// Set on the builds: the course's root folder.
const COURSE: &str = "AWAITLINGS_LINT_COURSE";
/// Set on the builds: `crate=group+group;…` for the katas that allow something.
const ALLOWED: &str = "AWAITLINGS_LINT_ALLOW";
/// The course's test-support crate: the course's own code, not a kata's.
const SUPPORT_CRATES: &[&str] = &["awaitlings-timeline"];

/// What every build of the course gets (`enable`): the wrapper and its settings.
static SETTINGS: OnceLock<Vec<(String, OsString)>> = OnceLock::new();

/// Makes every later build of `course` compile its katas' libraries through the lint
/// wrapper: writes clippy's configurations into `target_dir`, once per process.
pub fn enable(course: &Course, target_dir: &Path) -> Result<()> {
    if SETTINGS.get().is_some() {
        return Ok(());
    }
    let dir = target_dir.join("awaitlings-lints");
    let mut allowed = Vec::new();
    let mut sets = vec![Vec::new()];
    for kata in &course.katas {
        if kata.allow.is_empty() {
            continue;
        }
        let mut set = kata.allow.clone();
        set.sort();
        allowed.push(format!("{}={}", kata.name.replace('-', "_"), set.join("+")));
        sets.push(set);
    }
    for set in sets {
        let file = dir.join(config_name(&set)).join("clippy.toml");
        let text = refused::clippy_toml(&set);
        // Rewritten only when it changed: clippy lists it in the crate's dep-info, so a
        // new modification time would rebuild every kata.
        if std::fs::read_to_string(&file).ok().as_deref() != Some(text.as_str()) {
            crate::util::files::write(&file, &text)?;
        }
    }
    let _ = SETTINGS.set(vec![
        ("RUSTC_WORKSPACE_WRAPPER".to_string(), wrapper_binary()),
        (CONFIGS.to_string(), dir.into_os_string()),
        (ALLOWED.to_string(), allowed.join(";").into()),
        (COURSE.to_string(), course.root.clone().into_os_string()),
    ]);
    Ok(())
}

/// Adds the wrapper's settings to a cargo build (nothing before `enable`).
pub fn apply(command: &mut Command) {
    for (key, value) in SETTINGS.get().into_iter().flatten() {
        command.env(key, value);
    }
}

/// The binary cargo runs as the wrapper: the learner's runner, also from the staff's
/// binary beside it, so that cargo sees one wrapper whichever command built a kata
/// (another would rebuild every kata it had built).
fn wrapper_binary() -> OsString {
    let me = std::env::current_exe().unwrap_or_default();
    let learner = me.with_file_name(format!("xtask{}", std::env::consts::EXE_SUFFIX));
    if learner.is_file() { learner } else { me }.into_os_string()
}

fn config_name(set: &[String]) -> String {
    if set.is_empty() {
        "default".to_string()
    } else {
        format!("allow-{}", set.join("+"))
    }
}

/// When cargo started this process as its rustc wrapper: compiles, and returns the exit
/// code and the wrapper's own errors, each a line of the compiler's JSON for stderr
/// (cargo reads rustc's errors there). `None`: an ordinary start of the runner.
pub fn serve() -> Option<(ExitCode, Vec<String>)> {
    let configs = PathBuf::from(std::env::var_os(CONFIGS)?);
    let mut args = std::env::args_os().skip(1);
    let rustc = args.next()?;
    let args: Vec<OsString> = args.collect();
    let Some(krate) = kata_library(&args) else {
        return Some(run(Command::new(&rustc).args(&args)));
    };
    let Some(driver) = clippy_driver(Path::new(&rustc)) else {
        let error = report(
            "awaitlings::no_clippy",
            "clippy is not installed for this toolchain, and grading's rules need it: run \
             `rustup component add clippy` (rust-toolchain.toml lists it, so `rustup \
             toolchain install` in the course's folder does it too)",
            None,
        );
        return Some((ExitCode::FAILURE, vec![error]));
    };
    let set = allowed_groups(&krate);
    let code = run(Command::new(driver)
        .arg(&rustc)
        .args(&args)
        .args(refused::lint_flags())
        .env("CLIPPY_CONF_DIR", configs.join(config_name(&set))));
    if code.0 != ExitCode::SUCCESS {
        return Some(code);
    }
    let errors: Vec<String> = match outside_src(&args, &configs) {
        Ok(outside) => outside
            .iter()
            .map(|file| {
                report(
                    refused::OUTSIDE_SRC,
                    &format!(
                        "the kata's code is compiled from `{}`, a file outside its src/: \
                         grading refuses it",
                        file.display()
                    ),
                    Some(file),
                )
            })
            .collect(),
        // Unread, the list could hide a file from elsewhere: refused, never let through.
        Err(why) => vec![report(
            refused::OUTSIDE_SRC,
            &format!("grading cannot tell which files the kata's code is compiled from: {why}"),
            None,
        )],
    };
    Some(if errors.is_empty() {
        (ExitCode::SUCCESS, errors)
    } else {
        (ExitCode::FAILURE, errors)
    })
}

/// The crate name, when cargo is compiling a kata's library for the build it was asked
/// for (a primary package's `lib`, not its tests, not the course's support crate).
fn kata_library(args: &[OsString]) -> Option<String> {
    std::env::var_os("CARGO_PRIMARY_PACKAGE")?;
    let package = std::env::var("CARGO_PKG_NAME").unwrap_or_default();
    if SUPPORT_CRATES.contains(&package.as_str()) {
        return None;
    }
    let value = |flag: &str| flag_value(args, flag);
    let is_test = args.iter().any(|a| a == "--test");
    (value("--crate-type").as_deref() == Some("lib") && !is_test)
        .then(|| value("--crate-name"))
        .flatten()
}

fn allowed_groups(krate: &str) -> Vec<String> {
    let settings = std::env::var(ALLOWED).unwrap_or_default();
    settings
        .split(';')
        .filter_map(|entry| entry.split_once('='))
        .find(|(name, _)| *name == krate)
        .map(|(_, set)| set.split('+').map(String::from).collect())
        .unwrap_or_default()
}

/// clippy's driver beside the rustc cargo chose (the toolchain's, or rustup's proxy),
/// else the first on the PATH.
fn clippy_driver(rustc: &Path) -> Option<PathBuf> {
    let name = format!("clippy-driver{}", std::env::consts::EXE_SUFFIX);
    let beside = rustc.parent().map(|dir| dir.join(&name));
    beside.filter(|path| path.is_file()).or_else(|| {
        std::env::split_paths(&std::env::var_os("PATH")?)
            .map(|dir| dir.join(&name))
            .find(|path| path.is_file())
    })
}

fn run(command: &mut Command) -> (ExitCode, Vec<String>) {
    match command.status() {
        Ok(status) if status.success() => (ExitCode::SUCCESS, Vec::new()),
        Ok(status) => (
            ExitCode::from(u8::try_from(status.code().unwrap_or(1)).unwrap_or(1)),
            Vec::new(),
        ),
        Err(error) => (
            ExitCode::FAILURE,
            vec![report(
                "awaitlings::no_compiler",
                &format!("cannot start the compiler: {error}"),
                None,
            )],
        ),
    }
}

/// A compiler error of the wrapper's own, in the compiler's JSON, which cargo reads from
/// rustc's stderr (every build of the runner asks for JSON).
fn report(code: &str, message: &str, file: Option<&Path>) -> String {
    let spans = match file {
        Some(file) => vec![object([
            ("file_name", Json::String(file.display().to_string())),
            ("byte_start", Json::Number(0.0)),
            ("byte_end", Json::Number(0.0)),
            ("line_start", Json::Number(1.0)),
            ("line_end", Json::Number(1.0)),
            ("column_start", Json::Number(1.0)),
            ("column_end", Json::Number(1.0)),
            ("is_primary", Json::Bool(true)),
            ("text", Json::Array(vec![])),
            ("label", Json::Null),
            ("suggested_replacement", Json::Null),
            ("suggestion_applicability", Json::Null),
            ("expansion", Json::Null),
        ])],
        None => vec![],
    };
    let diagnostic = object([
        ("$message_type", Json::String("diagnostic".into())),
        ("message", Json::String(message.into())),
        (
            "code",
            object([
                ("code", Json::String(code.into())),
                ("explanation", Json::Null),
            ]),
        ),
        ("level", Json::String("error".into())),
        ("spans", Json::Array(spans)),
        ("children", Json::Array(vec![])),
        ("rendered", Json::String(format!("error: {message}\n"))),
    ]);
    diagnostic.to_string()
}

/// The files rustc read for this crate that are not under its package's `src/`, from
/// the dep-info file it wrote (`--emit=dep-info…`, `--out-dir`, `-C extra-filename`).
/// Fails closed: a dep-info file that cannot be found, read or parsed is an error.
fn outside_src(args: &[OsString], configs: &Path) -> Result<Vec<PathBuf>, String> {
    let value = |flag: &str| flag_value(args, flag);
    let extra = args
        .windows(2)
        .filter(|pair| pair[0] == "-C")
        .find_map(|pair| {
            pair[1]
                .to_string_lossy()
                .strip_prefix("extra-filename=")
                .map(String::from)
        })
        .unwrap_or_default();
    let (Some(out_dir), Some(name)) = (value("--out-dir"), value("--crate-name")) else {
        return Err("cargo named no output folder or crate".into());
    };
    let file = Path::new(&out_dir).join(format!("{name}{extra}.d"));
    let text = std::fs::read_to_string(&file)
        .map_err(|error| format!("cannot read {}: {error}", file.display()))?;
    let here = std::env::current_dir().unwrap_or_default();
    let package = PathBuf::from(std::env::var_os("CARGO_MANIFEST_DIR").unwrap_or_default());
    let canonical = |path: &Path| path.canonicalize().unwrap_or_else(|_| path.to_path_buf());
    let roots = source_roots(args, &here, canonical);
    // What clippy reads besides the code: its configuration, and the manifests (for
    // the crate's lints and Rust version).
    let clippy_reads = [
        canonical(configs),
        canonical(&here.join("Cargo.toml")),
        canonical(&package.join("Cargo.toml")),
    ];
    let mut outside = BTreeMap::new();
    for path in dep_info_sources(&text)? {
        let file = canonical(&here.join(&path));
        if clippy_reads.iter().any(|read| file.starts_with(read)) {
            continue;
        }
        if !roots.iter().any(|root| file.starts_with(root)) {
            outside.insert(path.clone(), ());
        }
    }
    Ok(outside.into_keys().collect())
}

/// The value after `flag` on rustc's command line (`--crate-name hello`).
fn flag_value(args: &[OsString], flag: &str) -> Option<String> {
    args.windows(2)
        .find(|pair| pair[0] == flag)
        .map(|pair| pair[1].to_string_lossy().into_owned())
}

/// Where a crate's files may be: the folder of its root file (`src/` for a kata), and
/// for the course's own code under `solutions/` (a reference solution, a wrong answer),
/// the kata's `src/` too, whose given modules it reuses (`#[path]`). A learner's code is
/// never under `solutions/`: grading's copies of the course have none.
fn source_roots(
    args: &[OsString],
    here: &Path,
    canonical: impl Fn(&Path) -> PathBuf,
) -> Vec<PathBuf> {
    let Some(root_file) = args
        .iter()
        .map(Path::new)
        .find(|arg| arg.extension().is_some_and(|e| e == "rs"))
    else {
        return Vec::new();
    };
    let root_file = canonical(&here.join(root_file));
    let mut roots: Vec<PathBuf> = root_file
        .parent()
        .map(Path::to_path_buf)
        .into_iter()
        .collect();
    let course = std::env::var_os(COURSE).map(|dir| canonical(Path::new(&dir)));
    if let Some(course) = course
        && let Ok(inside) = root_file.strip_prefix(course.join("solutions"))
    {
        let kata: PathBuf = inside.components().take(2).collect();
        roots.push(course.join("exercises").join(kata).join("src"));
    }
    roots
}

/// The source files of a dep-info file: every rule's prerequisites (`out.d: a b c`) and
/// every file's own rule (`a:`), a space in a name written `\ `. A line that is neither
/// is an error, never skipped: a name holding a newline would otherwise hide the files
/// listed after it.
fn dep_info_sources(text: &str) -> Result<Vec<PathBuf>, String> {
    let mut files = Vec::new();
    for line in text.lines() {
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        // `: ` ends a rule's target (a Windows drive's `C:` has no space after it).
        if let Some(at) = line.find(": ") {
            files.extend(words(&line[at + 2..]));
        } else if let Some(target) = line.strip_suffix(':') {
            files.extend(words(target));
        } else {
            return Err(format!(
                "the compiler's list of files has a line that is no rule: {line:?}"
            ));
        }
    }
    files.sort();
    files.dedup();
    Ok(files)
}

/// The space-separated names of a dep-info rule, `\ ` a space inside a name.
fn words(text: &str) -> Vec<PathBuf> {
    let mut files = Vec::new();
    let mut current = String::new();
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' if chars.peek() == Some(&' ') => {
                current.push(' ');
                chars.next();
            }
            ' ' => {
                if !current.is_empty() {
                    files.push(PathBuf::from(std::mem::take(&mut current)));
                }
            }
            c => current.push(c),
        }
    }
    if !current.is_empty() {
        files.push(PathBuf::from(current));
    }
    files
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_sources_of_a_dep_info_file() {
        let text = "/t/deps/hello-1.d: src/lib.rs src/my\\ mod.rs /etc/passwd\n\n\
                    src/lib.rs:\nsrc/my\\ mod.rs:\n/etc/passwd:\n\n# env-dep:X=1\n";
        assert_eq!(
            dep_info_sources(text).unwrap(),
            [
                PathBuf::from("/etc/passwd"),
                PathBuf::from("src/lib.rs"),
                PathBuf::from("src/my mod.rs"),
            ]
        );
        assert!(dep_info_sources("").unwrap().is_empty());
        // A name with a newline (rustc does not escape it) breaks a line in two: the
        // file after it must not slip through unread.
        let hidden = "/t/deps/hello-1.d: src/lib.rs src/a\nb.rs /tmp/outside.rs\n\n\
                      src/lib.rs:\nsrc/a\nb.rs:\n/tmp/outside.rs:\n";
        assert!(dep_info_sources(hidden).is_err());
    }

    #[test]
    fn only_a_katas_library_is_linted() {
        let args = |list: &[&str]| list.iter().map(OsString::from).collect::<Vec<_>>();
        let lib = args(&["--crate-name", "hello", "--crate-type", "lib", "src/lib.rs"]);
        let test = args(&["--crate-name", "kata", "--test", "tests/kata.rs"]);
        assert_eq!(allowed_groups("nobody"), Vec::<String>::new());
        // Without CARGO_PRIMARY_PACKAGE (a dependency, or cargo's queries): never.
        if std::env::var_os("CARGO_PRIMARY_PACKAGE").is_none() {
            assert_eq!(kata_library(&lib), None);
        }
        assert_eq!(kata_library(&test), None);
    }
}
