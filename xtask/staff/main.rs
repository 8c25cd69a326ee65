//! `xtask-staff`: the commands of the course's staff, `grade | regrade | gradebook |
//! export` for instructors and `verify | new | manifest` for authors and CI. `cargo
//! xtask` hands them here, so a learner never compiles them.
//!
//! The same layers as the runner's library (`xtask`), for what only the staff needs:
//! `grading` (which tests earn points, workflows, the scan of learner code, hidden
//! tests, reports, templates), `engine` (wrong answers; never prints) and `cmd`, one
//! file per command.

mod cmd;
mod engine;
mod grading;

use std::path::PathBuf;
use std::process::ExitCode;

use xtask::course::Course;
use xtask::flags::{self, Command};
use xtask::util::error::Error;

fn main() -> ExitCode {
    // Cargo runs this binary in rustc's place when the learner's is not built.
    if let Some(code) = xtask::serve_as_compiler() {
        return code;
    }
    // Grading starts each test through this binary, which confines it (grading/confine.rs).
    if let Some(code) = grading::confine::serve() {
        return code;
    }
    xtask::engine::platform::reopen_closed_standard_streams();
    let flags = match flags::parse(std::env::args(), std::env::var("AWAITLINGS_TIMEOUT").ok()) {
        Ok(flags) => flags,
        Err(error) => return xtask::usage_error(&error),
    };
    xtask::start();
    let result = Course::load(&xtask::workspace_root()).and_then(|course| {
        xtask::engine::lints::enable(&course, &xtask::engine::compile::target_dir(&course.root))?;
        Ok((course, flags))
    });
    let result = result.and_then(|(course, flags)| match flags.command {
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
        Command::NewFixture { kata, name, from } => {
            cmd::fixture::fixture(&course, &kata, &name, from.as_deref())
        }
        Command::Manifest => grading::generated::write(&course),
        Command::Help { command } => {
            println!("{}", flags::usage(command.as_deref()));
            Ok(ExitCode::SUCCESS)
        }
        _ => Err(Error::new(
            "that is a learner's command, which `cargo xtask` runs itself",
        )),
    });
    xtask::finish(result)
}
