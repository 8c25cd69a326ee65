//! The awaitlings runner, as a library: the layers under the learner's commands. Two
//! binaries use it: `xtask` (`src/main.rs`, what `cargo xtask` builds and runs) and
//! `xtask-staff` (`staff/`: grading, export, verify, new), which `xtask` hands the
//! staff's commands to, so a learner's first build compiles only what a learner runs.
//!
//! In layers, each a folder: `util` (no knowledge of the course), `course` (the course
//! model) and `flags`, from the crate `xtask-model` (`model/`, which compiles while libc
//! does); `engine` (builds, test processes, signals, file events; never prints: clippy
//! denies it), `view` (what the learner sees, written to a writer). The commands, one
//! file each in `src/cmd`, are the `xtask` binary's own modules, so nothing here can use
//! one; `staff/` has its own `cmd`, `engine` and `grading`. `tidy` (a test) keeps what
//! the compiler cannot: imports free of cycles, commands that do not use each other
//! (but for the session, the loop `next` and `watch` share). Every layer fails with
//! `util::error::Error`, whose message is what the learner reads. What differs by
//! platform has one file per platform: `engine/platform` (processes and signals),
//! `util/terminal` (watch's keys), `engine/file_events` (watch's file events).

pub use xtask_model::{course, flags, util};

pub mod engine;
pub mod view;

use std::path::PathBuf;
use std::process::ExitCode;

use util::error::Result;

/// When cargo started this binary in rustc's place (`engine::lints`): compiles, says the
/// wrapper's own errors as rustc would (JSON on stderr), and returns the exit code.
pub fn serve_as_compiler() -> Option<ExitCode> {
    let (code, errors) = engine::lints::serve()?;
    for error in errors {
        eprintln!("{error}");
    }
    Some(code)
}

/// What both binaries do before a command: signals, colours, the build observer.
pub fn start() {
    util::ui::init();
    engine::signals::install();
    engine::observe::install(&view::building::Terminal);
    quiet_on_closed_stdout();
}

/// A bad command line: the error, then the usage. Exit code 2.
pub fn usage_error(error: &util::error::Error) -> ExitCode {
    eprintln!("error: {error}\n\n{}", flags::usage(None));
    ExitCode::from(2)
}

/// A command's end: its exit code, or its error said in red and the error's exit code.
pub fn finish(result: Result<ExitCode>) -> ExitCode {
    result.unwrap_or_else(|error| {
        eprintln!("{} {error}", util::ui::red("error:"));
        ExitCode::from(error.exit_code())
    })
}

/// Under `| head`, stdout closes early and printing panics (SIGPIPE is handled, to stop
/// our tests first). That is no crash: stop what runs, say nothing, let the unwinding
/// put the terminal back (`watch`). Any other panic is reported as usual.
fn quiet_on_closed_stdout() {
    let report = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        let message = info
            .payload()
            .downcast_ref::<String>()
            .map(String::as_str)
            .unwrap_or_default();
        if message.starts_with("failed printing to stdout") {
            engine::signals::stop_running();
        } else {
            report(info);
        }
    }));
}

/// The runner's own folder (`xtask/`): `cargo run` says where the crate is at run time,
/// so a moved checkout still works. For the staff's package it says `xtask/staff`,
/// whose parent is the runner's folder.
pub fn runner_dir() -> PathBuf {
    let Some(dir) = std::env::var_os("CARGO_MANIFEST_DIR").map(PathBuf::from) else {
        return PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    };
    let staff = std::env::var_os("CARGO_PKG_NAME").is_some_and(|name| name == "xtask-staff");
    match dir.parent() {
        Some(parent) if staff => parent.to_path_buf(),
        _ => dir,
    }
}

/// The workspace root: the parent of the runner's folder.
pub fn workspace_root() -> PathBuf {
    let dir = runner_dir();
    dir.parent().map(PathBuf::from).unwrap_or(dir)
}

// Last: the tidy test reads each file up to its first `#[cfg(test)]`.
#[cfg(test)]
mod tidy;
