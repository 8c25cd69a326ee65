//! What the runner asks of the operating system, one half per platform, both with the
//! same functions: a gap shows as a short fallback in `windows.rs`, not as `cfg`s
//! scattered through the engine. Unix has process groups and signals: a test or build
//! runs in a group of its own, so that stopping it stops everything it started, Ctrl-Z
//! pauses it with the runner, and (on Linux) it dies with the runner and a process that
//! left its group is found by the output pipe it holds or by the marker its environment
//! inherited. Elsewhere only the child itself is killed, and the runner's own Ctrl-C,
//! hang-up and Ctrl-Z are the system's defaults.

#[cfg(unix)]
mod unix;
#[cfg(unix)]
pub use unix::*;

#[cfg(not(unix))]
mod windows;
#[cfg(not(unix))]
pub use windows::*;
