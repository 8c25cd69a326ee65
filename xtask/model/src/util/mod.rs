//! Helpers with no knowledge of the course: files, JSON, diffs, SHA-1, text formatting.

pub mod diff;
pub mod error;
pub mod files;
pub mod json;
pub mod sha1;
pub mod terminal;
pub mod ui;
