//! The staff's commands, one file per command. A command may use anything; nothing uses
//! a command.

pub mod export;
pub mod fixture;
pub mod grade;
pub mod new;
pub mod regrade;
pub mod verify;
