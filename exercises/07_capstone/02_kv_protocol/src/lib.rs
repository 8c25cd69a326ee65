//! A line-based key-value service, part 1: the protocol, the store, one connection.
//!
//! `protocol.rs` and `store.rs` are given. Your part is in this file.

mod protocol;
mod store;

use std::collections::HashMap;
use std::io;
use std::sync::Mutex;

use tokio::io::{AsyncRead, AsyncWrite};

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
    todo!("parse {line:?} into a Command")
}

/// An in-memory store.
#[derive(Debug, Default)]
pub struct MemoryStore {
    // A std Mutex is right here: it is never held across an `.await`.
    map: Mutex<HashMap<String, String>>,
}

impl Store for MemoryStore {
    async fn get(&self, key: &str) -> Result<Option<String>, StoreError> {
        todo!("look up {key:?} in {:?}", self.map)
    }

    async fn set(&self, key: &str, value: &str) -> Result<(), StoreError> {
        todo!("store {key:?} = {value:?}")
    }

    async fn del(&self, key: &str) -> Result<bool, StoreError> {
        todo!("remove {key:?}")
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
        let _ = &self.store;
        todo!("run {command:?} against the store")
    }

    /// Serves one connection: reads request lines until the client hangs up, and
    /// writes one reply line for each, in order. A line that does not parse gets
    /// `ERR …` and the connection carries on.
    pub async fn serve<IO>(&self, io: IO) -> io::Result<()>
    where
        IO: AsyncRead + AsyncWrite,
    {
        let _ = io;
        todo!("answer each request line on the connection")
    }
}
