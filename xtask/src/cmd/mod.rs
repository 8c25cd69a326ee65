//! One file per command, the `xtask` binary's own. A command may use anything; nothing
//! uses a command, but for `session`: the learner's loop `next` and `watch` share.

pub mod check;
pub mod hint;
pub mod list;
pub mod next;
pub mod reset;
pub mod session;
pub mod solution;
pub mod watch;
