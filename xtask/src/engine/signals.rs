//! Signals, and the processes the runner starts. A test (and, in `watch`, cargo) runs in a
//! process group of its own, out of reach of the terminal's Ctrl-C, so that the runner
//! can stop it at a time limit; then the runner must also stop it when it is itself
//! stopped (Ctrl-C, a hang-up, a `kill`, stdout closed under `| head`), or a hanging test
//! would outlive it. The handler does that and exits; `watch` defers instead, to put the
//! terminal back first, and then calls `stop_running`.

use crate::util::error::Result;
use std::sync::atomic::{AtomicBool, AtomicI32, AtomicU64, Ordering};
use std::time::Duration;

/// The groups the runner started that may still run: tests and builds, one each per
/// thread that runs them (`regrade --jobs` grades several students at once).
static GROUPS: [AtomicI32; 32] = [const { AtomicI32::new(0) }; 32];
/// The last signal received, 0 for none.
static RECEIVED: AtomicI32 = AtomicI32::new(0);
static DEFERRED: AtomicBool = AtomicBool::new(false);
/// Set while a child is being started and recorded: a signal then must wait, or the
/// child would start after the handler looked and live on.
static STARTING: AtomicBool = AtomicBool::new(false);
/// How long the runner has been stopped (Ctrl-Z) in all, in nanoseconds: time limits do
/// not count it, since the tests were stopped too.
static PAUSED_NANOS: AtomicU64 = AtomicU64::new(0);

/// Handles SIGHUP, SIGINT, SIGPIPE and SIGTERM for the whole run, and Ctrl-Z (SIGTSTP),
/// which stops the tests with the runner and continues them with it.
pub fn install() {
    #[cfg(unix)]
    for number in [libc::SIGHUP, libc::SIGINT, libc::SIGPIPE, libc::SIGTERM] {
        // SAFETY: the handler does only async-signal-safe work: atomics, kill, _exit.
        unsafe {
            libc::signal(
                number,
                on_signal as extern "C" fn(i32) as libc::sighandler_t,
            )
        };
    }
    #[cfg(unix)]
    // SAFETY: the handler does only async-signal-safe work: atomics, kill, clock_gettime.
    unsafe {
        libc::signal(
            libc::SIGTSTP,
            on_stop as extern "C" fn(i32) as libc::sighandler_t,
        )
    };
}

/// The time the runner has spent stopped (Ctrl-Z) so far.
pub fn paused() -> Duration {
    Duration::from_nanos(PAUSED_NANOS.load(Ordering::SeqCst))
}

/// Makes the child die when the runner does, even by `kill -9` (Linux: a parent-death
/// signal; the thread that starts a child outlives it). Elsewhere nothing: a killed
/// runner leaves its test to its own end there.
pub fn die_with_parent(command: &mut std::process::Command) {
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

/// Ctrl-Z: stop every group the runner started, stop the runner, and when the shell
/// continues it (`fg`), continue them, and count the pause out of the time limits.
#[cfg(unix)]
extern "C" fn on_stop(_: i32) {
    let signal_groups = |signal: i32| {
        for slot in &GROUPS {
            let group = slot.load(Ordering::SeqCst);
            if group > 0 {
                // SAFETY: `kill` has no memory-safety preconditions.
                unsafe { libc::kill(-group, signal) };
            }
        }
    };
    signal_groups(libc::SIGSTOP);
    let stopped = monotonic_nanos();
    // SAFETY: as above; SIGSTOP cannot be caught, so this returns once continued.
    unsafe { libc::kill(libc::getpid(), libc::SIGSTOP) };
    PAUSED_NANOS.fetch_add(monotonic_nanos().saturating_sub(stopped), Ordering::SeqCst);
    signal_groups(libc::SIGCONT);
}

#[cfg(unix)]
fn monotonic_nanos() -> u64 {
    let mut now = libc::timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    // SAFETY: `now` is a valid timespec to write to; clock_gettime is async-signal-safe.
    unsafe { libc::clock_gettime(libc::CLOCK_MONOTONIC, &mut now) };
    u64::try_from(now.tv_sec).unwrap_or(0) * 1_000_000_000 + u64::try_from(now.tv_nsec).unwrap_or(0)
}

/// From now on a signal is only recorded (`received`): the caller stops what runs
/// (`stop_running`) and leaves in its own time.
pub fn defer() {
    DEFERRED.store(true, Ordering::SeqCst);
}

pub fn received() -> bool {
    RECEIVED.load(Ordering::SeqCst) != 0
}

/// Starts a child with `start`, which returns it with the id of the group it leads, and
/// records the group. A signal that arrives meanwhile takes effect after.
pub fn start<T>(start: impl FnOnce() -> Result<(T, u32)>) -> Result<T> {
    STARTING.store(true, Ordering::SeqCst);
    let started = start();
    if let Ok((_, group)) = &started {
        let group = i32::try_from(*group).unwrap_or(0);
        // A free entry; with every one taken (more threads than entries) the group is
        // not recorded, and only its own time limit stops it.
        let _ = GROUPS.iter().find(|entry| {
            entry
                .compare_exchange(0, group, Ordering::SeqCst, Ordering::SeqCst)
                .is_ok()
        });
    }
    STARTING.store(false, Ordering::SeqCst);
    let number = RECEIVED.load(Ordering::SeqCst);
    if number != 0 && !DEFERRED.load(Ordering::SeqCst) {
        stop_and_exit(number);
    }
    started.map(|(child, _)| child)
}

/// The group has ended (or was killed).
pub fn forget(group: u32) {
    let group = i32::try_from(group).unwrap_or(0);
    for entry in &GROUPS {
        let _ = entry.compare_exchange(group, 0, Ordering::SeqCst, Ordering::SeqCst);
    }
}

/// Kills every group the runner started that still runs. Async-signal-safe.
pub fn stop_running() {
    for slot in &GROUPS {
        let group = slot.swap(0, Ordering::SeqCst);
        if group > 0 {
            kill_group(group);
        }
    }
}

/// Kills a child and everything it started (a test may spawn cargo, or threads that
/// ignore it ending), so a stopped test or build leaves nothing behind. The child must
/// lead its own process group (`process_group(0)`), or this kills nothing but the child.
pub fn kill_child(child: &mut std::process::Child) {
    kill_group(i32::try_from(child.id()).unwrap_or(0));
    forget(child.id());
    let _ = child.kill();
}

/// Kills one process (one the test started that left its group).
pub fn kill_process(pid: u32) {
    #[cfg(unix)]
    // SAFETY: `kill` has no memory-safety preconditions.
    unsafe {
        libc::kill(i32::try_from(pid).unwrap_or(0), libc::SIGKILL)
    };
    #[cfg(not(unix))]
    let _ = pid;
}

/// Kills a process group. Async-signal-safe.
pub fn kill_group(group: i32) {
    #[cfg(unix)]
    // SAFETY: `kill` has no memory-safety preconditions; a negative pid names a group.
    unsafe {
        libc::kill(-group, libc::SIGKILL)
    };
    #[cfg(not(unix))]
    let _ = group;
}

extern "C" fn on_signal(number: i32) {
    RECEIVED.store(number, Ordering::SeqCst);
    if !DEFERRED.load(Ordering::SeqCst) && !STARTING.load(Ordering::SeqCst) {
        stop_and_exit(number);
    }
}

fn stop_and_exit(number: i32) -> ! {
    stop_running();
    #[cfg(unix)]
    // SAFETY: `_exit` is async-signal-safe; nothing is left to flush that matters.
    unsafe {
        libc::_exit(128 + number)
    }
    #[cfg(not(unix))]
    std::process::exit(128 + number)
}
