//! One file per command. A command may use anything; nothing uses a command.

pub mod check;
pub mod export;
pub mod grade;
pub mod hint;
pub mod list;
pub mod new;
pub mod next;
pub mod regrade;
pub mod reset;
pub mod solution;
pub mod verify;
pub mod watch;
