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
    if secs >= 10.0 {
        format!("{secs:.0} s")
    } else {
        format!("{secs:.1} s")
    }
}

pub fn plural(count: usize, word: &str) -> String {
    if count == 1 {
        format!("1 {word}")
    } else {
        format!("{count} {word}s")
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
