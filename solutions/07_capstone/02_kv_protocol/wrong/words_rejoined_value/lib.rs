//! Wrong: parse splits the line into words with split_whitespace; a SET value is the words after the key joined with spaces.
//! A line-based key-value service, part 1: the protocol, the store, one connection.
//!
//! `protocol.rs` and `store.rs` are given. Your part is in this file.

// The given modules are the exercise's own files, written once.
#[path = "../../../../../exercises/07_capstone/02_kv_protocol/src/protocol.rs"]
mod protocol;
#[path = "../../../../../exercises/07_capstone/02_kv_protocol/src/store.rs"]
mod store;

use std::collections::HashMap;
use std::io;
use std::sync::Mutex;

use tokio::io::{AsyncBufReadExt, AsyncRead, AsyncWrite, AsyncWriteExt, BufReader};

pub use protocol::{Command, ParseError, Reply};
pub use store::{Store, StoreError};

/// Parses one request line.
pub fn parse(line: &str) -> Result<Command, ParseError> {
    let words: Vec<&str> = line.split_whitespace().collect();
    match words.as_slice() {
        [] => Err(ParseError::Empty),
        ["GET", key] => Ok(Command::Get { key: key.to_string() }),
        ["GET", ..] => Err(ParseError::Usage("GET key")),
        ["DEL", key] => Ok(Command::Del { key: key.to_string() }),
        ["DEL", ..] => Err(ParseError::Usage("DEL key")),
        ["SET", key, value @ ..] if !value.is_empty() => Ok(Command::Set {
            key: key.to_string(),
            value: value.join(" "),
        }),
        ["SET", ..] => Err(ParseError::Usage("SET key value")),
        [verb, ..] => Err(ParseError::Unknown(verb.to_string())),
    }
}

/// An in-memory store.
#[derive(Debug, Default)]
pub struct MemoryStore {
    map: Mutex<HashMap<String, String>>,
}

impl Store for MemoryStore {
    async fn get(&self, key: &str) -> Result<Option<String>, StoreError> {
        Ok(self.map.lock().unwrap().get(key).cloned())
    }

    async fn set(&self, key: &str, value: &str) -> Result<(), StoreError> {
        self.map.lock().unwrap().insert(key.to_string(), value.to_string());
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

    /// Runs one command against the store.
    pub async fn execute(&self, command: Command) -> Reply {
        let result = match command {
            Command::Get { key } => self.store.get(&key).await.map(|value| match value {
                Some(value) => Reply::Value(value),
                None => Reply::NotFound,
            }),
            Command::Set { key, value } => self.store.set(&key, &value).await.map(|()| Reply::Ok),
            Command::Del { key } => self.store.del(&key).await.map(|removed| match removed {
                true => Reply::Ok,
                false => Reply::NotFound,
            }),
        };
        result.unwrap_or_else(|err| Reply::Error(err.to_string()))
    }

    /// Serves one connection.
    pub async fn serve<IO>(&self, io: IO) -> io::Result<()>
    where
        IO: AsyncRead + AsyncWrite,
    {
        let (reader, mut writer) = tokio::io::split(io);
        let mut lines = BufReader::new(reader).lines();
        while let Some(line) = lines.next_line().await? {
            let reply = match parse(&line) {
                Ok(command) => self.execute(command).await,
                Err(err) => Reply::Error(err.to_string()),
            };
            writer.write_all(format!("{reply}\n").as_bytes()).await?;
            writer.flush().await?;
        }
        Ok(())
    }
}
