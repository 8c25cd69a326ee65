//! `cargo xtask hint [KATA]`: reveals a kata's hints one at a time. The hints live in the
//! kata's `hints.md`, one `## Hint N` section each, apart from the lesson (`README.md`)
//! so that reading the lesson never shows them.

use std::fs;
use std::process::ExitCode;

use crate::cmd::check::pick;
use crate::course::progress::Progress;
use crate::course::{Course, Kata};
use crate::util::ui;

pub fn hint(course: &Course, query: Option<&str>) -> Result<ExitCode, String> {
    let mut progress = Progress::load(&course.root);
    let kata = pick(course, query, &progress)?;
    reveal(
        course,
        kata,
        &mut progress,
        &match query {
            Some(_) => format!(
                "Run `cargo xtask hint {}` again for the next one.",
                kata.name
            ),
            None => "Run `cargo xtask hint` again for the next one.".to_string(),
        },
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
    let file = kata.hints();
    let text = fs::read_to_string(&file)
        .map_err(|e| format!("cannot read the hints {}: {e}", course.relative(&file)))?;
    let hints = parse(&text);
    if hints.is_empty() {
        return Err(format!(
            "{} has no hints (no `## Hint N` sections)",
            course.relative(&file)
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

/// How many hints a kata has, for "Stuck?" lines.
pub fn count(kata: &Kata) -> usize {
    fs::read_to_string(kata.hints())
        .map(|text| parse(&text).len())
        .unwrap_or(0)
}

/// The hints in a hints file: the text of each `## Hint N` section, in order.
pub fn parse(hints: &str) -> Vec<String> {
    let mut found: Vec<String> = Vec::new();
    let mut current: Option<String> = None;
    for line in hints.lines() {
        if line.starts_with("## Hint") {
            found.extend(current.take());
            current = Some(String::new());
        } else if let Some(text) = current.as_mut() {
            text.push_str(line);
            text.push('\n');
        }
    }
    found.extend(current);
    found.iter().map(|text| text.trim().to_string()).collect()
}

/// Whether a lesson still holds hints (a `## Hints` section or `<details>` blocks), which
/// a reader would see before asking for them.
pub fn in_lesson(lesson: &str) -> bool {
    lesson
        .lines()
        .any(|line| line.trim_start().starts_with("## Hint"))
        || lesson.contains("<details>")
}

#[cfg(test)]
mod tests {
    use super::{in_lesson, parse};

    #[test]
    fn reads_one_hint_per_section() {
        let hints = "# Hints: 01.02\n\nIntro, not a hint.\n\n## Hint 1\n\nUse `join!`.\n\n## Hint 2\n\nTwo\nlines.\n";
        assert_eq!(parse(hints), ["Use `join!`.", "Two\nlines."]);
    }

    #[test]
    fn a_file_without_sections_has_no_hints() {
        assert!(parse("# Hints\n\nNothing yet.\n").is_empty());
    }

    #[test]
    fn a_lesson_with_hints_in_it_is_caught() {
        assert!(in_lesson("# T\n\n## Hints\n\nx\n"));
        assert!(in_lesson(
            "# T\n\n<details>\n<summary>Hint 1</summary>\nx\n</details>\n"
        ));
        assert!(!in_lesson("# T\n\n## Your task\n\nDo it.\n"));
    }
}
