//! What the engine tells whoever shows its work. The engine never prints: `main`
//! installs the view that does, and without one (the engine's own tests) nothing is
//! shown.

use std::sync::OnceLock;
use std::time::Duration;

/// What cargo's progress bar says.
#[derive(Debug, Clone, PartialEq)]
pub enum Status {
    /// `Downloading 12 crates`: fetching packages (a new machine's first build).
    Downloading(String),
    /// Units of work built of the total, and the crates being compiled now.
    Building {
        done: usize,
        total: usize,
        now: String,
    },
}

/// Shows the engine's work as it happens.
pub trait Observer: Sync {
    /// A build starts: where its progress goes.
    fn build(&self) -> Box<dyn BuildProgress>;
    /// A test is still running after a few seconds (a slow compile-fail case, a hang on
    /// its way to the limit).
    fn still_running(&self, test: &str, limit: Duration);
}

/// A build's progress, as cargo reports it.
pub trait BuildProgress {
    fn update(&mut self, status: Status);
    /// Time passes with no news: a view may redraw its clock.
    fn tick(&mut self);
    fn finish(&mut self);
}

static OBSERVER: OnceLock<&'static dyn Observer> = OnceLock::new();

pub fn install(observer: &'static dyn Observer) {
    let _ = OBSERVER.set(observer);
}

pub fn build() -> Box<dyn BuildProgress> {
    match OBSERVER.get() {
        Some(observer) => observer.build(),
        None => Box::new(Unseen),
    }
}

pub fn still_running(test: &str, limit: Duration) {
    if let Some(observer) = OBSERVER.get() {
        observer.still_running(test, limit);
    }
}

struct Unseen;

impl BuildProgress for Unseen {
    fn update(&mut self, _: Status) {}
    fn tick(&mut self) {}
    fn finish(&mut self) {}
}
