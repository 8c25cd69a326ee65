//! Builds test binaries with cargo and reads what it says: the executables it made and
//! the compiler errors, per test target, so one broken target does not hide the rest.

use std::io::{BufRead, BufReader, Read};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::mpsc;
use std::thread;
use std::time::Duration;

use crate::engine::cancel::Cancel;
use crate::engine::observe::Status;
use crate::engine::signals;
use crate::util::error::{Context, Error, Result};
use crate::util::json::Json;

#[derive(Debug)]
pub struct TestBinary {
    /// The folder of the package's `Cargo.toml`: tests run there, as under `cargo test`.
    pub package_dir: PathBuf,
    pub package: String,
    /// The test target's name: `kata` for `tests/kata.rs`.
    pub target: String,
    /// The target's root source file, as cargo reports it.
    pub src_path: PathBuf,
    pub path: PathBuf,
}

#[derive(Debug)]
pub struct CompileFailure {
    pub package_dir: PathBuf,
    pub target: String,
    /// The library itself failed, so no test target of the package could build.
    pub in_library: bool,
    /// Rendered compiler errors, in the order the compiler gave them.
    pub errors: Vec<String>,
    /// The same errors as data, in the same order.
    pub diagnostics: Vec<Diagnostic>,
}

/// A compiler error as data: what grading needs to tell its own refusals from the rest.
#[derive(Debug, Clone, PartialEq)]
pub struct Diagnostic {
    /// `E0308`, `unsafe_code`, `clippy::disallowed_methods`, …
    pub code: Option<String>,
    pub message: String,
    /// The primary span's file, as the compiler names it, and line (0 without one).
    pub file: Option<String>,
    pub line: usize,
}

impl Diagnostic {
    fn from_json(diagnostic: &Json) -> Diagnostic {
        let primary = diagnostic
            .get("spans")
            .as_array()
            .iter()
            .find(|span| span.get("is_primary").as_bool() == Some(true))
            .cloned();
        Diagnostic {
            code: diagnostic
                .get("code")
                .get("code")
                .as_str()
                .map(String::from),
            message: diagnostic
                .get("message")
                .as_str()
                .unwrap_or_default()
                .to_string(),
            file: primary
                .as_ref()
                .and_then(|span| span.get("file_name").as_str().map(String::from)),
            line: primary.map_or(0, |span| match span.get("line_start") {
                Json::Number(line) => *line as usize,
                _ => 0,
            }),
        }
    }
}

#[derive(Debug, Default)]
pub struct Build {
    pub binaries: Vec<TestBinary>,
    pub failures: Vec<CompileFailure>,
    /// Compiler warnings in a package's library, rendered: (package folder, text). For
    /// the most common mistake, a future never awaited, the warning is the fix.
    pub warnings: Vec<(PathBuf, String)>,
    /// Stopped by its `Cancel` before cargo finished: nothing in it counts.
    pub cancelled: bool,
}

impl Build {
    pub fn binaries_of<'a>(&'a self, dir: &'a Path) -> impl Iterator<Item = &'a TestBinary> {
        self.binaries.iter().filter(move |b| b.package_dir == dir)
    }

    pub fn failures_of<'a>(&'a self, dir: &'a Path) -> impl Iterator<Item = &'a CompileFailure> {
        self.failures.iter().filter(move |f| f.package_dir == dir)
    }
}

/// `cargo build --tests --keep-going` for `packages`: the binaries `cargo test` would run,
/// with every target that compiles even when another does not (`cargo test --no-run`
/// stops at the first error). Compiler errors are part of the result; only a failure of
/// cargo itself (a broken manifest, no network for a missing crate) is `Err`. Cargo runs
/// in a process group of its own, so that stopping it (`cancel`, a stall, a signal) also
/// ends the compilers and build scripts it started.
pub fn build_tests(root: &Path, packages: &[&str], colour: bool, cancel: Cancel) -> Result<Build> {
    let mut command = build_command(root, colour);
    for package in packages {
        command.args(["--package", package]);
    }
    run_build(command, cancel)
}

/// `build_tests` into `target_dir` (see `Course::target_dir`).
pub fn build_tests_into(
    root: &Path,
    target_dir: &Path,
    packages: &[&str],
    colour: bool,
) -> Result<Build> {
    let mut command = build_command(root, colour);
    command.env("CARGO_TARGET_DIR", target_dir);
    for package in packages {
        command.args(["--package", package]);
    }
    run_build(command, Cancel::NEVER)
}

/// `build_tests` for every member of the workspace at `dir`, into `target_dir`: verify's
/// generated workspace of wrong answers, which shares the course's target dir so that
/// no dependency is compiled twice.
pub fn build_workspace_tests(dir: &Path, target_dir: &Path, colour: bool) -> Result<Build> {
    let mut command = build_command(dir, colour);
    command
        .arg("--workspace")
        .env("CARGO_TARGET_DIR", target_dir);
    run_build(command, Cancel::NEVER)
}

/// The course's target dir, where cargo puts it for the course's workspace.
pub fn target_dir(root: &Path) -> PathBuf {
    match std::env::var_os("CARGO_TARGET_DIR") {
        Some(dir) => root.join(dir),
        None => root.join("target"),
    }
}

/// Drops the incremental caches the builds since `since` wrote: those of a kata that
/// just passed. They are most of what a kata leaves in the target dir and only speed up
/// the next edit of the same kata, which a learner who moved on rarely makes (then its
/// first build is a full one again). Dependencies are never incremental: untouched.
/// Only while no cargo builds in the target dir (an editor's `cargo check`, another
/// terminal): cargo's own lock on it is taken first, and the drop skipped when it is
/// held, as it is for a crate whose session is still being written.
pub fn forget_incremental(root: &Path, since: std::time::SystemTime) {
    let debug = target_dir(root).join("debug");
    let Ok(lock) = std::fs::File::open(debug.join(".cargo-lock")) else {
        return;
    };
    if lock.try_lock().is_err() {
        return;
    }
    for entry in std::fs::read_dir(debug.join("incremental"))
        .into_iter()
        .flatten()
        .flatten()
    {
        // A crate's folder changes whenever a build starts a session in it.
        let touched = entry.metadata().and_then(|m| m.modified());
        let working = std::fs::read_dir(entry.path())
            .into_iter()
            .flatten()
            .flatten()
            .any(|session| session.file_name().to_string_lossy().ends_with("-working"));
        if touched.is_ok_and(|time| time >= since) && !working {
            // A cache: what cannot be removed stays, and costs only room.
            let _ = std::fs::remove_dir_all(entry.path());
        }
    }
    // The lock goes with `lock`.
}

fn build_command(dir: &Path, colour: bool) -> Command {
    let format = if colour {
        "json-diagnostic-rendered-ansi"
    } else {
        "json"
    };
    let mut command = Command::new(cargo());
    command
        .current_dir(dir)
        .args(["build", "--tests", "--keep-going"])
        .arg(format!("--message-format={format}"))
        // Cargo's progress bar, also into a pipe: what is compiling, and how far along.
        .args(["--config", "term.progress.when='always'"])
        .args(["--config", "term.progress.width=200"])
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    crate::engine::lints::apply(&mut command);
    command
}

/// Runs the build; once `cancel` is set, cargo's whole group is killed and the build
/// comes back empty, `cancelled`.
fn run_build(mut command: Command, cancel: Cancel) -> Result<Build> {
    let spawn = |command: &mut Command| {
        let child = command.spawn().map_err(|e| {
            Error::with_source(
                format!("could not start cargo ({e}): is Rust installed (rustup)?"),
                e,
            )
        })?;
        let group = child.id();
        Ok((child, group))
    };
    // In a group of its own, recorded, so that all of cargo's work (the compilers, build
    // scripts) can be stopped: by a newer save in watch, a stall, Ctrl-C or Ctrl-Z; and
    // it dies with the runner.
    signals::own_group(&mut command);
    let mut child = signals::start(|| spawn(&mut command))?;

    // Cargo's own lines (progress, errors) on one thread, its JSON messages on another;
    // this one shows the progress and watches `cancel` meanwhile.
    let (events, received) = mpsc::channel::<Event>();
    let stderr = child.stderr.take().expect("piped");
    let progress = events.clone();
    let stderr_reader = thread::spawn(move || read_cargo_stderr(stderr, &progress));
    let stdout = child.stdout.take().expect("piped");
    let stdout_reader = thread::spawn(move || {
        let mut build = Build::default();
        for line in BufReader::new(stdout).lines() {
            let Ok(line) = line else { break };
            if let Some(message) = Json::parse(&line) {
                build.record(&message);
            }
            let _ = events.send(Event::Activity);
        }
        let _ = events.send(Event::Finished(build));
    });
    let mut view = crate::engine::observe::build();
    let stall = stall_limit();
    let limit = build_limit();
    let started = std::time::Instant::now();
    let mut active = std::time::Instant::now();
    let paused_before = signals::paused();
    let build = loop {
        if cancel.is_set() {
            signals::kill_child(&mut child);
            let _ = child.wait();
            view.finish();
            let _ = stdout_reader.join();
            return Ok(Build {
                cancelled: true,
                ..Build::default()
            });
        }
        // A build that says nothing for this long is stuck (a build script that hangs,
        // a lock another cargo never releases): stopped, with a verdict that says so.
        let quiet = active
            .elapsed()
            .saturating_sub(signals::paused().saturating_sub(paused_before));
        // A build that keeps talking can still never end (a compiler that warns while
        // it evaluates a constant forever): a limit on the whole build, pauses aside.
        let spent = started
            .elapsed()
            .saturating_sub(signals::paused().saturating_sub(paused_before));
        if spent >= limit {
            signals::kill_child(&mut child);
            let _ = child.wait();
            view.finish();
            return Err(Error::new(format!(
                "the build was stopped after {} in all (the build limit): code whose \
                 compilation never ends, or a machine far too slow for the limit? \
                 (`AWAITLINGS_BUILD_LIMIT=SECS` sets the limit.)",
                crate::util::ui::seconds(limit)
            )));
        }
        if quiet >= stall {
            signals::kill_child(&mut child);
            let _ = child.wait();
            view.finish();
            return Err(Error::new(format!(
                "the build made no progress for {}: a build script (build.rs) that hangs, \
                 or another cargo holding the build folder's lock? It was stopped. \
                 (`AWAITLINGS_BUILD_STALL=SECS` sets the limit.)",
                crate::util::ui::seconds(stall)
            )));
        }
        match received.recv_timeout(Duration::from_millis(5)) {
            Ok(Event::Progress(status)) => {
                active = std::time::Instant::now();
                view.update(status);
            }
            Ok(Event::Activity) => active = std::time::Instant::now(),
            Ok(Event::Finished(build)) => break build,
            Err(mpsc::RecvTimeoutError::Timeout) => view.tick(),
            Err(mpsc::RecvTimeoutError::Disconnected) => break Build::default(),
        }
    };
    view.finish();
    let status = child.wait().context("cargo did not finish")?;
    signals::forget(child.id());
    let stderr = stderr_reader.join().unwrap_or_default();
    if !status.success() && build.failures.is_empty() {
        let said = stderr.trim_end().to_string();
        return Err(Error::with_source(cargo_failed(&said), Refused { said }));
    }
    Ok(build)
}

enum Event {
    Progress(Status),
    /// Cargo said something (a compiler message, an artifact): it is not stuck.
    Activity,
    Finished(Build),
}

/// How long a build may say nothing before it counts as stuck: generous, since one
/// crate can take minutes to compile on a slow machine under load.
const STALL_LIMIT: Duration = Duration::from_secs(300);

fn stall_limit() -> Duration {
    std::env::var("AWAITLINGS_BUILD_STALL")
        .ok()
        .and_then(|s| s.parse::<f64>().ok())
        .filter(|s| *s > 0.0)
        .map_or(STALL_LIMIT, Duration::from_secs_f64)
}
/// How long one build may take in all: a whole course's first build on a slow machine
/// takes minutes, never this long.
const BUILD_LIMIT: Duration = Duration::from_secs(30 * 60);

fn build_limit() -> Duration {
    std::env::var("AWAITLINGS_BUILD_LIMIT")
        .ok()
        .and_then(|s| s.parse::<f64>().ok())
        .filter(|s| *s > 0.0)
        .map_or(BUILD_LIMIT, Duration::from_secs_f64)
}

/// A segment of cargo's stderr (lines and progress redraws end in `\n` or `\r`):
/// progress, or `None` for one of cargo's own lines.
fn progress(segment: &str) -> Option<Status> {
    let text = segment.trim();
    if let Some(rest) = text.strip_prefix("Building [") {
        let (_, counts) = rest.split_once("] ")?;
        let (counts, now) = counts.split_once(':').unwrap_or((counts, ""));
        let (done, total) = counts.trim().split_once('/')?;
        return Some(Status::Building {
            done: done.parse().ok()?,
            total: total.parse().ok()?,
            now: now.trim().to_string(),
        });
    }
    text.starts_with("Downloading ")
        .then(|| Status::Downloading(text.to_string()))
}

/// Cargo's status words: lines that say what it is doing, not what went wrong.
const STATUS_WORDS: &[&str] = &[
    "Compiling",
    "Checking",
    "Fresh",
    "Finished",
    "Updating",
    "Locking",
    "Adding",
    "Downloaded",
    "Blocking",
    "Running",
    "Building",
    "Downloading",
];

/// Reads cargo's stderr: progress goes to `events` as it comes; what remains (errors,
/// warnings of cargo itself) is returned.
fn read_cargo_stderr(mut stderr: impl Read, events: &mpsc::Sender<Event>) -> String {
    let mut kept = String::new();
    let mut pending = Vec::new();
    let mut chunk = [0u8; 4096];
    loop {
        let read = match stderr.read(&mut chunk) {
            Ok(0) | Err(_) => break,
            Ok(n) => n,
        };
        pending.extend_from_slice(&chunk[..read]);
        while let Some(end) = pending.iter().position(|b| *b == b'\n' || *b == b'\r') {
            let segment: Vec<u8> = pending.drain(..=end).collect();
            let segment = String::from_utf8_lossy(&segment);
            match progress(&segment) {
                Some(status) => {
                    let _ = events.send(Event::Progress(status));
                }
                None => {
                    let line = segment.trim_end();
                    let first = line.split_whitespace().next().unwrap_or("");
                    // Blank lines inside cargo's messages are kept, leading ones not.
                    let leading_blank = line.is_empty() && kept.is_empty();
                    if !leading_blank && !STATUS_WORDS.contains(&first) {
                        kept += line;
                        kept.push('\n');
                    }
                }
            }
        }
    }
    kept + &String::from_utf8_lossy(&pending)
}

/// Cargo refused to build (not a compiler error: a manifest it cannot load, a download
/// that failed): what it said, carried as the build error's source, so a caller reads
/// cargo's words, not the runner's sentence around them.
#[derive(Debug)]
pub struct Refused {
    pub said: String,
}

impl std::fmt::Display for Refused {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.said)
    }
}

impl std::error::Error for Refused {}

/// What cargo said when it refused the build that failed with `error`, if it did.
pub fn refused(error: &Error) -> Option<&Refused> {
    std::error::Error::source(error)?.downcast_ref()
}

/// Cargo itself failed (not the code it compiled): say what it means, then cargo's text.
fn cargo_failed(stderr: &str) -> String {
    let stderr = stderr.trim_end();
    let offline = [
        "failed to download",
        "failed to get",
        "failed to query replaced source",
        "download of config.json failed",
        "Could not resolve host",
        "failed to load source for dependency",
        "network failure",
        "spurious network error",
        "attempting to make an HTTP request, but --offline was specified",
    ];
    if offline.iter().any(|sign| stderr.contains(sign)) {
        format!(
            "the course's dependencies could not be downloaded. The first build fetches \
             them from crates.io (about 30 MB, once); this machine could not reach it. \
             Connect to the network (behind a proxy: set `http.proxy` in cargo's \
             config.toml) and run the same command again: what was downloaded is kept, \
             and the next run fetches the rest.\n\ncargo said:\n{stderr}"
        )
    } else {
        format!("cargo could not build the tests:\n{stderr}")
    }
}

impl Build {
    fn record(&mut self, message: &Json) {
        let package_dir = message
            .get("manifest_path")
            .as_str()
            .and_then(|path| Path::new(path).parent())
            .map(Path::to_path_buf)
            .unwrap_or_default();
        let target = message.get("target");
        let target_name = target.get("name").as_str().unwrap_or_default().to_string();
        match message.get("reason").as_str() {
            Some("compiler-artifact") => {
                // Only test targets: `cargo build --tests` also builds `src/main.rs` and
                // `src/bin/*` in test mode, and such a binary named like a test target
                // must never stand in for it.
                let is_test = message.get("profile").get("test").as_bool() == Some(true)
                    && target
                        .get("kind")
                        .as_array()
                        .iter()
                        .any(|k| k.as_str() == Some("test"));
                if let (true, Some(path)) = (is_test, message.get("executable").as_str()) {
                    let package = package_name(message.get("package_id").as_str().unwrap_or(""));
                    self.binaries.push(TestBinary {
                        package_dir,
                        package,
                        target: target_name,
                        src_path: PathBuf::from(target.get("src_path").as_str().unwrap_or("")),
                        path: PathBuf::from(path),
                    });
                }
            }
            Some("compiler-message") => {
                let diagnostic = message.get("message");
                let text = diagnostic.get("message").as_str().unwrap_or_default();
                let is_error = diagnostic
                    .get("level")
                    .as_str()
                    .is_some_and(|l| l.starts_with("error"));
                let in_library = target
                    .get("kind")
                    .as_array()
                    .iter()
                    .any(|k| matches!(k.as_str(), Some("lib" | "rlib" | "proc-macro")));
                let is_warning = diagnostic.get("level").as_str() == Some("warning");
                // "N warnings emitted" is a summary, not a warning.
                if is_warning
                    && in_library
                    && !text.contains("warning emitted")
                    && !text.contains("warnings emitted")
                {
                    let rendered = diagnostic.get("rendered").as_str().unwrap_or(text);
                    self.warnings.push((package_dir, rendered.to_string()));
                    return;
                }
                // "aborting due to N previous errors" only counts what we already have.
                if !is_error || text.starts_with("aborting due to") {
                    return;
                }
                let rendered = diagnostic
                    .get("rendered")
                    .as_str()
                    .unwrap_or(text)
                    .to_string();
                let existing = self
                    .failures
                    .iter_mut()
                    .find(|f| f.package_dir == package_dir && f.target == target_name);
                let data = Diagnostic::from_json(diagnostic);
                match existing {
                    Some(failure) => {
                        failure.errors.push(rendered);
                        failure.diagnostics.push(data);
                    }
                    None => self.failures.push(CompileFailure {
                        package_dir,
                        target: target_name,
                        in_library,
                        errors: vec![rendered],
                        diagnostics: vec![data],
                    }),
                }
            }
            _ => {}
        }
    }
}

/// The package name in a cargo package id: `path+file:///x/01_hello#hello@0.1.0`.
fn package_name(id: &str) -> String {
    let (url, fragment) = id.rsplit_once('#').unwrap_or((id, ""));
    match fragment.split_once('@') {
        Some((name, _)) => name.to_string(),
        None => url.rsplit('/').next().unwrap_or(url).to_string(),
    }
}

/// The cargo that runs us (`cargo xtask` sets `CARGO`), so nested builds use the pinned
/// toolchain even when another one is first on the PATH.
pub fn cargo() -> String {
    std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_cargo_progress_and_keeps_its_errors() {
        assert_eq!(
            progress("    Building [====>      ] 45/120: tokio(build), futures-util  \r"),
            Some(Status::Building {
                done: 45,
                total: 120,
                now: "tokio(build), futures-util".into()
            })
        );
        assert_eq!(
            progress(" Downloading 3 crates                \r"),
            Some(Status::Downloading("Downloading 3 crates".into()))
        );
        assert_eq!(progress("   Compiling tokio v1.54.1\n"), None);

        let (events, received) = mpsc::channel();
        let stderr = "    Updating crates.io index\n Downloading 1 crate   \r  Downloaded x v1\n\
                      \x20  Compiling x v1\n    Building [=> ] 0/2: x    \r\
                      error: failed to download `bitflags v2.13.2`\n\nCaused by:\n  no network\n";
        let kept = read_cargo_stderr(stderr.as_bytes(), &events);
        assert_eq!(
            kept,
            "error: failed to download `bitflags v2.13.2`\n\nCaused by:\n  no network\n"
        );
        let statuses: Vec<Status> = received
            .try_iter()
            .filter_map(|event| match event {
                Event::Progress(status) => Some(status),
                Event::Activity | Event::Finished(_) => None,
            })
            .collect();
        assert_eq!(statuses.len(), 2);
        assert!(
            cargo_failed(&kept).starts_with("the course's dependencies could not be downloaded")
        );
        assert!(cargo_failed("error: bad manifest").starts_with("cargo could not build the tests"));
        // The refusal travels as data: cargo's words, apart from the sentence around them.
        let said = "error: bad manifest".to_string();
        let error = Error::with_source(cargo_failed(&said), Refused { said });
        assert_eq!(
            refused(&error).map(|r| r.said.as_str()),
            Some("error: bad manifest")
        );
        assert!(refused(&Error::new("the build was stopped")).is_none());
    }

    #[test]
    fn reads_package_names_from_ids() {
        assert_eq!(
            package_name("path+file:///w/exercises/00/01_hello#hello@0.1.0"),
            "hello"
        );
        assert_eq!(package_name("path+file:///w/xtask#0.1.0"), "xtask");
    }

    #[test]
    fn groups_artifacts_and_errors_by_package_and_target() {
        let lines = [
            r#"{"reason":"compiler-artifact","manifest_path":"/w/k/Cargo.toml","package_id":"path+file:///w/k#k@0.1.0","target":{"name":"kata","kind":["test"],"src_path":"/w/k/tests/kata.rs"},"profile":{"test":true},"executable":"/t/kata-1"}"#,
            r#"{"reason":"compiler-artifact","manifest_path":"/w/k/Cargo.toml","package_id":"path+file:///w/k#k@0.1.0","target":{"name":"k","kind":["lib"]},"profile":{"test":false},"executable":null}"#,
            r#"{"reason":"compiler-artifact","manifest_path":"/w/k/Cargo.toml","package_id":"path+file:///w/k#k@0.1.0","target":{"name":"kata","kind":["bin"],"src_path":"/w/k/src/bin/kata.rs"},"profile":{"test":true},"executable":"/t/kata-2"}"#,
            r#"{"reason":"compiler-message","manifest_path":"/w/k/Cargo.toml","target":{"name":"kata_send","kind":["test"]},"message":{"level":"error","message":"future cannot be sent","rendered":"error: future cannot be sent\n"}}"#,
            r#"{"reason":"compiler-message","manifest_path":"/w/k/Cargo.toml","target":{"name":"kata_send","kind":["test"]},"message":{"level":"warning","message":"unused","rendered":"warning: unused\n"}}"#,
            r#"{"reason":"compiler-message","manifest_path":"/w/k/Cargo.toml","target":{"name":"kata_send","kind":["test"]},"message":{"level":"error","message":"aborting due to 1 previous error","rendered":"error: aborting\n"}}"#,
        ];
        let mut build = Build::default();
        for line in lines {
            build.record(&Json::parse(line).unwrap());
        }
        let dir = Path::new("/w/k");
        let binaries: Vec<_> = build.binaries_of(dir).map(|b| b.target.as_str()).collect();
        assert_eq!(
            binaries,
            ["kata"],
            "a bin built in test mode is no test target"
        );
        assert!(
            build.warnings.is_empty(),
            "a test target's warning is not the learner's"
        );
        let learner = r#"{"reason":"compiler-message","manifest_path":"/w/k/Cargo.toml","target":{"name":"k","kind":["lib"]},"message":{"level":"warning","message":"unused implementer of `Future` that must be used","rendered":"warning: unused implementer of `Future`\n"}}"#;
        build.record(&Json::parse(learner).unwrap());
        assert_eq!(
            build.warnings,
            [(
                PathBuf::from("/w/k"),
                "warning: unused implementer of `Future`\n".to_string()
            )]
        );
        let first = build.binaries_of(dir).next().unwrap();
        assert_eq!(first.src_path, Path::new("/w/k/tests/kata.rs"));
        let failures: Vec<_> = build.failures_of(dir).collect();
        assert_eq!(failures.len(), 1);
        assert_eq!(failures[0].target, "kata_send");
        assert!(!failures[0].in_library);
        assert_eq!(failures[0].errors, ["error: future cannot be sent\n"]);
    }
}
