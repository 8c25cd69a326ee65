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
    /// `SUBSCRIBE`: turn this connection into a stream of change events.
    Subscribe,
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

/// A change to the store, as subscribers see it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Event {
    /// `EVENT SET key value`
    Set { key: String, value: String },
    /// `EVENT DEL key`
    Deleted { key: String },
    /// `EVENT MISSED n`: this subscriber fell behind and `n` events were lost to it.
    Missed(u64),
}

impl fmt::Display for Event {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Event::Set { key, value } => write!(f, "EVENT SET {key} {value}"),
            Event::Deleted { key } => write!(f, "EVENT DEL {key}"),
            Event::Missed(count) => write!(f, "EVENT MISSED {count}"),
        }
    }
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

/// Parses one request line: `GET key`, `SET key value`, `DEL key` or `SUBSCRIBE`.
///
/// The line is trimmed first (spaces, tabs, a `\r`); a line with nothing left is `Empty`.
/// Words are separated by runs of whitespace (spaces or tabs). The verb is the first
/// word, in capitals exactly: `get` is `Unknown("get")` (`Unknown` carries the verb, not
/// the line). `GET` and `DEL` take exactly one key. `SET` takes a key, then a value: the
/// rest of the line after the key, without the whitespace around it but with every
/// space inside it as sent (`SET k  a  b` sets `a  b`); a blank value is a usage error.
pub fn parse(line: &str) -> Result<Command, ParseError> {
    let line = line.trim();
    let (verb, rest) = line.split_once(char::is_whitespace).unwrap_or((line, ""));
    let rest = rest.trim_start();
    // A key is one word: anything after it is a usage error for GET and DEL.
    let single_key = |usage| match rest {
        "" => Err(ParseError::Usage(usage)),
        key if key.contains(char::is_whitespace) => Err(ParseError::Usage(usage)),
        key => Ok(key.to_string()),
    };
    match verb {
        "" => Err(ParseError::Empty),
        "GET" => Ok(Command::Get {
            key: single_key("GET key")?,
        }),
        "DEL" => Ok(Command::Del {
            key: single_key("DEL key")?,
        }),
        "SUBSCRIBE" if rest.is_empty() => Ok(Command::Subscribe),
        "SUBSCRIBE" => Err(ParseError::Usage("SUBSCRIBE")),
        "SET" => match rest.split_once(char::is_whitespace) {
            Some((key, value)) if !value.trim().is_empty() => Ok(Command::Set {
                key: key.to_string(),
                value: value.trim().to_string(),
            }),
            _ => Err(ParseError::Usage("SET key value")),
        },
        other => Err(ParseError::Unknown(other.to_string())),
    }
}
