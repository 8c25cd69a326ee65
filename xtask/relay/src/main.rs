//! `cargo xtask` from a folder below the course's root (a kata's, say). The runner is a
//! workspace of its own, reached from the root by `--manifest-path xtask/Cargo.toml`, a
//! path cargo reads from the current folder (an alias cannot name it otherwise:
//! rust-lang/cargo#15083). Below the root, the subfolders' `.cargo/config.toml` runs this
//! relay instead, a member of the course's workspace, and it starts the runner by its
//! full path, in this folder, with the same command line.
//!
//! Through the course's workspace, so a kata folder cargo cannot load stops the relay
//! with cargo's own error; from the course's root the runner starts anyway.

use std::path::Path;
use std::process::{Command, ExitCode};

fn main() -> ExitCode {
    // `cargo run` says where this crate is at run time: a moved checkout still works.
    let here = std::env::var_os("CARGO_MANIFEST_DIR")
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|| env!("CARGO_MANIFEST_DIR").into());
    let runner = here.parent().unwrap_or(Path::new("..")).join("Cargo.toml");
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let mut command = Command::new(cargo);
    command
        .args(["run", "--quiet", "--manifest-path"])
        .arg(&runner)
        .arg("--")
        .args(std::env::args_os().skip(1))
        // The runner finds the course by its own crate's folder, which cargo sets anew.
        .env_remove("CARGO_MANIFEST_DIR");
    match run(&mut command) {
        Ok(code) => code,
        Err(error) => {
            eprintln!("error: cannot start cargo to run the course's runner: {error}");
            ExitCode::from(2)
        }
    }
}

/// In this process's place on Unix (the runner gets the terminal and the signals as if
/// started itself); elsewhere as a child, its exit code passed on.
#[cfg(unix)]
fn run(command: &mut Command) -> std::io::Result<ExitCode> {
    use std::os::unix::process::CommandExt;
    Err(command.exec())
}

#[cfg(not(unix))]
fn run(command: &mut Command) -> std::io::Result<ExitCode> {
    let status = command.status()?;
    let code = status.code().and_then(|code| u8::try_from(code).ok());
    Ok(ExitCode::from(code.unwrap_or(1)))
}
