//! The wire protocol: one request per line, one reply per line.

use std::fmt;

/// A request, parsed from one line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Command {
    /// `GET key`
    Get { key: String },
    /// `SET key value`: the value is the rest of the line and may contain spaces, kept
    /// exactly as sent (runs of spaces too); only the whitespace around it is trimmed.
    Set { key: String, value: String },
    /// `DEL key`
    Del { key: String },
}

/// Why a line is not a request. The `Display` text goes back to the client as `ERR …`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ParseError {
    #[error("empty request")]
    Empty,
    #[error("unknown command `{0}`")]
    Unknown(String),
    #[error("usage: {0}")]
    Usage(&'static str),
}

/// A reply, written back as one line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Reply {
    /// `OK`: a write succeeded.
    Ok,
    /// `VALUE v`: the value of a key.
    Value(String),
    /// `NOT_FOUND`: no such key.
    NotFound,
    /// `ERR message`: the request failed.
    Error(String),
}

impl fmt::Display for Reply {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Reply::Ok => f.write_str("OK"),
            Reply::Value(value) => write!(f, "VALUE {value}"),
            Reply::NotFound => f.write_str("NOT_FOUND"),
            Reply::Error(message) => write!(f, "ERR {message}"),
        }
    }
}
