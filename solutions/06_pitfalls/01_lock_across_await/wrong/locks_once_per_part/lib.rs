//! Wrong: `send` locks the connection once per part, so another sender writes between header and body

use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::sync::Mutex as AsyncMutex;

/// The pages fetched so far, shared by every task that fetches.
pub type PageLog = Arc<Mutex<Vec<String>>>;

/// Stands in for a network call: takes 10 ms of (virtual) time.
pub async fn fetch(url: &str) -> String {
    tokio::time::sleep(Duration::from_millis(10)).await;
    format!("<page {url}>")
}

/// Fetches `url` and appends the page to `log`.
pub async fn fetch_and_log(log: PageLog, url: String) {
    let page = fetch(&url).await;
    log.lock().unwrap().push(page);
}

/// A connection that writes one part of a message at a time; each part takes 1 ms.
#[derive(Debug, Default)]
pub struct Connection {
    transcript: Vec<String>,
}

impl Connection {
    /// Writes one part of a message.
    pub async fn write_part(&mut self, part: &str) {
        tokio::time::sleep(Duration::from_millis(1)).await;
        self.transcript.push(part.to_owned());
    }

    /// Every part written so far, in order.
    pub fn transcript(&self) -> &[String] {
        &self.transcript
    }
}

/// One connection shared by many tasks. A message is a header part then a body part,
/// and no other part may come between the two.
pub struct Outbox {
    conn: AsyncMutex<Connection>,
}

impl Outbox {
    pub fn new(conn: Connection) -> Self {
        Self {
            conn: AsyncMutex::new(conn),
        }
    }

    /// Writes `header` then `body` on the shared connection, as one message.
    pub async fn send(&self, header: &str, body: &str) {
        self.conn.lock().await.write_part(header).await;
        self.conn.lock().await.write_part(body).await;
    }

    /// Gives the connection back, once every sender is done with it.
    pub fn into_connection(self) -> Connection {
        self.conn.into_inner()
    }
}
