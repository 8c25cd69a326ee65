//! Windows (and any platform without Unix signals): the honest fallback. A child is
//! killed alone (`Child::kill`), so what a test or build started may outlive it; the
//! runner's Ctrl-C and closing the console are the system's defaults, which end the
//! children attached to the console with it; Ctrl-Z pauses nothing; and a process that
//! holds a test's output open is waited for, not found.

use std::process::Command;

pub fn install_handlers(_on_signal: extern "C" fn(i32), _on_stop: extern "C" fn(i32)) {}

/// No process groups: the child is the only thing `kill_child` stops.
pub fn own_group(_: &mut Command) {}

pub fn die_with_parent(_: &mut Command) {}

pub fn kill_group(_: i32) {}

pub fn pause_group(_: i32, _pause: bool) {}

pub fn pause_self() {}

pub fn monotonic_nanos() -> u64 {
    0
}

pub fn exit_now(code: i32) -> ! {
    std::process::exit(code)
}

/// Windows gives a process without a console handle no numbers to reuse.
pub fn reopen_closed_standard_streams() {}

/// Nothing to find the pipe's holders by.
pub struct Pipe;

pub fn pipe_of(_: &std::io::PipeReader) -> Pipe {
    Pipe
}

pub fn kill_pipe_holders(_: &Pipe) -> Vec<i32> {
    Vec::new()
}

/// Nothing to find a test's processes by: one that outlived it runs on.
pub fn kill_marked(_marker: &str, _group: u32) -> Vec<i32> {
    Vec::new()
}

/// No exec on Windows: runs `command`, waits for it, and exits with its code.
pub fn replace_process(command: &mut Command) -> std::io::Error {
    match command.status() {
        Ok(status) => std::process::exit(status.code().unwrap_or(1)),
        Err(error) => error,
    }
}
