//! One file per command. A command may use anything; nothing uses a command.

pub mod check;
pub mod hint;
pub mod list;
pub mod next;
pub mod reset;
pub mod solution;
pub mod watch;
