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
/// its group, and so outlived the group kill); returns their pids. Linux only: other
/// Unixes have no `/proc` to ask.
#[cfg(target_os = "linux")]
pub fn kill_pipe_holders(pipe: &Pipe) -> Vec<i32> {
    let Some(inode) = pipe else {
        return Vec::new();
    };
    let needle = format!("pipe:[{inode}]");
    let holds = |pid: i32| {
        std::fs::read_dir(format!("/proc/{pid}/fd"))
            .into_iter()
            .flatten()
            .flatten()
            .any(|fd| std::fs::read_link(fd.path()).is_ok_and(|l| l.as_os_str() == needle.as_str()))
    };
    pids().filter(|&pid| kill_if(pid, holds)).collect()
}

#[cfg(not(target_os = "linux"))]
pub fn kill_pipe_holders(_: &Pipe) -> Vec<i32> {
    Vec::new()
}

/// Kills every process whose environment holds `marker`, the `NAME=value` entry the test
/// `group` (its leader's pid) was started with, that is not in that group (the group
/// kill took those): a process the test started that left its group and holds no pipe
/// (`setsid` with its output elsewhere, a double fork). It inherited the entry, unless
/// it cleared its environment; then it is not found. Returns their pids. Linux only.
///
/// Cost: only pids allocated since the test's are read (what the test started came
/// after it; pids are handed out in turn, wrapping at `pid_max`), so a scan reads
/// `/proc` itself and the few processes started meanwhile, not every process of the
/// user. A test that starts more than `pid_max` processes can hide one from this.
#[cfg(target_os = "linux")]
pub fn kill_marked(marker: &str, group: u32) -> Vec<i32> {
    let Ok(group) = i32::try_from(group) else {
        return Vec::new();
    };
    let marked = |pid: i32| {
        // SAFETY: `getpgid` has no memory-safety preconditions.
        let outside = unsafe { libc::getpgid(pid) } != group;
        outside
            && std::fs::read(format!("/proc/{pid}/environ")).is_ok_and(|environ| {
                environ
                    .split(|&b| b == 0)
                    .any(|entry| entry == marker.as_bytes())
            })
    };
    let mut killed: Vec<i32> = Vec::new();
    // One it started while a scan ran may be passed over; a killed process starts no
    // more (fork fails with SIGKILL pending): scan again until a scan finds no one new.
    // Bounded, against a fork bomb.
    for _ in 0..8 {
        let last = last_pid();
        let window = |pid: i32| match last {
            Some(last) if group <= last => (group..=last).contains(&pid),
            Some(last) => pid >= group || pid <= last, // wrapped at `pid_max`
            None => true,
        };
        let found: Vec<i32> = pids()
            .filter(|&pid| window(pid) && !killed.contains(&pid) && kill_if(pid, marked))
            .collect();
        if found.is_empty() {
            break;
        }
        killed.extend(found);
    }
    killed
}

#[cfg(not(target_os = "linux"))]
pub fn kill_marked(_marker: &str, _group: u32) -> Vec<i32> {
    Vec::new()
}

/// The processes `/proc` lists, the runner's own left out.
#[cfg(target_os = "linux")]
fn pids() -> impl Iterator<Item = i32> {
    let me = std::process::id();
    std::fs::read_dir("/proc")
        .into_iter()
        .flatten()
        .flatten()
        .filter_map(|entry| entry.file_name().to_str()?.parse::<i32>().ok())
        .filter(move |&pid| u32::try_from(pid) != Ok(me))
}

/// The pid the system handed out last (`/proc/loadavg`'s last field, for the runner's
/// pid namespace).
#[cfg(target_os = "linux")]
fn last_pid() -> Option<i32> {
    let loadavg = std::fs::read_to_string("/proc/loadavg").ok()?;
    loadavg.split_whitespace().nth(4)?.parse().ok()
}

/// Kills `pid` if `test` holds for it; whether it did. A pidfd holds the process from
/// before the test to the kill, so that a pid freed and reused meanwhile is never
/// killed by mistake (where there are no pidfds, before Linux 5.3 or under a seccomp
/// filter that forbids them: a plain `kill`, pids being reused only after `pid_max`).
#[cfg(target_os = "linux")]
fn kill_if(pid: i32, test: impl Fn(i32) -> bool) -> bool {
    use std::os::fd::{AsRawFd, FromRawFd, OwnedFd};
    // SAFETY: pidfd_open takes a pid and flags, and returns a new descriptor or -1.
    let fd = unsafe { libc::syscall(libc::SYS_pidfd_open, pid, 0) };
    let pidfd = match i32::try_from(fd) {
        // SAFETY: a descriptor just opened, owned by nothing else.
        Ok(fd) if fd >= 0 => Some(unsafe { OwnedFd::from_raw_fd(fd) }),
        _ if std::io::Error::last_os_error().raw_os_error() == Some(libc::ESRCH) => {
            return false;
        }
        _ => None,
    };
    if !test(pid) {
        return false;
    }
    match pidfd {
        // SAFETY: a pidfd of ours; the info may be null.
        Some(fd) => unsafe {
            libc::syscall(
                libc::SYS_pidfd_send_signal,
                fd.as_raw_fd(),
                libc::SIGKILL,
                std::ptr::null::<libc::siginfo_t>(),
                0,
            );
        },
        // SAFETY: `kill` has no memory-safety preconditions.
        None => unsafe {
            libc::kill(pid, libc::SIGKILL);
        },
    }
    true
}

/// Waits for `child`, which was killed, and returns the CPU time it used (user and
/// system, every thread; `None` if the system does not say): what tells a test that
/// spun to its time limit from one that sat parked. `wait4` reaps it, so `child` must not
/// be waited for again.
pub fn reap(child: &mut std::process::Child) -> Option<std::time::Duration> {
    let pid = libc::pid_t::try_from(child.id()).ok()?;
    let mut status = 0;
    // SAFETY: `rusage` is plain data the call fills in.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    loop {
        // SAFETY: valid pointers to our own `status` and `usage`.
        let reaped = unsafe { libc::wait4(pid, &mut status, 0, &mut usage) };
        if reaped == pid {
            break;
        }
        if reaped < 0 && std::io::Error::last_os_error().kind() == std::io::ErrorKind::Interrupted {
            continue;
        }
        // Reaped already (or not ours): wait as usual, with no figure.
        let _ = child.wait();
        return None;
    }
    let time = |t: libc::timeval| {
        std::time::Duration::from_secs(u64::try_from(t.tv_sec).unwrap_or(0))
            + std::time::Duration::from_micros(u64::try_from(t.tv_usec).unwrap_or(0))
    };
    Some(time(usage.ru_utime) + time(usage.ru_stime))
}

/// Runs `command` in this process's place (exec): it has the terminal, the signals and
/// the exit code as if it had been started itself. Returns only when it cannot start.
pub fn replace_process(command: &mut Command) -> std::io::Error {
    use std::os::unix::process::CommandExt;
    command.exec()
}

#[cfg(test)]
#[cfg(target_os = "linux")]
mod tests {
    use super::*;
    use std::os::unix::process::CommandExt;
    use std::process::{Child, Stdio};
    use std::time::{Duration, Instant};

    fn sleeper(seconds: &str, env: Option<(&str, &str)>) -> Child {
        let mut command = Command::new("sleep");
        command.arg(seconds).stdin(Stdio::null()).process_group(0);
        match env {
            Some((name, value)) => command.env(name, value),
            None => command.env_clear(),
        };
        command.spawn().unwrap()
    }

    /// Waits until `child` runs `sleep`: its environment is then the one it was given.
    fn exec_done(child: &Child) {
        while std::fs::read(format!("/proc/{}/comm", child.id())).unwrap_or_default() != b"sleep\n"
        {
            std::thread::sleep(Duration::from_millis(1));
        }
    }

    #[test]
    fn only_what_holds_the_whole_marker_is_killed() {
        let name = "AWAITLINGS_TEST_RUN_PROBE";
        let value = format!("{}-7-1", std::process::id());
        let mut marked = sleeper("631", Some((name, &value)));
        // A longer value with the marker's as a prefix, and a cleared environment.
        let mut longer = sleeper("632", Some((name, &format!("{value}0"))));
        let mut cleared = sleeper("633", None);
        for child in [&marked, &longer, &cleared] {
            exec_done(child);
        }
        // This process is the stand-in test: in the window, but not marked, and skipped.
        let killed = kill_marked(&format!("{name}={value}"), std::process::id());
        assert_eq!(killed, [i32::try_from(marked.id()).unwrap()]);
        assert!(
            marked.wait().unwrap().code().is_none(),
            "killed by a signal"
        );
        for child in [&mut longer, &mut cleared] {
            assert!(child.try_wait().unwrap().is_none(), "left alone");
            child.kill().unwrap();
            child.wait().unwrap();
        }
    }

    #[test]
    fn a_member_of_the_group_is_left_to_the_group_kill() {
        let name = "AWAITLINGS_TEST_RUN_PROBE";
        let value = format!("{}-8-1", std::process::id());
        let mut member = sleeper("634", Some((name, &value)));
        exec_done(&member);
        // It leads its own group: as the test itself would, it is the group.
        assert!(kill_marked(&format!("{name}={value}"), member.id()).is_empty());
        member.kill().unwrap();
        member.wait().unwrap();
    }

    /// The scan's cost, on a system with `AWAITLINGS_BENCH_PROCESSES` (300) more
    /// processes of this user than it has: `cargo test --manifest-path xtask/Cargo.toml
    /// --release --lib scan_cost -- --ignored --nocapture`.
    #[test]
    #[ignore = "a measurement, not a check"]
    #[allow(
        clippy::print_stderr,
        reason = "the measurement is what the test reports"
    )]
    fn scan_cost() {
        let extra: usize = std::env::var("AWAITLINGS_BENCH_PROCESSES")
            .ok()
            .and_then(|n| n.parse().ok())
            .unwrap_or(300);
        let mut crowd: Vec<Child> = (0..extra)
            .map(|_| sleeper("600", Some(("X", "1"))))
            .collect();
        crowd.iter().for_each(exec_done);
        // A test started after the crowd, and ended.
        let mut test = Command::new("true").spawn().unwrap();
        let group = test.id();
        test.wait().unwrap();
        let entries = pids().count();
        let marker = "AWAITLINGS_TEST_RUN=no-such-run";
        let time = |group: u32| {
            let started = Instant::now();
            for _ in 0..200 {
                assert!(kill_marked(marker, group).is_empty());
            }
            started.elapsed() / 200
        };
        let windowed = time(group);
        let every = time(1);
        eprintln!(
            "{entries} /proc entries: {windowed:?} a scan from the test's pid, \
             {every:?} a scan of every process"
        );
        for child in &mut crowd {
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}
