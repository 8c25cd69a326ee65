//! File events from the operating system, so that an idle `watch` sleeps instead of
//! walking the exercises: inotify on Linux (by hand, on the libc the runner builds
//! anyway: no crate added to a learner's first build), and the `notify` crate on macOS
//! (FSEvents) and Windows (ReadDirectoryChangesW). `Watcher::new` is `None` on other
//! systems, or when the system refuses (no inotify watches left, a network drive): then
//! `watch` polls the files' metadata, cheaply (see `cmd/watch.rs`).

#[cfg(target_os = "linux")]
mod linux;
#[cfg(target_os = "linux")]
pub use linux::Watcher;

// Also built for the runner's tests on Linux (a dev-dependency there), so that the
// wrapper macOS and Windows learners get is tested here too.
#[cfg(any(target_os = "macos", windows, all(test, target_os = "linux")))]
mod native;
#[cfg(any(target_os = "macos", windows))]
pub use native::Watcher;

#[cfg(not(any(target_os = "linux", target_os = "macos", windows)))]
mod other;
#[cfg(not(any(target_os = "linux", target_os = "macos", windows)))]
pub use other::Watcher;

/// Whether a changed path is worth a walk: not build output (`target/`) and not a hidden
/// file or folder (an editor's swap file, `.git`).
#[cfg_attr(target_os = "linux", cfg_attr(not(test), allow(dead_code)))]
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
