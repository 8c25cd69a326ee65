//! File events from the kernel, where there are any: inotify on Linux. `Watcher::new`
//! is `None` elsewhere (macOS, Windows), or when the kernel refuses (no watches left):
//! then `watch` polls the files' metadata, which works everywhere.

#[cfg(target_os = "linux")]
mod linux;
#[cfg(target_os = "linux")]
pub use linux::Watcher;

#[cfg(not(target_os = "linux"))]
mod other;
#[cfg(not(target_os = "linux"))]
pub use other::Watcher;
