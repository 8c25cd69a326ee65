//! Reveals a kata's hints one at a time.

use std::fs;

use crate::course::hint::parse;
use crate::course::progress::Progress;
use crate::course::{Course, Kata};
use crate::util::error::{Context, Error, Result};
use crate::util::ui;

/// Reveals one more of `kata`'s hints and prints those revealed so far; `again` tells
/// how to get the next one (`watch` has a key for it).
pub fn reveal(course: &Course, kata: &Kata, progress: &mut Progress, again: &str) -> Result<()> {
    let file = kata.hints();
    let text = fs::read_to_string(&file)
        .with_context(|| format!("cannot read the hints {}", course.relative(&file)))?;
    let hints = parse(&text);
    if hints.is_empty() {
        return Err(Error::new(format!(
            "{} has no hints (no `## Hint N` sections)",
            course.relative(&file)
        )));
    }
    let revealed = (progress.hints_revealed(kata) + 1).min(hints.len());
    progress.set_hints_revealed(kata, revealed);
    progress.save(&course.root);

    println!("{}\n", ui::bold(&format!("hints for {}", kata.id())));
    for (number, text) in hints.iter().enumerate().take(revealed) {
        let title = format!("Hint {} of {}", number + 1, hints.len());
        let title = if number + 1 == revealed {
            ui::bold(&title)
        } else {
            ui::dim(&title)
        };
        println!("{title}\n{}\n", ui::indent(text, "  "));
    }
    if revealed < hints.len() {
        println!("{again}");
    } else if kata.solution_dir.is_dir() {
        println!(
            "That was the last hint. Still stuck? `cargo xtask solution {} --force` shows the \
             reference solution as a diff against your code — try first, it sticks better.",
            kata.name
        );
    } else {
        // A classroom template has no solutions.
        println!(
            "That was the last hint. Still stuck? Read the lesson once more, then ask for help."
        );
    }
    Ok(())
}
