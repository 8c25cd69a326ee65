//! The `notify` crate's watcher for the platform: FSEvents on macOS (inotify on Linux,
//! where only the runner's tests use this file). Its events arrive on a channel; `wait`
//! takes them.

use std::path::{Path, PathBuf};
use std::sync::mpsc::{Receiver, RecvTimeoutError, channel};
use std::time::Duration;

use notify::Watcher as _;

pub struct Watcher {
    events: Receiver<notify::Result<notify::Event>>,
    root: PathBuf,
    /// Kept alive: dropping it stops the events.
    _watcher: notify::RecommendedWatcher,
}

impl Watcher {
    pub fn new(root: &Path) -> Option<Watcher> {
        let (sender, events) = channel();
        let mut watcher = notify::recommended_watcher(sender).ok()?;
        watcher.watch(root, notify::RecursiveMode::Recursive).ok()?;
        Some(Watcher {
            events,
            root: root.to_path_buf(),
            _watcher: watcher,
        })
    }

    /// Waits up to `timeout` for events; true if one came that is worth a walk (all
    /// waiting are taken). An error of the watcher counts as an event: the walk that
    /// follows decides.
    pub fn wait(&self, timeout: Duration) -> bool {
        let first = match self.events.recv_timeout(timeout) {
            Ok(event) => event,
            Err(RecvTimeoutError::Timeout) => return false,
            // The watcher's thread is gone: polling's once-a-second walk goes on.
            Err(RecvTimeoutError::Disconnected) => {
                std::thread::sleep(timeout);
                return false;
            }
        };
        let mut worth = self.worth(&first);
        while let Ok(event) = self.events.try_recv() {
            worth |= self.worth(&event);
        }
        worth
    }

    fn worth(&self, event: &notify::Result<notify::Event>) -> bool {
        match event {
            Ok(event) if event.kind.is_access() => false,
            Ok(event) => {
                event.paths.is_empty()
                    || event
                        .paths
                        .iter()
                        .any(|path| super::worth_a_look(&self.root, path))
            }
            Err(_) => true,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_save_is_an_event_and_build_output_is_not() {
        let dir = std::env::temp_dir().join(format!("awaitlings-notify-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(dir.join("00_a/01_b/src")).unwrap();
        std::fs::create_dir_all(dir.join("00_a/01_b/target")).unwrap();
        // The same canonical path the watcher reports (macOS: /private/var/…).
        let dir = dir.canonicalize().unwrap();
        let watcher = Watcher::new(&dir).expect("the platform's file events");
        // Bounded waits: a missing event fails the test, it never hangs it.
        let saw = |bound: Duration| {
            let started = std::time::Instant::now();
            while started.elapsed() < bound {
                if watcher.wait(Duration::from_millis(50)) {
                    return true;
                }
            }
            false
        };
        std::fs::write(dir.join("00_a/01_b/target/out"), "built").unwrap();
        std::fs::write(dir.join("00_a/01_b/src/.lib.rs.swp"), "swap").unwrap();
        assert!(
            !saw(Duration::from_millis(300)),
            "build output and swap files"
        );
        std::fs::write(dir.join("00_a/01_b/src/lib.rs"), "fn a() {}").unwrap();
        assert!(saw(Duration::from_secs(30)), "a save");
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
