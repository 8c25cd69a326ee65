//! Signals, and the processes the runner starts. A test (and, in `watch`, cargo) runs in a
//! process group of its own, out of reach of the terminal's Ctrl-C, so that the runner
//! can stop it at a time limit; then the runner must also stop it when it is itself
//! stopped (Ctrl-C, a hang-up, a `kill`, stdout closed under `| head`), or a hanging test
//! would outlive it. The handler does that and exits; `watch` defers instead, to put the
//! terminal back first, and then calls `stop_running`. What each platform can do of
//! this is in `platform` (Windows: the child alone is killed, no handlers).

use std::sync::atomic::{AtomicBool, AtomicI32, AtomicU64, Ordering};
use std::time::Duration;

use crate::engine::platform;
use crate::util::error::Result;

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
/// which stops the tests with the runner and continues them with it (Unix).
pub fn install() {
    platform::install_handlers(on_signal, on_stop);
}

/// The time the runner has spent stopped (Ctrl-Z) so far.
pub fn paused() -> Duration {
    Duration::from_nanos(PAUSED_NANOS.load(Ordering::SeqCst))
}

/// Readies `command` to start a child the runner can stop whole: in a process group of
/// its own, and dying with the runner, where the platform has those (`platform`).
pub fn own_group(command: &mut std::process::Command) {
    platform::own_group(command);
    platform::die_with_parent(command);
}

/// Ctrl-Z: stop every group the runner started, stop the runner, and when the shell
/// continues it (`fg`), continue them, and count the pause out of the time limits.
extern "C" fn on_stop(_: i32) {
    let pause_groups = |pause: bool| {
        for slot in &GROUPS {
            let group = slot.load(Ordering::SeqCst);
            if group > 0 {
                platform::pause_group(group, pause);
            }
        }
    };
    pause_groups(true);
    let stopped = platform::monotonic_nanos();
    platform::pause_self();
    PAUSED_NANOS.fetch_add(
        platform::monotonic_nanos().saturating_sub(stopped),
        Ordering::SeqCst,
    );
    pause_groups(false);
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
/// lead its own process group (`own_group`), or this kills nothing but the child.
pub fn kill_child(child: &mut std::process::Child) {
    kill_group(i32::try_from(child.id()).unwrap_or(0));
    forget(child.id());
    let _ = child.kill();
}

/// Kills a process group. Async-signal-safe.
pub fn kill_group(group: i32) {
    platform::kill_group(group);
}

extern "C" fn on_signal(number: i32) {
    RECEIVED.store(number, Ordering::SeqCst);
    if !DEFERRED.load(Ordering::SeqCst) && !STARTING.load(Ordering::SeqCst) {
        stop_and_exit(number);
    }
}

fn stop_and_exit(number: i32) -> ! {
    stop_running();
    platform::exit_now(128 + number)
}
