//! The runner's one error type. Its `Display` is the whole sentence the learner reads
//! after `error:` (the cause included: the runner prints no chain), `source()` keeps the
//! cause for code that wants more than the words, and `exit_code()` is what the process
//! ends with. No caller tells one error from another, so there are no kinds to match.

use std::fmt;
use std::io;

pub type Result<T, E = Error> = std::result::Result<T, E>;

/// The exit code of a command that failed with an error (a failing test is 1).
const EXIT_CODE: u8 = 2;

#[derive(Debug)]
pub struct Error {
    message: String,
    source: Option<Box<dyn std::error::Error + Send + Sync + 'static>>,
}

impl Error {
    /// An error said in a sentence: bad input, a course that is not as the runner needs
    /// it, a program that failed.
    pub fn new(message: impl Into<String>) -> Error {
        Error {
            message: message.into(),
            source: None,
        }
    }

    /// An error said in a sentence of its own (the cause anywhere in it, or nowhere),
    /// with the cause kept as its source.
    pub fn with_source(
        message: impl Into<String>,
        source: impl std::error::Error + Send + Sync + 'static,
    ) -> Error {
        Error {
            message: message.into(),
            source: Some(Box::new(source)),
        }
    }

    /// What the process ends with when a command fails with this error.
    pub fn exit_code(&self) -> u8 {
        EXIT_CODE
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        self.source
            .as_deref()
            .map(|source| source as &(dyn std::error::Error + 'static))
    }
}

/// An I/O error with nothing said about it: its own words (`?` on a pipe or a clone,
/// where no path is involved).
impl From<io::Error> for Error {
    fn from(source: io::Error) -> Error {
        Error::with_source(source.to_string(), source)
    }
}

impl From<String> for Error {
    fn from(message: String) -> Error {
        Error::new(message)
    }
}

impl From<&str> for Error {
    fn from(message: &str) -> Error {
        Error::new(message)
    }
}

/// `.context("cannot read …")` on a failed result: what the runner was doing, before
/// the cause (`{context}: {cause}`), the cause kept as the source.
pub trait Context<T> {
    fn context(self, context: impl Into<String>) -> Result<T>;
    fn with_context<C: Into<String>>(self, context: impl FnOnce() -> C) -> Result<T>;
}

impl<T, E: std::error::Error + Send + Sync + 'static> Context<T> for std::result::Result<T, E> {
    fn context(self, context: impl Into<String>) -> Result<T> {
        self.map_err(|source| Error::with_source(format!("{}: {source}", context.into()), source))
    }

    fn with_context<C: Into<String>>(self, context: impl FnOnce() -> C) -> Result<T> {
        self.map_err(|source| Error::with_source(format!("{}: {source}", context().into()), source))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::error::Error as _;

    #[test]
    fn the_message_is_the_context_then_the_cause() {
        let missing = || io::Error::new(io::ErrorKind::NotFound, "not found");
        let read: Result<()> = Err(missing()).context("cannot read a.rs");
        let read = read.unwrap_err();
        assert_eq!(read.to_string(), "cannot read a.rs: not found");
        assert!(read.source().is_some());
        let outer = Err::<(), _>(read).with_context(|| "m.txt".to_string());
        let outer = outer.unwrap_err();
        assert_eq!(outer.to_string(), "m.txt: cannot read a.rs: not found");
        assert_eq!(
            outer.source().map(ToString::to_string).as_deref(),
            Some("cannot read a.rs: not found"),
            "the cause is the source"
        );
        assert_eq!(Error::from(missing()).to_string(), "not found");
        assert_eq!(
            Error::new("`new` takes MODULE/KATA").to_string(),
            "`new` takes MODULE/KATA"
        );
        assert_eq!(Error::new("any").exit_code(), 2);
    }
}
