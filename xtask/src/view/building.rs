//! What a learner sees while cargo builds: nothing for a quick build; for a long one
//! (the first, which compiles the course's dependencies), how far along it is. On a
//! terminal one line that updates in place and is wiped when the build ends; elsewhere
//! (CI, a pipe) a plain line now and then.

use std::io::{IsTerminal, Write};
use std::time::{Duration, Instant};

use crate::engine::observe::{BuildProgress, Observer, Status};

/// A build quicker than this shows nothing.
const QUIET_FOR: Duration = Duration::from_secs(1);
/// Off a terminal: the first line after this, then one every `PLAIN_EVERY`.
const PLAIN_FIRST: Duration = Duration::from_secs(2);
const PLAIN_EVERY: Duration = Duration::from_secs(10);
/// On a terminal: redraws at most this often.
const REDRAW_EVERY: Duration = Duration::from_millis(100);

pub struct BuildView {
    started: Instant,
    terminal: bool,
    width: usize,
    status: Option<Status>,
    drawn: Option<Instant>,
}

impl Default for BuildView {
    fn default() -> BuildView {
        BuildView::new()
    }
}

impl BuildView {
    pub fn new() -> BuildView {
        let dumb = std::env::var_os("TERM").is_some_and(|t| t == "dumb");
        let width = std::env::var("COLUMNS")
            .ok()
            .and_then(|c| c.parse::<usize>().ok())
            .filter(|c| *c >= 20)
            .unwrap_or(80);
        BuildView {
            started: Instant::now(),
            terminal: std::io::stderr().is_terminal() && !dumb,
            width,
            status: None,
            drawn: None,
        }
    }

    pub fn update(&mut self, status: Status) {
        self.status = Some(status);
        self.tick();
    }

    pub fn tick(&mut self) {
        let elapsed = self.started.elapsed();
        let due = match (self.terminal, self.drawn) {
            (true, None) => elapsed >= QUIET_FOR,
            (true, Some(at)) => at.elapsed() >= REDRAW_EVERY,
            (false, None) => elapsed >= PLAIN_FIRST,
            (false, Some(at)) => at.elapsed() >= PLAIN_EVERY,
        };
        if !due {
            return;
        }
        let text = line(self.status.as_ref(), elapsed);
        let mut stderr = std::io::stderr().lock();
        if self.terminal {
            // Spaces, not an erase sequence, over the line before: no escape code reaches
            // a terminal that asked for none (NO_COLOR), however long the build takes.
            let shown: String = text.chars().take(self.width - 1).collect();
            let _ = write!(stderr, "\r{shown:<0$}", self.width - 1);
        } else {
            let _ = writeln!(stderr, "{text}");
        }
        let _ = stderr.flush();
        self.drawn = Some(Instant::now());
    }

    /// The build ended: a terminal's line is wiped, so nothing is left behind.
    pub fn finish(&mut self) {
        if self.terminal && self.drawn.is_some() {
            let _ = write!(std::io::stderr(), "\r{:1$}\r", "", self.width - 1);
            let _ = std::io::stderr().flush();
        }
        self.drawn = None;
    }
}

impl BuildProgress for BuildView {
    fn update(&mut self, status: Status) {
        BuildView::update(self, status);
    }

    fn tick(&mut self) {
        BuildView::tick(self);
    }

    fn finish(&mut self) {
        BuildView::finish(self);
    }
}

/// The terminal as the engine's observer: builds' progress, and tests still running.
pub struct Terminal;

impl Observer for Terminal {
    fn build(&self) -> Box<dyn BuildProgress> {
        Box::new(BuildView::new())
    }

    fn still_running(&self, test: &str, limit: std::time::Duration) {
        println!(
            "  {}",
            crate::util::ui::dim(&format!(
                "… {test} is still running (limit {})",
                crate::util::ui::seconds(limit)
            ))
        );
    }
}

/// The progress line: what cargo is doing, how far along, and for how long.
pub fn line(status: Option<&Status>, elapsed: Duration) -> String {
    let seconds = elapsed.as_secs();
    match status {
        None => format!("compiling… ({seconds} s)"),
        Some(Status::Downloading(what)) => {
            format!("fetching the course's dependencies: {what} ({seconds} s)")
        }
        Some(Status::Building { done, total, now }) if now.is_empty() => {
            format!("compiling {done}/{total} ({seconds} s)")
        }
        Some(Status::Building { done, total, now }) => {
            format!("compiling {done}/{total}: {now} ({seconds} s)")
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn says_how_far_along_and_for_how_long() {
        let building = Status::Building {
            done: 45,
            total: 120,
            now: "tokio, futures-util".into(),
        };
        assert_eq!(
            line(Some(&building), Duration::from_millis(23_400)),
            "compiling 45/120: tokio, futures-util (23 s)"
        );
        let linking = Status::Building {
            done: 119,
            total: 120,
            now: String::new(),
        };
        assert_eq!(
            line(Some(&linking), Duration::from_secs(40)),
            "compiling 119/120 (40 s)"
        );
        let fetching = Status::Downloading("Downloading 12 crates".into());
        assert_eq!(
            line(Some(&fetching), Duration::from_secs(3)),
            "fetching the course's dependencies: Downloading 12 crates (3 s)"
        );
        assert_eq!(line(None, Duration::from_secs(2)), "compiling… (2 s)");
    }
}
