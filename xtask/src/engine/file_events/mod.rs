//! File events from the operating system, so that an idle `watch` sleeps instead of
//! walking the exercises: inotify on Linux and ReadDirectoryChangesW on Windows, both by
//! hand on what the runner links anyway (no crate added to a learner's first build:
//! `windows-sys` alone would add 5–6 s there), and FSEvents on macOS through the `notify`
//! crate. `Watcher::new` is `None` on other systems, or when the system refuses (no
//! inotify watches left, a network drive): then `watch` polls the files' metadata,
//! cheaply (see `cmd/watch.rs`).

#[cfg(target_os = "linux")]
mod linux;
#[cfg(target_os = "linux")]
pub use linux::Watcher;

#[cfg(windows)]
mod windows;
#[cfg(windows)]
pub use windows::Watcher;

// Also built for the runner's tests on Linux (a dev-dependency there), so that the
// wrapper macOS learners get is tested here too.
#[cfg(any(target_os = "macos", all(test, target_os = "linux")))]
mod native;
#[cfg(target_os = "macos")]
pub use native::Watcher;

#[cfg(not(any(target_os = "linux", target_os = "macos", windows)))]
mod other;
#[cfg(not(any(target_os = "linux", target_os = "macos", windows)))]
pub use other::Watcher;

/// Whether a changed path is worth a walk: not build output (`target/`) and not a hidden
/// file or folder (an editor's swap file, `.git`).
#[cfg_attr(not(any(target_os = "macos", windows, test)), allow(dead_code))]
fn worth_a_look(root: &std::path::Path, path: &std::path::Path) -> bool {
    let below = path.strip_prefix(root).unwrap_or(path);
    !below.components().any(|part| {
        let name = part.as_os_str().to_string_lossy();
        name == "target" || name.starts_with('.')
    })
}

#[cfg(test)]
mod tests {
    use std::path::Path;
    use std::time::Duration;

    /// The platform's own watcher (inotify, FSEvents, ReadDirectoryChangesW): a save is
    /// an event, build output and an editor's swap file are not.
    #[cfg(any(target_os = "linux", target_os = "macos", windows))]
    #[test]
    fn the_platforms_watcher_sees_a_save_and_not_build_output() {
        let dir = std::env::temp_dir().join(format!("awaitlings-events-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(dir.join("00_a/01_b/src")).unwrap();
        std::fs::create_dir_all(dir.join("00_a/01_b/target")).unwrap();
        // The canonical path, as the system reports it (macOS: /private/var/…).
        let dir = dir.canonicalize().unwrap();
        let watcher = super::Watcher::new(&dir).expect("the platform's file events");
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
        std::fs::create_dir_all(dir.join("00_a/02_c/src")).unwrap();
        let _ = saw(Duration::from_millis(300));
        std::fs::write(dir.join("00_a/02_c/src/lib.rs"), "fn c() {}").unwrap();
        assert!(
            saw(Duration::from_secs(30)),
            "a save in a folder made since"
        );
        drop(watcher);
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn build_output_and_hidden_files_are_not_worth_a_walk() {
        let root = Path::new("/c/exercises");
        assert!(super::worth_a_look(
            root,
            Path::new("/c/exercises/00_a/01_b/src/lib.rs")
        ));
        assert!(!super::worth_a_look(
            root,
            Path::new("/c/exercises/00_a/01_b/target/x")
        ));
        assert!(!super::worth_a_look(
            root,
            Path::new("/c/exercises/00_a/01_b/src/.lib.rs.swp")
        ));
        // The root's own parents do not count: a course under a hidden folder still works.
        let hidden = Path::new("/home/me/.courses/exercises");
        assert!(super::worth_a_look(
            hidden,
            &hidden.join("00_a/01_b/src/lib.rs")
        ));
    }
}
