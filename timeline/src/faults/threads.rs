//! Whether a thread is asleep, as an event a test can wait for.
//!
//! Some promises are about a thread that must *not* run: `block_on` parks while its
//! future waits, a second thread blocks on a lock someone holds. A test that gives such
//! a thread "enough" turns of the CPU (`yield_now` in a loop, a real sleep) gets a
//! verdict that depends on the machine's load. Instead, wait for an event: the thread
//! under test either does the thing it must not do (a counter moves: the test's own
//! check) or falls asleep, which the kernel reports (on Linux, `/proc`'s state `S` or
//! `D`: parked, blocked on a futex or a lock, sleeping).
//!
//! Elsewhere there is no such report: [`Sleeper::wait`] then waits a fixed
//! [`FALLBACK`] of real time. The verdict for correct code never depends on it (a
//! correct thread does nothing wrong however long the test waits); only how surely a
//! wrong answer is caught does, and the course's graders run on Linux.

use std::thread;
use std::time::{Duration, Instant};

/// How long [`Sleeper::wait`] waits where the kernel cannot tell that a thread sleeps.
pub const FALLBACK: Duration = Duration::from_millis(20);

/// A thread whose sleep a test can wait for. Make it on that thread with
/// [`Sleeper::current`], send it to the watching thread.
#[derive(Clone, Debug)]
pub struct Sleeper {
    /// `/proc/<pid>/task/<tid>/stat`, where the kernel says whether the thread sleeps.
    stat: Option<String>,
}

/// What [`Sleeper::wait`] saw first.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Seen {
    /// The event the test was watching for happened.
    Event,
    /// The thread was asleep (or, without the kernel's report, [`FALLBACK`] passed).
    Asleep,
}

impl Sleeper {
    /// The calling thread.
    pub fn current() -> Self {
        let stat = std::fs::read_link("/proc/thread-self")
            .ok()
            .map(|task| format!("/proc/{}/stat", task.display()));
        Sleeper { stat }
    }

    /// `Some(true)` if the thread is asleep now, `None` where the kernel does not say
    /// (not Linux, or the thread has ended).
    pub fn is_asleep(&self) -> Option<bool> {
        let stat = std::fs::read_to_string(self.stat.as_ref()?).ok()?;
        // "tid (name) S ...": the state follows the last ')', as the name may hold one.
        let state = stat.rsplit_once(')')?.1.trim_start().chars().next()?;
        Some(matches!(state, 'S' | 'D'))
    }

    /// Waits until `event()` is true or the thread is asleep, whichever it sees first;
    /// `event` is checked first each time, so an event that comes with the sleep wins.
    pub fn wait(&self, mut event: impl FnMut() -> bool) -> Seen {
        let start = Instant::now();
        loop {
            if event() {
                return Seen::Event;
            }
            match self.is_asleep() {
                Some(true) => return Seen::Asleep,
                Some(false) => {}
                None if start.elapsed() >= FALLBACK => return Seen::Asleep,
                None => {}
            }
            thread::sleep(Duration::from_micros(50));
        }
    }
}

#[cfg(test)]
mod tests {
    use std::sync::atomic::{AtomicBool, Ordering};
    use std::sync::{Arc, Mutex, mpsc};

    use super::*;

    #[test]
    fn a_parked_thread_is_seen_asleep() {
        let (tx, rx) = mpsc::channel();
        let parked = thread::spawn(move || {
            tx.send(Sleeper::current()).unwrap();
            thread::park();
        });
        let sleeper = rx.recv().unwrap();
        assert_eq!(sleeper.wait(|| false), Seen::Asleep);
        parked.thread().unpark();
        parked.join().unwrap();
    }

    #[test]
    fn a_thread_blocked_on_a_lock_is_seen_asleep() {
        let lock = Arc::new(Mutex::new(()));
        let held = lock.lock().unwrap();
        let (tx, rx) = mpsc::channel();
        let done = Arc::new(AtomicBool::new(false));
        let blocked = {
            let (lock, done) = (lock.clone(), done.clone());
            thread::spawn(move || {
                tx.send(Sleeper::current()).unwrap();
                drop(lock.lock().unwrap());
                done.store(true, Ordering::SeqCst);
            })
        };
        let sleeper = rx.recv().unwrap();
        assert_eq!(sleeper.wait(|| done.load(Ordering::SeqCst)), Seen::Asleep);
        drop(held);
        blocked.join().unwrap();
        assert!(done.load(Ordering::SeqCst));
    }

    #[test]
    fn an_event_is_seen_before_a_busy_thread_sleeps() {
        let (tx, rx) = mpsc::channel();
        let stop = Arc::new(AtomicBool::new(false));
        let busy = {
            let stop = stop.clone();
            thread::spawn(move || {
                tx.send(Sleeper::current()).unwrap();
                while !stop.load(Ordering::SeqCst) {
                    std::hint::spin_loop();
                }
            })
        };
        let sleeper = rx.recv().unwrap();
        let mut checks = 0;
        // The busy thread never sleeps: only the event ends the wait.
        let seen = sleeper.wait(|| {
            checks += 1;
            checks == 20
        });
        if sleeper.is_asleep().is_some() {
            assert_eq!(seen, Seen::Event);
        }
        stop.store(true, Ordering::SeqCst);
        busy.join().unwrap();
    }
}
