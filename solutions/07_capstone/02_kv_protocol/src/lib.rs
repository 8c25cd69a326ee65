//! A line-based key-value service, part 1: the protocol, the store, one connection.
//!
//! `protocol.rs` and `store.rs` are given. Your part is in this file.

// The given modules are the exercise's own files, written once: the solution
// is checked with exactly the code the learner is given.
#[path = "../../../../exercises/07_capstone/02_kv_protocol/src/protocol.rs"]
mod protocol;
#[path = "../../../../exercises/07_capstone/02_kv_protocol/src/store.rs"]
mod store;

use std::collections::HashMap;
use std::io;
use std::sync::Mutex;

use tokio::io::{AsyncBufReadExt, AsyncRead, AsyncWrite, AsyncWriteExt, BufReader};

pub use protocol::{Command, ParseError, Reply};
pub use store::{Store, StoreError};

/// Parses one request line: `GET key`, `SET key value` or `DEL key`.
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

/// An in-memory store.
#[derive(Debug, Default)]
pub struct MemoryStore {
    // A std Mutex is right here: it is never held across an `.await`.
    map: Mutex<HashMap<String, String>>,
}

impl Store for MemoryStore {
    async fn get(&self, key: &str) -> Result<Option<String>, StoreError> {
        Ok(self.map.lock().unwrap().get(key).cloned())
    }

    async fn set(&self, key: &str, value: &str) -> Result<(), StoreError> {
        self.map
            .lock()
            .unwrap()
            .insert(key.to_string(), value.to_string());
        Ok(())
    }

    async fn del(&self, key: &str) -> Result<bool, StoreError> {
        Ok(self.map.lock().unwrap().remove(key).is_some())
    }
}

/// The key-value service over some store.
#[derive(Debug, Default)]
pub struct Service<S> {
    store: S,
}

impl<S: Store> Service<S> {
    pub fn new(store: S) -> Self {
        Self { store }
    }

    /// Runs one command against the store. A store error becomes `Reply::Error`
    /// with the error's text.
    pub async fn execute(&self, command: Command) -> Reply {
        let result = match command {
            Command::Get { key } => self.store.get(&key).await.map(|found| match found {
                Some(value) => Reply::Value(value),
                None => Reply::NotFound,
            }),
            Command::Set { key, value } => self.store.set(&key, &value).await.map(|()| Reply::Ok),
            Command::Del { key } => self.store.del(&key).await.map(|existed| match existed {
                true => Reply::Ok,
                false => Reply::NotFound,
            }),
        };
        result.unwrap_or_else(|err| Reply::Error(err.to_string()))
    }

    /// Serves one connection: reads request lines until the client hangs up, and
    /// writes one reply line for each, in order. A line that does not parse gets
    /// `ERR …` and the connection carries on.
    pub async fn serve<IO>(&self, io: IO) -> io::Result<()>
    where
        IO: AsyncRead + AsyncWrite,
    {
        let (reader, mut writer) = tokio::io::split(io);
        let mut lines = BufReader::new(reader).lines();
        // `None` is end of file: the client hung up, so the connection is done.
        while let Some(line) = lines.next_line().await? {
            let reply = match parse(&line) {
                Ok(command) => self.execute(command).await,
                Err(err) => Reply::Error(err.to_string()),
            };
            // One write per reply, newline included; flush in case `IO` buffers.
            writer.write_all(format!("{reply}\n").as_bytes()).await?;
            writer.flush().await?;
        }
        Ok(())
    }
}
