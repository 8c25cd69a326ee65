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

/// Waits for `child`, which was killed, and returns the CPU time it used (kernel and
/// user, every thread), from `GetProcessTimes`: what tells a test that spun to its time
/// limit from one that sat parked.
#[cfg(windows)]
pub fn reap(child: &mut std::process::Child) -> Option<std::time::Duration> {
    use std::os::windows::io::AsRawHandle;
    #[link(name = "kernel32")]
    unsafe extern "system" {
        fn GetProcessTimes(
            process: *mut std::ffi::c_void,
            creation: *mut [u32; 2],
            exit: *mut [u32; 2],
            kernel: *mut [u32; 2],
            user: *mut [u32; 2],
        ) -> i32;
    }
    let _ = child.wait();
    let mut times = [[0u32; 2]; 4];
    let [creation, exit, kernel, user] = &mut times;
    // SAFETY: the child's handle, open until `child` is dropped; four FILETIMEs to fill.
    let ok = unsafe { GetProcessTimes(child.as_raw_handle(), creation, exit, kernel, user) };
    if ok == 0 {
        return None;
    }
    // FILETIME: 100 ns units, low word first.
    let ticks = |t: &[u32; 2]| u64::from(t[0]) | (u64::from(t[1]) << 32);
    Some(std::time::Duration::from_nanos(
        (ticks(kernel) + ticks(user)).saturating_mul(100),
    ))
}

/// Neither Unix nor Windows: no figure.
#[cfg(not(windows))]
pub fn reap(child: &mut std::process::Child) -> Option<std::time::Duration> {
    let _ = child.wait();
    None
}

/// No exec on Windows: runs `command`, waits for it, and exits with its code.
pub fn replace_process(command: &mut Command) -> std::io::Error {
    match command.status() {
        Ok(status) => std::process::exit(status.code().unwrap_or(1)),
        Err(error) => error,
    }
}
