//! The awaitlings runner: `cargo xtask next | watch | check | list | hint | solution |
//! reset | grade | regrade | gradebook | export | verify | new | manifest`.
//!
//! In layers, each a folder: `util` (no knowledge of the course), `course` (the course
//! model), `engine` (builds, test processes, signals; never prints), `view` (what the
//! learner sees), `grading`, and `cmd`, one file per command. A command may use anything;
//! nothing uses a command; `tidy` (a test) keeps it so, and keeps imports free of cycles.
//! Every layer fails with `util::error::Error`, whose message is what the learner reads.
//! What differs by platform has one file per platform: `engine/platform` (processes and
//! signals), `util/terminal` (watch's keys), `util/file_events` (watch's file events).

mod cmd;
mod course;
mod engine;
mod flags;
mod grading;
mod util;
mod view;

#[cfg(test)]
mod tidy;

use std::path::PathBuf;
use std::process::ExitCode;

use course::Course;
use flags::Command;

fn main() -> ExitCode {
    engine::platform::reopen_closed_standard_streams();
    util::ui::init();
    engine::signals::install();
    engine::observe::install(&view::building::Terminal);
    quiet_on_closed_stdout();
    let flags = match flags::parse(std::env::args(), std::env::var("AWAITLINGS_TIMEOUT").ok()) {
        Ok(flags) => flags,
        Err(error) => {
            eprintln!("error: {error}\n\n{}", flags::usage(None));
            return ExitCode::from(2);
        }
    };
    let result = Course::load(&workspace_root()).and_then(|course| match flags.command {
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
        Command::Grade {
            katas,
            format,
            output,
            tampered,
        } => cmd::grade::grade(
            &course,
            &katas,
            format,
            output.as_deref(),
            tampered.as_deref(),
            flags.timeout,
        ),
        Command::Regrade {
            students,
            gradebook,
            jobs,
            shard,
            hidden,
        } => cmd::regrade::regrade(
            &course,
            &students,
            &cmd::regrade::Options {
                gradebook: gradebook.unwrap_or_else(|| PathBuf::from("gradebook.csv")),
                jobs,
                shard,
                hidden,
            },
            flags.timeout,
        ),
        Command::GradebookMerge { files, output } => cmd::regrade::merge(&files, &output),
        Command::Export {
            student,
            modules,
            hidden,
        } => cmd::export::export(&course, &student, &modules, hidden.as_deref()),
        Command::Verify { katas } => cmd::verify::verify(&course, &katas, flags.timeout),
        Command::New { kata, renumber } => cmd::new::new(&course, &kata, renumber),
        Command::Manifest => grading::generated::write(&course),
        Command::Help { command } => {
            println!("{}", flags::usage(command.as_deref()));
            Ok(ExitCode::SUCCESS)
        }
    });
    result.unwrap_or_else(|error| {
        eprintln!("{} {error}", util::ui::red("error:"));
        ExitCode::from(2)
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

/// The workspace root: the parent of this crate. `cargo run` tells us where the crate
/// is at run time, so a moved checkout still works.
fn workspace_root() -> PathBuf {
    let manifest_dir = std::env::var_os("CARGO_MANIFEST_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")));
    manifest_dir
        .parent()
        .map(PathBuf::from)
        .unwrap_or(manifest_dir)
}
