//! `cargo xtask`: the learner's commands (`next | watch | check | list | hint | solution
//! | reset`); the staff's (`grade | regrade | gradebook | export | verify | new |
//! manifest`) are handed to the `xtask-staff` binary, built the first time one is run.

// The commands are this binary's own: nothing in the library (or the staff's package)
// can use one. They name the library's layers as `crate::course`, … (the imports below).
mod cmd;

use std::process::{Command as Process, ExitCode};

use xtask::{course, engine, flags, util, view};

use course::Course;
use engine::platform;
use flags::Command;
use util::error::Error;

fn main() -> ExitCode {
    // Cargo runs this binary in rustc's place for the course's crates (engine::lints).
    if let Some(code) = xtask::serve_as_compiler() {
        return code;
    }
    platform::reopen_closed_standard_streams();
    let flags = match flags::parse(std::env::args(), std::env::var("AWAITLINGS_TIMEOUT").ok()) {
        Ok(flags) => flags,
        Err(error) => return xtask::usage_error(&error),
    };
    if flags.command.is_staff() {
        return xtask::finish(hand_over());
    }
    xtask::start();
    let result = Course::load(&xtask::workspace_root()).and_then(|course| {
        xtask::engine::lints::enable(&course, &xtask::engine::compile::target_dir(&course.root))?;
        Ok((course, flags))
    });
    let result = result.and_then(|(course, flags)| match flags.command {
        Command::Next { kata } => cmd::next::next(&course, kata.as_deref(), flags.timeout),
        Command::Check {
            kata,
            reference: true,
            ..
        } => cmd::check::references(&course, kata.as_deref()),
        Command::Check {
            kata,
            solution,
            reference: false,
            timeline,
        } => cmd::check::check(&course, kata.as_deref(), solution, timeline, flags.timeout),
        Command::List => cmd::list::list(&course, flags.timeout),
        Command::Hint { kata } => cmd::hint::hint(&course, kata.as_deref()),
        Command::Watch { kata } => cmd::watch::watch(&course, kata.as_deref(), flags.timeout),
        Command::Solution { kata, force } => {
            cmd::solution::solution(&course, kata.as_deref(), force, flags.timeout)
        }
        Command::Reset { katas, all, yes } => cmd::reset::reset(&course, &katas, all, yes),
        Command::Help { command } => {
            println!("{}", flags::usage(command.as_deref()));
            Ok(ExitCode::SUCCESS)
        }
        staff => unreachable!("{staff:?} was handed over"),
    });
    xtask::finish(result)
}

/// Runs `xtask-staff` with this command line, through cargo (which builds it when it
/// is missing or stale), in this process's place. Its package's own manifest path, not
/// `-p`, so it builds from whatever folder the learner is in, and only its package's
/// dependencies (a learner's first build never compiles them).
fn hand_over() -> xtask::util::error::Result<ExitCode> {
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let mut process = Process::new(&cargo);
    process
        .args(["run", "--quiet", "--manifest-path"])
        .arg(xtask::runner_dir().join("staff/Cargo.toml"))
        .arg("--")
        .args(std::env::args_os().skip(1));
    let error = platform::replace_process(&mut process);
    Err(Error::with_source(
        "cannot start cargo to run `xtask-staff`",
        error,
    ))
}
