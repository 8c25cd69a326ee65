//! The runner's one error type. Its `Display` is the whole sentence the learner reads
//! after `error:` (the cause included: the runner prints no chain), and `source()` keeps
//! the cause for code that wants more than the words.

use std::fmt;
use std::io;

pub type Result<T, E = Error> = std::result::Result<T, E>;

#[derive(Debug)]
pub enum Error {
    /// A file or folder could not be read, written, made or removed (`.context(…)` says
    /// `{context}: {source}`).
    Io { message: String, source: io::Error },
    /// A program the runner starts (cargo, a test binary, git, stty) could not start or
    /// failed; the message says which and what it said.
    Process {
        message: String,
        source: Option<io::Error>,
    },
    /// Bad command-line input: an option, a kata spec, a folder to write to (after a
    /// parse error `main` shows the usage too).
    Usage(String),
    /// The course or a kata is not as the runner needs it: an unknown kata, a malformed
    /// manifest, a kata name that cannot be.
    Course(String),
    /// Another error, with what the runner was doing: `{context}: {source}`.
    Context { context: String, source: Box<Error> },
    /// Anything else, said in a sentence.
    Message(String),
}

impl Error {
    pub fn usage(message: impl Into<String>) -> Error {
        Error::Usage(message.into())
    }

    pub fn course(message: impl Into<String>) -> Error {
        Error::Course(message.into())
    }

    /// An I/O error said in a sentence of its own, the cause anywhere in it.
    pub fn io(message: impl Into<String>, source: io::Error) -> Error {
        Error::Io {
            message: message.into(),
            source,
        }
    }

    pub fn process(message: impl Into<String>) -> Error {
        Error::Process {
            message: message.into(),
            source: None,
        }
    }

    /// A program that could not be started or waited for: `message` says it, `source`
    /// is why.
    pub fn spawn(message: impl Into<String>, source: io::Error) -> Error {
        Error::Process {
            message: message.into(),
            source: Some(source),
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Context { context, source } => write!(f, "{context}: {source}"),
            Error::Io { message, .. }
            | Error::Process { message, .. }
            | Error::Usage(message)
            | Error::Course(message)
            | Error::Message(message) => f.write_str(message),
        }
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Error::Io { source, .. } => Some(source),
            Error::Process {
                source: Some(source),
                ..
            } => Some(source),
            Error::Context { source, .. } => Some(source.as_ref()),
            _ => None,
        }
    }
}

/// An I/O error with nothing said about it: its own words (`?` on a pipe or a clone,
/// where no path is involved).
impl From<io::Error> for Error {
    fn from(source: io::Error) -> Error {
        Error::Io {
            message: source.to_string(),
            source,
        }
    }
}

impl From<String> for Error {
    fn from(message: String) -> Error {
        Error::Message(message)
    }
}

impl From<&str> for Error {
    fn from(message: &str) -> Error {
        Error::Message(message.to_string())
    }
}

/// `.context("cannot read …")` on a failed result: what the runner was doing, before
/// the cause.
pub trait Context<T> {
    fn context(self, context: impl Into<String>) -> Result<T>;
    fn with_context<C: Into<String>>(self, context: impl FnOnce() -> C) -> Result<T>;
}

impl<T> Context<T> for std::result::Result<T, io::Error> {
    fn context(self, context: impl Into<String>) -> Result<T> {
        self.map_err(|source| Error::Io {
            message: format!("{}: {source}", context.into()),
            source,
        })
    }

    fn with_context<C: Into<String>>(self, context: impl FnOnce() -> C) -> Result<T> {
        self.map_err(|source| Error::Io {
            message: format!("{}: {source}", context().into()),
            source,
        })
    }
}

impl<T> Context<T> for Result<T> {
    fn context(self, context: impl Into<String>) -> Result<T> {
        self.map_err(|source| Error::Context {
            context: context.into(),
            source: Box::new(source),
        })
    }

    fn with_context<C: Into<String>>(self, context: impl FnOnce() -> C) -> Result<T> {
        self.map_err(|source| Error::Context {
            context: context().into(),
            source: Box::new(source),
        })
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
        assert_eq!(
            outer.unwrap_err().to_string(),
            "m.txt: cannot read a.rs: not found"
        );
        assert_eq!(Error::from(missing()).to_string(), "not found");
        assert_eq!(
            Error::usage("`new` takes MODULE/KATA").to_string(),
            "`new` takes MODULE/KATA"
        );
    }
}
