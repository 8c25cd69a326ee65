//! A producer task feeding a bounded channel, consumed as a `Stream`.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU32, Ordering};
use std::time::Duration;

use tokio_stream::wrappers::ReceiverStream;

// ---------------------------------------------------------------------------
// A fake sensor. Fixed code.
// ---------------------------------------------------------------------------

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Reading {
    pub sensor: u32,
    pub seq: u32,
}

/// What can be seen of a sensor from outside, even after it moved into a task.
#[derive(Debug, Default)]
pub struct SensorStats {
    taken: AtomicU32,
    dropped: AtomicBool,
    dropped_by_panic: AtomicBool,
}

impl SensorStats {
    /// How many readings have been taken so far.
    pub fn taken(&self) -> u32 {
        self.taken.load(Ordering::SeqCst)
    }

    /// Whether the sensor has been dropped (its owner is gone).
    pub fn is_dropped(&self) -> bool {
        self.dropped.load(Ordering::SeqCst)
    }

    /// Whether it was dropped while its owner was panicking.
    pub fn was_dropped_by_panic(&self) -> bool {
        self.dropped_by_panic.load(Ordering::SeqCst)
    }
}

/// Gives `count` readings, each taking `period` of (virtual) time, then `None`.
#[derive(Debug)]
pub struct Sensor {
    id: u32,
    count: u32,
    period: Duration,
    stats: Arc<SensorStats>,
}

impl Sensor {
    pub fn new(id: u32, count: u32, period: Duration) -> Self {
        let stats = Arc::default();
        Sensor {
            id,
            count,
            period,
            stats,
        }
    }

    pub fn stats(&self) -> Arc<SensorStats> {
        self.stats.clone()
    }

    /// Takes the next reading, or `None` at once when the sensor has no more.
    pub async fn read(&mut self) -> Option<Reading> {
        let seq = self.stats.taken();
        if seq == self.count {
            return None;
        }
        tokio::time::sleep(self.period).await;
        self.stats.taken.fetch_add(1, Ordering::SeqCst);
        Some(Reading {
            sensor: self.id,
            seq,
        })
    }
}

impl Drop for Sensor {
    fn drop(&mut self) {
        self.stats.dropped.store(true, Ordering::SeqCst);
        self.stats
            .dropped_by_panic
            .store(std::thread::panicking(), Ordering::SeqCst);
    }
}

// ---------------------------------------------------------------------------
// Your part.
// ---------------------------------------------------------------------------

/// Spawns a producer task that takes every reading of `sensor` and sends it into a
/// channel of `capacity`; returns the receiving end as a stream. The producer stops
/// when the sensor has no more readings or when the stream has been dropped (it sees
/// that when its next `send` fails: one more reading may be taken meanwhile). Panics if
/// `capacity` is 0, as `mpsc::channel` does.
pub fn readings(sensor: Sensor, capacity: usize) -> ReceiverStream<Reading> {
    let _ = sensor;
    todo!("spawn a producer task that sends into a channel of {capacity}")
}

/// One producer task per sensor, all feeding one channel of `capacity`. The stream
/// ends once every sensor is done.
pub fn merged(sensors: Vec<Sensor>, capacity: usize) -> ReceiverStream<Reading> {
    todo!(
        "one producer per sensor ({} of them), one channel of {capacity}",
        sensors.len()
    )
}
