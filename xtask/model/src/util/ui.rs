//! How the runner talks: colour only on a terminal and never with `NO_COLOR`, and no
//! reliance on the terminal's width (CI has none).

use std::io::IsTerminal;
use std::sync::OnceLock;
use std::time::Duration;

static COLOUR: OnceLock<bool> = OnceLock::new();

pub fn init() {
    let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
    let dumb = std::env::var_os("TERM").is_some_and(|t| t == "dumb");
    let _ = COLOUR.set(std::io::stdout().is_terminal() && !no_color && !dumb);
}

pub fn colour() -> bool {
    *COLOUR.get().unwrap_or(&false)
}

fn paint(code: &str, text: &str) -> String {
    if colour() {
        format!("\x1b[{code}m{text}\x1b[0m")
    } else {
        text.to_string()
    }
}

pub fn bold(text: &str) -> String {
    paint("1", text)
}
pub fn dim(text: &str) -> String {
    paint("2", text)
}
pub fn green(text: &str) -> String {
    paint("32", text)
}
pub fn red(text: &str) -> String {
    paint("31", text)
}
pub fn yellow(text: &str) -> String {
    paint("33", text)
}

/// Indents every line of `text`, so a test's message stands apart from the runner's.
pub fn indent(text: &str, by: &str) -> String {
    let lines: Vec<String> = text
        .lines()
        .map(|line| match line.trim_end() {
            "" => String::new(),
            line => format!("{by}{line}"),
        })
        .collect();
    lines.join("\n")
}

pub fn seconds(duration: Duration) -> String {
    let secs = duration.as_secs_f64();
    if secs < 0.1 {
        // `--timeout 0.0001` is a limit of 0.1 ms, not "0.0 s".
        return format!("{} ms", (secs * 1000.0 * 10.0).round() / 10.0);
    }
    if secs >= 10.0 {
        format!("{secs:.0} s")
    } else {
        format!("{secs:.1} s")
    }
}

pub fn plural(count: usize, word: &str) -> String {
    match count {
        1 => format!("1 {word}"),
        // "processes", not "processs".
        _ if ["s", "x", "sh", "ch"].iter().any(|end| word.ends_with(end)) => {
            format!("{count} {word}es")
        }
        _ => format!("{count} {word}s"),
    }
}

/// `text` without ANSI colour codes (cargo renders them when the runner has colour).
pub fn plain(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        if c == '\u{1b}' {
            // CSI: ESC [ parameters… final byte in '@'..='~'.
            if chars.next() == Some('[') {
                for c in chars.by_ref() {
                    if ('@'..='~').contains(&c) {
                        break;
                    }
                }
            }
        } else {
            out.push(c);
        }
    }
    out
}

/// `[█████░░░░░]`: `done` of `total` in `cells` cells, rounded down so a bar is full only
/// when everything is done. Fixed width, whatever the terminal's.
pub fn progress_bar(done: usize, total: usize, cells: usize) -> String {
    let filled = (done.min(total) * cells).checked_div(total).unwrap_or(0);
    format!(
        "[{}{}]",
        green(&"█".repeat(filled)),
        dim(&"░".repeat(cells - filled))
    )
}

#[cfg(test)]
mod tests {
    use super::{plural, progress_bar, seconds};
    use std::time::Duration;

    #[test]
    fn plurals_of_words_that_end_in_s() {
        assert_eq!(plural(1, "process"), "1 process");
        assert_eq!(plural(2, "process"), "2 processes");
        assert_eq!(plural(0, "test"), "0 tests");
    }

    #[test]
    fn a_tiny_limit_is_not_zero_seconds() {
        assert_eq!(seconds(Duration::from_micros(100)), "0.1 ms");
        assert_eq!(seconds(Duration::from_millis(250)), "0.2 s");
        assert_eq!(seconds(Duration::from_secs(10)), "10 s");
    }

    #[test]
    fn the_bar_fills_in_proportion_and_only_when_done() {
        assert_eq!(progress_bar(0, 31, 20), format!("[{}]", "░".repeat(20)));
        assert_eq!(
            progress_bar(8, 31, 20),
            format!("[{}{}]", "█".repeat(5), "░".repeat(15))
        );
        assert_eq!(
            progress_bar(30, 31, 10),
            format!("[{}░]", "█".repeat(9)),
            "not full before the last kata"
        );
        assert_eq!(progress_bar(31, 31, 10), format!("[{}]", "█".repeat(10)));
        assert_eq!(
            progress_bar(0, 0, 4),
            "[░░░░]",
            "an empty course does not divide by zero"
        );
    }
}
