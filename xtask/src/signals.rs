//! Signals, and the processes the runner starts. A test (and, in `watch`, cargo) runs in a
//! process group of its own, out of reach of the terminal's Ctrl-C, so that the runner
//! can stop it at a time limit; then the runner must also stop it when it is itself
//! stopped (Ctrl-C, a hang-up, a `kill`, stdout closed under `| head`), or a hanging test
//! would outlive it. The handler does that and exits; `watch` defers instead, to put the
//! terminal back first, and then calls `stop_running`.

use std::sync::atomic::{AtomicBool, AtomicI32, Ordering};

/// The groups the runner started that may still run: tests and builds, one each per
/// thread that runs them (`regrade --jobs` grades several students at once).
static GROUPS: [AtomicI32; 32] = [const { AtomicI32::new(0) }; 32];
/// The last signal received, 0 for none.
static RECEIVED: AtomicI32 = AtomicI32::new(0);
static DEFERRED: AtomicBool = AtomicBool::new(false);
/// Set while a child is being started and recorded: a signal then must wait, or the
/// child would start after the handler looked and live on.
static STARTING: AtomicBool = AtomicBool::new(false);

/// Handles SIGHUP, SIGINT, SIGPIPE and SIGTERM for the whole run.
pub fn install() {
    #[cfg(unix)]
    for number in [sys::SIGHUP, sys::SIGINT, sys::SIGPIPE, sys::SIGTERM] {
        // SAFETY: the handler does only async-signal-safe work: atomics, kill, _exit.
        unsafe { sys::signal(number, on_signal as extern "C" fn(i32) as usize) };
    }
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
pub fn start<T>(start: impl FnOnce() -> Result<(T, u32), String>) -> Result<T, String> {
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

/// Kills a process group. Async-signal-safe.
pub fn kill_group(group: i32) {
    #[cfg(unix)]
    // SAFETY: `kill` has no memory-safety preconditions; a negative pid names a group.
    unsafe {
        sys::kill(-group, sys::SIGKILL)
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
        sys::_exit(128 + number)
    }
    #[cfg(not(unix))]
    std::process::exit(128 + number)
}

#[cfg(unix)]
mod sys {
    pub const SIGHUP: i32 = 1;
    pub const SIGINT: i32 = 2;
    pub const SIGKILL: i32 = 9;
    pub const SIGPIPE: i32 = 13;
    pub const SIGTERM: i32 = 15;
    unsafe extern "C" {
        pub fn kill(pid: i32, signal: i32) -> i32;
        pub fn signal(signal: i32, handler: usize) -> usize;
        pub fn _exit(status: i32) -> !;
    }
}
