//! Builds test binaries with cargo and reads what it says: the executables it made and
//! the compiler errors, per test target, so one broken target does not hide the rest.

use std::io::{BufRead, BufReader, Read};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc;
use std::thread;
use std::time::Duration;

use crate::json::Json;
use crate::signals::{self, Slot};

#[derive(Debug)]
pub struct TestBinary {
    /// The folder of the package's `Cargo.toml`: tests run there, as under `cargo test`.
    pub package_dir: PathBuf,
    pub package: String,
    /// The test target's name: `kata` for `tests/kata.rs`.
    pub target: String,
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
}

#[derive(Debug, Default)]
pub struct Build {
    pub binaries: Vec<TestBinary>,
    pub failures: Vec<CompileFailure>,
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
/// cargo itself (a broken manifest, no network for a missing crate) is `Err`.
pub fn build_tests(root: &Path, packages: &[&str], colour: bool) -> Result<Build, String> {
    build_tests_cancellable(root, packages, colour, None).map(|build| build.expect("not cancelled"))
}

/// `build_tests`, but `Ok(None)` as soon as `cancel` is set (`watch`: a newer save
/// arrived). Cargo then runs in its own process group, so that killing it also ends the
/// compilers it started; without `cancel` it stays in ours, where Ctrl-C reaches it.
pub fn build_tests_cancellable(
    root: &Path,
    packages: &[&str],
    colour: bool,
    cancel: Option<&AtomicBool>,
) -> Result<Option<Build>, String> {
    let mut command = build_command(root, colour);
    for package in packages {
        command.args(["--package", package]);
    }
    run_build(command, cancel)
}

/// `build_tests` for every member of the workspace at `dir`, into `target_dir`: verify's
/// generated workspace of wrong answers, which shares the course's target dir so that
/// no dependency is compiled twice.
pub fn build_workspace_tests(dir: &Path, target_dir: &Path, colour: bool) -> Result<Build, String> {
    let mut command = build_command(dir, colour);
    command
        .arg("--workspace")
        .env("CARGO_TARGET_DIR", target_dir);
    run_build(command, None).map(|build| build.expect("not cancelled"))
}

/// The course's target dir, where cargo puts it for the course's workspace.
pub fn target_dir(root: &Path) -> PathBuf {
    match std::env::var_os("CARGO_TARGET_DIR") {
        Some(dir) => root.join(dir),
        None => root.join("target"),
    }
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
        .args(["build", "--tests", "--keep-going", "--quiet"])
        .arg(format!("--message-format={format}"))
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    command
}

fn run_build(mut command: Command, cancel: Option<&AtomicBool>) -> Result<Option<Build>, String> {
    let spawn = |command: &mut Command| {
        let child = command
            .spawn()
            .map_err(|e| format!("could not start cargo ({e}): is Rust installed (rustup)?"))?;
        let group = child.id();
        Ok((child, group))
    };
    // Cancellable (watch): in a group of its own, so all of cargo's work can be stopped.
    let mut child = if cancel.is_some() {
        #[cfg(unix)]
        std::os::unix::process::CommandExt::process_group(&mut command, 0);
        signals::start(Slot::Build, || spawn(&mut command))?
    } else {
        spawn(&mut command)?.0
    };

    // A cold build compiles tokio and friends once; say so rather than sit silent.
    let (done, waiting) = mpsc::channel::<()>();
    thread::spawn(move || {
        if waiting.recv_timeout(Duration::from_secs(2)) == Err(mpsc::RecvTimeoutError::Timeout) {
            eprintln!("compiling… (the first build compiles the course's dependencies once)");
        }
    });
    let mut stderr = child.stderr.take().expect("piped");
    let stderr_reader = thread::spawn(move || {
        let mut text = String::new();
        let _ = stderr.read_to_string(&mut text);
        text
    });

    // Cargo's messages are read on a thread, so this one can watch `cancel` meanwhile;
    // the channel says at once when cargo closes its output (it is done).
    let stdout = child.stdout.take().expect("piped");
    let (finished, read_all) = mpsc::channel::<Build>();
    let stdout_reader = thread::spawn(move || {
        let mut build = Build::default();
        for line in BufReader::new(stdout).lines() {
            let Ok(line) = line else { break };
            if let Some(message) = Json::parse(&line) {
                build.record(&message);
            }
        }
        let _ = finished.send(build);
    });
    let build = match cancel {
        None => read_all.recv().unwrap_or_default(),
        Some(cancel) => loop {
            if cancel.load(Ordering::Relaxed) {
                crate::harness::kill_group(&mut child, Slot::Build);
                let _ = child.wait();
                drop(done);
                let _ = stdout_reader.join();
                return Ok(None);
            }
            match read_all.recv_timeout(Duration::from_millis(5)) {
                Ok(build) => break build,
                Err(mpsc::RecvTimeoutError::Timeout) => {}
                Err(mpsc::RecvTimeoutError::Disconnected) => break Build::default(),
            }
        },
    };
    let status = child
        .wait()
        .map_err(|e| format!("cargo did not finish: {e}"))?;
    signals::forget(Slot::Build, child.id());
    drop(done);
    let stderr = stderr_reader.join().unwrap_or_default();
    if !status.success() && build.failures.is_empty() {
        return Err(format!(
            "cargo could not build the tests:\n{}",
            stderr.trim_end()
        ));
    }
    Ok(Some(build))
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
                let is_test = message.get("profile").get("test").as_bool() == Some(true);
                if let (true, Some(path)) = (is_test, message.get("executable").as_str()) {
                    let package = package_name(message.get("package_id").as_str().unwrap_or(""));
                    self.binaries.push(TestBinary {
                        package_dir,
                        package,
                        target: target_name,
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
                // "aborting due to N previous errors" only counts what we already have.
                if !is_error || text.starts_with("aborting due to") {
                    return;
                }
                let rendered = diagnostic
                    .get("rendered")
                    .as_str()
                    .unwrap_or(text)
                    .to_string();
                let in_library = target
                    .get("kind")
                    .as_array()
                    .iter()
                    .any(|k| matches!(k.as_str(), Some("lib" | "rlib" | "proc-macro")));
                let existing = self
                    .failures
                    .iter_mut()
                    .find(|f| f.package_dir == package_dir && f.target == target_name);
                match existing {
                    Some(failure) => failure.errors.push(rendered),
                    None => self.failures.push(CompileFailure {
                        package_dir,
                        target: target_name,
                        in_library,
                        errors: vec![rendered],
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
            r#"{"reason":"compiler-artifact","manifest_path":"/w/k/Cargo.toml","package_id":"path+file:///w/k#k@0.1.0","target":{"name":"kata","kind":["test"]},"profile":{"test":true},"executable":"/t/kata-1"}"#,
            r#"{"reason":"compiler-artifact","manifest_path":"/w/k/Cargo.toml","package_id":"path+file:///w/k#k@0.1.0","target":{"name":"k","kind":["lib"]},"profile":{"test":false},"executable":null}"#,
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
        assert_eq!(binaries, ["kata"]);
        let failures: Vec<_> = build.failures_of(dir).collect();
        assert_eq!(failures.len(), 1);
        assert_eq!(failures[0].target, "kata_send");
        assert!(!failures[0].in_library);
        assert_eq!(failures[0].errors, ["error: future cannot be sent\n"]);
    }
}
