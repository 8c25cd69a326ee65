//! The terminal in single-key mode, for `watch`'s keys, one half per platform: Unix sets
//! it with `stty`; Windows has no `stty`, so keys are off there (`raw` says so) and
//! `watch` still runs again on every save.

#[cfg(unix)]
mod unix;
#[cfg(unix)]
pub use unix::*;

#[cfg(not(unix))]
mod windows;
#[cfg(not(unix))]
pub use windows::*;
