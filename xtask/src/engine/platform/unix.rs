//! Unix: process groups, signals, and on Linux a parent-death signal and `/proc`.

use std::process::Command;

/// The signal handlers are async-signal-safe functions of the runner's: `on_signal` for
/// SIGHUP, SIGINT, SIGPIPE and SIGTERM, `on_stop` for Ctrl-Z (SIGTSTP).
pub fn install_handlers(on_signal: extern "C" fn(i32), on_stop: extern "C" fn(i32)) {
    for number in [libc::SIGHUP, libc::SIGINT, libc::SIGPIPE, libc::SIGTERM] {
        // SAFETY: the handler does only async-signal-safe work (the caller's promise).
        unsafe { libc::signal(number, on_signal as libc::sighandler_t) };
    }
    // SAFETY: as above.
    unsafe { libc::signal(libc::SIGTSTP, on_stop as libc::sighandler_t) };
}

/// Makes `command`'s child lead a process group of its own, out of reach of the
/// terminal's Ctrl-C, so that the runner stops it and all it started at once.
pub fn own_group(command: &mut Command) {
    std::os::unix::process::CommandExt::process_group(command, 0);
}

/// Makes the child die when the runner does, even by `kill -9` (Linux: a parent-death
/// signal; the thread that starts a child outlives it). Other Unixes: nothing, a killed
/// runner leaves its test to its own end there.
pub fn die_with_parent(command: &mut Command) {
    #[cfg(target_os = "linux")]
    {
        use std::os::unix::process::CommandExt;
        // SAFETY: prctl is async-signal-safe, and the closure touches no memory.
        unsafe {
            command.pre_exec(|| {
                libc::prctl(libc::PR_SET_PDEATHSIG, libc::SIGKILL);
                Ok(())
            });
        }
    }
    #[cfg(not(target_os = "linux"))]
    let _ = command;
}

/// Kills a process group (its id is its leader's). Async-signal-safe.
pub fn kill_group(group: i32) {
    // SAFETY: `kill` has no memory-safety preconditions; a negative pid names a group.
    unsafe { libc::kill(-group, libc::SIGKILL) };
}

/// Ctrl-Z for a group: stops it (`pause`) or continues it. Async-signal-safe.
pub fn pause_group(group: i32, pause: bool) {
    let signal = if pause { libc::SIGSTOP } else { libc::SIGCONT };
    // SAFETY: as in `kill_group`.
    unsafe { libc::kill(-group, signal) };
}

/// Stops the runner itself until the shell continues it (`fg`). Async-signal-safe.
pub fn pause_self() {
    // SAFETY: as in `kill_group`; SIGSTOP cannot be caught, so this returns once continued.
    unsafe { libc::kill(libc::getpid(), libc::SIGSTOP) };
}

/// A monotonic clock readable in a signal handler (`Instant::now` is not promised to be).
pub fn monotonic_nanos() -> u64 {
    let mut now = libc::timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    // SAFETY: `now` is a valid timespec to write to; clock_gettime is async-signal-safe.
    unsafe { libc::clock_gettime(libc::CLOCK_MONOTONIC, &mut now) };
    u64::try_from(now.tv_sec).unwrap_or(0) * 1_000_000_000 + u64::try_from(now.tv_nsec).unwrap_or(0)
}

/// Leaves at once, from a signal handler: `_exit` is async-signal-safe, `exit` is not.
pub fn exit_now(code: i32) -> ! {
    // SAFETY: `_exit` has no preconditions; nothing is left to flush that matters.
    unsafe { libc::_exit(code) }
}

/// A runner started with stdout (or another standard stream) closed would hand that
/// number to the next file it opens, a test's output pipe, and lose the test's verdict:
/// /dev/null stands in for each closed one.
pub fn reopen_closed_standard_streams() {
    for fd in 0..=2 {
        // SAFETY: fcntl and open have no memory-safety preconditions; the path is a
        // NUL-terminated literal.
        unsafe {
            if libc::fcntl(fd, libc::F_GETFD) == -1 {
                libc::open(c"/dev/null".as_ptr(), libc::O_RDWR);
            }
        }
    }
}

/// The output pipe, as the processes that hold it are found: its inode (Linux).
#[cfg(target_os = "linux")]
pub type Pipe = Option<u64>;
/// Nothing to find it by: other Unixes have no `/proc`.
#[cfg(not(target_os = "linux"))]
pub struct Pipe;

#[cfg(target_os = "linux")]
pub fn pipe_of(reader: &std::io::PipeReader) -> Pipe {
    use std::os::fd::AsRawFd;
    use std::os::unix::fs::MetadataExt;
    std::fs::metadata(format!("/proc/self/fd/{}", reader.as_raw_fd()))
        .ok()
        .map(|m| m.ino())
}

#[cfg(not(target_os = "linux"))]
pub fn pipe_of(_: &std::io::PipeReader) -> Pipe {
    Pipe
}

/// Kills every process that holds the output pipe (a process the test started that left
/// its group, and so outlived the group kill); returns how many. Linux only: other
/// Unixes have no `/proc` to ask.
#[cfg(target_os = "linux")]
pub fn kill_pipe_holders(pipe: &Pipe) -> usize {
    let Some(inode) = pipe else { return 0 };
    let needle = format!("pipe:[{inode}]");
    let me = std::process::id();
    let mut killed = 0;
    for entry in std::fs::read_dir("/proc").into_iter().flatten().flatten() {
        let Some(pid) = entry
            .file_name()
            .to_str()
            .and_then(|n| n.parse::<i32>().ok())
        else {
            continue;
        };
        if u32::try_from(pid) == Ok(me) {
            continue;
        }
        let holds = std::fs::read_dir(entry.path().join("fd"))
            .into_iter()
            .flatten()
            .flatten()
            .any(|fd| {
                std::fs::read_link(fd.path()).is_ok_and(|l| l.as_os_str() == needle.as_str())
            });
        if holds {
            // SAFETY: `kill` has no memory-safety preconditions.
            unsafe { libc::kill(pid, libc::SIGKILL) };
            killed += 1;
        }
    }
    killed
}

#[cfg(not(target_os = "linux"))]
pub fn kill_pipe_holders(_: &Pipe) -> usize {
    0
}

/// Runs `command` in this process's place (exec): it has the terminal, the signals and
/// the exit code as if it had been started itself. Returns only when it cannot start.
pub fn replace_process(command: &mut Command) -> std::io::Error {
    use std::os::unix::process::CommandExt;
    command.exec()
}
