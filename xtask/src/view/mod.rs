//! What the learner sees: failures explained, the learner's loop, build progress. The
//! learner's loop is rendered to a writer (`Stdout` on screen, a buffer in tests).

use std::io::{self, Write};

pub mod building;
pub mod explain;
pub mod failure;
pub mod hint;
pub mod learner;
pub mod listing;

/// Standard output, as the views' writer: a write that fails panics as `print!` does, so
/// a closed stdout (`| head`) stops the run quietly (`quiet_on_closed_stdout` in lib.rs).
pub struct Stdout;

impl Write for Stdout {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        if let Err(error) = io::stdout().write_all(buf) {
            panic!("failed printing to stdout: {error}");
        }
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        io::stdout().flush()
    }
}
