//! `cargo xtask hint [KATA]`: reveals a kata's hints one at a time. The hints are the
//! `<details>` blocks under `## Hints` in the kata's README, the single source of the lesson.

use std::fs;
use std::process::ExitCode;

use crate::check::pick;
use crate::course::{Course, Kata};
use crate::progress::Progress;
use crate::ui;

pub fn hint(course: &Course, query: Option<&str>) -> Result<ExitCode, String> {
    let mut progress = Progress::load(&course.root);
    let kata = pick(course, query, &progress)?;
    reveal(
        course,
        kata,
        &mut progress,
        "Run `cargo xtask hint` again for the next one.",
    )?;
    Ok(ExitCode::SUCCESS)
}

/// Reveals one more of `kata`'s hints and prints those revealed so far; `again` tells
/// how to get the next one (`watch` has a key for it).
pub fn reveal(
    course: &Course,
    kata: &Kata,
    progress: &mut Progress,
    again: &str,
) -> Result<(), String> {
    let lesson = fs::read_to_string(kata.lesson())
        .map_err(|e| format!("cannot read the lesson {}: {e}", kata.lesson().display()))?;
    let hints = parse(&lesson);
    if hints.is_empty() {
        return Err(format!(
            "{} has no hints (no <details> under `## Hints`)",
            course.relative(&kata.lesson())
        ));
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
            "That was the last hint. Still stuck? The reference solution is in {} — try first, it sticks better.",
            course.relative(&kata.solution_dir.join("src"))
        );
    } else {
        // A classroom template has no solutions.
        println!(
            "That was the last hint. Still stuck? Read the lesson once more, then ask for help."
        );
    }
    Ok(())
}

/// How many hints a kata has, for "Stuck?" lines.
pub fn count(kata: &Kata) -> usize {
    fs::read_to_string(kata.lesson())
        .map(|text| parse(&text).len())
        .unwrap_or(0)
}

/// The hints of a lesson: each `<details>` block after the `## Hints` heading, without
/// its `<summary>` line.
pub fn parse(lesson: &str) -> Vec<String> {
    let Some(start) = lesson.find("\n## Hints") else {
        return Vec::new();
    };
    let mut rest = &lesson[start..];
    let mut hints = Vec::new();
    while let Some(open) = rest.find("<details>") {
        let body = &rest[open + "<details>".len()..];
        let Some(close) = body.find("</details>") else {
            break;
        };
        let text = &body[..close];
        let text = match text.find("</summary>") {
            Some(end) => &text[end + "</summary>".len()..],
            None => text,
        };
        hints.push(text.trim().to_string());
        rest = &body[close..];
    }
    hints
}

#[cfg(test)]
mod tests {
    use super::parse;

    #[test]
    fn reads_the_details_blocks_under_hints() {
        let lesson = "# Title\n\n<details>not a hint</details>\n\n## Hints\n\n<details>\n<summary>Hint 1</summary>\n\n\
                      Use `join!`.\n</details>\n\n<details>\n<summary>Hint 2</summary>\n\nTwo\nlines.\n</details>\n";
        assert_eq!(parse(lesson), ["Use `join!`.", "Two\nlines."]);
    }

    #[test]
    fn a_lesson_without_hints_has_none() {
        assert!(parse("# Title\n\nNo hints here.\n").is_empty());
        assert!(parse("# T\n\n## Hints\n\n<details>unclosed").is_empty());
    }
}
